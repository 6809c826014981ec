//! The per-user `sync_state` row: the watermark of the last completed run, and the resume
//! point of the run in progress. The watermark never passes the run's "now": a recording
//! dated in the future must not make the next runs list from then on.

use chrono::NaiveDate;
use sqlx::{Sqlite, Transaction};

use crate::error::Result;
use crate::session::UserScope;

#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct SyncState {
    pub watermark_ms: Option<i64>,
    pub last_completed_at_ms: Option<i64>,
    pub run_from_day: Option<String>,
    pub run_cursor: Option<String>,
    pub run_high_ms: Option<i64>,
    pub run_pages: i64,
}

impl SyncState {
    pub fn run_in_progress(&self) -> bool {
        self.run_cursor.is_some()
    }

    pub fn run_from(&self) -> Option<NaiveDate> {
        self.run_from_day
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    }
}

pub async fn load(scope: &UserScope) -> Result<SyncState> {
    Ok(sqlx::query_as(
        "SELECT watermark_ms, last_completed_at_ms, run_from_day, run_cursor, run_high_ms, run_pages
         FROM sync_state WHERE user_id = ?1",
    )
    .bind(scope.user_id())
    .fetch_optional(scope.pool())
    .await?
    .unwrap_or_default())
}

/// Where the run stands after a page: the next page's link, or done.
pub(crate) enum RunCursor {
    /// More pages: resume from `next` (a Twilio page link).
    Next {
        from_day: Option<NaiveDate>,
        next: String,
        high_ms: Option<i64>,
    },
    /// That was the last page: move the watermark and end the run.
    Done { high_ms: Option<i64> },
    /// The listing stopped after this page (its link on could not be followed): end the
    /// run without moving the watermark, so the next run lists the same window afresh
    /// instead of resuming at a link that leads nowhere good.
    Stopped,
}

impl RunCursor {
    pub(crate) async fn write(
        &self,
        scope: &UserScope,
        tx: &mut Transaction<'_, Sqlite>,
        now_ms: i64,
    ) -> Result<()> {
        match self {
            RunCursor::Next {
                from_day,
                next,
                high_ms,
            } => {
                sqlx::query(
                    "INSERT INTO sync_state (user_id, run_from_day, run_cursor, run_high_ms, run_pages)
                     VALUES (?1, ?2, ?3, ?4, 1)
                     ON CONFLICT (user_id) DO UPDATE SET run_from_day = excluded.run_from_day,
                        run_cursor = excluded.run_cursor,
                        run_high_ms = max(coalesce(run_high_ms, excluded.run_high_ms), coalesce(excluded.run_high_ms, run_high_ms)),
                        run_pages = run_pages + 1",
                )
                .bind(scope.user_id())
                .bind(from_day.map(|d| d.format("%Y-%m-%d").to_string()))
                .bind(next)
                .bind(high_ms)
                .execute(&mut **tx)
                .await?;
            }
            RunCursor::Done { high_ms } => {
                sqlx::query(
                    "INSERT INTO sync_state (user_id, watermark_ms, last_completed_at_ms)
                     VALUES (?1, ?2, ?3)
                     ON CONFLICT (user_id) DO UPDATE SET
                        watermark_ms = nullif(min(max(coalesce(watermark_ms, 0), coalesce(run_high_ms, 0), coalesce(?2, 0)), ?3), 0),
                        last_completed_at_ms = ?3,
                        run_from_day = NULL, run_cursor = NULL, run_high_ms = NULL, run_pages = 0",
                )
                .bind(scope.user_id())
                .bind(high_ms)
                .bind(now_ms)
                .execute(&mut **tx)
                .await?;
            }
            RunCursor::Stopped => {
                sqlx::query(
                    "UPDATE sync_state SET run_from_day = NULL, run_cursor = NULL, run_high_ms = NULL, run_pages = 0
                     WHERE user_id = ?1",
                )
                .bind(scope.user_id())
                .execute(&mut **tx)
                .await?;
            }
        }
        Ok(())
    }
}

/// Forgets a run in progress (its link was refused), so the next run starts afresh.
pub(crate) async fn abandon_run(scope: &UserScope) -> Result<()> {
    sqlx::query(
        "UPDATE sync_state SET run_from_day = NULL, run_cursor = NULL, run_high_ms = NULL, run_pages = 0
         WHERE user_id = ?1",
    )
    .bind(scope.user_id())
    .execute(scope.pool())
    .await?;
    Ok(())
}
