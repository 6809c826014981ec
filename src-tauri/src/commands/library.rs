use calldeck_core::library::{self, ListRecordingsRequest, RecordingDetails, RecordingPage};
use calldeck_core::ApiError;
use tauri::State;

use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn list_recordings(
    state: State<'_, AppState>,
    request: ListRecordingsRequest,
) -> Result<RecordingPage, ApiError> {
    let scope = state.workspace.current()?;
    Ok(library::list_recordings(&scope, &request).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn get_recording(
    state: State<'_, AppState>,
    id: String,
) -> Result<RecordingDetails, ApiError> {
    let scope = state.workspace.current()?;
    Ok(library::get_recording(&scope, &id).await?)
}
