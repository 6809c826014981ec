//! Runs the signed-in user's Twilio sync for the app: one at a time, cancellable, with
//! progress pushed to the UI as events, and optionally in the background on a timer.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::connection::{load_settings, new_recordings_notice, TwilioConnection};
use crate::secrets::CredentialStore;
use crate::sync::{self, ProgressFn, SyncOptions, SyncProgress, SyncResult, SyncTrigger};
use crate::twilio::ClientConfig;
use crate::{now_ms, Error, Result, UserScope};

pub struct SyncRunner {
    config: ClientConfig,
    progress: Arc<dyn Fn(SyncProgress) + Send + Sync>,
    finished: Arc<dyn Fn(&SyncResult) + Send + Sync>,
    current: Mutex<Option<CancellationToken>>,
    /// The signed-in user's credential store, by user id: opening one probes the keyring over
    /// D-Bus, which every Twilio command would otherwise repeat.
    store: Mutex<Option<(String, Arc<dyn CredentialStore>)>>,
}

impl SyncRunner {
    pub fn new(
        config: ClientConfig,
        progress: Arc<dyn Fn(SyncProgress) + Send + Sync>,
        finished: Arc<dyn Fn(&SyncResult) + Send + Sync>,
    ) -> Self {
        Self {
            config,
            progress,
            finished,
            current: Mutex::new(None),
            store: Mutex::new(None),
        }
    }

    pub async fn connection(&self, scope: &UserScope) -> Result<TwilioConnection> {
        let cached = self
            .store
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .filter(|(user, _)| user == scope.user_id())
            .map(|(_, store)| Arc::clone(store));
        if let Some(store) = cached {
            return Ok(TwilioConnection::with_store(store, self.config.clone()));
        }
        let store = crate::secrets::open_store(scope).await?;
        *self.store.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((scope.user_id().to_owned(), Arc::clone(&store)));
        Ok(TwilioConnection::with_store(store, self.config.clone()))
    }

    /// One sync now, with the user's download policy. A second one while this runs answers
    /// `sync_running`. `started_by` goes to the user's audit trail.
    pub async fn run(&self, scope: &UserScope, started_by: SyncTrigger) -> Result<SyncResult> {
        let client = self.connection(scope).await?.client().await?;
        let settings = load_settings(scope).await?;
        let options = SyncOptions {
            download: settings.download_policy,
            now_ms: now_ms(),
            started_by,
            ..SyncOptions::default()
        };
        let cancel = CancellationToken::new();
        self.swap(Some(cancel.clone()))?;
        let emit = Arc::clone(&self.progress);
        let progress: ProgressFn = Arc::new(move |p: &SyncProgress| emit(p.clone()));
        let result = sync::sync_recordings(scope, &client, &options, &cancel, Some(progress)).await;
        self.swap(None)?;
        if let Ok(done) = &result {
            (self.finished)(done);
        }
        result
    }

    pub fn cancel(&self) -> Result<()> {
        if let Some(token) = self.swap(None)? {
            token.cancel();
        }
        Ok(())
    }

    fn swap(&self, next: Option<CancellationToken>) -> Result<Option<CancellationToken>> {
        let mut current = self
            .current
            .lock()
            .map_err(|_| Error::Internal("sync lock poisoned".into()))?;
        Ok(std::mem::replace(&mut *current, next))
    }
}

/// Every minute, syncs the signed-in user if their background interval has passed, and
/// shows a desktop notification through `notify` when they asked for one and it found
/// something. Skips quietly when nobody is signed in, Twilio is not connected, or a sync runs.
pub async fn background_loop(
    runner: Arc<SyncRunner>,
    current: impl Fn() -> Option<UserScope>,
    notify: impl Fn(String, String),
) {
    let mut last_run_ms: i64 = 0;
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tick.tick().await;
        let Some(scope) = current() else { continue };
        let Ok(settings) = load_settings(&scope).await else {
            continue;
        };
        let Some(minutes) = settings.background_minutes else {
            continue;
        };
        if now_ms() - last_run_ms < i64::from(minutes) * 60_000 || sync::is_syncing(&scope) {
            continue;
        }
        last_run_ms = now_ms();
        match runner.run(&scope, SyncTrigger::Background).await {
            Ok(result) => {
                tracing::info!(
                    user_id = scope.user_id(),
                    new = result.new,
                    "background sync done"
                );
                if let Some((title, body)) = new_recordings_notice(&result, &settings) {
                    notify(title, body);
                }
            }
            Err(Error::TwilioNotConnected) => {}
            // Offline or Twilio unavailable: the next tick tries again; the UI shows the state.
            Err(error) => {
                tracing::info!(user_id = scope.user_id(), %error, "background sync skipped")
            }
        }
    }
}
