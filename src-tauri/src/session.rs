//! Keeps the OpenID session alive while the app runs: the access token is refreshed before
//! it expires (which also tells whether the provider is reachable), and a grant that ended
//! (revoked, or its refresh token reused) sends the user back to the sign-in screen with
//! their local data kept.

use std::time::Duration;

use calldeck_core::session::Provider;
use calldeck_core::{now_ms, Error, ErrorCode};
use tauri::Manager;
use tauri_specta::Event;

use crate::events::SessionChanged;
use crate::state::AppState;

const EVERY: Duration = Duration::from_secs(30);

pub async fn keep_fresh<R: tauri::Runtime>(app: tauri::AppHandle<R>) {
    let mut was_offline = None;
    loop {
        tokio::time::sleep(EVERY).await;
        let state = app.state::<AppState>();
        let Ok(scope) = state.workspace.current() else {
            continue;
        };
        if scope.provider() != Provider::Oidc {
            continue;
        }
        let outcome = state.auth.access_token(now_ms()).await;
        if let Err(Error::Auth(e)) = &outcome {
            if e.code() == ErrorCode::SessionExpired {
                state.set_notice(Some(e.user_message()));
                state.before_switch().await;
                state.workspace.sign_out().await;
                let _ = SessionChanged {}.emit(&app);
                was_offline = None;
                continue;
            }
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
