//! The download queue near the sync status: its counts, pause and resume, retry failed.

use calldeck_core::sync::queue::QueueStatus;
use calldeck_core::ApiError;
use tauri::State;

use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn download_queue_status(state: State<'_, AppState>) -> Result<QueueStatus, ApiError> {
    let scope = state.workspace.current()?;
    Ok(state.queue.status(&scope).await?)
}

/// Pauses (`true`) or resumes the signed-in user's downloads; kept across restarts.
#[tauri::command]
#[specta::specta]
pub async fn pause_downloads(
    state: State<'_, AppState>,
    paused: bool,
) -> Result<QueueStatus, ApiError> {
    let scope = state.workspace.current()?;
    Ok(state.queue.set_paused(&scope, paused).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn retry_failed_downloads(state: State<'_, AppState>) -> Result<QueueStatus, ApiError> {
    let scope = state.workspace.current()?;
    Ok(state.queue.retry_failed(&scope).await?)
}
