//! Where each user's sync stands: the `sync_state` row (the watermark of the last completed
//! run; the run in progress: its first day, its newest date, its page count) and the
//! `sync_windows` of that run. Everything a page changes here is written in the page's own
//! transaction, so what is saved never runs ahead of what is stored: a killed run resumes
//! every window from the page after its last stored one. The watermark never passes the
//! run's "now": a recording dated in the future must not make the next runs list from then.

use chrono::NaiveDate;
use sqlx::{Sqlite, Transaction};

use super::windows::Window;
use crate::error::Result;
use crate::session::UserScope;
use crate::twilio::Listing;

#[derive(Debug, Clone, Default)]
pub struct SyncState {
    pub watermark_ms: Option<i64>,
    pub last_completed_at_ms: Option<i64>,
    pub run_from_day: Option<String>,
    /// The resume point of the previous version's sequential listing: such a run is
    /// abandoned and run afresh.
    pub run_cursor: Option<String>,
    pub run_high_ms: Option<i64>,
    pub run_pages: i64,
    /// The first day of the run in progress (its recordings; calls from a day earlier).
    pub run_range_from: Option<String>,
}

fn parse_day(raw: Option<&str>) -> Option<NaiveDate> {
    raw.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

pub(super) fn ymd(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

impl SyncState {
    pub fn run_in_progress(&self) -> bool {
        self.run_range_from.is_some() || self.run_cursor.is_some()
    }

    /// The first day of the run in progress, when it is one of this version's.
    pub fn run_range(&self) -> Option<NaiveDate> {
        parse_day(self.run_range_from.as_deref())
    }
}

pub async fn load(scope: &UserScope) -> Result<SyncState> {
    let user_id = scope.user_id();
    Ok(sqlx::query_as!(
        SyncState,
        "SELECT watermark_ms, last_completed_at_ms, run_from_day, run_cursor, run_high_ms, run_pages,
            run_range_from
         FROM sync_state WHERE user_id = ?1",
        user_id,
    )
    .fetch_optional(scope.pool())
    .await?
    .unwrap_or_default())
}

fn listing_name(l: Listing) -> &'static str {
    match l {
        Listing::Recordings => "recordings",
        Listing::Calls => "calls",
    }
}

async fn insert_windows(
    scope: &UserScope,
    tx: &mut Transaction<'_, Sqlite>,
    windows: &[Window],
) -> Result<()> {
    let user_id = scope.user_id();
    for w in windows {
        let (listing, from, to) = (listing_name(w.listing), ymd(w.from), w.to.map(ymd));
        let link = w.link.as_deref();
        sqlx::query!(
            "INSERT INTO sync_windows (user_id, id, listing, from_day, to_day, next_link, done)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)",
            user_id,
            w.id,
            listing,
            from,
            to,
            link,
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Starts a run from `range_from` with its first windows, forgetting whatever an earlier
/// run left.
pub(super) async fn begin_run(
    scope: &UserScope,
    range_from: NaiveDate,
    windows: &[Window],
    now_ms: i64,
) -> Result<()> {
    let mut tx = crate::library::db::begin_write(scope.pool()).await?;
    super::pending::flush(scope, &mut tx, now_ms).await?;
    clear_run(scope, &mut tx).await?;
    let (user_id, range_from) = (scope.user_id(), ymd(range_from));
    sqlx::query!(
        "INSERT INTO sync_state (user_id, run_range_from, run_pages) VALUES (?1, ?2, 0)
         ON CONFLICT (user_id) DO UPDATE SET run_range_from = excluded.run_range_from",
        user_id,
        range_from,
    )
    .execute(&mut *tx)
    .await?;
    insert_windows(scope, &mut tx, windows).await?;
    tx.commit().await?;
    Ok(())
}

/// The windows of the run in progress that are not done, and the next free window id.
pub(super) async fn unfinished_windows(scope: &UserScope) -> Result<(Vec<Window>, i64)> {
    let user_id = scope.user_id();
    let rows = sqlx::query!(
        "SELECT id, listing, from_day, to_day, next_link FROM sync_windows
         WHERE user_id = ?1 AND done = 0 ORDER BY from_day DESC",
        user_id,
    )
    .fetch_all(scope.pool())
    .await?;
    let next_id = sqlx::query_scalar!(
        r#"SELECT coalesce(max(id), 0) + 1 AS "next!: i64" FROM sync_windows WHERE user_id = ?1"#,
        user_id,
    )
    .fetch_one(scope.pool())
    .await?;
    let windows = rows
        .into_iter()
        .filter_map(|row| {
            Some(Window {
                id: row.id,
                listing: match row.listing.as_str() {
                    "calls" => Listing::Calls,
                    _ => Listing::Recordings,
                },
                from: parse_day(Some(&row.from_day))?,
                to: parse_day(row.to_day.as_deref()),
                link: row.next_link,
            })
        })
        .collect();
    Ok((windows, next_id))
}

/// What a committed page changes in its window: its first day (a split raises it), its
/// resume link, whether it is done, and the windows it split off.
pub(super) struct WindowUpdate<'a> {
    pub id: i64,
    pub from: NaiveDate,
    pub link: Option<&'a str>,
    pub done: bool,
    pub spawned: &'a [Window],
    /// A recordings page (counted in `run_pages`), and its newest date capped at "now".
    pub recordings_page: bool,
    pub high_ms: Option<i64>,
}

impl WindowUpdate<'_> {
    pub(super) async fn write(
        &self,
        scope: &UserScope,
        tx: &mut Transaction<'_, Sqlite>,
    ) -> Result<()> {
        let (user_id, from) = (scope.user_id(), ymd(self.from));
        sqlx::query!(
            "UPDATE sync_windows SET from_day = ?3, next_link = ?4, done = ?5
             WHERE user_id = ?1 AND id = ?2",
            user_id,
            self.id,
            from,
            self.link,
            self.done,
        )
        .execute(&mut **tx)
        .await?;
        insert_windows(scope, tx, self.spawned).await?;
        if self.recordings_page {
            sqlx::query!(
                "UPDATE sync_state SET run_high_ms = max(coalesce(run_high_ms, ?2), coalesce(?2, run_high_ms)),
                    run_pages = run_pages + 1
                 WHERE user_id = ?1",
                user_id,
                self.high_ms,
            )
            .execute(&mut **tx)
            .await?;
        }
        Ok(())
    }
}

/// Forgets the run's windows and calls; what waits for a call must have been flushed.
async fn clear_run(scope: &UserScope, tx: &mut Transaction<'_, Sqlite>) -> Result<()> {
    let user_id = scope.user_id();
    sqlx::query!(
        "UPDATE sync_state SET run_from_day = NULL, run_cursor = NULL, run_high_ms = NULL,
            run_pages = 0, run_range_from = NULL
         WHERE user_id = ?1",
        user_id,
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!("DELETE FROM sync_windows WHERE user_id = ?1", user_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query!("DELETE FROM sync_calls WHERE user_id = ?1", user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Forgets the run in progress (a listing that stopped, or a run saved by the previous
/// version), so the next run lists its days afresh from the watermark.
pub(crate) async fn abandon_run(scope: &UserScope, now_ms: i64) -> Result<()> {
    let mut tx = crate::library::db::begin_write(scope.pool()).await?;
    super::pending::flush(scope, &mut tx, now_ms).await?;
    clear_run(scope, &mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Recordings of the run whose call Twilio did not list: how many, and the first
/// `limit` (SID and date), newest first.
pub(super) struct WithoutCall {
    pub count: u64,
    pub first: Vec<(String, i64)>,
}

/// Ends a completed run: finds the recordings of its days still waiting for a call, moves
/// the watermark, and forgets the run's windows and calls.
pub(super) async fn finish_run(
    scope: &UserScope,
    range_from: NaiveDate,
    now_ms: i64,
    limit: usize,
) -> Result<WithoutCall> {
    let from_ms = range_from
        .and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp_millis());
    let mut tx = crate::library::db::begin_write(scope.pool()).await?;
    // What still waits for a call is counted below as any recording without one.
    super::pending::flush(scope, &mut tx, now_ms).await?;
    let user_id = scope.user_id();
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let count = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!: i64" FROM recordings r
           WHERE r.user_id = ?1 AND r.phone_number = '' AND r.recorded_at_ms >= ?2
             AND NOT EXISTS (SELECT 1 FROM sync_calls c
                             WHERE c.user_id = ?1 AND c.call_sid = r.call_sid)"#,
        user_id,
        from_ms,
    )
    .fetch_one(&mut *tx)
    .await?;
    let first = sqlx::query!(
        "SELECT r.sid, r.recorded_at_ms FROM recordings r
         WHERE r.user_id = ?1 AND r.phone_number = '' AND r.recorded_at_ms >= ?2
           AND NOT EXISTS (SELECT 1 FROM sync_calls c
                           WHERE c.user_id = ?1 AND c.call_sid = r.call_sid)
         ORDER BY r.recorded_at_ms DESC LIMIT ?3",
        user_id,
        from_ms,
        limit,
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|row| (row.sid, row.recorded_at_ms))
    .collect();
    sqlx::query!(
        "INSERT INTO sync_state (user_id, watermark_ms, last_completed_at_ms)
         VALUES (?1, NULL, ?2)
         ON CONFLICT (user_id) DO UPDATE SET
            watermark_ms = nullif(min(max(coalesce(watermark_ms, 0), coalesce(run_high_ms, 0)), ?2), 0),
            last_completed_at_ms = ?2",
        user_id,
        now_ms,
    )
    .execute(&mut *tx)
    .await?;
    clear_run(scope, &mut tx).await?;
    tx.commit().await?;
    Ok(WithoutCall {
        count: u64::try_from(count).unwrap_or(0),
        first,
    })
}
