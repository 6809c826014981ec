//! The app's one owner of the sync's life. It holds the running sync (at most one, whoever
//! started it: the sync button or the background schedule) with its cancel token, so that a
//! second request is refused without touching the first, and Cancel, sign-out and a switch
//! of user always reach the sync that runs. Its progress goes out with its owner (the user
//! whose sync it is) and stops as soon as it is cancelled or its owner's session ends.
//!
//! The per-library guard in `sync_recordings` stays underneath: the runner takes its slot
//! before that guard and gives it back after, so the two never disagree.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::Notify;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::connection::{load_settings, TwilioConnection};
use crate::secrets::CredentialStore;
use crate::sync::{self, ProgressFn, SyncOptions, SyncProgress, SyncResult, SyncTrigger};
use crate::twilio::ClientConfig;
use crate::{now_ms, Error, Result, UserScope};

/// Where the runner's news goes (the shell forwards it to the window). `owner` is the
/// account key of the user whose sync it is.
pub trait SyncEvents: Send + Sync {
    /// How far the owner's sync has got. Never sent once the run was cancelled or the
    /// owner's session ended.
    fn progress(&self, owner: &str, progress: &SyncProgress);
    /// The owner's run ended with this result while they were still signed in.
    fn finished(&self, owner: &str, result: &SyncResult);
}

/// The sync that runs.
struct Flight {
    id: u64,
    cancel: CancellationToken,
}

#[derive(Default)]
struct Slot {
    flight: Option<Flight>,
    last_id: u64,
    /// When each user's last sync started (any trigger), for the background schedule.
    started: HashMap<String, Instant>,
}

pub struct SyncRunner {
    config: ClientConfig,
    events: Arc<dyn SyncEvents>,
    slot: Mutex<Slot>,
    /// Woken whenever a flight lands.
    landed: Notify,
    /// The signed-in user's credential store, by user id: opening one probes the keyring over
    /// D-Bus, which every Twilio command would otherwise repeat.
    store: Mutex<Option<(String, Arc<dyn CredentialStore>)>>,
}

/// Frees the slot when the run ends, however it ends.
struct Boarding<'a> {
    runner: &'a SyncRunner,
    id: u64,
}

impl Drop for Boarding<'_> {
    fn drop(&mut self) {
        let mut slot = self.runner.lock();
        if slot.flight.as_ref().is_some_and(|f| f.id == self.id) {
            slot.flight = None;
        }
        drop(slot);
        self.runner.landed.notify_waiters();
    }
}

impl SyncRunner {
    pub fn new(config: ClientConfig, events: Arc<dyn SyncEvents>) -> Self {
        Self {
            config,
            events,
            slot: Mutex::new(Slot::default()),
            landed: Notify::new(),
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
        let store = match cached {
            Some(store) => store,
            None => {
                let store = crate::secrets::open_store(scope).await?;
                *self.store.lock().unwrap_or_else(|p| p.into_inner()) =
                    Some((scope.user_id().to_owned(), Arc::clone(&store)));
                store
            }
        };
        // The user's settings (their Twilio concurrency) go into every client made from it.
        TwilioConnection::with_store(store, self.config.clone())
            .with_settings_of(scope)
            .await
    }

    /// One sync of the user now, with their download policy. While another runs this answers
    /// `sync_running` and leaves that one as it was. A run whose owner's session ends before
    /// it does (a switch, a sign-out) stops and answers `cancelled`, with none of its counts.
    pub async fn run(&self, scope: &UserScope, started_by: SyncTrigger) -> Result<SyncResult> {
        self.run_at(scope, started_by, Instant::now()).await
    }

    /// `run`, counted as started `at` (the schedule's own instant for its checks, so that
    /// its syncs keep their interval exactly).
    pub(super) async fn run_at(
        &self,
        scope: &UserScope,
        started_by: SyncTrigger,
        at: Instant,
    ) -> Result<SyncResult> {
        if ended(scope) {
            return Err(Error::NotSignedIn);
        }
        let cancel = CancellationToken::new();
        let boarding = self.board(scope, &cancel, at).await?;
        let result = self.fly(scope, started_by, &cancel).await;
        let result = if ended(scope) {
            Err(Error::Cancelled)
        } else {
            if let Ok(done) = &result {
                self.events.finished(scope.user_id(), done);
            }
            result
        };
        drop(boarding);
        result
    }

    /// Stops the running sync (the Cancel button); it answers with what it did so far.
    pub fn cancel(&self) {
        if let Some(flight) = &self.lock().flight {
            flight.cancel.cancel();
        }
    }

    /// Stops the running sync and waits until it has ended: before another user (or nobody)
    /// is signed in, so the run ends, and is audited, as its owner's.
    pub async fn stop(&self) {
        loop {
            let landed = self.landed.notified();
            tokio::pin!(landed);
            landed.as_mut().enable();
            match &self.lock().flight {
                None => return,
                Some(flight) => flight.cancel.cancel(),
            }
            landed.await;
        }
    }

    /// Whether a sync runs now.
    pub fn is_running(&self) -> bool {
        self.lock().flight.is_some()
    }

    /// When the user's last sync started, by the button or the schedule, since the app began.
    pub fn last_started(&self, user_id: &str) -> Option<Instant> {
        self.lock().started.get(user_id).copied()
    }

    /// Takes the slot, or answers `sync_running` if a sync runs. One already cancelled is
    /// only winding down (a page being committed): that one is waited for.
    async fn board(
        &self,
        scope: &UserScope,
        cancel: &CancellationToken,
        at: Instant,
    ) -> Result<Boarding<'_>> {
        loop {
            let landed = self.landed.notified();
            tokio::pin!(landed);
            landed.as_mut().enable();
            {
                let mut slot = self.lock();
                match &slot.flight {
                    Some(flight) if !flight.cancel.is_cancelled() => {
                        return Err(Error::SyncInProgress)
                    }
                    Some(_) => {}
                    None => {
                        slot.last_id += 1;
                        let id = slot.last_id;
                        slot.flight = Some(Flight {
                            id,
                            cancel: cancel.clone(),
                        });
                        slot.started.insert(scope.user_id().to_owned(), at);
                        return Ok(Boarding { runner: self, id });
                    }
                }
            }
            landed.await;
        }
    }

    async fn fly(
        &self,
        scope: &UserScope,
        started_by: SyncTrigger,
        cancel: &CancellationToken,
    ) -> Result<SyncResult> {
        let client = self.connection(scope).await?.client().await?;
        let settings = load_settings(scope).await?;
        let options = SyncOptions {
            download: settings.download_policy,
            now_ms: now_ms(),
            started_by,
            ..SyncOptions::default()
        };
        let run = sync::sync_recordings(
            scope,
            &client,
            &options,
            cancel,
            Some(self.progress(scope, cancel)),
        );
        tokio::pin!(run);
        // Whoever signs in next, or a sign-out, closes the owner's database: the sync
        // stops then, even if nobody asked it to first.
        tokio::select! {
            result = &mut run => result,
            () = scope.pool().close_event() => {
                cancel.cancel();
                run.await
            }
        }
    }

    /// The run's progress, sent with its owner while the run is neither cancelled nor ended.
    fn progress(&self, scope: &UserScope, cancel: &CancellationToken) -> ProgressFn {
        let events = Arc::clone(&self.events);
        let (owner, cancel) = (scope.clone(), cancel.clone());
        Arc::new(move |p: &SyncProgress| {
            if !cancel.is_cancelled() && !ended(&owner) {
                events.progress(owner.user_id(), p);
            }
        })
    }

    fn lock(&self) -> MutexGuard<'_, Slot> {
        self.slot.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The scope's session is over: the workspace closes a user's database when another user
/// (or nobody) takes their place.
fn ended(scope: &UserScope) -> bool {
    scope.pool().is_closed()
}
