use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use calldeck_core::auth::Auth;
use calldeck_core::{SignedInUser, Workspace};
use serde::Serialize;

use crate::events::LibraryChange;
use crate::host::Host;

// What `session_status` answers. Built from the state, so it lives here and the command
// (commands/auth.rs) depends on the state, not the other way round. (A `//` comment: a doc
// comment would become part of the generated bindings.)
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SessionStatus {
    /// Who is signed in, if anyone.
    pub user: Option<SignedInUser>,
    /// The session was opened without reaching the sign-in service: sync and streaming wait.
    pub offline: bool,
    /// Whether Auth0 sign-in is set up (else the setup screen comes first).
    pub auth_configured: bool,
    /// Why the last session could not be reopened, for the sign-in screen.
    pub notice: Option<String>,
}

/// What the shell manages: the workspace (which holds the signed-in session) and the host.
pub struct AppState {
    pub data_dir: PathBuf,
    pub workspace: Workspace,
    /// The OpenID session: tokens, accounts on this device, offline state.
    pub auth: Auth,
    pub host: Arc<dyn Host>,
    /// The native player's thread, behind a cheap handle.
    pub player: calldeck_core::player::PlayerHandle,
    /// Runs Twilio syncs, one at a time, now or in the background.
    pub sync: Arc<calldeck_core::sync::SyncRunner>,
    /// Works the signed-in user's download queue in the background.
    pub queue: Arc<calldeck_core::sync::queue::DownloadQueue>,
    /// Becomes true once the last session has been reopened (or found absent) at start.
    pub restored: tokio::sync::watch::Receiver<bool>,
    /// Why the last session could not be reopened (shown once on the sign-in screen).
    pub notice: Mutex<Option<String>>,
    /// The signed-in person's preferences and the computer's (tauri-plugin-store).
    pub prefs: calldeck_core::prefs::Preferences,
    /// Transcriptions under way, cancellable.
    pub jobs: crate::jobs::Jobs,
}

impl AppState {
    /// Waits until start-up has reopened the last session, so nobody sees a sign-in screen
    /// for a user who is about to be signed in.
    pub async fn after_restore(&self) {
        let mut restored = self.restored.clone();
        let _ = restored.wait_for(|done| *done).await;
    }

    pub async fn session_status(&self) -> SessionStatus {
        let user = self.workspace.current().ok().map(|s| s.signed_in_user());
        SessionStatus {
            offline: user.is_some() && self.auth.is_offline(),
            user,
            auth_configured: self.auth.config().await.is_some(),
            notice: self
                .notice
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone(),
        }
    }

    pub fn set_notice(&self, notice: Option<String>) {
        *self.notice.lock().unwrap_or_else(|p| p.into_inner()) = notice;
    }

    pub fn clear_notice(&self) {
        self.set_notice(None);
    }

    /// Before another user (or nobody) takes over: playback is stopped and forgotten, the
    /// current user's sync and jobs stop. The workspace forgets playback once more just
    /// before the next user becomes current, for whatever was started meanwhile (a sign-in
    /// waits in the browser for minutes).
    pub async fn before_switch(&self) {
        let _ = self.player.forget().await;
        if self.workspace.current().is_ok() {
            // Waits for the sync and the downloads to end, so they end (and are audited) as
            // their owner's.
            self.sync.stop().await;
            self.queue.stop().await;
            self.jobs.cancel_all();
        }
    }

    /// Where the provider's logout returns the browser to.
    pub async fn signed_out_page(&self) -> String {
        let ports = self
            .auth
            .config()
            .await
            .map_or_else(|| calldeck_core::auth::DEFAULT_PORTS.to_vec(), |c| c.ports);
        calldeck_core::auth::signed_out_page(&ports)
            .await
            .unwrap_or_else(|| {
                format!(
                    "http://127.0.0.1:{}/signed-out",
                    ports.first().copied().unwrap_or(0)
                )
            })
    }

    /// Someone new is signed in: their download queue is looked at now.
    pub fn signed_in(&self) {
        self.queue.wake();
    }

    pub fn library_changed(&self, change: LibraryChange) {
        self.host.library_changed(change);
    }

    pub async fn save_path(&self, suggested_name: &str) -> Option<PathBuf> {
        self.host.save_path(suggested_name).await.ok().flatten()
    }

    pub async fn pick_folder(&self) -> Option<PathBuf> {
        self.host.pick_folder().await.ok().flatten()
    }
}
