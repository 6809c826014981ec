//! Twilio -> library reconciliation: list recordings (all the first time, then from the
//! last synced day with an overlap), join them with their calls in memory, upsert each page
//! in one transaction together with the resume point, then download audio by policy.
//! One sync at a time per user; cancellable; progress through a callback.

mod downloads;
mod listing;
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
    download_candidates, download_recording, media_file_name, recover_media, DownloadPolicy,
    DEFAULT_CONCURRENCY, MAX_CONCURRENCY,
};
pub use remote_delete::delete_here_and_at_twilio;
pub use runner::{SyncEvents, SyncRunner};
pub use schedule::{run_background, Check, Tick, CHECK_EVERY};
pub use state::SyncState;
pub use stream::play_from_twilio;
pub use trigger::SyncTrigger;

use crate::error::{Error, Result};
use crate::session::UserScope;
use crate::twilio::model::RemoteRecording;
use crate::twilio::{TwilioClient, TwilioError, MAX_PAGE_SIZE};
use listing::{Listed, RecordingsLister};
use state::RunCursor;
use upsert::Joined;

/// At most this many error lines in a result.
pub(crate) const MAX_ERRORS: usize = 50;

#[derive(Debug, Clone)]
pub struct SyncOptions {
    pub download: DownloadPolicy,
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
            download_concurrency: DEFAULT_CONCURRENCY,
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
    /// Received but unusable (no valid SID or date), plus failed downloads.
    pub failed: u32,
    pub downloaded: u32,
    pub download_failed: u32,
    /// Recordings whose call was not in the calls listed for the same window.
    pub without_call: u32,
    pub pages: u32,
    pub cancelled: bool,
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
    let push_error = |result: &mut SyncResult, e: String| {
        if result.errors.len() < MAX_ERRORS {
            result.errors.push(e);
        }
    };

    recover_media(scope).await?;

    // Where this run starts: the run a crash or cancel interrupted, or a new one.
    let saved = state::load(scope).await?;
    let page_size = options.page_size.clamp(1, MAX_PAGE_SIZE);
    let (from_day, next_url) = match saved.run_cursor.as_deref() {
        Some(link) => match client.resolve_page_link(link) {
            Ok(url) => (saved.run_from(), url),
            Err(_) => {
                state::abandon_run(scope).await?;
                let from = saved
                    .watermark_ms
                    .and_then(day_of)
                    .and_then(|d| d.checked_sub_days(Days::new(options.overlap_days.into())));
                (from, client.recordings_url(from, page_size))
            }
        },
        None => {
            let from = saved
                .watermark_ms
                .and_then(day_of)
                .and_then(|d| d.checked_sub_days(Days::new(options.overlap_days.into())));
            (from, client.recordings_url(from, page_size))
        }
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

    prog.phase = SyncPhase::Recordings;
    report(&prog);
    loop {
        let listed = lister
            .next()
            .await
            .ok_or_else(|| Error::Internal("the recordings listing stopped".into()))??;
        let page = match listed {
            Listed::Page(page) if !cancel.is_cancelled() => page,
            _ => {
                result.cancelled = true;
                break;
            }
        };
        let mut joined = Vec::new();
        let mut high_ms: Option<i64> = None;
        for wire in page.recordings {
            match RemoteRecording::try_from(wire) {
                Ok(recording) => {
                    high_ms = Some(
                        high_ms.map_or(recording.created_at_ms, |h| h.max(recording.created_at_ms)),
                    );
                    let party = recording
                        .call_sid
                        .as_deref()
                        .and_then(|c| calls.get(c))
                        .cloned();
                    if party.is_none() {
                        result.without_call += 1;
                    }
                    joined.push(Joined { recording, party });
                }
                Err(rejected) => {
                    result.failed += 1;
                    push_error(&mut result, rejected.to_string());
                }
            }
        }
        let received = joined.len();
        let last = page.link.is_none();
        let cursor = match page.link {
            Some(next) => RunCursor::Next {
                from_day,
                next,
                high_ms,
            },
            None => RunCursor::Done { high_ms },
        };
        let outcome = upsert::commit_page(scope, joined, &cursor, options.now_ms).await?;
        let n = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
        result.new += n(outcome.new);
        result.updated += n(outcome.updated);
        result.unchanged += n(outcome.unchanged);
        result.skipped_deleted += n(outcome.skipped_deleted);
        result.synced += n(outcome.new + outcome.updated + outcome.unchanged);
        result.pages += 1;
        prog.pages += 1;
        prog.recordings += u32::try_from(received).unwrap_or(u32::MAX);
        report(&prog);
        if last {
            break;
        }
    }
    drop(lister);

    if !result.cancelled && options.download != DownloadPolicy::None {
        let candidates = download_candidates(scope, options.download, options.now_ms).await?;
        prog.phase = SyncPhase::Downloads;
        prog.downloads_total = u32::try_from(candidates.len()).unwrap_or(u32::MAX);
        report(&prog);
        let tally = downloads::download_all(
            scope,
            client,
            candidates,
            options.download_concurrency,
            cancel,
            |done, _total| {
                prog.downloads_done = u32::try_from(done).unwrap_or(u32::MAX);
                report(&prog);
            },
        )
        .await;
        result.downloaded = u32::try_from(tally.done).unwrap_or(u32::MAX);
        result.download_failed = u32::try_from(tally.failed).unwrap_or(u32::MAX);
        result.failed += result.download_failed;
        result.cancelled |= tally.cancelled;
        for e in tally.errors {
            push_error(&mut result, e);
        }
    }
    prog.phase = SyncPhase::Done;
    report(&prog);
    Ok(result)
}
