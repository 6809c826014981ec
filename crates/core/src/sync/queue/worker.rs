//! Working the queue: the due items, newest first, with at most `concurrency` downloads at
//! a time. Each worker holds the items it downloads (process-wide, per library), so the
//! sync and the background worker can work one user's queue at once without fetching the
//! same recording twice. An item is held only in memory: after a crash it is simply due.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::store::{self, Due};
use super::{QueueOptions, QueueTally};
use crate::error::{Error, Result};
use crate::ids::RecordingSid;
use crate::session::UserScope;
use crate::sync::downloads::download_one;
use crate::twilio::{TwilioClient, TwilioError};

fn holds() -> &'static Mutex<HashMap<PathBuf, HashSet<String>>> {
    static HOLDS: OnceLock<Mutex<HashMap<PathBuf, HashSet<String>>>> = OnceLock::new();
    HOLDS.get_or_init(Default::default)
}

fn lock_holds() -> std::sync::MutexGuard<'static, HashMap<PathBuf, HashSet<String>>> {
    holds().lock().unwrap_or_else(|p| p.into_inner())
}

/// How many of the user's items are being downloaded now, by any worker.
pub(crate) fn running(scope: &UserScope) -> u32 {
    let n = lock_holds()
        .get(&scope.paths().database())
        .map_or(0, HashSet::len);
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// An item this worker downloads; let go when dropped, however the download ends.
struct Hold {
    library: PathBuf,
    sid: String,
}

impl Hold {
    fn take(scope: &UserScope, sid: &RecordingSid) -> Option<Self> {
        let library = scope.paths().database();
        let fresh = lock_holds()
            .entry(library.clone())
            .or_default()
            .insert(sid.as_str().to_owned());
        fresh.then(|| Self {
            library,
            sid: sid.as_str().to_owned(),
        })
    }
}

impl Drop for Hold {
    fn drop(&mut self) {
        let mut holds = lock_holds();
        if let Some(set) = holds.get_mut(&self.library) {
            set.remove(&self.sid);
            if set.is_empty() {
                holds.remove(&self.library);
            }
        }
    }
}

fn held(scope: &UserScope) -> Vec<String> {
    lock_holds()
        .get(&scope.paths().database())
        .map(|s| s.iter().cloned().collect())
        .unwrap_or_default()
}

/// The next due item no worker holds, held by this one.
async fn claim(scope: &UserScope) -> Result<Option<(Due, Hold)>> {
    loop {
        let Some(due) = store::next_due(scope, crate::now_ms(), &held(scope)).await? else {
            return Ok(None);
        };
        // Another worker may have taken it between the query and now: ask again.
        if let Some(hold) = Hold::take(scope, &due.sid) {
            return Ok(Some((due, hold)));
        }
    }
}

/// The wait before the attempt after `attempts` failed ones: exponential, capped, with up to
/// a quarter more at random so that many failures do not come back in step.
pub(crate) fn backoff(options: &QueueOptions, attempts: u32) -> Duration {
    let exp = options
        .backoff_base
        .saturating_mul(1u32 << attempts.saturating_sub(1).min(16));
    exp.min(options.backoff_max)
        .mul_f64(1.0 + rand::random::<f64>() * 0.25)
}

/// Errors no retry can mend: the recording is gone at Twilio, or it is too large.
fn is_final(error: &Error) -> bool {
    matches!(
        error,
        Error::NotFound | Error::Twilio(TwilioError::NotFound(_))
    ) || matches!(error, Error::Twilio(TwilioError::BadResponse(m)) if m.contains("too large"))
}

/// Works the due items until none is left (those failing now wait for their next attempt,
/// which a later pass makes), the queue is paused, or `cancel` fires. Items cancelled
/// half-way stay queued, their attempt not counted. `on_item` hears after each item.
pub(crate) async fn work_due(
    scope: &UserScope,
    client: &TwilioClient,
    options: &QueueOptions,
    cancel: &CancellationToken,
    mut on_item: impl FnMut(&QueueTally),
) -> Result<QueueTally> {
    let concurrency = options
        .concurrency
        .min(client.concurrency())
        .clamp(1, crate::sync::MAX_CONCURRENCY);
    let mut tally = QueueTally::default();
    let mut running = JoinSet::new();
    loop {
        // Fill the free slots (after each download ends, one look more: the queue may have
        // been paused meanwhile, and the next claim then finds nothing).
        while !cancel.is_cancelled() && running.len() < concurrency {
            let Some((due, hold)) = claim(scope).await? else {
                break;
            };
            let (scope, client, cancel) = (scope.clone(), client.clone(), cancel.clone());
            running.spawn(async move {
                let _hold = hold;
                let result = tokio::select! {
                    biased;
                    () = cancel.cancelled() => None,
                    r = download_one(&scope, &client, &due.sid, due.recorded_at_ms, due.channels) => Some(r),
                };
                (due.sid, result)
            });
        }
        let Some(joined) = running.join_next().await else {
            break;
        };
        match joined {
            Ok((sid, Some(Ok(_)))) => {
                store::succeeded(scope, &sid).await?;
                tally.done += 1;
            }
            Ok((_, None)) => tally.cancelled = true,
            Ok((sid, Some(Err(error)))) => {
                settle_failure(scope, options, &sid, &error, &mut tally).await?;
            }
            Err(join) => {
                return Err(Error::Internal(format!("a download task failed: {join}")));
            }
        }
        on_item(&tally);
    }
    tally.cancelled |= cancel.is_cancelled();
    Ok(tally)
}

async fn settle_failure(
    scope: &UserScope,
    options: &QueueOptions,
    sid: &RecordingSid,
    error: &Error,
    tally: &mut QueueTally,
) -> Result<()> {
    let attempts = store::attempts(scope, sid).await? + 1;
    let retry_at = crate::now_ms()
        .saturating_add(i64::try_from(backoff(options, attempts).as_millis()).unwrap_or(i64::MAX));
    let message = error.user_message();
    let gave_up = store::failed(
        scope,
        sid,
        &message,
        retry_at,
        options.max_attempts,
        is_final(error),
    )
    .await?;
    tally.failed += 1;
    tally.gave_up += u64::from(gave_up);
    if tally.errors.len() < crate::sync::MAX_ERRORS {
        tally.errors.push(format!("{sid}: {message}"));
    }
    tracing::warn!(user_id = scope.user_id(), recording = %sid, error = %error, attempts, gave_up, "download failed");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_base_up_to_the_cap_with_at_most_a_quarter_more() {
        let options = QueueOptions {
            backoff_base: Duration::from_secs(10),
            backoff_max: Duration::from_secs(300),
            ..QueueOptions::default()
        };
        for (attempts, plain) in [(1, 10), (2, 20), (3, 40), (4, 80), (6, 300), (30, 300)] {
            let plain = Duration::from_secs(plain);
            for _ in 0..50 {
                let wait = backoff(&options, attempts);
                assert!(
                    wait >= plain && wait <= plain.mul_f64(1.25),
                    "after {attempts} failures: {wait:?}, expected {plain:?} to 1.25 times it"
                );
            }
        }
    }
}
