//! The native player: thin commands over `calldeck_core::player`. Each one needs the
//! signed-in session; none takes a user id.

use calldeck_core::player::{self, PlayerState, Waveform};
use calldeck_core::sync::play_from_twilio;
use calldeck_core::twilio::TwilioError;
use calldeck_core::ApiError;
use calldeck_core::Error;
use tauri::State;

use crate::events::LibraryChange;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn play_recording(
    state: State<'_, AppState>,
    recording_id: String,
) -> Result<PlayerState, ApiError> {
    let scope = state.workspace.current()?;
    match state.player.play(&scope, &recording_id).await {
        // Not on this computer: stream it from Twilio while it is cached, if connected.
        Err(Error::NotAvailableOffline) => {
            let client = match state.sync.connection(&scope).await?.client().await {
                Ok(client) => client,
                Err(Error::TwilioNotConnected) => return Err(Error::NotAvailableOffline.into()),
                Err(other) => return Err(other.into()),
            };
            let host = std::sync::Arc::clone(&state.host);
            let cached_id = recording_id.clone();
            // The streamed audio is kept: a file more on this computer.
            let on_cached =
                Box::new(move || host.library_changed(LibraryChange::counted(vec![cached_id])));
            play_from_twilio(&scope, &client, &state.player, &recording_id, on_cached)
                .await
                .map_err(|e| match e {
                    // No network: say what the user needs to know.
                    Error::Twilio(TwilioError::Network(_)) => Error::NotAvailableOffline,
                    other => other,
                })?;
        }
        other => other?,
    }
    // A play counts once per start (shown in the details), which no total holds.
    state.library_changed(LibraryChange::details(vec![recording_id]));
    Ok(state.player.state_for(&scope))
}

#[tauri::command]
#[specta::specta]
pub async fn player_state(state: State<'_, AppState>) -> Result<PlayerState, ApiError> {
    let scope = state.workspace.current()?;
    Ok(state.player.state_for(&scope))
}

#[tauri::command]
#[specta::specta]
pub async fn player_pause(state: State<'_, AppState>) -> Result<PlayerState, ApiError> {
    let scope = state.workspace.current()?;
    state.player.pause(&scope).await?;
    Ok(state.player.state_for(&scope))
}

#[tauri::command]
#[specta::specta]
pub async fn player_resume(state: State<'_, AppState>) -> Result<PlayerState, ApiError> {
    let scope = state.workspace.current()?;
    state.player.resume(&scope).await?;
    Ok(state.player.state_for(&scope))
}

#[tauri::command]
#[specta::specta]
pub async fn player_stop(state: State<'_, AppState>) -> Result<PlayerState, ApiError> {
    let scope = state.workspace.current()?;
    state.player.stop(&scope).await?;
    Ok(state.player.state_for(&scope))
}

#[tauri::command]
#[specta::specta]
pub async fn player_seek(
    state: State<'_, AppState>,
    position_ms: u32,
) -> Result<PlayerState, ApiError> {
    let scope = state.workspace.current()?;
    state.player.seek(&scope, position_ms).await?;
    Ok(state.player.state_for(&scope))
}

#[tauri::command]
#[specta::specta]
pub async fn player_skip(
    state: State<'_, AppState>,
    delta_ms: i32,
) -> Result<PlayerState, ApiError> {
    let scope = state.workspace.current()?;
    state.player.skip(&scope, i64::from(delta_ms)).await?;
    Ok(state.player.state_for(&scope))
}

#[tauri::command]
#[specta::specta]
pub async fn player_set_volume(
    state: State<'_, AppState>,
    volume: f32,
) -> Result<PlayerState, ApiError> {
    let scope = state.workspace.current()?;
    state.player.set_volume(&scope, volume).await?;
    Ok(state.player.state_for(&scope))
}

#[tauri::command]
#[specta::specta]
pub async fn player_set_speed(
    state: State<'_, AppState>,
    speed: f32,
) -> Result<PlayerState, ApiError> {
    let scope = state.workspace.current()?;
    state.player.set_speed(&scope, speed).await?;
    Ok(state.player.state_for(&scope))
}

#[tauri::command]
#[specta::specta]
pub async fn recording_waveform(
    state: State<'_, AppState>,
    recording_id: String,
    buckets: u32,
) -> Result<Waveform, ApiError> {
    let scope = state.workspace.current()?;
    Ok(player::waveform(&scope, &recording_id, buckets).await?)
}
