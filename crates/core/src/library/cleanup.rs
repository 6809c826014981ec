//! Retention: remove local audio, and optionally the records, older than N days. A preview
//! comes first. Held recordings are never touched; starred ones only when asked.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Sqlite};

use super::organise::remove_files;
use crate::audit::{audited, Operation};
use crate::error::{Error, Result};
use crate::library::from_ms;
use crate::session::UserScope;

#[derive(Debug, Clone, Copy, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CleanupPolicy {
    /// Recordings made more than this many days ago.
    pub older_than_days: u32,
    /// Also delete the records (tombstoned, so a sync does not bring them back).
    pub remove_records: bool,
    /// Include starred recordings; by default they are kept.
    pub include_starred: bool,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CleanupPreview {
    /// Recordings the cleanup would touch.
    pub recordings: u32,
    /// Of those, how many have local audio.
    pub files: u32,
    pub bytes: f64,
    pub oldest: Option<DateTime<Utc>>,
    pub newest: Option<DateTime<Utc>>,
    /// Kept because they are starred (and starred ones were not included).
    pub skipped_starred: u32,
    /// Kept because they are on legal hold.
    pub skipped_held: u32,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CleanupResult {
    pub files_removed: u32,
    pub records_removed: u32,
    pub bytes_freed: f64,
}

pub const MAX_RETENTION_DAYS: u32 = 36_500;

fn cutoff_ms(policy: &CleanupPolicy, now_ms: i64) -> Result<i64> {
    if policy.older_than_days == 0 || policy.older_than_days > MAX_RETENTION_DAYS {
        return Err(Error::invalid("Choose an age between 1 day and 100 years."));
    }
    Ok(now_ms - i64::from(policy.older_than_days) * 86_400_000)
}

/// ` AND …` selecting what the policy touches, held and (unless included) starred left out.
fn push_selection(
    q: &mut QueryBuilder<'_, Sqlite>,
    scope: &UserScope,
    policy: &CleanupPolicy,
    cutoff: i64,
) {
    q.push(" WHERE user_id = ")
        .push_bind(scope.user_id().to_owned());
    q.push(" AND recorded_at_ms < ").push_bind(cutoff);
    q.push(" AND legal_hold = 0");
    if !policy.include_starred {
        q.push(" AND starred = 0");
    }
    if !policy.remove_records {
        q.push(" AND local_file IS NOT NULL");
    }
}

/// What a cleanup leaves out: starred (not held) and held recordings in its range.
struct HeldCounts {
    starred: i64,
    held: i64,
}

#[allow(clippy::cast_precision_loss)]
pub async fn preview_cleanup(
    scope: &UserScope,
    policy: &CleanupPolicy,
    now_ms: i64,
) -> Result<CleanupPreview> {
    let cutoff = cutoff_ms(policy, now_ms)?;
    let mut q = QueryBuilder::new(
        "SELECT count(*), count(local_file), coalesce(sum(local_file_bytes), 0), min(recorded_at_ms), max(recorded_at_ms)
         FROM recordings",
    );
    push_selection(&mut q, scope, policy, cutoff);
    let (recordings, files, bytes, oldest, newest): (i64, i64, i64, Option<i64>, Option<i64>) =
        q.build_query_as().fetch_one(scope.pool()).await?;
    // Two spellings rather than one built with format!, so both are checked at compile time.
    let held = if policy.remove_records {
        let user_id = scope.user_id();
        sqlx::query_as!(
            HeldCounts,
            r#"SELECT coalesce(sum(starred = 1 AND legal_hold = 0), 0) AS "starred!: i64",
                      coalesce(sum(legal_hold = 1), 0) AS "held!: i64"
               FROM recordings WHERE user_id = ?1 AND recorded_at_ms < ?2"#,
            user_id,
            cutoff,
        )
        .fetch_one(scope.pool())
        .await?
    } else {
        let user_id = scope.user_id();
        sqlx::query_as!(
            HeldCounts,
            r#"SELECT coalesce(sum(starred = 1 AND legal_hold = 0), 0) AS "starred!: i64",
                      coalesce(sum(legal_hold = 1), 0) AS "held!: i64"
               FROM recordings WHERE user_id = ?1 AND recorded_at_ms < ?2
                 AND local_file IS NOT NULL"#,
            user_id,
            cutoff,
        )
        .fetch_one(scope.pool())
        .await?
    };
    let HeldCounts { starred, held } = held;
    let count = |n: i64| u32::try_from(n.max(0)).unwrap_or(u32::MAX);
    Ok(CleanupPreview {
        recordings: count(recordings),
        files: count(files),
        bytes: bytes as f64,
        oldest: oldest.map(from_ms),
        newest: newest.map(from_ms),
        skipped_starred: if policy.include_starred {
            0
        } else {
            count(starred)
        },
        skipped_held: count(held),
    })
}

#[allow(clippy::cast_precision_loss)]
pub async fn run_cleanup(
    scope: &UserScope,
    policy: &CleanupPolicy,
    now_ms: i64,
) -> Result<CleanupResult> {
    audited(scope, Operation::Cleanup, &[], now_ms, async {
        let cutoff = cutoff_ms(policy, now_ms)?;
        let mut tx = crate::library::db::begin_write(scope.pool()).await?;
        let mut q = QueryBuilder::new(
            "SELECT sid, local_file, coalesce(local_file_bytes, 0) FROM recordings",
        );
        push_selection(&mut q, scope, policy, cutoff);
        let chosen: Vec<(String, Option<String>, i64)> =
            q.build_query_as().fetch_all(&mut *tx).await?;
        let mut q = QueryBuilder::new(if policy.remove_records {
            "DELETE FROM recordings"
        } else {
            "UPDATE recordings SET local_file = NULL, local_file_bytes = NULL"
        });
        push_selection(&mut q, scope, policy, cutoff);
        let records_removed = if policy.remove_records {
            chosen.len()
        } else {
            0
        };
        q.build().execute(&mut *tx).await?;
        if policy.remove_records && !chosen.is_empty() {
            for batch in chosen.chunks(10_000) {
                let mut t = QueryBuilder::new(
                    "INSERT OR REPLACE INTO tombstones (user_id, sid, deleted_at_ms) ",
                );
                t.push_values(batch, |mut row, (sid, _, _)| {
                    row.push_bind(scope.user_id().to_owned())
                        .push_bind(sid.clone())
                        .push_bind(now_ms);
                });
                t.build().execute(&mut *tx).await?;
            }
        }
        tx.commit().await?;
        let files: Vec<String> = chosen.iter().filter_map(|(_, f, _)| f.clone()).collect();
        remove_files(scope, &files).await;
        let touched: Vec<&str> = chosen.iter().map(|(sid, _, _)| sid.as_str()).collect();
        crate::player::remove_waveform_caches(scope, &touched).await;
        let bytes: i64 = chosen
            .iter()
            .filter(|(_, f, _)| f.is_some())
            .map(|(_, _, b)| b)
            .sum();
        Ok(CleanupResult {
            files_removed: u32::try_from(files.len()).unwrap_or(u32::MAX),
            records_removed: u32::try_from(records_removed).unwrap_or(u32::MAX),
            bytes_freed: bytes as f64,
        })
    })
    .await
}
