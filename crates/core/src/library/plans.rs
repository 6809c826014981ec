//! The plans SQLite chooses for the library's hot queries, for tests that pin them.

use super::count::count_query;
use super::listing::{page_query, slice_query};
use super::{ListRecordingsRequest, RecordingFilter, RecordingSliceRequest};
use crate::error::Result;
use crate::session::UserScope;

/// One of the queries the list, count and stats commands run.
#[derive(Debug, Clone)]
pub enum HotQuery {
    Page(ListRecordingsRequest),
    Slice(RecordingSliceRequest),
    Count(RecordingFilter),
    Stats,
}

/// One line of `EXPLAIN QUERY PLAN`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlanStep {
    pub id: i64,
    pub parent: i64,
    pub detail: String,
}

/// The SQL the command runs for `query`, and the plan SQLite makes of it, with the same
/// bound values.
pub async fn explain(scope: &UserScope, query: &HotQuery) -> Result<(String, Vec<PlanStep>)> {
    const EXPLAIN: &str = "EXPLAIN QUERY PLAN ";
    let mut q = match query {
        HotQuery::Page(request) => page_query(scope, request, EXPLAIN),
        HotQuery::Slice(request) => slice_query(scope, request, EXPLAIN)?,
        HotQuery::Count(filter) => count_query(scope, filter, EXPLAIN),
        HotQuery::Stats => {
            let sql = crate::library::stats::STATS_SQL;
            let steps: Vec<(i64, i64, i64, String)> = sqlx::query_as(&format!("{EXPLAIN}{sql}"))
                .bind(scope.user_id())
                .fetch_all(scope.pool())
                .await?;
            return Ok((sql.to_owned(), into_steps(steps)));
        }
    };
    let sql = q.sql().trim_start_matches(EXPLAIN).to_owned();
    let steps: Vec<(i64, i64, i64, String)> = q.build_query_as().fetch_all(scope.pool()).await?;
    Ok((sql, into_steps(steps)))
}

fn into_steps(rows: Vec<(i64, i64, i64, String)>) -> Vec<PlanStep> {
    rows.into_iter()
        .map(|(id, parent, _, detail)| PlanStep { id, parent, detail })
        .collect()
}
