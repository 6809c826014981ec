use calldeck_core::{demo, now_ms, ApiError, SignedInUser};
use serde::Serialize;
use tauri::State;

use crate::state::AppState;

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SessionStatus {
    /// Who is signed in, if anyone.
    pub user: Option<SignedInUser>,
}

#[tauri::command]
#[specta::specta]
pub async fn session_status(state: State<'_, AppState>) -> Result<SessionStatus, ApiError> {
    state.after_restore().await;
    Ok(SessionStatus {
        user: state.workspace.current().ok().map(|s| s.signed_in_user()),
    })
}

#[tauri::command]
#[specta::specta]
pub async fn open_demo_workspace(state: State<'_, AppState>) -> Result<SignedInUser, ApiError> {
    state.after_restore().await;
    Ok(demo::open(&state.workspace, now_ms())
        .await?
        .signed_in_user())
}

#[tauri::command]
#[specta::specta]
pub async fn sign_out(state: State<'_, AppState>) -> Result<(), ApiError> {
    state.after_restore().await;
    if let Ok(scope) = state.workspace.current() {
        let _ = state.player.stop_for_user(scope.user_id()).await;
    }
    state.workspace.sign_out().await;
    Ok(())
}
