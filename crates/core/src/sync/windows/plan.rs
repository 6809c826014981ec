//! Where a new run starts and how its days are first cut.

use chrono::{Days, NaiveDate};
use tokio_util::sync::CancellationToken;

use super::Window;
use crate::error::Result;
use crate::sync::{day_of, or_cancel, state, SyncOptions};
use crate::twilio::{Listing, Request, TwilioClient, TwilioError};

/// The first day a new run lists, and whether it is a first sync: the last synced day less
/// the overlap, or for a first sync the day the account was created. `None` when cancelled.
pub(in crate::sync) async fn first_day(
    client: &TwilioClient,
    options: &SyncOptions,
    saved: &state::SyncState,
    cancel: &CancellationToken,
) -> Result<Option<(NaiveDate, bool)>> {
    let incremental = saved
        .watermark_ms
        .map(|w| w.min(options.now_ms))
        .and_then(day_of)
        .and_then(|d| d.checked_sub_days(Days::new(options.overlap_days.into())));
    if let Some(day) = incremental {
        return Ok(Some((day, false)));
    }
    match or_cancel(cancel, client.account_created()).await {
        None => Ok(None),
        // Refused here, the saved credentials are what changed: say so as a listing would.
        Some(Err(TwilioError::Unauthorized(Request::Account))) => {
            Err(TwilioError::Unauthorized(Request::List(Listing::Recordings)).into())
        }
        Some(created) => Ok(Some((created?.unwrap_or_else(super::twilio_epoch), true))),
    }
}

/// A new run's windows: its days from `from` on for the recordings, and from a day earlier
/// for the calls (a call starts before its recording), the newest of each with no end. A
/// first sync, which covers the account's whole history, starts with as many equal
/// windows as requests may be in flight; an incremental one with one each, which splits
/// itself if it turns out large (a long catch-up). Interleaved, newest first, so both
/// lists go at once.
pub(in crate::sync) fn first_windows(
    from: NaiveDate,
    now_ms: i64,
    first: bool,
    concurrency: usize,
) -> Vec<Window> {
    let today = day_of(now_ms).unwrap_or(from).max(from);
    let tomorrow = today.succ_opt().unwrap_or(today);
    let calls_from = from.pred_opt().unwrap_or(from);
    let n = if first {
        i64::try_from(concurrency.max(1)).unwrap_or(8)
    } else {
        1
    };
    let mut recordings = super::cut(from, None, tomorrow, n);
    let mut calls = super::cut(calls_from, None, tomorrow, n);
    let mut out = Vec::new();
    let mut id = 0;
    while !recordings.is_empty() || !calls.is_empty() {
        for (listing, cuts) in [
            (Listing::Recordings, &mut recordings),
            (Listing::Calls, &mut calls),
        ] {
            if let Some((from, to)) = cuts.pop() {
                id += 1;
                out.push(Window {
                    id,
                    listing,
                    from,
                    to,
                    link: None,
                });
            }
        }
    }
    out
}
