//! How many of the user's recordings match a filter, by the cheapest road the filter allows.

use sqlx::{QueryBuilder, Sqlite};

use super::filter::RecordingFilter;
use super::listing::from_recordings;
use crate::error::Result;
use crate::session::UserScope;

/// The SQL of a count: from the per-user totals when the filter allows, from the weekly
/// totals for a date range without a search, else over the rows.
pub(super) fn count_query<'a>(
    scope: &UserScope,
    filter: &RecordingFilter,
    prefix: &str,
) -> QueryBuilder<'a, Sqlite> {
    if filter.is_grouped_only() {
        let mut q = QueryBuilder::new(format!(
            "{prefix}SELECT coalesce(sum(t.recordings), 0) FROM recording_totals t WHERE t.user_id = "
        ));
        q.push_bind(scope.user_id().to_owned());
        filter.push_total_conditions(&mut q, "t");
        q
    } else if filter.is_dated_without_search() {
        super::weeks::count_query(scope, filter, prefix)
    } else {
        let from = from_recordings(filter);
        let mut q = QueryBuilder::new(format!(
            "{prefix}SELECT count(*) FROM {from} WHERE r.user_id = "
        ));
        q.push_bind(scope.user_id().to_owned());
        filter.push_conditions(&mut q, scope.user_id());
        q
    }
}

/// How many of the user's recordings match. Filters over grouped columns only are answered
/// from the per-user totals, without touching the recordings; with a date range too, from
/// the weekly totals and the rows of the partial weeks at its ends.
pub async fn count_recordings(scope: &UserScope, filter: &RecordingFilter) -> Result<u32> {
    let total: i64 = count_query(scope, filter, "")
        .build_query_scalar()
        .fetch_one(scope.pool())
        .await?;
    Ok(u32::try_from(total.max(0)).unwrap_or(u32::MAX))
}
