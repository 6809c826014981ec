//! Twilio -> library reconciliation: list recordings (all the first time, then from the
//! last synced day with an overlap), join them with their calls in memory, upsert each page
//! in one transaction together with the resume point, then download audio by policy.
//! One sync at a time per user; cancellable; progress through a callback.

mod downloads;
mod listing;
mod pages;
mod problems;
pub mod queue;
mod remote_delete;
mod runner;
mod schedule;
pub mod state;
mod stream;
mod trigger;
mod upsert;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{Days, NaiveDate};
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
use listing::{Listed, RecordingsLister};
use problems::Problems;
use state::RunCursor;

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

async fn or_cancel<T>(
    cancel: &CancellationToken,
    fut: impl std::future::Future<Output = std::result::Result<T, TwilioError>>,
) -> Option<std::result::Result<T, TwilioError>> {
    tokio::select! {
        biased;
        () = cancel.cancelled() => None,
        r = fut => Some(r),
    }
}

fn day_of(ms: i64) -> Option<NaiveDate> {
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
    let report = |p: &SyncProgress| {
        if let Some(f) = &progress {
            f(p);
        }
    };
    let mut prog = SyncProgress {
        phase: SyncPhase::Calls,
        call_pages: 0,
        pages: 0,
        recordings: 0,
        downloads_done: 0,
        downloads_total: 0,
    };
    let mut result = SyncResult::default();
    let mut problems = Problems::default();

    recover_media(scope).await?;

    // Where this run starts: the run a crash or cancel interrupted, or a new one from the
    // last synced day (never later than today, whatever an older version saved).
    let saved = state::load(scope).await?;
    let page_size = options.page_size.clamp(1, MAX_PAGE_SIZE);
    let fresh_from = saved
        .watermark_ms
        .map(|w| w.min(options.now_ms))
        .and_then(day_of)
        .and_then(|d| d.checked_sub_days(Days::new(options.overlap_days.into())));
    let mut resumed = false;
    let (from_day, next_url) = match saved.run_cursor.as_deref() {
        Some(link) => match client.resolve_page_link(link) {
            Ok(url) => {
                resumed = true;
                (saved.run_from(), url)
            }
            Err(_) => {
                state::abandon_run(scope).await?;
                (fresh_from, client.recordings_url(fresh_from, page_size))
            }
        },
        None => (fresh_from, client.recordings_url(fresh_from, page_size)),
    };

    // The recordings are listed from now on, ahead of the commits; they wait for the calls.
    let mut lister = RecordingsLister::start(client, next_url, cancel);

    // Calls for the same window (a day earlier: a call can start before midnight and its
    // recording be created after), joined in memory: no request per recording.
    let calls_from = from_day.and_then(|d| d.checked_sub_days(Days::new(1)));
    report(&prog);
    let calls = listing::list_calls(
        client,
        client.calls_url(calls_from, page_size),
        cancel,
        || {
            prog.call_pages += 1;
            report(&prog);
        },
    )
    .await?;
    let Some(calls) = calls else {
        result.cancelled = true;
        return Ok(result);
    };
    problems.calls_beyond(calls.beyond);
    for (sid, fields) in &calls.odd {
        problems.unknown_fields("Call", sid, fields);
    }
    problems.uncounted(calls.odd_more);

    prog.phase = SyncPhase::Recordings;
    report(&prog);
    let n = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
    loop {
        let listed = match lister.next().await {
            None => return Err(Error::Internal("the recordings listing stopped".into())),
            // The saved resume point leads nowhere now (its page is gone or its token
            // refused): list this run's window from its start rather than fail there for
            // ever. The calls already listed cover the same window.
            Some(Err(Error::Twilio(
                TwilioError::NotFound(_) | TwilioError::UnexpectedStatus { .. },
            ))) if resumed => {
                resumed = false;
                state::abandon_run(scope).await?;
                lister = RecordingsLister::start(
                    client,
                    client.recordings_url(from_day, page_size),
                    cancel,
                );
                continue;
            }
            Some(listed) => listed?,
        };
        resumed = false;
        let page = match listed {
            Listed::Page(page) if !cancel.is_cancelled() => page,
            _ => {
                result.cancelled = true;
                break;
            }
        };
        // Entries past the page size were never read: they count as failed.
        result.failed = result.failed.saturating_add(n(page.beyond));
        problems.recordings_beyond(page.beyond);
        let accepted = pages::accept(
            page.recordings,
            &calls.parties,
            options.now_ms,
            &mut problems,
        );
        result.failed = result.failed.saturating_add(accepted.rejected);
        let received = accepted.joined.len();
        let last = page.link.is_none();
        let cursor = match (&page.stop, page.link) {
            (Some(_), _) => RunCursor::Stopped,
            (None, Some(next)) => RunCursor::Next {
                from_day,
                next,
                high_ms: accepted.high_ms,
            },
            (None, None) => RunCursor::Done {
                high_ms: accepted.high_ms,
            },
        };
        let outcome = upsert::commit_page(scope, accepted.joined, &cursor, options.now_ms).await?;
        result.new += n(outcome.new);
        result.updated += n(outcome.updated);
        result.unchanged += n(outcome.unchanged);
        result.skipped_deleted += n(outcome.skipped_deleted);
        result.synced += n(outcome.new + outcome.updated + outcome.unchanged);
        result.without_call += n(outcome.without_call.len() as u64);
        for (id, at) in outcome.without_call {
            if result.calls_not_found.len() < MAX_ERRORS {
                result.calls_not_found.push(CallNotFound::new(id, at));
            }
        }
        result.pages += 1;
        prog.pages += 1;
        prog.recordings += u32::try_from(received).unwrap_or(u32::MAX);
        report(&prog);
        // What this page held is saved; the listing ends here with the reason.
        if let Some(stop) = page.stop {
            return Err(stop.into());
        }
        if last {
            break;
        }
    }
    drop(lister);

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
