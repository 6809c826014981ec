//! The app's background download worker: for whoever is signed in and online, it works
//! their queue whenever something is due and the queue is not paused — after a restart,
//! after a sign-in, after a sync, on Resume and on Retry failed — and sleeps until the next
//! retry is due. A switch of user or a sign-out stops it (their database closes); `stop`
//! waits until it has. Its news goes out with its owner, like the sync runner's.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::{queue_status, retry_failed, set_paused, work_queue, QueueOptions, QueueStatus};
use crate::audit::{self, Operation, Outcome};
use crate::error::{Error, Result};
use crate::session::UserScope;
use crate::sync::SyncRunner;

/// Where the queue's news goes (the shell forwards it to the window). `owner` is the
/// account key of the user whose queue it is.
pub trait QueueEvents: Send + Sync {
    /// The counts moved (an item done or failed, a pause, a retry).
    fn changed(&self, owner: &str, status: &QueueStatus);
    /// A pass that downloaded or failed something ended: the library shows new audio.
    fn worked(&self, owner: &str, status: &QueueStatus);
}

/// How long the worker sleeps when nothing tells it to look again sooner.
const IDLE_LOOK: Duration = Duration::from_secs(60);
/// The least time between two progress events of one pass.
const TELL_EVERY: Duration = Duration::from_millis(100);

pub struct DownloadQueue {
    events: Arc<dyn QueueEvents>,
    options: QueueOptions,
    wake: Notify,
    /// The pass under way, to stop it.
    current: Mutex<Option<CancellationToken>>,
    landed: Notify,
    /// Stopped (a switch of user is under way): no pass starts until the next `wake`.
    held: AtomicBool,
}

impl DownloadQueue {
    pub fn new(events: Arc<dyn QueueEvents>, options: QueueOptions) -> Self {
        Self {
            events,
            options,
            wake: Notify::new(),
            current: Mutex::new(None),
            landed: Notify::new(),
            held: AtomicBool::new(false),
        }
    }

    /// Look at the queue now (a sign-in, a sync's end, a resume); undoes a `stop`.
    pub fn wake(&self) {
        self.held.store(false, Ordering::SeqCst);
        self.wake.notify_one();
    }

    /// Stops the pass under way and waits until it has ended: before another user (or
    /// nobody) is signed in. No pass starts again until the next `wake`.
    pub async fn stop(&self) {
        self.held.store(true, Ordering::SeqCst);
        loop {
            let landed = self.landed.notified();
            tokio::pin!(landed);
            landed.as_mut().enable();
            match &*self.lock() {
                None => return,
                Some(cancel) => cancel.cancel(),
            }
            landed.await;
        }
    }

    pub async fn status(&self, scope: &UserScope) -> Result<QueueStatus> {
        queue_status(scope).await
    }

    /// Pause or resume; a resume wakes the worker.
    pub async fn set_paused(&self, scope: &UserScope, paused: bool) -> Result<QueueStatus> {
        let status = set_paused(scope, paused).await?;
        self.events.changed(scope.user_id(), &status);
        if !paused {
            self.wake();
        }
        Ok(status)
    }

    /// The download policy was changed in the settings: the queue follows it now (what it
    /// no longer wants stops being downloaded), not at the next sync.
    pub async fn follow_policy(
        &self,
        scope: &UserScope,
        policy: crate::sync::DownloadPolicy,
    ) -> Result<QueueStatus> {
        super::enqueue_by_policy(scope, policy, crate::now_ms()).await?;
        let status = queue_status(scope).await?;
        self.events.changed(scope.user_id(), &status);
        self.wake();
        Ok(status)
    }

    pub async fn retry_failed(&self, scope: &UserScope) -> Result<QueueStatus> {
        let status = retry_failed(scope).await?;
        self.events.changed(scope.user_id(), &status);
        self.wake();
        Ok(status)
    }

    /// Runs for as long as the app runs. `current` says who is signed in, `online` whether
    /// the network is there; `runner` gives the user's Twilio client.
    pub async fn run(
        self: Arc<Self>,
        runner: Arc<SyncRunner>,
        current: impl Fn() -> Option<UserScope>,
        online: impl Fn() -> bool,
    ) {
        loop {
            let woken = self.wake.notified();
            tokio::pin!(woken);
            woken.as_mut().enable();
            let held = self.held.load(Ordering::SeqCst);
            let pause = match current() {
                Some(scope) if online() && !held => match self.pass(&runner, &scope).await {
                    Ok(wait) => wait,
                    Err(error) => {
                        tracing::info!(user_id = scope.user_id(), %error, "download queue waits");
                        IDLE_LOOK
                    }
                },
                _ => IDLE_LOOK,
            };
            tokio::select! {
                () = &mut woken => {}
                () = tokio::time::sleep(pause) => {}
            }
        }
    }

    /// One look: works what is due, then says how long to sleep (until the next retry).
    async fn pass(&self, runner: &SyncRunner, scope: &UserScope) -> Result<Duration> {
        let status = queue_status(scope).await?;
        if status.paused || status.waiting == 0 {
            return Ok(IDLE_LOOK);
        }
        let client = match runner.connection(scope).await?.client().await {
            Ok(client) => client,
            Err(Error::TwilioNotConnected) => return Ok(IDLE_LOOK),
            Err(error) => return Err(error),
        };
        let cancel = CancellationToken::new();
        {
            let mut current = self.lock();
            // A stop that came while this pass was getting ready wins.
            if self.held.load(Ordering::SeqCst) {
                return Ok(IDLE_LOOK);
            }
            *current = Some(cancel.clone());
        }
        // The counts as the pass moves them, without a query per item, and at most ten
        // times a second (hundreds of small files a second would flood the window); the
        // pass's end tells the final counts.
        let owner = scope.clone();
        let events = Arc::clone(&self.events);
        let tell = {
            let cancel = cancel.clone();
            let mut last: Option<std::time::Instant> = None;
            move |t: &super::QueueTally| {
                if cancel.is_cancelled() || owner.pool().is_closed() {
                    return;
                }
                if last.is_some_and(|at| at.elapsed() < TELL_EVERY) {
                    return;
                }
                last = Some(std::time::Instant::now());
                let n = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
                let now = QueueStatus {
                    waiting: status.waiting.saturating_sub(n(t.done + t.gave_up)),
                    failed: status.failed.saturating_add(n(t.gave_up)),
                    done: status.done.saturating_add(n(t.done)),
                    running: super::worker::running(&owner),
                    paused: status.paused,
                };
                events.changed(owner.user_id(), &now);
            }
        };
        let work = work_queue(scope, &client, &self.options, &cancel, tell);
        tokio::pin!(work);
        let result = tokio::select! {
            r = &mut work => r,
            () = scope.pool().close_event() => {
                cancel.cancel();
                work.await
            }
        };
        // Audited before a waiting `stop` hears the pass ended, so it ends as its owner's.
        let worked = result.as_ref().is_ok_and(|t| t.done + t.failed > 0);
        if let (true, Ok(tally)) = (worked, &result) {
            let outcome = if tally.cancelled {
                Outcome::Cancelled
            } else {
                Outcome::Ok
            };
            let detail = format!("queue: {} downloaded, {} failed", tally.done, tally.failed);
            audit::record(
                scope,
                Operation::Download,
                &[],
                outcome,
                Some(&detail),
                crate::now_ms(),
            )
            .await;
        }
        *self.lock() = None;
        self.landed.notify_waiters();
        result?;
        if scope.pool().is_closed() {
            return Ok(IDLE_LOOK);
        }
        let status = super::store::status(scope, 0).await?;
        let next_due = super::store::next_attempt_at(scope).await?;
        if worked {
            self.events.worked(scope.user_id(), &status);
        } else {
            self.events.changed(scope.user_id(), &status);
        }
        if status.paused || status.waiting == 0 {
            return Ok(IDLE_LOOK);
        }
        let wait = next_due.map_or(IDLE_LOOK, |at| {
            Duration::from_millis(u64::try_from(at - crate::now_ms()).unwrap_or(0))
        });
        Ok(wait.min(IDLE_LOOK))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<CancellationToken>> {
        self.current.lock().unwrap_or_else(|p| p.into_inner())
    }
}
