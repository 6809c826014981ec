//! The sign-in commands: who is signed in, sign-in and sign-out, the sign-in settings and
//! the accounts of this computer. The session they open is held by the workspace (core).

use calldeck_core::auth::{AccountSummary, AuthSettings, ConfigSource, DEFAULT_PORTS};
use calldeck_core::{demo, now_ms, ApiError, SignedInUser};
use serde::Serialize;
use tauri::State;

use crate::state::{AppState, SessionStatus};

#[tauri::command]
#[specta::specta]
pub async fn session_status(state: State<'_, AppState>) -> Result<SessionStatus, ApiError> {
    crate::startup::mark("session_status_asked");
    state.after_restore().await;
    Ok(state.session_status().await)
}

#[tauri::command]
#[specta::specta]
pub async fn open_demo_workspace(state: State<'_, AppState>) -> Result<SignedInUser, ApiError> {
    state.after_restore().await;
    state.before_switch().await;
    let scope = demo::open(&state.workspace, now_ms()).await?;
    state.signed_in();
    Ok(scope.signed_in_user())
}

/// What the sign-in setup screen shows.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AuthSetup {
    pub settings: Option<AuthSettings>,
    /// Where the settings come from; anything but `setup` is read-only here.
    pub source: Option<ConfigSource>,
    /// The callback URLs to register in the Auth0 application.
    pub callback_urls: Vec<String>,
}

async fn auth_setup_of(state: &AppState) -> AuthSetup {
    let config = state.auth.config().await;
    let ports = config
        .as_ref()
        .map_or_else(|| DEFAULT_PORTS.to_vec(), |c| c.ports.clone());
    AuthSetup {
        callback_urls: ports
            .iter()
            .map(|p| format!("http://127.0.0.1:{p}/callback"))
            .collect(),
        source: config.as_ref().map(|c| c.source),
        settings: config.map(|c| c.settings),
    }
}

#[tauri::command]
#[specta::specta]
pub async fn auth_setup(state: State<'_, AppState>) -> Result<AuthSetup, ApiError> {
    Ok(auth_setup_of(&state).await)
}

#[tauri::command]
#[specta::specta]
pub async fn save_auth_setup(
    state: State<'_, AppState>,
    settings: AuthSettings,
) -> Result<AuthSetup, ApiError> {
    calldeck_core::auth::settings::save(&state.data_dir, settings).await?;
    Ok(auth_setup_of(&state).await)
}

/// The accounts on this device that these settings would not reopen (they signed in through
/// another issuer or client), by name, for the setup screen to list before saving.
#[tauri::command]
#[specta::specta]
pub async fn accounts_needing_sign_in(
    state: State<'_, AppState>,
    settings: AuthSettings,
) -> Result<Vec<String>, ApiError> {
    Ok(calldeck_core::auth::settings::accounts_needing_sign_in(&state.data_dir, &settings).await)
}

/// Signs in through the system browser; answers when the browser comes back (or times out).
#[tauri::command]
#[specta::specta]
pub async fn sign_in(state: State<'_, AppState>) -> Result<SignedInUser, ApiError> {
    state.after_restore().await;
    let host = state.host.clone();
    state.before_switch().await;
    let scope = state
        .auth
        .sign_in(
            &state.workspace,
            |url| host.open_browser(url),
            None,
            now_ms(),
        )
        .await?;
    state.clear_notice();
    state.signed_in();
    Ok(scope.signed_in_user())
}

#[tauri::command]
#[specta::specta]
pub async fn cancel_sign_in(state: State<'_, AppState>) -> Result<(), ApiError> {
    state.auth.cancel_sign_in();
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub async fn list_accounts(state: State<'_, AppState>) -> Result<Vec<AccountSummary>, ApiError> {
    state.after_restore().await;
    Ok(state.auth.accounts(&state.workspace).await)
}

/// Switches to an account that signed in on this device before. Without a kept session
/// (it signed out, or its grant ended) this answers `session_expired`: sign in again.
#[tauri::command]
#[specta::specta]
pub async fn switch_account(
    state: State<'_, AppState>,
    key: String,
) -> Result<SignedInUser, ApiError> {
    state.after_restore().await;
    state.before_switch().await;
    let scope = state
        .auth
        .switch_to(&state.workspace, &key, now_ms())
        .await?;
    state.signed_in();
    Ok(scope.signed_in_user())
}

/// Signs out: tokens cleared, playback and sync stopped, the provider's logout page opened.
/// `remove_data` also deletes this user's library, audio and credentials from this device.
#[tauri::command]
#[specta::specta]
pub async fn sign_out(state: State<'_, AppState>, remove_data: bool) -> Result<(), ApiError> {
    state.after_restore().await;
    state.before_switch().await;
    let logout = state
        .auth
        .sign_out(
            &state.workspace,
            remove_data,
            Some(&state.signed_out_page().await),
        )
        .await?;
    if let Some(url) = logout {
        // Local sign-out is done whatever the browser does.
        let _ = state.host.open_browser(url.as_str());
    }
    Ok(())
}
