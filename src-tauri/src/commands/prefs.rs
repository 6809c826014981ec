use calldeck_core::prefs::{PreferencesView, UserPrefs};
use calldeck_core::{now_ms, ApiError};
use tauri::State;

use crate::state::AppState;

/// The computer's preferences and the signed-in person's, with any notice about a file
/// that could not be read. Asked at start beside `session_status`, and after each switch.
#[tauri::command]
#[specta::specta]
pub async fn preferences(state: State<'_, AppState>) -> Result<PreferencesView, ApiError> {
    state.after_restore().await;
    let scope = state.workspace.current().ok();
    Ok(state.prefs.read(scope.as_ref(), now_ms()).await)
}

/// Saves the signed-in person's preferences at once, whole. `token` is the one their
/// `preferences` reading gave: a save sent for someone who has since switched away is
/// refused (`not_signed_in`) and changes nothing.
#[tauri::command]
#[specta::specta]
pub async fn save_preferences(
    state: State<'_, AppState>,
    token: String,
    prefs: UserPrefs,
) -> Result<UserPrefs, ApiError> {
    let scope = state.workspace.current()?;
    Ok(state.prefs.save(&scope, &token, prefs, now_ms()).await?)
}
