use std::path::PathBuf;
use std::sync::Arc;

use calldeck_core::Workspace;

use crate::host::Host;

/// What the shell manages: the workspace (which holds the signed-in session) and the host.
pub struct AppState {
    pub workspace: Workspace,
    pub host: Arc<dyn Host>,
    /// The native player's thread, behind a cheap handle.
    pub player: calldeck_core::player::PlayerHandle,
    /// Runs Twilio syncs, one at a time, now or in the background.
    pub sync: Arc<crate::sync_runner::SyncRunner>,
    /// Becomes true once the last session has been reopened (or found absent) at start.
    pub restored: tokio::sync::watch::Receiver<bool>,
}

impl AppState {
    /// Waits until start-up has reopened the last session, so nobody sees a sign-in screen
    /// for a user who is about to be signed in.
    pub async fn after_restore(&self) {
        let mut restored = self.restored.clone();
        let _ = restored.wait_for(|done| *done).await;
    }

    pub fn library_changed(&self, recordings: Vec<String>) {
        self.host.library_changed(recordings);
    }

    pub async fn save_path(&self, suggested_name: &str) -> Option<PathBuf> {
        self.host.save_path(suggested_name).await.ok().flatten()
    }

    pub async fn pick_folder(&self) -> Option<PathBuf> {
        self.host.pick_folder().await.ok().flatten()
    }
}
