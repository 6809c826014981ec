//! What the `library-changed` event says after each kind of change, through Tauri's real
//! IPC layer (on the mock runtime): the UI refetches only what it names.

use std::sync::{Arc, Mutex};

mod common;

use common::{invoke, Window};
use serde_json::{json, Value};
use tauri::test::{mock_context, noop_assets};
use tauri::Listener;

/// The app on the mock runtime with the demo library open, and every `library-changed`
/// payload it sends.
fn demo(data_dir: &std::path::Path) -> (Window, Arc<Mutex<Vec<Value>>>) {
    let window = common::window(mock_context(noop_assets()), "main", data_dir);
    let sent = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&sent);
    window.listen_any("library-changed", move |event| {
        let payload: Value = serde_json::from_str(event.payload()).expect("json payload");
        sink.lock().expect("events").push(payload["change"].clone());
    });
    invoke(&window, "open_demo_workspace", json!({})).expect("open demo");
    (window, sent)
}

/// What was sent since the last look (the command has returned, so its event is out).
fn taken(sent: &Mutex<Vec<Value>>) -> Vec<Value> {
    std::mem::take(&mut *sent.lock().expect("events"))
}

fn first_ids(window: &Window, n: usize) -> Vec<String> {
    let page = invoke(
        window,
        "list_recordings",
        json!({ "request": { "page": 1, "limit": 50 } }),
    )
    .expect("list");
    page["items"].as_array().expect("items")[..n]
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_owned())
        .collect()
}

#[test]
fn a_change_to_recordings_names_them_and_whether_a_total_moved() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (window, sent) = demo(dir.path());
    let ids = first_ids(&window, 2);
    taken(&sent);

    invoke(
        &window,
        "update_recording",
        json!({ "id": ids[0], "patch": { "starred": true } }),
    )
    .expect("star");
    assert_eq!(
        taken(&sent),
        vec![json!({ "kind": "recordings", "ids": [ids[0]], "totals": true })],
        "a star is one recording, and the starred total moves"
    );

    invoke(
        &window,
        "bulk_update",
        json!({ "action": "archive", "ids": ids }),
    )
    .expect("archive");
    assert_eq!(
        taken(&sent),
        vec![json!({ "kind": "recordings", "ids": ids, "totals": true })],
        "a bulk action names each recording it changed"
    );

    invoke(
        &window,
        "add_note",
        json!({ "recordingId": ids[0], "positionMs": 0, "body": "call back" }),
    )
    .expect("note");
    assert_eq!(
        taken(&sent),
        vec![json!({ "kind": "notes" })],
        "a note changes notes only"
    );
}

#[test]
fn a_cleanup_may_change_anything_and_a_refused_change_says_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (window, sent) = demo(dir.path());
    taken(&sent);

    let refused = invoke(
        &window,
        "update_recording",
        json!({ "id": "RE00000000000000000000000000000000", "patch": { "starred": true } }),
    );
    assert!(refused.is_err(), "a missing recording is refused");
    assert_eq!(
        taken(&sent),
        Vec::<Value>::new(),
        "nothing changed, nothing is said"
    );

    invoke(
        &window,
        "run_cleanup",
        json!({ "policy": { "olderThanDays": 36500, "removeRecords": false, "includeStarred": false } }),
    )
    .expect("cleanup");
    assert_eq!(
        taken(&sent),
        vec![json!({ "kind": "everything" })],
        "a cleanup may touch any recording and every total"
    );
}
