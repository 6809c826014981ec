//! What the shell's IPC tests share: the app on Tauri's mock runtime, set up as the setup
//! hook would, and a call through Tauri's real IPC layer.

use std::path::Path;

use serde_json::Value;
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindowBuilder;

pub type Window = tauri::WebviewWindow<MockRuntime>;

/// A window labelled `label` of the app built with `context` over the data folder
/// `data_dir`.
pub fn window(context: tauri::Context<MockRuntime>, label: &str, data_dir: &Path) -> Window {
    let app = calldeck_shell::configure(mock_builder(), Some(data_dir.to_path_buf()))
        .build(context)
        .expect("build app");
    // The mock runtime does not run the setup hook; do what it does.
    calldeck_shell::bindings::builder::<MockRuntime>().mount_events(app.handle());
    calldeck_shell::open_workspace(app.handle(), data_dir.to_path_buf());
    WebviewWindowBuilder::new(&app, label, Default::default())
        .build()
        .expect("window")
}

/// `cmd` with `body`, as the UI sends it: the answer, or the error it rejects with.
pub fn invoke(window: &Window, cmd: &str, body: Value) -> Result<Value, Value> {
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
