use calldeck_core::library::{self, ExportResult};
use calldeck_core::{now_ms, ApiError};
use tauri::State;

use crate::events::LibraryChange;
use crate::state::AppState;

/// Asks where to save (proposing a descriptive name) and copies the audio there.
/// `None` when the user cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_recording(
    state: State<'_, AppState>,
    id: String,
) -> Result<Option<ExportResult>, ApiError> {
    let scope = state.workspace.current()?;
    let name = library::suggested_export_name(&scope, &id).await?;
    let Some(path) = state.save_path(&name).await else {
        return Ok(None);
    };
    let result = library::export_recording(&scope, &id, &path, now_ms()).await?;
    state.library_changed(LibraryChange::details(vec![id]));
    Ok(Some(result))
}

/// Asks for a folder and copies each recording's audio into it.
#[tauri::command]
#[specta::specta]
pub async fn export_recordings(
    state: State<'_, AppState>,
    ids: Vec<String>,
) -> Result<Option<ExportResult>, ApiError> {
    let scope = state.workspace.current()?;
    let Some(folder) = state.pick_folder().await else {
        return Ok(None);
    };
    let result = library::export_recordings(&scope, &ids, &folder, now_ms()).await?;
    state.library_changed(LibraryChange::details(ids));
    Ok(Some(result))
}
