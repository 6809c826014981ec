//! Per-user statistics, read from the totals that triggers keep, so they cost the same at
//! two hundred recordings as at a million.

use serde::Serialize;

use super::model::{Direction, RecordingStatus};
use crate::error::Result;
use crate::session::UserScope;

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CountByKey<K> {
    pub key: K,
    pub count: u32,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RecordingStats {
    pub total: u32,
    pub total_duration_secs: f64,
    pub average_duration_secs: f64,
    pub by_status: Vec<CountByKey<RecordingStatus>>,
    pub by_direction: Vec<CountByKey<Direction>>,
    /// Largest first; `null` is "no category".
    pub by_category: Vec<CountByKey<Option<String>>>,
    pub starred: u32,
    pub archived: u32,
    pub on_hold: u32,
    pub local_files: u32,
    pub local_bytes: f64,
}

struct TotalsRow {
    status: RecordingStatus,
    direction: Direction,
    category: String,
    starred: bool,
    archived: bool,
    legal_hold: bool,
    recordings: i64,
    duration_secs: i64,
    local_files: i64,
    local_bytes: i64,
}

fn add<K: PartialEq>(counts: &mut Vec<CountByKey<K>>, key: K, n: u32) {
    match counts.iter_mut().find(|c| c.key == key) {
        Some(c) => c.count += n,
        None => counts.push(CountByKey { key, count: n }),
    }
}

/// Every totals row of the user (the text `recording_stats` runs, for the query plan tests).
#[cfg(feature = "test-support")]
pub(crate) const STATS_SQL: &str = include_str!("stats.sql");

#[allow(clippy::cast_precision_loss)]
pub async fn recording_stats(scope: &UserScope) -> Result<RecordingStats> {
    let user_id = scope.user_id();
    let rows = sqlx::query_file_as!(TotalsRow, "src/library/stats.sql", user_id)
        .fetch_all(scope.pool())
        .await?;
    let mut stats = RecordingStats {
        total: 0,
        total_duration_secs: 0.0,
        average_duration_secs: 0.0,
        by_status: Vec::new(),
        by_direction: Vec::new(),
        by_category: Vec::new(),
        starred: 0,
        archived: 0,
        on_hold: 0,
        local_files: 0,
        local_bytes: 0.0,
    };
    for row in rows {
        let n = u32::try_from(row.recordings.max(0)).unwrap_or(u32::MAX);
        stats.total += n;
        stats.total_duration_secs += row.duration_secs as f64;
        add(&mut stats.by_status, row.status, n);
        add(&mut stats.by_direction, row.direction, n);
        add(
            &mut stats.by_category,
            (!row.category.is_empty()).then_some(row.category),
            n,
        );
        stats.starred += if row.starred { n } else { 0 };
        stats.archived += if row.archived { n } else { 0 };
        stats.on_hold += if row.legal_hold { n } else { 0 };
        stats.local_files += u32::try_from(row.local_files.max(0)).unwrap_or(u32::MAX);
        stats.local_bytes += row.local_bytes as f64;
    }
    if stats.total > 0 {
        stats.average_duration_secs = stats.total_duration_secs / f64::from(stats.total);
    }
    stats
        .by_category
        .sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    tracing::info!(
        user_id = scope.user_id(),
        total = stats.total,
        "computed recording stats"
    );
    Ok(stats)
}
