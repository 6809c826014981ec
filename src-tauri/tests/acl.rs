//! The capability as Tauri compiles it into the app. `tauri::generate_context!` gives the
//! real access control list (the IPC tests' mock context allows every command), so these
//! show that the `app-commands` set build.rs writes from the command list is what lets the
//! main window call the app's commands, and that nothing else gets them.

use serde_json::{json, Value};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindowBuilder;

fn window(label: &str, data_dir: &std::path::Path) -> tauri::WebviewWindow<MockRuntime> {
    let app = calldeck_shell::configure(mock_builder(), Some(data_dir.to_path_buf()))
        .build(tauri::generate_context!())
        .expect("build app");
    // The mock runtime does not run the setup hook; do what it does.
    calldeck_shell::bindings::builder::<MockRuntime>().mount_events(app.handle());
    calldeck_shell::open_workspace(app.handle(), data_dir.to_path_buf());
    WebviewWindowBuilder::new(&app, label, Default::default())
        .build()
        .expect("window")
}

fn invoke(
    window: &tauri::WebviewWindow<MockRuntime>,
    cmd: &str,
    body: Value,
) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: tauri::ipc::InvokeBody::Json(body),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|r| r.deserialize::<Value>().expect("json"))
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
