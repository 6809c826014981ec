//! Listing, checked against a brute-force model: every filter, search, sort and cursor,
//! and the counts that go with them.

mod common;
mod fixtures;

use std::collections::BTreeSet;

use calldeck_core::library::{
    count_recordings, list_recordings, list_recordings_after, Direction, ListRecordingsRequest,
    RecordingFilter, RecordingSliceRequest, RecordingStatus, SortBy, SortOrder,
};
use calldeck_core::{Error, UserScope};
use common::{signed_in, NOW_MS};
use fixtures::model::{date, matches, seed, Model};
use fixtures::{walk, DAY_MS};

async fn assert_filter(scope: &UserScope, models: &[Model], filter: &RecordingFilter, why: &str) {
    let expected: BTreeSet<String> = models
        .iter()
        .filter(|m| matches(m, filter))
        .map(|m| m.sid.clone())
        .collect();
    let listed = walk(scope, filter, SortBy::CreatedAt, SortOrder::Desc, 9).await;
    let got: BTreeSet<String> = listed.iter().map(|r| r.id.clone()).collect();
    assert_eq!(
        got.len(),
        listed.len(),
        "{why}: the cursor must list each recording once"
    );
    assert_eq!(
        got, expected,
        "{why}: the list must hold exactly the matching recordings"
    );
    let count = count_recordings(scope, filter).await.expect("count");
    assert_eq!(
        count as usize,
        expected.len(),
        "{why}: the count must equal the real number of matches"
    );
    let page = list_recordings(
        scope,
        &ListRecordingsRequest {
            filter: filter.clone(),
            ..Default::default()
        },
    )
    .await
    .expect("list");
    assert_eq!(
        page.total as usize,
        expected.len(),
        "{why}: the page's total must equal the real number of matches"
    );
    // A search counts its matches within the page query: a page past the end carries no
    // row to count with, and the first cursor slice carries the total too.
    let past_end = list_recordings(
        scope,
        &ListRecordingsRequest {
            filter: filter.clone(),
            page: Some(u32::try_from(expected.len() / 50 + 2).expect("pages")),
            ..Default::default()
        },
    )
    .await
    .expect("list past the end");
    assert!(past_end.items.is_empty(), "{why}: past the end");
    assert_eq!(
        past_end.total as usize,
        expected.len(),
        "{why}: total past the end"
    );
    let first = list_recordings_after(
        scope,
        &RecordingSliceRequest {
            filter: filter.clone(),
            limit: Some(9),
            ..Default::default()
        },
    )
    .await
    .expect("first slice");
    assert_eq!(
        first.total.map(|t| t as usize),
        Some(expected.len()),
        "{why}: the first slice's total"
    );
}

#[tokio::test]
async fn every_filter_lists_and_counts_exactly_the_matching_recordings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|filters").await;
    let models = seed(&scope, 1).await;
    let mut filters: Vec<(RecordingFilter, String)> =
        vec![(RecordingFilter::default(), "no filter".into())];
    for status in [
        RecordingStatus::Ready,
        RecordingStatus::Processing,
        RecordingStatus::Error,
    ] {
        filters.push((
            RecordingFilter {
                status: Some(status),
                ..Default::default()
            },
            format!("status {status:?}"),
        ));
    }
    for direction in [Direction::Inbound, Direction::Outbound] {
        filters.push((
            RecordingFilter {
                direction: Some(direction),
                ..Default::default()
            },
            format!("direction {direction:?}"),
        ));
    }
    for category in ["sales", "support", " billing ", "none-such", ""] {
        filters.push((
            RecordingFilter {
                category: Some(category.into()),
                ..Default::default()
            },
            format!("category {category:?}"),
        ));
    }
    for flag in [true, false] {
        filters.push((
            RecordingFilter {
                starred: Some(flag),
                ..Default::default()
            },
            format!("starred {flag}"),
        ));
        filters.push((
            RecordingFilter {
                archived: Some(flag),
                ..Default::default()
            },
            format!("archived {flag}"),
        ));
        filters.push((
            RecordingFilter {
                legal_hold: Some(flag),
                ..Default::default()
            },
            format!("legal hold {flag}"),
        ));
    }
    // Date ranges take the scan path of the count; the rest are answered from the totals.
    filters.push((
        RecordingFilter {
            start_date: date(NOW_MS - 10 * DAY_MS),
            ..Default::default()
        },
        "from ten days ago (inclusive)".into(),
    ));
    filters.push((
        RecordingFilter {
            end_date: date(NOW_MS - 10 * DAY_MS),
            ..Default::default()
        },
        "before ten days ago (exclusive)".into(),
    ));
    filters.push((
        RecordingFilter {
            start_date: date(NOW_MS - 20 * DAY_MS),
            end_date: date(NOW_MS - 5 * DAY_MS),
            status: Some(RecordingStatus::Ready),
            starred: Some(false),
            ..Default::default()
        },
        "a date range with status and starred".into(),
    ));
    filters.push((
        RecordingFilter {
            status: Some(RecordingStatus::Ready),
            direction: Some(Direction::Outbound),
            category: Some("sales".into()),
            archived: Some(false),
            legal_hold: Some(false),
            ..Default::default()
        },
        "every grouped filter at once".into(),
    ));
    filters.push((
        RecordingFilter {
            start_date: date(NOW_MS),
            end_date: date(NOW_MS - DAY_MS),
            ..Default::default()
        },
        "an empty (reversed) date range".into(),
    ));
    for (filter, why) in &filters {
        assert_filter(&scope, &models, filter, why).await;
    }
    assert!(
        models.iter().any(|m| m.held) && models.iter().any(|m| m.category.is_none()),
        "the fixture must hold held and uncategorised recordings, or the filters prove nothing"
    );
}

#[tokio::test]
async fn search_finds_numbers_in_any_notation_and_names_by_any_part() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|search").await;
    let models = seed(&scope, 2).await;
    let expect_some = [
        "555",
        "+1 555",
        "(555) 12",
        "1-555-987",
        "okaf",
        "OKAFOR",
        "ana",
        "chloé",
        "CHLOÉ LAM",
        "an",
        "5",
        "55",
        "%",
        "_",
        "0% S",
        "s_t",
        "\"",
        "\"boss\"",
        "o'b",
        "'",
        "a or b",
    ];
    for text in expect_some {
        let filter = RecordingFilter {
            search: Some(text.into()),
            ..Default::default()
        };
        assert!(
            models.iter().any(|m| matches(m, &filter)),
            "the fixture must match {text:?}, or the search proves nothing"
        );
        assert_filter(&scope, &models, &filter, &format!("search {text:?}")).await;
    }
    let hostile = [
        "a OR b",
        "NEAR(",
        "NEAR(ana ben)",
        "*",
        "ana*",
        "\"",
        "\"\"",
        "contact_name:ana",
        "phone_digits : 555",
        "{phone_digits}: 555",
        "^ana",
        "ana AND NOT ben",
        "'; DROP TABLE recordings; --",
        "%%",
        "__",
        "\\",
        "\\%",
        "   ",
        "\0",
        "+-()",
        &"5".repeat(500),
        &"a".repeat(10_000),
    ];
    for text in hostile {
        let filter = RecordingFilter {
            search: Some(text.into()),
            ..Default::default()
        };
        assert_filter(
            &scope,
            &models,
            &filter,
            &format!("hostile search {:?}", &text[..text.len().min(30)]),
        )
        .await;
    }
    let none = RecordingFilter {
        search: Some("*".into()),
        ..Default::default()
    };
    assert_eq!(
        count_recordings(&scope, &none).await.expect("count"),
        0,
        "`*` is a character to find, not a wildcard"
    );
    let percent = RecordingFilter {
        search: Some("%".into()),
        ..Default::default()
    };
    assert!(
        (count_recordings(&scope, &percent).await.expect("count") as usize) < models.len(),
        "`%` is a character to find, not a wildcard"
    );
}

#[tokio::test]
async fn search_combines_with_filters_and_sorts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|search-filter").await;
    let models = seed(&scope, 3).await;
    let filter = RecordingFilter {
        search: Some("555".into()),
        starred: Some(false),
        start_date: date(NOW_MS - 20 * DAY_MS),
        ..Default::default()
    };
    assert_filter(&scope, &models, &filter, "search with filters").await;
    let by_phone = walk(&scope, &filter, SortBy::Phone, SortOrder::Asc, 4).await;
    assert!(
        by_phone
            .windows(2)
            .all(|w| digits(&w[0].phone_number) <= digits(&w[1].phone_number)),
        "a search sorted by number comes in number order"
    );
}

fn digits(n: &str) -> String {
    n.chars().filter(char::is_ascii_digit).collect()
}

#[tokio::test]
async fn every_sort_orders_with_stable_ties_and_cursor_pages_equal_offset_pages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|sorts").await;
    let models = seed(&scope, 4).await;
    let durations: BTreeSet<u32> = models.iter().map(|m| m.duration).collect();
    assert!(
        durations.len() < models.len(),
        "the fixture must have ties, or stability is not tested"
    );
    for filter in [
        RecordingFilter::default(),
        RecordingFilter {
            archived: Some(false),
            ..Default::default()
        },
    ] {
        let expected = models.iter().filter(|m| matches(m, &filter)).count();
        for by in [SortBy::CreatedAt, SortBy::Duration, SortBy::Phone] {
            for order in [SortOrder::Asc, SortOrder::Desc] {
                let why = format!("{by:?} {order:?} with {filter:?}");
                let cursor = walk(&scope, &filter, by, order, 7).await;
                let ids: Vec<&str> = cursor.iter().map(|r| r.id.as_str()).collect();
                let unique: BTreeSet<&str> = ids.iter().copied().collect();
                assert_eq!(
                    (ids.len(), unique.len()),
                    (expected, expected),
                    "{why}: the cursor must cover every row exactly once"
                );
                let mut offset = Vec::new();
                for page in 1.. {
                    let got = list_recordings(
                        &scope,
                        &ListRecordingsRequest {
                            filter: filter.clone(),
                            sort_by: Some(by),
                            sort_order: Some(order),
                            page: Some(page),
                            limit: Some(7),
                        },
                    )
                    .await
                    .expect("page");
                    assert_eq!(
                        got.total as usize, expected,
                        "{why}: every page has the total"
                    );
                    if got.items.is_empty() {
                        break;
                    }
                    offset.extend(got.items);
                }
                let offset_ids: Vec<&str> = offset.iter().map(|r| r.id.as_str()).collect();
                assert_eq!(
                    offset_ids, ids,
                    "{why}: offset pages and cursor slices must give the same order, ties included"
                );
                let again = walk(&scope, &filter, by, order, 13).await;
                let again_ids: Vec<&str> = again.iter().map(|r| r.id.as_str()).collect();
                assert_eq!(
                    again_ids, ids,
                    "{why}: ties must be broken the same way every time"
                );
                let in_order = cursor.windows(2).all(|w| {
                    let (a, b) = (&w[0], &w[1]);
                    let cmp = match by {
                        SortBy::CreatedAt => a.recorded_at.cmp(&b.recorded_at),
                        SortBy::Duration => a.duration_secs.cmp(&b.duration_secs),
                        SortBy::Phone => digits(&a.phone_number).cmp(&digits(&b.phone_number)),
                    };
                    match order {
                        SortOrder::Asc => cmp.is_le(),
                        SortOrder::Desc => cmp.is_ge(),
                    }
                });
                assert!(in_order, "{why}: rows must come in the asked order");
            }
        }
    }
}

#[tokio::test]
async fn a_cursor_from_another_sort_or_a_forged_one_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|cursor").await;
    seed(&scope, 5).await;
    let first = calldeck_core::library::list_recordings_after(
        &scope,
        &calldeck_core::library::RecordingSliceRequest {
            limit: Some(10),
            ..Default::default()
        },
    )
    .await
    .expect("slice");
    assert_eq!(first.total, Some(60), "the first slice carries the total");
    let cursor = first.next_cursor.expect("more slices follow");
    for (by, after) in [
        (SortBy::Duration, cursor.clone()),
        (SortBy::CreatedAt, format!("{cursor}' OR 1=1 --")),
        (
            SortBy::CreatedAt,
            "recorded_at_ms.DESC.1.1; DROP TABLE recordings".into(),
        ),
        (SortBy::Phone, "phone_digits.DESC.d55%.1".into()),
        (SortBy::CreatedAt, "x".repeat(100_000)),
    ] {
        let got = calldeck_core::library::list_recordings_after(
            &scope,
            &calldeck_core::library::RecordingSliceRequest {
                sort_by: Some(by),
                after: Some(after),
                ..Default::default()
            },
        )
        .await;
        assert!(
            matches!(got, Err(Error::InvalidInput(_))),
            "a cursor that is not this sort's must be refused as invalid input"
        );
    }
}

#[tokio::test]
async fn a_first_slice_asked_without_its_total_has_the_same_rows_and_the_count_follows_apart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|no-total").await;
    seed(&scope, 5).await;
    let filter = RecordingFilter {
        search: Some("555".into()),
        ..Default::default()
    };
    let ask = |without_total| calldeck_core::library::RecordingSliceRequest {
        filter: filter.clone(),
        limit: Some(10),
        without_total,
        ..Default::default()
    };
    let counted = calldeck_core::library::list_recordings_after(&scope, &ask(false))
        .await
        .expect("slice with its total");
    let uncounted = calldeck_core::library::list_recordings_after(&scope, &ask(true))
        .await
        .expect("slice without its total");
    assert_eq!(
        uncounted.total, None,
        "asked without, the slice has no total"
    );
    let ids = |s: &calldeck_core::library::RecordingSlice| {
        s.items.iter().map(|r| r.id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(ids(&uncounted), ids(&counted), "the same rows either way");
    assert_eq!(uncounted.next_cursor, counted.next_cursor);
    let total = counted.total.expect("the counted slice has its total");
    assert!(
        total > 10,
        "the search matches more than one slice ({total})"
    );
    assert_eq!(
        calldeck_core::library::count_recordings(&scope, &filter)
            .await
            .expect("count"),
        total,
        "the count asked apart is the slice's total"
    );
}
