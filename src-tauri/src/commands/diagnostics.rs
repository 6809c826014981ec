use calldeck_core::diagnostics::{Diagnostics, ShellVersions};
use calldeck_core::ApiError;
use serde::Deserialize;
use tauri::State;

use crate::logging::LogFolder;
use crate::startup::StartupMark;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum PaintedView {
    SignIn,
    Library,
}

/// The UI says a view is on screen for the first time, with its marks of the start. The log
/// line is what `make bench` reads for `startup_to_first_paint_ms`, and its trace.
#[tauri::command]
#[specta::specta]
pub fn report_first_paint(view: PaintedView, marks: Vec<StartupMark>) -> Result<(), ApiError> {
    let since_start = crate::startup::since_start_ms();
    let trace = crate::startup::trace(&marks);
    tracing::info!(?view, ?since_start, %trace, "first_paint");
    Ok(())
}

/// Settings → About: versions, OS, the signed-in person's data sizes and the log's last
/// problems, gathered by the core; the shell adds what only it knows (Tauri, the webview).
#[tauri::command]
#[specta::specta]
pub async fn diagnostics(
    state: State<'_, AppState>,
    logs: State<'_, LogFolder>,
) -> Result<Diagnostics, ApiError> {
    let scope = state.workspace.current().ok();
    let shell = ShellVersions {
        app: env!("CARGO_PKG_VERSION").into(),
        tauri: tauri::VERSION.into(),
        webview: tauri::webview_version().unwrap_or_else(|_| "unknown".into()),
    };
    Ok(calldeck_core::diagnostics::gather(scope.as_ref(), shell, &logs.0).await)
}

/// Opens the log folder in the file manager.
#[tauri::command]
#[specta::specta]
pub fn open_log_folder(
    state: State<'_, AppState>,
    logs: State<'_, LogFolder>,
) -> Result<(), ApiError> {
    // The folder exists once the log file was opened; create it anyway so that "Open"
    // works on a start whose file could not be opened.
    let _ = std::fs::create_dir_all(&logs.0);
    Ok(state.host.open_folder(&logs.0)?)
}
