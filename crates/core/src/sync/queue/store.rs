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

/// What the policy wants beyond "no audio here, ready": only starred recordings or all,
/// and from when (`?2`, the recordings' own date).
fn policy_filter(policy: DownloadPolicy, now_ms: i64) -> Option<(bool, i64)> {
    match policy {
        DownloadPolicy::None => None,
        DownloadPolicy::All => Some((false, i64::MIN)),
        DownloadPolicy::Starred => Some((true, i64::MIN)),
        DownloadPolicy::LastDays { days } => Some((
            false,
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
    let Some((starred_only, since)) = policy_filter(policy, now_ms) else {
        sqlx::query!("DELETE FROM download_queue WHERE user_id = ?1", user)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        return Ok(0);
    };
    // "Only the starred" is a bound flag (`?3 = 0 OR starred`), so one statement, checked
    // at compile time, serves both policies.
    let starred_only = i64::from(starred_only);
    sqlx::query!(
        "DELETE FROM download_queue WHERE user_id = ?1 AND NOT EXISTS (
             SELECT 1 FROM recordings r WHERE r.user_id = ?1 AND r.local_file IS NULL
             AND r.status = 'ready' AND r.recorded_at_ms >= ?2 AND (?3 = 0 OR r.starred = 1)
             AND r.sid = download_queue.sid)",
        user,
        since,
        starred_only,
    )
    .execute(&mut *tx)
    .await?;
    // A new batch starts when nothing was waiting: "n of m" counts from there.
    if waiting(&mut tx, user).await? == 0 {
        reset_done(&mut tx, user).await?;
    }
    let added = sqlx::query!(
        "INSERT INTO download_queue (user_id, sid, recorded_at_ms, queued_at_ms)
         SELECT r.user_id, r.sid, r.recorded_at_ms, ?3 FROM recordings r
         WHERE r.user_id = ?1 AND r.local_file IS NULL AND r.status = 'ready'
         AND r.recorded_at_ms >= ?2 AND (?4 = 0 OR r.starred = 1)
         ON CONFLICT (user_id, sid) DO NOTHING",
        user,
        since,
        queued_at_ms,
        starred_only,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(added)
}

/// How many items wait to be downloaded.
async fn waiting(tx: &mut sqlx::SqliteConnection, user: &str) -> Result<i64> {
    Ok(sqlx::query_scalar!(
        "SELECT count(*) FROM download_queue WHERE user_id = ?1 AND state = 'queued'",
        user,
    )
    .fetch_one(tx)
    .await?)
}

async fn reset_done(tx: &mut sqlx::SqliteConnection, user: &str) -> Result<()> {
    sqlx::query!(
        "INSERT INTO download_queue_state (user_id, done) VALUES (?1, 0)
         ON CONFLICT (user_id) DO UPDATE SET done = 0",
        user,
    )
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
    let user_id = scope.user_id();
    let row = sqlx::query!(
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
        user_id,
        now_ms,
        held,
    )
    .fetch_optional(scope.pool())
    .await?;
    Ok(row.and_then(|row| {
        Some(Due {
            sid: RecordingSid::parse(&row.sid).ok()?,
            recorded_at_ms: row.recorded_at_ms,
            channels: u32::try_from(row.channels).unwrap_or(1),
        })
    }))
}

/// Removes items whose audio is here already (saved by a stream or "Download now"), so
/// they do not count as waiting.
pub(crate) async fn drop_settled(scope: &UserScope) -> Result<u64> {
    let user_id = scope.user_id();
    Ok(sqlx::query!(
        "DELETE FROM download_queue WHERE user_id = ?1 AND EXISTS (
             SELECT 1 FROM recordings r WHERE r.user_id = download_queue.user_id
             AND r.sid = download_queue.sid AND r.local_file IS NOT NULL)",
        user_id,
    )
    .execute(scope.pool())
    .await?
    .rows_affected())
}

/// The item is downloaded (its row already left the queue with `mark_downloaded`, or
/// leaves it now) and counts as done.
pub(crate) async fn succeeded(scope: &UserScope, sid: &RecordingSid) -> Result<()> {
    let (user_id, sid) = (scope.user_id(), sid.as_str());
    let mut tx = crate::library::db::begin_write(scope.pool()).await?;
    sqlx::query!(
        "DELETE FROM download_queue WHERE user_id = ?1 AND sid = ?2",
        user_id,
        sid,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO download_queue_state (user_id, done) VALUES (?1, 1)
         ON CONFLICT (user_id) DO UPDATE SET done = done + 1",
        user_id,
    )
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
    let (user_id, sid) = (scope.user_id(), sid.as_str());
    let max_attempts = i64::from(max_attempts);
    let state = sqlx::query_scalar!(
        "UPDATE download_queue SET attempts = attempts + 1, last_error = ?3,
             next_attempt_at_ms = ?4,
             state = CASE WHEN ?6 OR attempts + 1 >= ?5 THEN 'failed' ELSE 'queued' END
         WHERE user_id = ?1 AND sid = ?2
         RETURNING state",
        user_id,
        sid,
        error,
        retry_at_ms,
        max_attempts,
        final_,
    )
    .fetch_optional(scope.pool())
    .await?;
    Ok(state.as_deref() == Some("failed"))
}

/// The attempts this item has had (0 when it is not queued).
pub(crate) async fn attempts(scope: &UserScope, sid: &RecordingSid) -> Result<u32> {
    let (user_id, sid) = (scope.user_id(), sid.as_str());
    let n = sqlx::query_scalar!(
        "SELECT attempts FROM download_queue WHERE user_id = ?1 AND sid = ?2",
        user_id,
        sid,
    )
    .fetch_optional(scope.pool())
    .await?;
    Ok(n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0))
}

/// The queue's counts for the user, each read from the queue's index.
pub(crate) async fn status(scope: &UserScope, running: u32) -> Result<QueueStatus> {
    let user_id = scope.user_id();
    let queued = count_in(scope, "queued").await?;
    let failed = count_in(scope, "failed").await?;
    let (paused, done) = sqlx::query!(
        r#"SELECT paused AS "paused: bool", done FROM download_queue_state WHERE user_id = ?1"#,
        user_id,
    )
    .fetch_optional(scope.pool())
    .await?
    .map_or((false, 0), |row| (row.paused, row.done));
    let n = |v: i64| u32::try_from(v.max(0)).unwrap_or(u32::MAX);
    Ok(QueueStatus {
        waiting: n(queued),
        failed: n(failed),
        done: n(done),
        running,
        paused,
    })
}

/// How many of the user's items are in `state`.
async fn count_in(scope: &UserScope, state: &str) -> Result<i64> {
    let user_id = scope.user_id();
    Ok(sqlx::query_scalar!(
        "SELECT count(*) FROM download_queue WHERE user_id = ?1 AND state = ?2",
        user_id,
        state,
    )
    .fetch_one(scope.pool())
    .await?)
}

/// When the earliest waiting item is next due, if any waits.
pub(crate) async fn next_attempt_at(scope: &UserScope) -> Result<Option<i64>> {
    let user_id = scope.user_id();
    Ok(sqlx::query_scalar!(
        r#"SELECT min(next_attempt_at_ms) AS "at?: i64"
           FROM download_queue WHERE user_id = ?1 AND state = 'queued'"#,
        user_id,
    )
    .fetch_one(scope.pool())
    .await?)
}

pub(crate) async fn set_paused(scope: &UserScope, paused: bool) -> Result<()> {
    let user_id = scope.user_id();
    sqlx::query!(
        "INSERT INTO download_queue_state (user_id, paused) VALUES (?1, ?2)
         ON CONFLICT (user_id) DO UPDATE SET paused = ?2",
        user_id,
        paused,
    )
    .execute(scope.pool())
    .await?;
    Ok(())
}

/// Failed items are queued again with fresh attempts. Returns how many.
pub(crate) async fn retry_failed(scope: &UserScope) -> Result<u64> {
    let user_id = scope.user_id();
    let mut tx = crate::library::db::begin_write(scope.pool()).await?;
    if waiting(&mut tx, user_id).await? == 0 {
        reset_done(&mut tx, user_id).await?;
    }
    let n = sqlx::query!(
        "UPDATE download_queue SET state = 'queued', attempts = 0, next_attempt_at_ms = 0,
             last_error = NULL
         WHERE user_id = ?1 AND state = 'failed'",
        user_id,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(n)
}
