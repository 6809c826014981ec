use calldeck_core::library::{
    self, BulkAction, BulkResult, ListRecordingsRequest, RecordingDetails, RecordingFilter,
    RecordingPage, RecordingPatchInput, RecordingSlice, RecordingSliceRequest, RecordingStats,
};
use calldeck_core::{now_ms, ApiError};
use tauri::State;

use crate::events::LibraryChange;
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
pub async fn list_recordings_after(
    state: State<'_, AppState>,
    request: RecordingSliceRequest,
) -> Result<RecordingSlice, ApiError> {
    let scope = state.workspace.current()?;
    Ok(library::list_recordings_after(&scope, &request).await?)
}

/// How many recordings match a filter: the total a search's first slice was asked without.
#[tauri::command]
#[specta::specta]
pub async fn count_recordings(
    state: State<'_, AppState>,
    filter: RecordingFilter,
) -> Result<u32, ApiError> {
    let scope = state.workspace.current()?;
    Ok(library::count_recordings(&scope, &filter).await?)
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

#[tauri::command]
#[specta::specta]
pub async fn recording_stats(state: State<'_, AppState>) -> Result<RecordingStats, ApiError> {
    let scope = state.workspace.current()?;
    Ok(library::recording_stats(&scope).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn update_recording(
    state: State<'_, AppState>,
    id: String,
    patch: RecordingPatchInput,
) -> Result<(), ApiError> {
    let scope = state.workspace.current()?;
    library::update_recording(&scope, &id, patch.into_patch()?, now_ms()).await?;
    state.library_changed(LibraryChange::counted(vec![id]));
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub async fn set_legal_hold(
    state: State<'_, AppState>,
    id: String,
    held: bool,
) -> Result<(), ApiError> {
    let scope = state.workspace.current()?;
    library::set_legal_hold(&scope, &id, held, now_ms()).await?;
    state.library_changed(LibraryChange::counted(vec![id]));
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub async fn bulk_update(
    state: State<'_, AppState>,
    action: BulkAction,
    ids: Vec<String>,
) -> Result<BulkResult, ApiError> {
    let scope = state.workspace.current()?;
    let result = library::bulk_update(&scope, action, &ids, now_ms()).await?;
    state.library_changed(LibraryChange::counted(ids));
    Ok(result)
}

/// Deletes the recording here (audio, record; remembered so no sync brings it back), and
/// first at Twilio too when `also_at_twilio` — the UI asks for confirmation of both.
#[tauri::command]
#[specta::specta]
pub async fn delete_recording(
    state: State<'_, AppState>,
    id: String,
    also_at_twilio: bool,
) -> Result<(), ApiError> {
    let scope = state.workspace.current()?;
    if also_at_twilio {
        let client = state.sync.connection(&scope).await?.client().await?;
        calldeck_core::sync::delete_here_and_at_twilio(&scope, &client, &id, now_ms()).await?;
    } else {
        library::delete_recording(&scope, &id, now_ms()).await?;
    }
    state.library_changed(LibraryChange::counted(vec![id]));
    Ok(())
}
