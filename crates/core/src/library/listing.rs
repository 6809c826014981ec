//! The list, by page number (as the original API had it) or by cursor (for infinite scroll,
//! where a page deep in the list costs what the first one does).

use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Sqlite};

use super::count::count_recordings;
use super::cursor::{Cursor, CursorKey};
use super::filter::{RecordingFilter, SortBy, SortOrder};
use super::model::{RecordingSummary, MAX_PAGE_SIZE};
use super::recordings::{SummaryRow, SUMMARY_COLUMNS};
use crate::error::{Error, Result};
use crate::session::UserScope;

#[derive(Debug, Clone, Default, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ListRecordingsRequest {
    #[serde(default)]
    #[specta(optional)]
    pub filter: RecordingFilter,
    #[specta(optional)]
    pub sort_by: Option<SortBy>,
    #[specta(optional)]
    pub sort_order: Option<SortOrder>,
    /// 1-based; defaults to 1.
    #[specta(optional)]
    pub page: Option<u32>,
    /// At most 50; defaults to 50.
    #[specta(optional)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RecordingPage {
    pub items: Vec<RecordingSummary>,
    /// How many recordings match, over all pages.
    pub total: u32,
    pub page: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, Default, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RecordingSliceRequest {
    #[serde(default)]
    #[specta(optional)]
    pub filter: RecordingFilter,
    #[specta(optional)]
    pub sort_by: Option<SortBy>,
    #[specta(optional)]
    pub sort_order: Option<SortOrder>,
    /// The `nextCursor` of the previous slice; none for the first.
    #[specta(optional)]
    pub after: Option<String>,
    #[specta(optional)]
    pub limit: Option<u32>,
    /// The first slice without its total (`total` is none): a search typed a key at a time
    /// wants its rows at once, while counting every match of a short text costs far more
    /// than finding the first fifty; the count (`count_recordings`) follows once typing
    /// pauses.
    #[serde(default)]
    #[specta(optional)]
    pub without_total: bool,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RecordingSlice {
    pub items: Vec<RecordingSummary>,
    /// Where the next slice starts; none after the last.
    pub next_cursor: Option<String>,
    /// How many recordings match in all; given with the first slice only.
    pub total: Option<u32>,
}

fn clamp_limit(limit: Option<u32>) -> u32 {
    limit.unwrap_or(MAX_PAGE_SIZE).clamp(1, MAX_PAGE_SIZE)
}

/// `recordings r`, read by row id from the search's matches when there is an FTS search.
pub(super) fn from_recordings(filter: &RecordingFilter) -> &'static str {
    if filter.uses_search_index() {
        "recordings r NOT INDEXED"
    } else {
        "recordings r"
    }
}

/// Whether a page also counts the matches. With a search, the page and the count would
/// each walk the same matches (every user's, since the trigram index is shared, probing each
/// row for its owner); a window count lets one walk give both.
fn counts_in_page(filter: &RecordingFilter) -> bool {
    filter.uses_search_index()
}

/// A row of a page that also counts the matches.
#[derive(sqlx::FromRow)]
struct CountedRow {
    #[sqlx(flatten)]
    row: SummaryRow,
    matches: i64,
}

/// The start of a page or slice query, up to `WHERE r.user_id = ?`; the caller adds the
/// conditions, order and limit, then `close`s it. With a search, the matches are first
/// narrowed to the page by id and sort key alone, counted by a window over those two columns,
/// and only the page's rows are read whole: a window over the whole summary kept every
/// match's columns in its buffer (~40 % of a 32,000-match search on a million recordings).
fn select<'a>(
    scope: &UserScope,
    filter: &RecordingFilter,
    by: SortBy,
    prefix: &str,
) -> QueryBuilder<'a, Sqlite> {
    let mut q = QueryBuilder::new(if counts_in_page(filter) {
        format!(
            "{prefix}WITH hits AS (SELECT r.id AS id, r.{} AS k, count(*) OVER () AS matches \
             FROM {} WHERE r.user_id = ",
            by.column(),
            from_recordings(filter)
        )
    } else {
        format!(
            "{prefix}SELECT {SUMMARY_COLUMNS} FROM {} WHERE r.user_id = ",
            from_recordings(filter)
        )
    });
    q.push_bind(scope.user_id().to_owned());
    q
}

/// Ends a query begun by `select`: with a search, reads the page's rows by id, in its order
/// (`CROSS JOIN` keeps `hits` the outer loop: left to itself, SQLite walked all the user's
/// rows in an index and probed each against the page).
fn close(
    q: &mut QueryBuilder<'_, Sqlite>,
    scope: &UserScope,
    filter: &RecordingFilter,
    order: SortOrder,
) {
    if counts_in_page(filter) {
        let keyword = order.keyword();
        q.push(format_args!(
            ") SELECT {SUMMARY_COLUMNS}, hits.matches \
             FROM hits CROSS JOIN recordings r NOT INDEXED ON r.id = hits.id WHERE r.user_id = "
        ))
        .push_bind(scope.user_id().to_owned())
        .push(format_args!(
            " ORDER BY hits.k {keyword}, hits.id {keyword}"
        ));
    }
}

/// Runs a page or slice query, with the total: from the rows' window count when the query
/// has one (`None` when no row came back to carry it), else from `count` run alongside.
async fn fetch_with_total(
    scope: &UserScope,
    filter: &RecordingFilter,
    mut query: QueryBuilder<'_, Sqlite>,
    want_total: bool,
) -> Result<(Vec<SummaryRow>, Option<u32>)> {
    let to_u32 = |n: i64| u32::try_from(n.max(0)).unwrap_or(u32::MAX);
    if counts_in_page(filter) {
        let rows: Vec<CountedRow> = query.build_query_as().fetch_all(scope.pool()).await?;
        let total = rows.first().map(|r| to_u32(r.matches));
        return Ok((rows.into_iter().map(|r| r.row).collect(), total));
    }
    // The page and the total on two of the pool's connections at once.
    let (rows, total) = tokio::try_join!(
        async {
            query
                .build_query_as::<SummaryRow>()
                .fetch_all(scope.pool())
                .await
                .map_err(Error::from)
        },
        async {
            if want_total {
                count_recordings(scope, filter).await.map(Some)
            } else {
                Ok(None)
            }
        },
    )?;
    Ok((rows, total))
}

fn push_order(q: &mut QueryBuilder<'_, Sqlite>, by: SortBy, order: SortOrder) {
    let (column, keyword) = (by.column(), order.keyword());
    q.push(format_args!(
        " ORDER BY r.{column} {keyword}, r.id {keyword}"
    ));
}

/// The summaries, each with the transcript line that matched a word search, if any.
async fn with_snippets(
    scope: &UserScope,
    filter: &RecordingFilter,
    rows: Vec<SummaryRow>,
) -> Result<Vec<RecordingSummary>> {
    let found = match filter.words_searched() {
        Some(text) => {
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            crate::transcripts::snippets(scope, &text, &ids).await?
        }
        None => Default::default(),
    };
    Ok(rows
        .into_iter()
        .map(|r| {
            let id = r.id;
            let mut summary = r.into_summary();
            summary.transcript_match = found.get(&id).cloned();
            summary
        })
        .collect())
}

/// The SQL of a numbered page (`prefix` is empty, or `EXPLAIN QUERY PLAN `).
pub(super) fn page_query<'a>(
    scope: &UserScope,
    request: &ListRecordingsRequest,
    prefix: &str,
) -> QueryBuilder<'a, Sqlite> {
    let limit = clamp_limit(request.limit);
    let page = request.page.unwrap_or(1).max(1);
    let (by, order) = (
        request.sort_by.unwrap_or_default(),
        request.sort_order.unwrap_or_default(),
    );
    let mut q = select(scope, &request.filter, by, prefix);
    request.filter.push_conditions(&mut q, scope.user_id());
    push_order(&mut q, by, order);
    q.push(" LIMIT ").push_bind(i64::from(limit));
    q.push(" OFFSET ")
        .push_bind(i64::from(page - 1) * i64::from(limit));
    close(&mut q, scope, &request.filter, order);
    q
}

pub async fn list_recordings(
    scope: &UserScope,
    request: &ListRecordingsRequest,
) -> Result<RecordingPage> {
    let limit = clamp_limit(request.limit);
    let page = request.page.unwrap_or(1).max(1);
    let (rows, total) =
        fetch_with_total(scope, &request.filter, page_query(scope, request, ""), true).await?;
    // An empty page past the end still tells how many there are.
    let total = match total {
        Some(total) => total,
        None if page > 1 => count_recordings(scope, &request.filter).await?,
        None => 0,
    };
    tracing::info!(
        user_id = scope.user_id(),
        page,
        limit,
        returned = rows.len(),
        total,
        "listed recordings"
    );
    Ok(RecordingPage {
        items: with_snippets(scope, &request.filter, rows).await?,
        total,
        page,
        limit,
    })
}

/// The SQL of a slice after a cursor; fetches one row more than the limit.
pub(super) fn slice_query<'a>(
    scope: &UserScope,
    request: &RecordingSliceRequest,
    prefix: &str,
) -> Result<QueryBuilder<'a, Sqlite>> {
    let limit = clamp_limit(request.limit);
    let (by, order) = (
        request.sort_by.unwrap_or_default(),
        request.sort_order.unwrap_or_default(),
    );
    let mut q = select(scope, &request.filter, by, prefix);
    request.filter.push_conditions(&mut q, scope.user_id());
    if let Some(raw) = &request.after {
        let cursor = Cursor::decode(raw, by, order)?;
        let (column, op) = (
            by.column(),
            if order == SortOrder::Desc { "<" } else { ">" },
        );
        q.push(format_args!(" AND (r.{column}, r.id) {op} ("));
        match cursor.key {
            CursorKey::Number(n) => q.push_bind(n),
            CursorKey::Digits(d) => q.push_bind(d),
        };
        q.push(", ").push_bind(cursor.id).push(")");
    }
    push_order(&mut q, by, order);
    // One extra row tells whether another slice follows.
    q.push(" LIMIT ").push_bind(i64::from(limit) + 1);
    close(&mut q, scope, &request.filter, order);
    Ok(q)
}

pub async fn list_recordings_after(
    scope: &UserScope,
    request: &RecordingSliceRequest,
) -> Result<RecordingSlice> {
    let limit = clamp_limit(request.limit);
    let (by, order) = (
        request.sort_by.unwrap_or_default(),
        request.sort_order.unwrap_or_default(),
    );
    let counted = request.after.is_none() && !request.without_total;
    let slice = slice_query(scope, request, "")?;
    let (mut rows, total) = fetch_with_total(scope, &request.filter, slice, counted).await?;
    // The first slice has the total, 0 when nothing matches, unless it was asked without.
    let total = counted.then(|| total.unwrap_or(0));
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next_cursor = if more {
        rows.last().map(|r| Cursor::after(r, by, order).encode())
    } else {
        None
    };
    Ok(RecordingSlice {
        items: with_snippets(scope, &request.filter, rows).await?,
        next_cursor,
        total,
    })
}
