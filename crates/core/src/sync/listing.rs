//! The listing of a run: window tasks in flight side by side (at most the account's
//! concurrency), each sending its pages through a bounded channel to one committer, which
//! stores every page with its window's resume point in the same transaction and starts the
//! windows a split made once the page that made them is stored. One writer keeps SQLite
//! free of lock contention; the bounded channel keeps memory to a few pages whatever the
//! size of the account. The pages waiting when the committer comes round are stored in one
//! transaction: with many windows listing, storing is what everything waits for, and one
//! transaction for several pages writes the indexes' shared pages once, not once a page.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::pages;
use super::problems::Problems;
use super::state::{self, WindowUpdate};
use super::upsert;
use super::windows::task::{list_window, slot, Ctx, Items, Next, Page};
use super::windows::Window;
use super::{SyncOptions, SyncProgress, SyncResult};
use crate::error::{Error, Result};
use crate::session::UserScope;
use crate::twilio::model::{call_party, call_sid};
use crate::twilio::{Listing, TwilioClient, MAX_PAGE_SIZE};

/// Pages listed but not yet stored, besides one in each task's hands; also the most pages
/// one transaction stores.
const WAITING_PAGES: usize = 8;

pub(super) enum Ended {
    Completed,
    Cancelled,
}

/// What the listing adds to the run's result and progress.
pub(super) struct Tally<'a> {
    pub result: &'a mut SyncResult,
    pub problems: &'a mut Problems,
    pub progress: &'a mut SyncProgress,
    pub report: &'a (dyn Fn(&SyncProgress) + Send + Sync),
}

fn n(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// Lists `windows` (and every window they split into) to their end, storing page by page.
pub(super) async fn list_windows(
    scope: &UserScope,
    client: &TwilioClient,
    options: &SyncOptions,
    cancel: &CancellationToken,
    windows: Vec<Window>,
    next_id: i64,
    tally: &mut Tally<'_>,
) -> Result<Ended> {
    // As many windows at once as the account's budget lets requests be in flight: more
    // would only wait for a place, holding their pages.
    let concurrency = client.concurrency().max(1);
    let of = |listing| windows.iter().filter(|w| w.listing == listing).count();
    let ctx = Arc::new(Ctx {
        client: client.clone(),
        page_size: options.page_size.clamp(1, MAX_PAGE_SIZE),
        cancel: cancel.clone(),
        whole_day: AtomicBool::new(false),
        next_id: AtomicI64::new(next_id),
        open: [
            AtomicUsize::new(of(Listing::Recordings)),
            AtomicUsize::new(of(Listing::Calls)),
        ],
        concurrency,
    });
    let (sender, mut pages) = mpsc::channel::<Page>(WAITING_PAGES);
    // Dropped on every return: no task outlives the run.
    let mut tasks: JoinSet<Result<Listing>> = JoinSet::new();
    let mut running = [0usize; 2];
    let mut waiting: VecDeque<Window> = windows.into();
    loop {
        while tasks.len() < concurrency {
            let Some(w) = next_to_start(&mut waiting, running) else {
                break;
            };
            running[slot(w.listing)] += 1;
            let (ctx, sender, listing) = (Arc::clone(&ctx), sender.clone(), w.listing);
            tasks.spawn(async move { list_window(ctx, w, sender).await.map(|()| listing) });
        }
        if ctx.open_windows() == 0 {
            return Ok(Ended::Completed);
        }
        if tasks.is_empty() && pages.is_empty() {
            return Err(Error::Internal(
                "a window ended without its last page".into(),
            ));
        }
        tokio::select! {
            biased;
            () = cancel.cancelled() => return Ok(Ended::Cancelled),
            Some(page) = pages.recv() => {
                let mut batch = vec![page];
                while batch.len() < WAITING_PAGES {
                    match pages.try_recv() {
                        Ok(page) => batch.push(page),
                        Err(_) => break,
                    }
                }
                // Calls first: a recording stored after its call is written once, joined;
                // one stored before it waits in `sync_pending` for its call. The sort is
                // stable, so each window's pages keep their order.
                batch.sort_by_key(|p| p.listing() == Listing::Recordings);
                let stored = commit(scope, options, batch, tally).await?;
                let mut stopped = None;
                for (listing, done, spawned, stop) in stored {
                    stopped = stopped.or(stop);
                    if done {
                        ctx.open[slot(listing)].fetch_sub(1, Ordering::Relaxed);
                    }
                    // Newest first, before older waiting windows: a split's days are listed
                    // while they are fresh.
                    for w in spawned.into_iter().rev() {
                        waiting.push_front(w);
                    }
                }
                if let Some(stop) = stopped {
                    // What the pages held is stored; the run is forgotten so the next one
                    // lists these days afresh instead of resuming at a link that leads
                    // nowhere good.
                    drop(tasks);
                    state::abandon_run(scope, options.now_ms).await?;
                    return Err(stop.into());
                }
            }
            Some(joined) = tasks.join_next(), if !tasks.is_empty() => match joined {
                Ok(Ok(listing)) => running[slot(listing)] -= 1,
                Ok(Err(e)) => return Err(e),
                Err(_) if cancel.is_cancelled() => return Ok(Ended::Cancelled),
                Err(e) => return Err(Error::Internal(format!("a listing task failed: {e}"))),
            },
        }
    }
}

/// The waiting window to start next: the first of the listing with fewer windows listing
/// (both lists are needed to finish, so neither should trail), else the first.
fn next_to_start(waiting: &mut VecDeque<Window>, running: [usize; 2]) -> Option<Window> {
    let behind = match running[0].cmp(&running[1]) {
        std::cmp::Ordering::Less => Some(Listing::Recordings),
        std::cmp::Ordering::Greater => Some(Listing::Calls),
        std::cmp::Ordering::Equal => None,
    };
    let at = behind
        .and_then(|l| waiting.iter().position(|w| w.listing == l))
        .unwrap_or(0);
    waiting.remove(at)
}

/// What storing a page tells the committer: its listing, whether its window is done, the
/// windows it split off (now saved), and why the listing must stop, if it must.
type Stored = (
    Listing,
    bool,
    Vec<Window>,
    Option<crate::twilio::TwilioError>,
);

/// Stores `batch` in one transaction: all of its pages and their windows' resume points,
/// or none.
async fn commit(
    scope: &UserScope,
    options: &SyncOptions,
    batch: Vec<Page>,
    tally: &mut Tally<'_>,
) -> Result<Vec<Stored>> {
    let mut tx = crate::library::db::begin_write(scope.pool()).await?;
    let mut stored = Vec::with_capacity(batch.len());
    for page in batch {
        stored.push(store(scope, &mut tx, options, page, tally).await?);
    }
    tx.commit().await?;
    (tally.report)(tally.progress);
    Ok(stored)
}

/// Stores one page in `tx`.
async fn store(
    scope: &UserScope,
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    options: &SyncOptions,
    page: Page,
    tally: &mut Tally<'_>,
) -> Result<Stored> {
    let listing = page.listing();
    let (link, done, stop) = match page.next {
        Next::Link(link) => (Some(link), false, None),
        Next::Done => (None, true, None),
        Next::Stop(e) => (None, true, Some(e)),
    };
    let mut update = WindowUpdate {
        id: page.window,
        from: page.from,
        link: link.as_deref(),
        done,
        spawned: &page.spawned,
        recordings_page: false,
        high_ms: None,
    };
    let (result, problems, progress) = (
        &mut *tally.result,
        &mut *tally.problems,
        &mut *tally.progress,
    );
    match page.items {
        Items::Recordings(wires) => {
            // Entries past the page size were never read: they count as failed.
            result.failed = result.failed.saturating_add(n(page.beyond));
            problems.recordings_beyond(page.beyond);
            let accepted = pages::accept(wires, options.now_ms, problems);
            result.failed = result.failed.saturating_add(accepted.rejected);
            let received = accepted.joined.len();
            update.recordings_page = true;
            update.high_ms = accepted.high_ms;
            let outcome =
                upsert::store_page(scope, tx, accepted.joined, &update, options.now_ms).await?;
            result.new += n(outcome.new);
            result.updated += n(outcome.updated);
            result.unchanged += n(outcome.unchanged);
            result.skipped_deleted += n(outcome.skipped_deleted);
            result.synced += n(outcome.new + outcome.updated + outcome.unchanged);
            result.pages += 1;
            progress.pages += 1;
            progress.recordings += u32::try_from(received).unwrap_or(u32::MAX);
        }
        Items::Calls(calls) => {
            problems.calls_beyond(page.beyond);
            let parties: Vec<_> = calls
                .iter()
                .filter_map(|call| {
                    let sid = call_sid(call)?;
                    problems.unknown_fields("Call", &sid, &call.wrong_types());
                    Some((sid, call_party(call)))
                })
                .collect();
            upsert::store_calls(scope, tx, &parties, &update, options.now_ms).await?;
            progress.call_pages += 1;
        }
    }
    Ok((listing, done, page.spawned, stop))
}
