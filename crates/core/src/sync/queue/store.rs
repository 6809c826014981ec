//! The queue's rows: what the policy wants enqueued, the next due items, and each item's
//! outcome. Every statement filters on the scope's user.

use super::QueueStatus;
use crate::error::Result;
use crate::ids::RecordingSid;
use crate::session::UserScope;
use crate::sync::DownloadPolicy;

/// One item to download.
#[derive(Debug, Clone)]
pub(crate) struct Due {
    pub sid: RecordingSid,
    pub recorded_at_ms: i64,
    pub channels: u32,
}

/// What the policy wants beyond "no audio here, ready" (an SQL filter on `recordings r`),
/// and from when (`?2`, the recordings' own date).
fn policy_filter(policy: DownloadPolicy, now_ms: i64) -> Option<(&'static str, i64)> {
    match policy {
        DownloadPolicy::None => None,
        DownloadPolicy::All => Some(("", i64::MIN)),
        DownloadPolicy::Starred => Some((" AND r.starred = 1", i64::MIN)),
        DownloadPolicy::LastDays { days } => Some((
            "",
            now_ms.saturating_sub(i64::from(days).saturating_mul(86_400_000)),
        )),
    }
}

/// Makes the queue what the policy wants: its recordings without audio here are added (the
/// ones already queued or failed keep their attempts), and items it no longer wants leave.
/// Returns how many were added. In one transaction, so a crash leaves the old queue whole.
pub(crate) async fn enqueue_by_policy(
    scope: &UserScope,
    policy: DownloadPolicy,
    now_ms: i64,
    queued_at_ms: i64,
) -> Result<u64> {
    let mut tx = crate::library::db::begin_write(scope.pool()).await?;
    let user = scope.user_id();
    let Some((filter, since)) = policy_filter(policy, now_ms) else {
        sqlx::query("DELETE FROM download_queue WHERE user_id = ?1")
            .bind(user)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        return Ok(0);
    };
    let wanted = format!(
        "r.user_id = ?1 AND r.local_file IS NULL AND r.status = 'ready'
         AND r.recorded_at_ms >= ?2{filter}"
    );
    sqlx::query(&format!(
        "DELETE FROM download_queue WHERE user_id = ?1 AND NOT EXISTS (
             SELECT 1 FROM recordings r WHERE {wanted} AND r.sid = download_queue.sid)"
    ))
    .bind(user)
    .bind(since)
    .execute(&mut *tx)
    .await?;
    // A new batch starts when nothing was waiting: "n of m" counts from there.
    let waiting: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM download_queue WHERE user_id = ?1 AND state = 'queued'",
    )
    .bind(user)
    .fetch_one(&mut *tx)
    .await?;
    if waiting == 0 {
        reset_done(&mut tx, user).await?;
    }
    let added = sqlx::query(&format!(
        "INSERT INTO download_queue (user_id, sid, recorded_at_ms, queued_at_ms)
         SELECT r.user_id, r.sid, r.recorded_at_ms, ?3 FROM recordings r WHERE {wanted}
         ON CONFLICT (user_id, sid) DO NOTHING"
    ))
    .bind(user)
    .bind(since)
    .bind(queued_at_ms)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(added)
}

async fn reset_done(tx: &mut sqlx::SqliteConnection, user: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO download_queue_state (user_id, done) VALUES (?1, 0)
         ON CONFLICT (user_id) DO UPDATE SET done = 0",
    )
    .bind(user)
    .execute(tx)
    .await?;
    Ok(())
}

/// The next due item, newest first, that no worker holds (`held`), unless the queue is
/// paused. Items whose audio arrived meanwhile (a stream, "Download now") are skipped.
pub(crate) async fn next_due(
    scope: &UserScope,
    now_ms: i64,
    held: &[String],
) -> Result<Option<Due>> {
    let held = serde_json::to_string(held).unwrap_or_else(|_| "[]".into());
    let row: Option<(String, i64, i64)> = sqlx::query_as(
        "SELECT q.sid, q.recorded_at_ms, r.channels
         FROM download_queue q
         JOIN recordings r ON r.user_id = q.user_id AND r.sid = q.sid
         WHERE q.user_id = ?1 AND q.state = 'queued' AND q.next_attempt_at_ms <= ?2
           AND r.local_file IS NULL
           AND q.sid NOT IN (SELECT value FROM json_each(?3))
           AND NOT EXISTS (SELECT 1 FROM download_queue_state s
                           WHERE s.user_id = q.user_id AND s.paused = 1)
         ORDER BY q.recorded_at_ms DESC
         LIMIT 1",
    )
    .bind(scope.user_id())
    .bind(now_ms)
    .bind(held)
    .fetch_optional(scope.pool())
    .await?;
    Ok(row.and_then(|(sid, at, channels)| {
        Some(Due {
            sid: RecordingSid::parse(&sid).ok()?,
            recorded_at_ms: at,
            channels: u32::try_from(channels).unwrap_or(1),
        })
    }))
}

/// Removes items whose audio is here already (saved by a stream or "Download now"), so
/// they do not count as waiting.
pub(crate) async fn drop_settled(scope: &UserScope) -> Result<u64> {
    Ok(sqlx::query(
        "DELETE FROM download_queue WHERE user_id = ?1 AND EXISTS (
             SELECT 1 FROM recordings r WHERE r.user_id = download_queue.user_id
             AND r.sid = download_queue.sid AND r.local_file IS NOT NULL)",
    )
    .bind(scope.user_id())
    .execute(scope.pool())
    .await?
    .rows_affected())
}

/// The item is downloaded (its row already left the queue with `mark_downloaded`, or
/// leaves it now) and counts as done.
pub(crate) async fn succeeded(scope: &UserScope, sid: &RecordingSid) -> Result<()> {
    let mut tx = crate::library::db::begin_write(scope.pool()).await?;
    sqlx::query("DELETE FROM download_queue WHERE user_id = ?1 AND sid = ?2")
        .bind(scope.user_id())
        .bind(sid.as_str())
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO download_queue_state (user_id, done) VALUES (?1, 1)
         ON CONFLICT (user_id) DO UPDATE SET done = done + 1",
    )
    .bind(scope.user_id())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The item failed: one attempt more, the next after `retry_at_ms`; `failed` for good after
/// the last attempt (or at once, `final_`).
pub(crate) async fn failed(
    scope: &UserScope,
    sid: &RecordingSid,
    error: &str,
    retry_at_ms: i64,
    max_attempts: u32,
    final_: bool,
) -> Result<bool> {
    let state: Option<String> = sqlx::query_scalar(
        "UPDATE download_queue SET attempts = attempts + 1, last_error = ?3,
             next_attempt_at_ms = ?4,
             state = CASE WHEN ?6 OR attempts + 1 >= ?5 THEN 'failed' ELSE 'queued' END
         WHERE user_id = ?1 AND sid = ?2
         RETURNING state",
    )
    .bind(scope.user_id())
    .bind(sid.as_str())
    .bind(error)
    .bind(retry_at_ms)
    .bind(i64::from(max_attempts))
    .bind(final_)
    .fetch_optional(scope.pool())
    .await?;
    Ok(state.as_deref() == Some("failed"))
}

/// The attempts this item has had (0 when it is not queued).
pub(crate) async fn attempts(scope: &UserScope, sid: &RecordingSid) -> Result<u32> {
    let n: Option<i64> =
        sqlx::query_scalar("SELECT attempts FROM download_queue WHERE user_id = ?1 AND sid = ?2")
            .bind(scope.user_id())
            .bind(sid.as_str())
            .fetch_optional(scope.pool())
            .await?;
    Ok(n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0))
}

/// The queue's counts for the user, each read from the queue's index.
pub(crate) async fn status(scope: &UserScope, running: u32) -> Result<QueueStatus> {
    let count = |state: &'static str| {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM download_queue WHERE user_id = ?1 AND state = ?2",
        )
        .bind(scope.user_id())
        .bind(state)
        .fetch_one(scope.pool())
    };
    let queued = count("queued").await?;
    let failed = count("failed").await?;
    let (paused, done): (bool, i64) =
        sqlx::query_as("SELECT paused, done FROM download_queue_state WHERE user_id = ?1")
            .bind(scope.user_id())
            .fetch_optional(scope.pool())
            .await?
            .unwrap_or((false, 0));
    let n = |v: i64| u32::try_from(v.max(0)).unwrap_or(u32::MAX);
    Ok(QueueStatus {
        waiting: n(queued),
        failed: n(failed),
        done: n(done),
        running,
        paused,
    })
}

/// When the earliest waiting item is next due, if any waits.
pub(crate) async fn next_attempt_at(scope: &UserScope) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT min(next_attempt_at_ms) FROM download_queue WHERE user_id = ?1 AND state = 'queued'",
    )
    .bind(scope.user_id())
    .fetch_one(scope.pool())
    .await?)
}

pub(crate) async fn set_paused(scope: &UserScope, paused: bool) -> Result<()> {
    sqlx::query(
        "INSERT INTO download_queue_state (user_id, paused) VALUES (?1, ?2)
         ON CONFLICT (user_id) DO UPDATE SET paused = ?2",
    )
    .bind(scope.user_id())
    .bind(paused)
    .execute(scope.pool())
    .await?;
    Ok(())
}

/// Failed items are queued again with fresh attempts. Returns how many.
pub(crate) async fn retry_failed(scope: &UserScope) -> Result<u64> {
    let mut tx = crate::library::db::begin_write(scope.pool()).await?;
    let waiting: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM download_queue WHERE user_id = ?1 AND state = 'queued'",
    )
    .bind(scope.user_id())
    .fetch_one(&mut *tx)
    .await?;
    if waiting == 0 {
        reset_done(&mut tx, scope.user_id()).await?;
    }
    let n = sqlx::query(
        "UPDATE download_queue SET state = 'queued', attempts = 0, next_attempt_at_ms = 0,
             last_error = NULL
         WHERE user_id = ?1 AND state = 'failed'",
    )
    .bind(scope.user_id())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(n)
}
