//! The download queue: what the download policy wants on this computer, kept in the library
//! (`download_queue`) so that it survives a restart. A sync enqueues after its listing and
//! works what is due; the app's background worker (`background.rs`) works the rest, waits
//! out the retries, and starts again after a restart. Failures are retried with exponential
//! backoff and jitter, a few times, then shown as failed until the user retries them. Pause
//! is kept per user. Every query filters on the scope's user: another user's queue is not
//! there.

mod background;
mod store;
mod worker;

use std::time::Duration;

use serde::Serialize;
use tokio_util::sync::CancellationToken;

pub use background::{DownloadQueue, QueueEvents};

use super::problems::Problems;
use super::{SyncOptions, SyncPhase, SyncProgress, SyncResult};
use crate::error::Result;
use crate::session::UserScope;
use crate::twilio::TwilioClient;

/// What the UI shows near the sync status: "Downloading `done` of `done + waiting`".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct QueueStatus {
    /// Queued and not failed (including those being downloaded now).
    pub waiting: u32,
    /// Given up after the last attempt; "Retry failed" queues them again.
    pub failed: u32,
    /// Downloaded since the queue was last empty.
    pub done: u32,
    /// Being downloaded right now.
    pub running: u32,
    pub paused: bool,
}

/// How the queue is worked.
#[derive(Debug, Clone)]
pub struct QueueOptions {
    /// Downloads at a time, at most; never more than the client's budget allows.
    pub concurrency: usize,
    /// Attempts before an item is failed for good.
    pub max_attempts: u32,
    /// The wait after the first failure; doubled after each next one, up to `backoff_max`.
    pub backoff_base: Duration,
    pub backoff_max: Duration,
}

impl Default for QueueOptions {
    fn default() -> Self {
        Self {
            concurrency: super::MAX_CONCURRENCY,
            max_attempts: 5,
            backoff_base: Duration::from_secs(10),
            backoff_max: Duration::from_secs(300),
        }
    }
}

/// What one pass over the queue did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueTally {
    pub done: u64,
    /// Attempts that failed in this pass (each item is tried once per pass).
    pub failed: u64,
    /// Of those, the items now failed for good.
    pub gave_up: u64,
    pub cancelled: bool,
    /// One line per failure (at most 50), for a person.
    pub errors: Vec<String>,
}

/// The user's queue now.
pub async fn queue_status(scope: &UserScope) -> Result<QueueStatus> {
    store::status(scope, worker::running(scope)).await
}

/// Pauses (no new download starts; those under way finish) or resumes the user's queue.
/// Kept across restarts.
pub async fn set_paused(scope: &UserScope, paused: bool) -> Result<QueueStatus> {
    store::set_paused(scope, paused).await?;
    queue_status(scope).await
}

/// Queues the failed items again, with fresh attempts.
pub async fn retry_failed(scope: &UserScope) -> Result<QueueStatus> {
    store::retry_failed(scope).await?;
    queue_status(scope).await
}

/// Makes the queue what `policy` wants (see `store::enqueue_by_policy`). Returns how many
/// were added.
pub async fn enqueue_by_policy(
    scope: &UserScope,
    policy: super::DownloadPolicy,
    now_ms: i64,
) -> Result<u64> {
    store::enqueue_by_policy(scope, policy, now_ms, crate::now_ms()).await
}

/// Works the user's due items once: each is tried at most once; failures wait for their
/// next attempt. Returns when nothing due is left, the queue is paused, or `cancel` fires.
pub async fn work_queue(
    scope: &UserScope,
    client: &TwilioClient,
    options: &QueueOptions,
    cancel: &CancellationToken,
    on_item: impl FnMut(&QueueTally),
) -> Result<QueueTally> {
    store::drop_settled(scope).await?;
    worker::work_due(scope, client, options, cancel, on_item).await
}

/// The end of a sync run: the policy's recordings are enqueued, then what is due is worked,
/// with the run's progress. The run's counts say what this run downloaded and what failed.
pub(super) async fn after_listing(
    scope: &UserScope,
    client: &TwilioClient,
    options: &SyncOptions,
    cancel: &CancellationToken,
    prog: &mut SyncProgress,
    report: &impl Fn(&SyncProgress),
) -> Result<QueueTally> {
    enqueue_by_policy(scope, options.download, options.now_ms).await?;
    let status = queue_status(scope).await?;
    if status.paused || status.waiting == 0 {
        return Ok(QueueTally::default());
    }
    prog.phase = SyncPhase::Downloads;
    prog.downloads_total = status.waiting;
    report(prog);
    let queue = QueueOptions {
        concurrency: options.download_concurrency,
        ..QueueOptions::default()
    };
    work_queue(scope, client, &queue, cancel, |t| {
        prog.downloads_done = u32::try_from(t.done + t.failed).unwrap_or(u32::MAX);
        report(prog);
    })
    .await
}

impl QueueTally {
    /// Adds this run's downloads to a sync's result and problems.
    pub(super) fn apply(self, result: &mut SyncResult, problems: &mut Problems) {
        result.downloaded = u32::try_from(self.done).unwrap_or(u32::MAX);
        result.download_failed = u32::try_from(self.failed).unwrap_or(u32::MAX);
        result.failed = result.failed.saturating_add(result.download_failed);
        result.cancelled |= self.cancelled;
        for e in self.errors {
            problems.line(e);
        }
    }
}
