//! Counts over a date range from the weekly totals (`recording_weeks`, kept by triggers): the
//! whole weeks inside the range are added up from there, and only the partial weeks at either
//! end are counted row by row, from the date index. The last year of a million-recording
//! library is then ~10,000 totals rows and at most two weeks of rows, not ~330,000 rows.

use sqlx::{QueryBuilder, Sqlite};

use super::filter::RecordingFilter;
use crate::session::UserScope;

/// A week as the migration defines it: 604,800,000 ms counted from the epoch.
const WEEK_MS: i64 = 7 * 86_400_000;

/// A time range `[from, to)` in ms, or a range of week numbers; `None` is unbounded.
type Range = (Option<i64>, Option<i64>);

/// How a range `[start, end)` splits: the whole weeks inside it (none when no whole week
/// fits), and the ranges of time before and after them to count row by row.
#[derive(Debug, PartialEq, Eq)]
struct Split {
    weeks: Option<Range>,
    rows: Vec<Range>,
}

fn split(start: Option<i64>, end: Option<i64>) -> Split {
    // The first week that starts at or after `start`, and the week `end` falls in.
    let first = start.map(|s| s.div_euclid(WEEK_MS) + i64::from(s.rem_euclid(WEEK_MS) != 0));
    let last = end.map(|e| e.div_euclid(WEEK_MS));
    if let (Some(first), Some(last)) = (first, last) {
        if first >= last {
            return Split {
                weeks: None,
                rows: vec![(start, end)],
            };
        }
    }
    let mut rows = Vec::new();
    if let (Some(s), Some(first)) = (start, first) {
        let edge = first.saturating_mul(WEEK_MS);
        if s < edge {
            rows.push((Some(s), Some(edge)));
        }
    }
    if let (Some(e), Some(last)) = (end, last) {
        let edge = last.saturating_mul(WEEK_MS);
        if edge < e {
            rows.push((Some(edge), Some(e)));
        }
    }
    Split {
        weeks: Some((first, last)),
        rows,
    }
}

/// The SQL of a count of `filter`'s recordings, which has a date bound and no search: one
/// sum of the whole weeks' totals plus a count of the rows at each partial end.
pub(super) fn count_query<'a>(
    scope: &UserScope,
    filter: &RecordingFilter,
    prefix: &str,
) -> QueryBuilder<'a, Sqlite> {
    let user_id = scope.user_id();
    let parts = split(
        filter.start_date.map(|d| d.timestamp_millis()),
        filter.end_date.map(|d| d.timestamp_millis()),
    );
    // The filter's grouped conditions only: each part bounds the time itself.
    let grouped = RecordingFilter {
        search: None,
        start_date: None,
        end_date: None,
        ..filter.clone()
    };
    let mut q = QueryBuilder::new(format!("{prefix}SELECT 0"));
    if let Some((from, to)) = parts.weeks {
        q.push(
            " + (SELECT coalesce(sum(w.recordings), 0) FROM recording_weeks w WHERE w.user_id = ",
        )
        .push_bind(user_id.to_owned());
        if let Some(from) = from {
            q.push(" AND w.week >= ").push_bind(from);
        }
        if let Some(to) = to {
            q.push(" AND w.week < ").push_bind(to);
        }
        grouped.push_total_conditions(&mut q, "w");
        q.push(")");
    }
    for (from, to) in parts.rows {
        q.push(" + (SELECT count(*) FROM recordings r WHERE r.user_id = ")
            .push_bind(user_id.to_owned());
        grouped.push_conditions(&mut q, user_id);
        if let Some(from) = from {
            q.push(" AND r.recorded_at_ms >= ").push_bind(from);
        }
        if let Some(to) = to {
            q.push(" AND r.recorded_at_ms < ").push_bind(to);
        }
        q.push(")");
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: i64 = WEEK_MS;

    #[test]
    fn a_range_splits_into_whole_weeks_and_the_partial_ends() {
        assert_eq!(
            split(Some(10 * W + 5), Some(20 * W + 7)),
            Split {
                weeks: Some((Some(11), Some(20))),
                rows: vec![
                    (Some(10 * W + 5), Some(11 * W)),
                    (Some(20 * W), Some(20 * W + 7))
                ],
            }
        );
        assert_eq!(
            split(Some(10 * W), Some(20 * W)),
            Split {
                weeks: Some((Some(10), Some(20))),
                rows: vec![],
            },
            "a range on week boundaries is whole weeks only"
        );
    }

    #[test]
    fn open_ends_take_every_week_on_that_side() {
        assert_eq!(
            split(None, Some(20 * W + 7)),
            Split {
                weeks: Some((None, Some(20))),
                rows: vec![(Some(20 * W), Some(20 * W + 7))],
            }
        );
        assert_eq!(
            split(Some(-W - 1), None),
            Split {
                weeks: Some((Some(-1), None)),
                rows: vec![(Some(-W - 1), Some(-W))],
            },
            "weeks before the epoch are floored, as the migration's are"
        );
    }

    #[test]
    fn a_range_within_a_week_or_reversed_is_counted_row_by_row() {
        for (start, end) in [
            (10 * W + 1, 11 * W - 1),
            (10 * W + 1, 10 * W + 1),
            (20 * W, 10 * W),
        ] {
            assert_eq!(
                split(Some(start), Some(end)),
                Split {
                    weeks: None,
                    rows: vec![(Some(start), Some(end))],
                }
            );
        }
    }
}
