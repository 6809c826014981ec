use calldeck_core::connection::{
    save_settings, SyncSettings, TwilioCredentialsInput, TwilioStatus,
};
use calldeck_core::sync::{download_recording, SyncResult, SyncTrigger};
use calldeck_core::{now_ms, ApiError};
use tauri::State;

use crate::events::LibraryChange;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn twilio_status(state: State<'_, AppState>) -> Result<TwilioStatus, ApiError> {
    let scope = state.workspace.current()?;
    Ok(state.sync.connection(&scope).await?.status(&scope).await?)
}

/// Checks the credentials with Twilio, then keeps them in the credential store.
#[tauri::command]
#[specta::specta]
pub async fn connect_twilio(
    state: State<'_, AppState>,
    credentials: TwilioCredentialsInput,
) -> Result<TwilioStatus, ApiError> {
    let scope = state.workspace.current()?;
    Ok(state
        .sync
        .connection(&scope)
        .await?
        .connect(&scope, credentials)
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn disconnect_twilio(state: State<'_, AppState>) -> Result<(), ApiError> {
    let scope = state.workspace.current()?;
    Ok(state
        .sync
        .connection(&scope)
        .await?
        .disconnect(&scope)
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn save_sync_settings(
    state: State<'_, AppState>,
    settings: SyncSettings,
) -> Result<TwilioStatus, ApiError> {
    let scope = state.workspace.current()?;
    save_settings(&scope, &settings, now_ms()).await?;
    state
        .queue
        .follow_policy(&scope, settings.download_policy)
        .await?;
    Ok(state.sync.connection(&scope).await?.status(&scope).await?)
}

/// Syncs now; progress arrives as `syncProgressed` events.
#[tauri::command]
#[specta::specta]
pub async fn sync_now(state: State<'_, AppState>) -> Result<SyncResult, ApiError> {
    let scope = state.workspace.current()?;
    let result = state.sync.run(&scope, SyncTrigger::Manual).await;
    // What the sync left queued (retries, a paused queue resumed) goes on in the background.
    state.queue.wake();
    Ok(result?)
}

#[tauri::command]
#[specta::specta]
pub async fn cancel_sync(state: State<'_, AppState>) -> Result<(), ApiError> {
    state.sync.cancel();
    Ok(())
}

/// Downloads one recording's audio now, whatever the download policy.
#[tauri::command]
#[specta::specta]
pub async fn download_now(state: State<'_, AppState>, id: String) -> Result<(), ApiError> {
    let scope = state.workspace.current()?;
    let client = state.sync.connection(&scope).await?.client().await?;
    download_recording(&scope, &client, &id).await?;
    state.library_changed(LibraryChange::counted(vec![id]));
    Ok(())
}
