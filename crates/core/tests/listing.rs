//! Paging through the library.

mod common;

use calldeck_core::demo;
use calldeck_core::library::{list_recordings, ListRecordingsRequest, MAX_PAGE_SIZE};
use calldeck_core::Workspace;
use common::NOW_MS;

#[tokio::test]
async fn pages_are_newest_first_and_never_larger_than_fifty() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scope = demo::open(&Workspace::new(dir.path()), NOW_MS)
        .await
        .expect("open demo");
    let page = list_recordings(
        &scope,
        &ListRecordingsRequest {
            page: Some(1),
            limit: Some(10_000),
            ..Default::default()
        },
    )
    .await
    .expect("list");
    assert_eq!(page.limit, MAX_PAGE_SIZE, "a larger limit is clamped to 50");
    assert_eq!(page.items.len(), 50);
    assert_eq!(page.total, 200, "the total counts every page");
    let dates: Vec<_> = page.items.iter().map(|r| r.recorded_at).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");

    let second = list_recordings(
        &scope,
        &ListRecordingsRequest {
            page: Some(2),
            limit: Some(50),
            ..Default::default()
        },
    )
    .await
    .expect("list");
    assert!(
        second.items[0].recorded_at <= page.items[49].recorded_at,
        "page 2 continues where page 1 ended"
    );
}

#[tokio::test]
async fn pages_past_the_end_are_empty_and_page_zero_means_the_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scope = demo::open(&Workspace::new(dir.path()), NOW_MS)
        .await
        .expect("open demo");
    let beyond = list_recordings(
        &scope,
        &ListRecordingsRequest {
            page: Some(99),
            limit: Some(50),
            ..Default::default()
        },
    )
    .await
    .expect("list");
    assert!(beyond.items.is_empty(), "no rows past the last page");
    assert_eq!(beyond.total, 200, "but the total is still known");
    let zero = list_recordings(
        &scope,
        &ListRecordingsRequest {
            page: Some(0),
            limit: Some(0),
            ..Default::default()
        },
    )
    .await
    .expect("list");
    assert_eq!(
        (zero.page, zero.items.len()),
        (1, 1),
        "page 0 is page 1, limit 0 is the smallest page"
    );
}
