//! The shell's few lines around the core's sync runner (`calldeck_core::sync::SyncRunner`):
//! its events go to the window, and its background schedule runs on the app's runtime with
//! its notices shown on the desktop.

use std::sync::Arc;

use calldeck_core::sync::queue::{DownloadQueue, QueueEvents, QueueStatus};
use calldeck_core::sync::{
    run_background, Check, SyncEvents, SyncProgress, SyncResult, SyncRunner, Tick,
};
use tauri::{AppHandle, Manager, Runtime};
use tauri_specta::Event;

use crate::events::{DownloadQueueChanged, LibraryChange, SyncProgressed};
use crate::host::Host;
use crate::state::AppState;

/// The runner's events, forwarded to the window. The core sends only those of the user who
/// is signed in, so the owner needs no second look here.
pub struct ToWindow<R: Runtime> {
    pub app: AppHandle<R>,
    pub host: Arc<dyn Host>,
}

impl<R: Runtime> SyncEvents for ToWindow<R> {
    fn progress(&self, _owner: &str, progress: &SyncProgress) {
        let progress = progress.clone();
        if let Err(error) = (SyncProgressed { progress }).emit(&self.app) {
            tracing::debug!(%error, "could not emit sync progress");
        }
    }

    fn finished(&self, _owner: &str, _result: &SyncResult) {
        self.host.library_changed(LibraryChange::Everything);
    }
}

impl<R: Runtime> QueueEvents for ToWindow<R> {
    fn changed(&self, _owner: &str, status: &QueueStatus) {
        if let Err(error) = (DownloadQueueChanged { status: *status }).emit(&self.app) {
            tracing::debug!(%error, "could not emit download queue status");
        }
    }

    fn worked(&self, owner: &str, status: &QueueStatus) {
        self.changed(owner, status);
        self.host.library_changed(LibraryChange::Everything);
    }
}

/// Starts the background schedule and the download queue's worker: for whoever is signed
/// in, while the sign-in service is reachable (an offline start waits for the network).
pub fn start_background<R: Runtime>(
    app: &AppHandle<R>,
    runner: Arc<SyncRunner>,
    queue: Arc<DownloadQueue>,
) {
    let (who, online, notifier) = (app.clone(), app.clone(), app.clone());
    tauri::async_runtime::spawn(run_background(
        Arc::clone(&runner),
        move || who.state::<AppState>().workspace.current().ok(),
        move || !online.state::<AppState>().auth.is_offline(),
        move |check| checked(&notifier, check),
    ));
    let (who, online) = (app.clone(), app.clone());
    tauri::async_runtime::spawn(queue.run(
        runner,
        move || who.state::<AppState>().workspace.current().ok(),
        move || !online.state::<AppState>().auth.is_offline(),
    ));
}

fn checked<R: Runtime>(app: &AppHandle<R>, check: Check) {
    let user = check.user.as_deref().unwrap_or_default();
    match check.tick {
        Tick::Ran { result, notice } => {
            tracing::info!(user_id = user, new = result.new, "background sync done");
            // What the sync left queued (retries, a paused queue resumed) goes on here.
            app.state::<AppState>().queue.wake();
            if let Some((title, body)) = notice {
                use tauri_plugin_notification::NotificationExt;
                // No notification service (a headless session): the library event still arrives.
                if let Err(error) = app.notification().builder().title(title).body(body).show() {
                    tracing::info!(%error, "could not show a desktop notification");
                }
            }
        }
        // Offline or Twilio unavailable: the next check tries again; the UI shows the state.
        Tick::Failed(error) => tracing::info!(user_id = user, %error, "background sync skipped"),
        _ => {}
    }
}
