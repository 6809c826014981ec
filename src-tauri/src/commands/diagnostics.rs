use std::sync::OnceLock;
use std::time::Instant;

use calldeck_core::ApiError;
use serde::Deserialize;

/// Set at the top of `run()`; start-up figures count from here.
pub static STARTED: OnceLock<Instant> = OnceLock::new();

#[derive(Debug, Clone, Copy, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum PaintedView {
    SignIn,
    Library,
}

/// The UI says a view is on screen for the first time. The log line is what
/// `make bench` reads for `startup_to_first_paint_ms`.
#[tauri::command]
#[specta::specta]
pub fn report_first_paint(view: PaintedView) -> Result<(), ApiError> {
    let since_start = STARTED.get().map(|t| t.elapsed().as_millis());
    tracing::info!(?view, ?since_start, "first_paint");
    Ok(())
}
