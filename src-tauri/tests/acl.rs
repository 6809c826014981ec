//! The capability as Tauri compiles it into the app. `tauri::generate_context!` gives the
//! real access control list (the IPC tests' mock context allows every command), so these
//! show that the `app-commands` set build.rs writes from the command list is what lets the
//! main window call the app's commands, and that nothing else gets them.

mod common;

use common::{invoke, Window};
use serde_json::json;

fn window(label: &str, data_dir: &std::path::Path) -> Window {
    common::window(tauri::generate_context!(), label, data_dir)
}

#[test]
fn the_main_window_may_call_the_listed_commands() {
    let dir = tempfile::tempdir().expect("temp dir");
    let main = window("main", dir.path());
    let status = invoke(&main, "session_status", json!({})).expect("permitted and answered");
    assert!(status["user"].is_null(), "nobody is signed in at first");
    let refused = invoke(&main, "list_recordings", json!({ "request": {} }))
        .expect_err("the command itself refuses before sign-in");
    assert_eq!(
        refused["code"], "not_signed_in",
        "the call reached the command, past the access check: {refused}"
    );
}

#[test]
fn another_window_and_an_ungranted_plugin_command_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let other = window("other", dir.path());
    let refused = invoke(&other, "session_status", json!({})).expect_err("no capability");
    assert!(
        refused.as_str().is_some_and(|m| m.contains("not allowed")),
        "refused by the access check, not by the command: {refused}"
    );
    let main = window("main", dir.path());
    let refused = invoke(&main, "plugin:dialog|open", json!({ "options": {} }))
        .expect_err("the window has no dialog permission");
    assert!(
        refused.as_str().is_some_and(|m| m.contains("not allowed")),
        "refused by the access check: {refused}"
    );
}
