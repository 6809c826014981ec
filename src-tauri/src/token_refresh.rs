//! Keeps the OpenID session alive while the app runs: the access token is refreshed before
//! it expires (which also tells whether the provider is reachable), and a grant that ended
//! (revoked, or its refresh token reused) sends the user back to the sign-in screen with
//! their local data kept.

use std::time::Duration;

use calldeck_core::now_ms;
use calldeck_core::session::Provider;
use tauri::Manager;
use tauri_specta::Event;

use crate::events::SessionChanged;
use crate::state::AppState;

const EVERY: Duration = Duration::from_secs(30);
/// While offline the provider is asked more often, so a session it ended meanwhile ends
/// soon after it answers again.
const EVERY_OFFLINE: Duration = Duration::from_secs(10);

pub async fn keep_fresh<R: tauri::Runtime>(app: tauri::AppHandle<R>) {
    let mut was_offline = None;
    loop {
        let offline = app.state::<AppState>().auth.is_offline();
        tokio::time::sleep(if offline { EVERY_OFFLINE } else { EVERY }).await;
        let state = app.state::<AppState>();
        let Ok(scope) = state.workspace.current() else {
            continue;
        };
        if scope.provider() != Provider::Oidc {
            continue;
        }
        if let Some(ended) = state.auth.confirm_session(now_ms()).await {
            state.set_notice(Some(calldeck_core::ApiError::from(ended).message));
            state.before_switch().await;
            state.workspace.sign_out().await;
            let _ = SessionChanged {}.emit(&app);
            was_offline = None;
            continue;
        }
        let offline = state.auth.is_offline();
        if was_offline != Some(offline) {
            if was_offline.is_some() {
                let _ = SessionChanged {}.emit(&app);
            }
            was_offline = Some(offline);
        }
    }
}
