//! The plans of the hot queries, pinned: an index change that makes one of them scan the
//! recordings (or sort a whole library to show fifty rows) fails here, not in a user's hands.
//! The SQL is the commands' own (`library::plans::explain` builds it with the same code).

mod common;
mod fixtures;

use calldeck_core::library::plans::{explain, HotQuery};
use calldeck_core::library::{
    insert_recordings, Direction, ListRecordingsRequest, RecordingFilter, RecordingSliceRequest,
    RecordingStatus, SortBy, SortOrder,
};
use calldeck_core::UserScope;
use chrono::DateTime;
use common::{signed_in, NOW_MS};
use fixtures::{recording, sid, walk, DAY_MS};

const SORT_INDEXES: [(SortBy, &str); 3] = [
    (SortBy::CreatedAt, "recordings_by_user_date"),
    (SortBy::Duration, "recordings_by_user_duration"),
    (SortBy::Phone, "recordings_by_user_phone"),
];

async fn library(dir: &std::path::Path) -> (calldeck_core::Workspace, UserScope) {
    let (ws, scope) = signed_in(dir, "auth0|plans").await;
    let rows: Vec<_> = (0..300u32)
        .map(|n| {
            let mut r = recording(
                &sid(1, n),
                &format!("+1555{:07}", n * 37),
                Some(["Ana Ruiz", "Ben Okafor", "Chloé Lambert"][n as usize % 3]),
                NOW_MS - i64::from(n) * DAY_MS,
            );
            r.duration_secs = n % 50;
            r
        })
        .collect();
    insert_recordings(&scope, &rows, NOW_MS)
        .await
        .expect("insert");
    (ws, scope)
}

/// The plan as text (one step a line, indented by depth), and its steps.
async fn plan(scope: &UserScope, query: HotQuery) -> (String, Vec<(i64, i64, String)>) {
    let (sql, steps) = explain(scope, &query).await.expect("explain");
    let mut depth = std::collections::HashMap::new();
    let mut text = format!("{sql}\n");
    for s in &steps {
        let d: usize = depth.get(&s.parent).map_or(0, |d: &usize| d + 1);
        depth.insert(s.id, d);
        text.push_str(&format!("{}{}\n", "  ".repeat(d), s.detail));
    }
    (
        text,
        steps
            .into_iter()
            .map(|s| (s.id, s.parent, s.detail))
            .collect(),
    )
}

/// No step reads the recordings table or an index of it from end to end.
fn assert_no_scan(text: &str, steps: &[(i64, i64, String)], why: &str) {
    for (_, _, detail) in steps {
        let mut words = detail.split_whitespace();
        let scans_recordings =
            words.next() == Some("SCAN") && matches!(words.next(), Some("r" | "recordings"));
        assert!(
            !scans_recordings,
            "{why}: a step scans the recordings: {detail}\n{text}"
        );
    }
}

fn assert_step(text: &str, steps: &[(i64, i64, String)], wanted: &str, why: &str) {
    assert!(
        steps.iter().any(|(_, _, d)| d.contains(wanted)),
        "{why}: the plan should contain {wanted:?}\n{text}"
    );
}

fn assert_no_sort(text: &str, steps: &[(i64, i64, String)], why: &str) {
    assert!(
        !steps.iter().any(|(_, _, d)| d.contains("TEMP B-TREE")),
        "{why}: the rows must come in index order, not be sorted afterwards\n{text}"
    );
}

#[tokio::test]
async fn list_pages_walk_the_sort_index_of_the_user_in_each_sort_and_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = library(dir.path()).await;
    for (by, index) in SORT_INDEXES {
        for order in [SortOrder::Desc, SortOrder::Asc] {
            for page in [1, 200] {
                let why = format!("page {page} by {by:?} {order:?}");
                let (text, steps) = plan(
                    &scope,
                    HotQuery::Page(ListRecordingsRequest {
                        sort_by: Some(by),
                        sort_order: Some(order),
                        page: Some(page),
                        limit: Some(50),
                        ..Default::default()
                    }),
                )
                .await;
                assert_step(
                    &text,
                    &steps,
                    &format!("SEARCH r USING INDEX {index} (user_id=?)"),
                    &why,
                );
                assert_no_sort(&text, &steps, &why);
                assert_no_scan(&text, &steps, &why);
            }
        }
    }
}

#[tokio::test]
async fn cursor_slices_start_inside_the_sort_index_at_the_cursor() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = library(dir.path()).await;
    for (by, index) in SORT_INDEXES {
        for order in [SortOrder::Desc, SortOrder::Asc] {
            // A real cursor, from walking ten rows in.
            let rows = walk(&scope, &RecordingFilter::default(), by, order, 10).await;
            assert!(
                rows.len() > 10,
                "the fixture is long enough to have a cursor"
            );
            let first = calldeck_core::library::list_recordings_after(
                &scope,
                &RecordingSliceRequest {
                    sort_by: Some(by),
                    sort_order: Some(order),
                    limit: Some(10),
                    ..Default::default()
                },
            )
            .await
            .expect("slice");
            let why = format!("a cursor slice by {by:?} {order:?}");
            let (text, steps) = plan(
                &scope,
                HotQuery::Slice(RecordingSliceRequest {
                    sort_by: Some(by),
                    sort_order: Some(order),
                    after: first.next_cursor,
                    limit: Some(50),
                    ..Default::default()
                }),
            )
            .await;
            let column = match by {
                SortBy::CreatedAt => "recorded_at_ms",
                SortBy::Duration => "duration_secs",
                SortBy::Phone => "phone_digits",
            };
            let op = if order == SortOrder::Desc { "<" } else { ">" };
            // SQLite seeks on the row value's first column and checks the id on the way.
            assert_step(
                &text,
                &steps,
                &format!("SEARCH r USING INDEX {index} (user_id=? AND {column}{op}?)"),
                &format!("{why} seeks to the cursor in the index rather than skipping rows"),
            );
            assert_no_sort(&text, &steps, &why);
            assert_no_scan(&text, &steps, &why);
        }
    }
}

#[tokio::test]
async fn filtered_lists_still_walk_the_sort_index() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = library(dir.path()).await;
    let filter = RecordingFilter {
        status: Some(RecordingStatus::Ready),
        direction: Some(Direction::Inbound),
        starred: Some(false),
        start_date: DateTime::from_timestamp_millis(NOW_MS - 90 * DAY_MS),
        end_date: DateTime::from_timestamp_millis(NOW_MS),
        ..Default::default()
    };
    let (text, steps) = plan(
        &scope,
        HotQuery::Page(ListRecordingsRequest {
            filter,
            ..Default::default()
        }),
    )
    .await;
    let why = "a filtered first page";
    assert_step(
        &text,
        &steps,
        "SEARCH r USING INDEX recordings_by_user_date (user_id=? AND recorded_at_ms>? AND recorded_at_ms<?)",
        why,
    );
    assert_no_sort(&text, &steps, why);
}

#[tokio::test]
async fn counts_come_from_the_totals_or_from_the_date_index_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = library(dir.path()).await;
    let grouped = RecordingFilter {
        status: Some(RecordingStatus::Ready),
        direction: Some(Direction::Inbound),
        ..Default::default()
    };
    let (text, steps) = plan(&scope, HotQuery::Count(grouped)).await;
    assert_step(
        &text,
        &steps,
        "SEARCH t USING PRIMARY KEY (user_id=? AND status=? AND direction=?)",
        "a grouped count reads the totals",
    );
    assert!(
        !text.contains(" r "),
        "a grouped count never reads the recordings\n{text}"
    );

    for (filter, why) in [
        (
            RecordingFilter {
                start_date: DateTime::from_timestamp_millis(NOW_MS - 90 * DAY_MS),
                end_date: DateTime::from_timestamp_millis(NOW_MS),
                ..Default::default()
            },
            "a date-range count",
        ),
        (
            RecordingFilter {
                status: Some(RecordingStatus::Ready),
                direction: Some(Direction::Outbound),
                category: Some("sales".into()),
                starred: Some(true),
                archived: Some(false),
                legal_hold: Some(false),
                start_date: DateTime::from_timestamp_millis(NOW_MS - 90 * DAY_MS),
                ..Default::default()
            },
            "a date-range count with every grouped filter",
        ),
    ] {
        let (text, steps) = plan(&scope, HotQuery::Count(filter)).await;
        assert_step(
            &text,
            &steps,
            "SEARCH r USING COVERING INDEX recordings_by_user_date (user_id=? AND recorded_at_ms>?",
            &format!("{why} counts index entries without reading the rows"),
        );
        assert_no_scan(&text, &steps, why);
    }
}

#[tokio::test]
async fn date_range_counts_add_whole_weeks_from_the_weekly_totals() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = library(dir.path()).await;
    for (days, status) in [(90, None), (365, Some(RecordingStatus::Ready))] {
        let filter = RecordingFilter {
            status,
            start_date: DateTime::from_timestamp_millis(NOW_MS - days * DAY_MS),
            end_date: DateTime::from_timestamp_millis(NOW_MS),
            ..Default::default()
        };
        let why = format!("a count of the last {days} days (status {status:?})");
        let (text, steps) = plan(&scope, HotQuery::Count(filter)).await;
        assert_step(
            &text,
            &steps,
            "SEARCH w USING PRIMARY KEY (user_id=? AND week>? AND week<?)",
            &format!("{why} sums the whole weeks from the weekly totals"),
        );
        assert_step(
            &text,
            &steps,
            "SEARCH r USING COVERING INDEX recordings_by_user_date (user_id=? AND recorded_at_ms>? AND recorded_at_ms<?)",
            &format!("{why} counts the partial weeks from the date index alone"),
        );
        assert_no_scan(&text, &steps, &why);
    }
}

#[tokio::test]
async fn stats_read_the_users_totals_by_primary_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = library(dir.path()).await;
    let (text, steps) = plan(&scope, HotQuery::Stats).await;
    assert_step(
        &text,
        &steps,
        "SEARCH recording_totals USING PRIMARY KEY (user_id=?)",
        "stats",
    );
    assert!(
        !text.contains("recordings "),
        "stats never read the recordings\n{text}"
    );
}

#[tokio::test]
async fn searches_go_through_the_trigram_index_and_read_only_the_matches() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = library(dir.path()).await;
    for text_typed in [
        "+1 555 000",
        "(555) 12",
        "okafo",
        "Chloé",
        "a OR b",
        "NEAR(\"x",
    ] {
        let filter = RecordingFilter {
            search: Some(text_typed.into()),
            ..Default::default()
        };
        for (query, what) in [
            (
                HotQuery::Page(ListRecordingsRequest {
                    filter: filter.clone(),
                    ..Default::default()
                }),
                "the page",
            ),
            (HotQuery::Count(filter.clone()), "the count"),
        ] {
            let why = format!("{what} of a search for {text_typed:?}");
            let (text, steps) = plan(&scope, query.clone()).await;
            assert_step(&text, &steps, "SCAN recordings_search VIRTUAL TABLE", &why);
            assert_step(
                &text,
                &steps,
                "SEARCH r USING INTEGER PRIMARY KEY (rowid=?)",
                &format!("{why} reads the matching rows by id"),
            );
            if matches!(query, HotQuery::Page(_)) {
                assert_step(
                    &text,
                    &steps,
                    "SCAN hits",
                    &format!("{why} narrows the matches to the page by id and sort key, then reads the page's rows whole"),
                );
            }
            assert_no_scan(&text, &steps, &why);
        }
    }
}

#[tokio::test]
async fn short_searches_stay_within_the_users_rows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = library(dir.path()).await;
    for typed in ["5", "an", "%", "_"] {
        let (text, steps) = plan(
            &scope,
            HotQuery::Count(RecordingFilter {
                search: Some(typed.into()),
                ..Default::default()
            }),
        )
        .await;
        let why = format!("a count of a short search for {typed:?}");
        assert_step(&text, &steps, "(user_id=?)", &why);
        assert_no_scan(&text, &steps, &why);
    }
}
