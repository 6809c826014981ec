use calldeck_core::library::{self, TimestampedNote};
use calldeck_core::{now_ms, ApiError};
use tauri::State;

use crate::events::LibraryChange;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn list_notes(
    state: State<'_, AppState>,
    recording_id: String,
) -> Result<Vec<TimestampedNote>, ApiError> {
    let scope = state.workspace.current()?;
    Ok(library::list_notes(&scope, &recording_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn add_note(
    state: State<'_, AppState>,
    recording_id: String,
    position_ms: u32,
    body: String,
) -> Result<TimestampedNote, ApiError> {
    let scope = state.workspace.current()?;
    let note = library::add_note(&scope, &recording_id, position_ms, &body, now_ms()).await?;
    state.library_changed(LibraryChange::Notes);
    Ok(note)
}

#[tauri::command]
#[specta::specta]
pub async fn edit_note(
    state: State<'_, AppState>,
    note_id: u32,
    position_ms: u32,
    body: String,
) -> Result<TimestampedNote, ApiError> {
    let scope = state.workspace.current()?;
    let note = library::edit_note(&scope, note_id, position_ms, &body, now_ms()).await?;
    state.library_changed(LibraryChange::Notes);
    Ok(note)
}

#[tauri::command]
#[specta::specta]
pub async fn delete_note(state: State<'_, AppState>, note_id: u32) -> Result<(), ApiError> {
    let scope = state.workspace.current()?;
    library::delete_note(&scope, note_id, now_ms()).await?;
    state.library_changed(LibraryChange::Notes);
    Ok(())
}
