//! Twilio -> library reconciliation, then downloads by policy. One sync at a time per user;
//! cancellable; progress through a callback.
//!
//! Why it lists the way it does. Twilio answers a list page in a fraction of a second to
//! seconds and its paging is strictly sequential (each page names the next), so a first
//! sync of a large account listed page after page spends its life waiting. The only way to
//! ask for several pages at once is to split the time range with the date filters Twilio
//! documents, so a run lists windows of days side by side (`windows`), at most as many
//! requests in flight as the account allows. Twilio's date filters are whole UTC days with
//! an upper bound read two ways, so each window asks for a superset of its days and keeps
//! what falls inside by its true time: every recording belongs to exactly one window, and
//! none is missed or stored twice at an edge. How large a window should be cannot be known
//! before it is listed (quiet months, then a day of thousands), so a window splits itself
//! at the first page that shows it is large, without fetching that page again.
//!
//! Why nothing holds the listing. A million recordings and their calls do not fit in a
//! desktop app's memory budget, and recordings and calls arrive from different windows in
//! any order. So every page is stored as it arrives, by one writer, in one transaction
//! with its window's resume point; the calls wait in a per-user table for the run, and
//! whichever of a call and its recording is stored second completes the join in SQL. A
//! killed run resumes every unfinished window from the page after its last stored one.
mod downloads;
mod listing;
mod pages;
mod pending;
mod problems;
pub mod queue;
mod recordings_upsert;
mod remote_delete;
mod runner;
mod schedule;
pub mod state;
mod stream;
mod trigger;
mod upsert;
mod windows;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::NaiveDate;
use serde::Serialize;
use tokio_util::sync::CancellationToken;

pub use downloads::{
    download_recording, media_file_name, recover_media, DownloadPolicy, DEFAULT_CONCURRENCY,
    MAX_CONCURRENCY,
};
pub use pages::CallNotFound;
pub use remote_delete::delete_here_and_at_twilio;
pub use runner::{SyncEvents, SyncRunner};
pub use schedule::{run_background, Check, Tick, CHECK_EVERY};
pub use state::SyncState;
pub use stream::play_from_twilio;
pub use trigger::SyncTrigger;

use crate::error::{Error, Result};
use crate::session::UserScope;
use crate::twilio::{TwilioClient, TwilioError, MAX_PAGE_SIZE};
use problems::Problems;

/// At most this many error lines in a result (and recordings in `calls_not_found`).
pub(crate) const MAX_ERRORS: usize = 50;

#[derive(Debug, Clone)]
pub struct SyncOptions {
    pub download: DownloadPolicy,
    /// Downloads at a time, at most (the client's budget may allow fewer).
    pub download_concurrency: usize,
    /// Days before the last synced day that an incremental run lists again.
    pub overlap_days: u32,
    pub page_size: u32,
    /// "Now", for the download policy's "last N days" and the rows' update times.
    pub now_ms: i64,
    /// Who started the run, for the audit trail.
    pub started_by: SyncTrigger,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            download: DownloadPolicy::None,
            download_concurrency: MAX_CONCURRENCY,
            overlap_days: 1,
            page_size: MAX_PAGE_SIZE,
            now_ms: crate::now_ms(),
            started_by: SyncTrigger::Manual,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum SyncPhase {
    Calls,
    Recordings,
    Downloads,
    Done,
}

/// What the progress bar shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncProgress {
    pub phase: SyncPhase,
    pub call_pages: u32,
    pub pages: u32,
    pub recordings: u32,
    pub downloads_done: u32,
    pub downloads_total: u32,
}

pub type ProgressFn = Arc<dyn Fn(&SyncProgress) + Send + Sync>;

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncResult {
    /// Recordings received from Twilio and stored or confirmed.
    pub synced: u32,
    pub new: u32,
    pub updated: u32,
    pub unchanged: u32,
    /// Deleted here, so not brought back.
    pub skipped_deleted: u32,
    /// Received but unusable (no valid SID or date, or beyond the page size), plus
    /// failed downloads.
    pub failed: u32,
    pub downloaded: u32,
    pub download_failed: u32,
    /// Recordings whose call was not in the calls listed for the same window.
    pub without_call: u32,
    /// The first of those (at most 50), for the person to open.
    pub calls_not_found: Vec<CallNotFound>,
    pub pages: u32,
    pub cancelled: bool,
    /// What went wrong or looked odd, in sentences a person can act on: counts first, then
    /// one line per recording (at most 50 of those).
    pub errors: Vec<String>,
}

fn running() -> &'static Mutex<HashSet<PathBuf>> {
    static RUNNING: OnceLock<Mutex<HashSet<PathBuf>>> = OnceLock::new();
    RUNNING.get_or_init(Default::default)
}

/// Held while a user's sync runs; a second one is refused. This guards the library whoever
/// calls; the app's syncs go through `SyncRunner`, whose slot is taken before this and given
/// back after it, so the runner never sees a sync here that it does not own.
struct SingleFlight(PathBuf);

impl SingleFlight {
    fn acquire(scope: &UserScope) -> Result<Self> {
        let key = scope.paths().database();
        let mut set = running()
            .lock()
            .map_err(|_| Error::Internal("sync lock poisoned".into()))?;
        if !set.insert(key.clone()) {
            return Err(Error::SyncInProgress);
        }
        Ok(Self(key))
    }
}

impl Drop for SingleFlight {
    fn drop(&mut self) {
        match running().lock() {
            Ok(mut set) => set.remove(&self.0),
            Err(poisoned) => poisoned.into_inner().remove(&self.0),
        };
    }
}

/// Whether a sync is running for this user now.
pub fn is_syncing(scope: &UserScope) -> bool {
    running()
        .lock()
        .map(|s| s.contains(&scope.paths().database()))
        .unwrap_or(false)
}

pub(crate) async fn or_cancel<T>(
    cancel: &CancellationToken,
    fut: impl std::future::Future<Output = std::result::Result<T, TwilioError>>,
) -> Option<std::result::Result<T, TwilioError>> {
    tokio::select! {
        biased;
        () = cancel.cancelled() => None,
        r = fut => Some(r),
    }
}

pub(crate) fn day_of(ms: i64) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp_millis(ms).map(|d| d.date_naive())
}

/// Runs one sync for the signed-in user. Errors that stop the whole sync (refused
/// credentials, Twilio unreachable, the database) are returned as errors; everything that
/// concerns single recordings is counted in the result. Each run is one entry in the
/// user's audit trail (a second run refused while one is running is not a run).
pub async fn sync_recordings(
    scope: &UserScope,
    client: &TwilioClient,
    options: &SyncOptions,
    cancel: &CancellationToken,
    progress: Option<ProgressFn>,
) -> Result<SyncResult> {
    let _flight = SingleFlight::acquire(scope)?;
    let started = std::time::Instant::now();
    let result = run(scope, client, options, cancel, progress).await;
    match &result {
        Ok(r) => tracing::info!(
            user_id = scope.user_id(),
            new = r.new,
            updated = r.updated,
            skipped_deleted = r.skipped_deleted,
            failed = r.failed,
            downloaded = r.downloaded,
            cancelled = r.cancelled,
            ms = started.elapsed().as_millis() as u64,
            "sync finished"
        ),
        Err(e) => tracing::warn!(user_id = scope.user_id(), error = %e, "sync failed"),
    }
    trigger::audit_run(scope, options, &result).await;
    result
}

async fn run(
    scope: &UserScope,
    client: &TwilioClient,
    options: &SyncOptions,
    cancel: &CancellationToken,
    progress: Option<ProgressFn>,
) -> Result<SyncResult> {
    let report = move |p: &SyncProgress| {
        if let Some(f) = &progress {
            f(p);
        }
    };
    let mut prog = SyncProgress {
        phase: SyncPhase::Recordings,
        call_pages: 0,
        pages: 0,
        recordings: 0,
        downloads_done: 0,
        downloads_total: 0,
    };
    let mut result = SyncResult::default();
    let mut problems = Problems::default();

    recover_media(scope).await?;

    // The run a crash or cancel interrupted, or a new one. A run saved by the previous
    // version (one resume link for the whole listing) is forgotten and run afresh.
    let mut saved = state::load(scope).await?;
    if saved.run_cursor.is_some() {
        state::abandon_run(scope, options.now_ms).await?;
        saved = state::load(scope).await?;
    }
    let (range_from, windows, next_id) = match saved.run_range() {
        Some(from) => {
            let (windows, next_id) = state::unfinished_windows(scope).await?;
            (from, windows, next_id)
        }
        None => {
            let Some((from, first)) =
                windows::plan::first_day(client, options, &saved, cancel).await?
            else {
                result.cancelled = true;
                return Ok(result);
            };
            let windows =
                windows::plan::first_windows(from, options.now_ms, first, client.concurrency());
            state::begin_run(scope, from, &windows, options.now_ms).await?;
            let next_id = i64::try_from(windows.len()).unwrap_or(0) + 1;
            (from, windows, next_id)
        }
    };
    report(&prog);

    let mut tally = listing::Tally {
        result: &mut result,
        problems: &mut problems,
        progress: &mut prog,
        report: &report,
    };
    let ended = match listing::list_windows(
        scope, client, options, cancel, windows, next_id, &mut tally,
    )
    .await
    {
        Ok(ended) => ended,
        Err(e) => {
            // What the run listed belongs in the library, even though it failed.
            if let Err(flush) = pending::release(scope, options.now_ms).await {
                tracing::warn!(error = %flush, "recordings waiting for their call stay waiting");
            }
            return Err(e);
        }
    };
    match ended {
        listing::Ended::Cancelled => {
            result.cancelled = true;
            pending::release(scope, options.now_ms).await?;
        }
        listing::Ended::Completed => {
            let waiting = state::finish_run(scope, range_from, options.now_ms, MAX_ERRORS).await?;
            result.without_call = u32::try_from(waiting.count).unwrap_or(u32::MAX);
            result.calls_not_found = waiting
                .first
                .into_iter()
                .map(|(id, at)| CallNotFound::new(id, at))
                .collect();
        }
    }

    // The policy's downloads go through the queue in the library (it survives a restart).
    if !result.cancelled {
        queue::after_listing(scope, client, options, cancel, &mut prog, &report)
            .await?
            .apply(&mut result, &mut problems);
    }
    result.errors = problems.into_errors();
    prog.phase = SyncPhase::Done;
    report(&prog);
    Ok(result)
}
