//! The command surface through Tauri's real IPC layer (on the mock runtime): what the UI
//! sends and what it gets back, errors included.

mod common;

use common::{invoke, Window};
use serde_json::{json, Value};
use tauri::test::{mock_context, noop_assets};

fn app(data_dir: &std::path::Path) -> Window {
    common::window(mock_context(noop_assets()), "main", data_dir)
}

#[test]
fn library_commands_before_sign_in_answer_not_signed_in_as_code_and_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let window = app(dir.path());
    let err =
        invoke(&window, "list_recordings", json!({ "request": {} })).expect_err("must be refused");
    assert_eq!(
        err["code"], "not_signed_in",
        "errors cross as {{code, message}}: {err}"
    );
    assert!(
        err["message"].as_str().is_some_and(|m| !m.is_empty()),
        "with a sentence for a person"
    );
}

#[test]
fn demo_workspace_opens_lists_and_details_through_ipc() {
    let dir = tempfile::tempdir().expect("temp dir");
    let window = app(dir.path());
    let status = invoke(&window, "session_status", json!({})).expect("status");
    assert!(status["user"].is_null(), "nobody is signed in at first");

    let user = invoke(&window, "open_demo_workspace", json!({})).expect("open demo");
    assert_eq!(user["provider"], "demo");

    let page = invoke(
        &window,
        "list_recordings",
        json!({ "request": { "page": 1, "limit": 50 } }),
    )
    .expect("list");
    assert_eq!(page["total"], 200, "the demo library has 200 recordings");
    let items = page["items"].as_array().expect("items");
    assert_eq!(items.len(), 50, "a page holds 50");
    let id = items[0]["id"].as_str().expect("id");

    let details = invoke(&window, "get_recording", json!({ "id": id })).expect("details");
    assert_eq!(details["summary"]["id"], id);

    let missing = invoke(
        &window,
        "get_recording",
        json!({ "id": "../../etc/passwd" }),
    )
    .expect_err("refused");
    assert_eq!(
        missing["code"], "not_found",
        "a hostile id looks like a missing recording"
    );
}

#[test]
fn no_command_accepts_a_user_id() {
    let dir = tempfile::tempdir().expect("temp dir");
    let window = app(dir.path());
    invoke(&window, "open_demo_workspace", json!({})).expect("open demo");
    // An extra field naming a user is ignored: the session decides whose library this is.
    let page = invoke(
        &window,
        "list_recordings",
        json!({ "request": { "userId": "auth0|victim" }, "userId": "auth0|victim" }),
    )
    .expect("list");
    assert_eq!(
        page["total"], 200,
        "still the signed-in demo user's own library"
    );
}

#[test]
fn the_last_demo_session_is_reopened_at_start_and_sign_out_is_remembered() {
    let dir = tempfile::tempdir().expect("temp dir");
    {
        let first = app(dir.path());
        invoke(&first, "open_demo_workspace", json!({})).expect("open demo");
    }
    let restarted = app(dir.path());
    let status = invoke(&restarted, "session_status", json!({})).expect("status");
    assert_eq!(
        status["user"]["provider"], "demo",
        "the demo reopens without a click: {status}"
    );
    invoke(&restarted, "sign_out", json!({"removeData": false})).expect("sign out");

    let again = app(dir.path());
    let status = invoke(&again, "session_status", json!({})).expect("status");
    assert!(
        status["user"].is_null(),
        "after sign-out the app starts on the sign-in screen: {status}"
    );
}

#[test]
fn sign_in_setup_is_saved_through_ipc_and_sign_in_needs_it_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let window = app(dir.path());
    let status = invoke(&window, "session_status", json!({})).expect("status");
    assert_eq!(status["authConfigured"], false, "{status}");
    let err = invoke(&window, "sign_in", json!({})).expect_err("no config yet");
    assert_eq!(err["code"], "auth_not_configured", "{err}");
    let bad = invoke(
        &window,
        "save_auth_setup",
        json!({ "settings": { "domain": "http://tenant.auth0.com", "clientId": "abc" } }),
    )
    .expect_err("plain http off the loopback");
    assert_eq!(bad["code"], "invalid_input", "{bad}");
    let setup = invoke(
        &window,
        "save_auth_setup",
        json!({ "settings": { "domain": "tenant.eu.auth0.com", "clientId": "abc123", "audience": null, "callbackPorts": [], "offlineDays": null } }),
    )
    .expect("saved");
    assert_eq!(setup["source"], "setup");
    assert_eq!(setup["callbackUrls"][0], "http://127.0.0.1:47613/callback");
    let status = invoke(&window, "session_status", json!({})).expect("status");
    assert_eq!(status["authConfigured"], true, "{status}");
    let accounts = invoke(&window, "list_accounts", json!({})).expect("accounts");
    assert_eq!(
        accounts,
        json!([]),
        "nobody has signed in on this device yet"
    );
}

/// Waits until `done` holds for what was sent so far (the player's events arrive from a
/// task of their own); fails after a generous while.
fn wait_for_events(
    sent: &std::sync::Mutex<Vec<Value>>,
    what: &str,
    done: impl Fn(&[Value]) -> bool,
) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while !done(&sent.lock().expect("events")) {
        assert!(
            std::time::Instant::now() < deadline,
            "never saw {what}: {:?}",
            sent.lock().expect("events")
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

#[test]
fn a_change_of_user_stops_and_forgets_playback_and_the_next_cannot_steer_it() {
    use tauri::Listener;
    let dir = tempfile::tempdir().expect("temp dir");
    let window = app(dir.path());
    // Every playerStateChanged the window is sent.
    let sent = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Value>::new()));
    let sink = std::sync::Arc::clone(&sent);
    window.listen_any("player-state-changed", move |event| {
        let payload: Value = serde_json::from_str(event.payload()).expect("json payload");
        sink.lock().expect("events").push(payload["state"].clone());
    });
    invoke(&window, "open_demo_workspace", json!({})).expect("open demo");
    let page = invoke(
        &window,
        "list_recordings",
        json!({ "request": { "page": 1, "limit": 50 } }),
    )
    .expect("list");
    let id = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|r| r["availableOffline"] == true)
        .and_then(|r| r["id"].as_str())
        .expect("the demo's newest calls have audio")
        .to_owned();
    let playing = invoke(&window, "play_recording", json!({ "recordingId": id })).expect("play");
    assert_eq!(playing["recordingId"], id.as_str());
    invoke(&window, "player_seek", json!({ "positionMs": 1500 })).expect("seek");
    wait_for_events(&sent, "the playback's own events", |s| {
        s.iter().any(|e| e["recordingId"] == id.as_str())
    });

    // The demo user leaves; the same desktop's next user (the demo again, here) comes.
    invoke(&window, "sign_out", json!({ "removeData": false })).expect("sign out");
    wait_for_events(&sent, "an idle player after sign-out", |s| {
        s.last().is_some_and(|e| e["recordingId"].is_null())
    });
    let after_sign_out = sent.lock().expect("events").len();
    invoke(&window, "open_demo_workspace", json!({})).expect("open demo again");

    let state = invoke(&window, "player_state", json!({})).expect("state");
    assert!(
        state["recordingId"].is_null() && state["positionMs"] == 0,
        "nothing of the last playback survives a change of user: {state}"
    );
    for (command, body) in [
        ("player_pause", json!({})),
        ("player_seek", json!({ "positionMs": 3000 })),
        ("player_resume", json!({})),
    ] {
        let err = invoke(&window, command, body).expect_err("nothing to steer");
        assert_eq!(
            err["code"], "not_found",
            "{command} without a playback of one's own answers not_found: {err}"
        );
    }
    // The player publishes its (idle) state after each command, refused ones too.
    wait_for_events(&sent, "the states after the refused commands", |s| {
        s.len() > after_sign_out
    });
    let later = sent.lock().expect("events")[after_sign_out..].to_vec();
    assert!(
        later.iter().all(|e| e["recordingId"].is_null()),
        "no event after the change of user names the last user's recording: {later:?}"
    );
}

/// Preferences go through tauri-plugin-store's stores and CallDeck's own commands: what one
/// reading gives, a save with its token changes, in the signed-in person's folder.
#[test]
fn preferences_are_read_and_saved_for_the_signed_in_person_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let window = app(dir.path());
    let before = invoke(&window, "preferences", json!({})).expect("preferences");
    assert!(
        before["user"].is_null(),
        "nobody signed in: no user preferences"
    );
    assert_eq!(before["app"]["theme"], "system");

    invoke(&window, "open_demo_workspace", json!({})).expect("open demo");
    let read = invoke(&window, "preferences", json!({})).expect("preferences");
    let mut prefs = read["user"].clone();
    assert_eq!(prefs["volumePercent"], 100, "the defaults: {prefs}");
    prefs["theme"] = json!("dark");
    prefs["speedPercent"] = json!(125);
    let wrong = invoke(
        &window,
        "save_preferences",
        json!({ "token": "not-this-reading", "prefs": prefs }),
    )
    .expect_err("a save for another reading is refused");
    assert_eq!(wrong["code"], "not_signed_in", "{wrong}");
    invoke(
        &window,
        "save_preferences",
        json!({ "token": read["token"], "prefs": prefs }),
    )
    .expect("save");

    let again = invoke(&window, "preferences", json!({})).expect("preferences");
    assert_eq!(again["user"]["theme"], "dark");
    assert_eq!(again["user"]["speedPercent"], 125);
    assert_eq!(
        again["app"]["theme"], "dark",
        "the computer's theme follows"
    );
    let users = std::fs::read_dir(dir.path().join("users"))
        .expect("users")
        .map(|e| e.expect("entry").path())
        .collect::<Vec<_>>();
    assert_eq!(users.len(), 1);
    let saved = std::fs::read_to_string(users[0].join("preferences.json")).expect("saved");
    assert!(saved.contains("\"dark\""), "{saved}");

    invoke(&window, "sign_out", json!({ "removeData": false })).expect("sign out");
    let refused = invoke(
        &window,
        "save_preferences",
        json!({ "token": read["token"], "prefs": prefs }),
    )
    .expect_err("no save once signed out");
    assert_eq!(refused["code"], "not_signed_in", "{refused}");
}

#[test]
fn diagnostics_cross_with_versions_sizes_and_the_log_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let window = app(dir.path());
    let before = invoke(&window, "diagnostics", json!({})).expect("diagnostics");
    assert!(
        before["data"].is_null(),
        "no sizes before sign-in: {before}"
    );
    invoke(&window, "open_demo_workspace", json!({})).expect("open demo");
    let d = invoke(&window, "diagnostics", json!({})).expect("diagnostics");
    assert_eq!(d["appVersion"], env!("CARGO_PKG_VERSION"));
    assert!(
        d["sqliteVersion"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.")),
        "{d}"
    );
    assert!(
        d["data"]["databaseBytes"].as_f64().is_some_and(|b| b > 0.0),
        "{d}"
    );
    // A data folder of its own keeps its logs inside it.
    let folder = d["logFolder"].as_str().expect("log folder");
    assert!(folder.ends_with("/logs"), "{folder}");
    assert!(
        d["report"]
            .as_str()
            .is_some_and(|r| r.contains("CallDeck ")),
        "{d}"
    );
}
