//! The command surface through Tauri's real IPC layer (on the mock runtime): what the UI
//! sends and what it gets back, errors included.

use serde_json::{json, Value};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindowBuilder;

fn app(data_dir: &std::path::Path) -> tauri::WebviewWindow<MockRuntime> {
    let app = calldeck_shell::configure(mock_builder(), Some(data_dir.to_path_buf()))
        .build(mock_context(noop_assets()))
        .expect("build app");
    // The mock runtime does not run the setup hook; do what it does.
    calldeck_shell::open_workspace(app.handle(), data_dir.to_path_buf());
    WebviewWindowBuilder::new(&app, "main", Default::default())
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
            invoke_key: tauri::test::INVOKE_KEY.to_string(),
        },
    )
    .map(|r| r.deserialize::<Value>().expect("json"))
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
