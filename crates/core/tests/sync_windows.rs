//! Parallel listing by time windows, against the loopback fake: a 20,000-recording account
//! with clustered dates (quiet months, one busy day of 5,000, recordings at exact UTC
//! midnights and at 23:59:59.999, calls that start the day before their recording) is
//! stored exactly once, SID for SID, after a first sync at page sizes that make windows of
//! every size, and of a few days' account in windows of one day, under both readings of Twilio's upper date bound; after
//! a cancelled and resumed first sync; and after an incremental sync.

mod common;
mod support;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use calldeck_core::sync::{self, SyncOptions, SyncProgress, SyncResult};
use calldeck_core::UserScope;
use tokio_util::sync::CancellationToken;

use common::{rows_in, signed_in, NOW_MS};

#[path = "sync_windows/account.rs"]
mod account;
use account::{account, at, made, TOTAL};
use support::client;
use support::twilio_fake::{generate, EdgeReading, FakeRecording, FakeTwilio, ACCOUNT_SID, DAY_MS};

async fn fake_with(recs: Vec<FakeRecording>, reading: EdgeReading) -> FakeTwilio {
    let fake = FakeTwilio::start(recs).await;
    *fake.state.edge_reading.lock().expect("lock") = reading;
    *fake.state.account_created_ms.lock().expect("lock") = Some(at(2025, 1, 2) + 3_600_000);
    fake
}

fn options(page_size: u32, now_ms: i64) -> SyncOptions {
    SyncOptions {
        page_size,
        now_ms,
        ..SyncOptions::default()
    }
}

type Stored = HashMap<String, (i64, String, Option<String>)>;

/// sid -> (recorded_at_ms, phone_number, call_sid).
async fn stored(scope: &UserScope) -> Stored {
    let rows: Vec<(String, i64, String, Option<String>)> = sqlx::query_as(
        "SELECT sid, recorded_at_ms, phone_number, call_sid FROM recordings WHERE user_id = ?1",
    )
    .bind(scope.user_id())
    .fetch_all(scope.pool_for_tests())
    .await
    .expect("rows");
    rows.into_iter()
        .map(|(s, t, p, c)| (s, (t, p, c)))
        .collect()
}

/// The library equals the fake's recordings, SID for SID, each with its date and joined
/// with its call's number.
fn assert_same(library: &Stored, fake: &[FakeRecording], context: &str) {
    let wanted: HashSet<&str> = fake.iter().map(|r| r.sid.as_str()).collect();
    let have: HashSet<&str> = library.keys().map(String::as_str).collect();
    let missing: Vec<_> = wanted.difference(&have).take(5).collect();
    let extra: Vec<_> = have.difference(&wanted).take(5).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{context}: {} missing (e.g. {missing:?}), {} extra (e.g. {extra:?})",
        wanted.difference(&have).count(),
        have.difference(&wanted).count()
    );
    for r in fake {
        let (t, phone, call) = &library[&r.sid];
        let number = if r.direction == "inbound" {
            &r.from
        } else {
            &r.to
        };
        assert_eq!(
            (*t, phone.as_str(), call.as_deref()),
            // Twilio's dates are RFC 2822: whole seconds.
            (
                r.created_ms.div_euclid(1000) * 1000,
                number.as_str(),
                Some(r.call_sid.as_str())
            ),
            "{context}: {} (created {}, call started {}) is stored with its date and its call",
            r.sid,
            r.created_ms,
            r.call_start_ms()
        );
    }
}

async fn sync_run(
    scope: &UserScope,
    fake: &FakeTwilio,
    options: &SyncOptions,
    cancel: &CancellationToken,
    progress: Option<sync::ProgressFn>,
) -> SyncResult {
    let c = client(&fake.base_url);
    let run = sync::sync_recordings(scope, &c, options, cancel, progress);
    tokio::time::timeout(std::time::Duration::from_secs(120), run)
        .await
        .expect("the sync ends")
        .expect("the sync succeeds")
}

async fn windows_left(scope: &UserScope) -> (i64, i64) {
    sqlx::query_as(
        "SELECT count(*), count(next_link) FROM sync_windows WHERE user_id = ?1 AND done = 0",
    )
    .bind(scope.user_id())
    .fetch_one(scope.pool_for_tests())
    .await
    .expect("windows")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_sync_stores_every_recording_once_with_windows_of_every_size_under_both_readings() {
    let whole = account();
    // The days around the busy one, as an account of their own created the first of them:
    // a first sync of a few days starts with a window per day, each asked for as `X=D`,
    // with recordings on both its edges (00:00:00.000 and 23:59:59.999) and calls that
    // start the day before.
    let (days_from, days_to) = (at(2026, 6, 13), at(2026, 6, 18));
    let days: Vec<FakeRecording> = whole
        .iter()
        .filter(|r| (days_from..days_to).contains(&r.created_ms))
        .cloned()
        .collect();
    assert!(days.len() > 5_000, "the busy day and its neighbours");
    let configurations = [
        ("the account", &whole, 1000, NOW_MS, None),
        ("the account", &whole, 50, NOW_MS, None),
        (
            "five days",
            &days,
            50,
            days_to - 3_600_000,
            Some(days_from + 60_000),
        ),
    ];
    for reading in [EdgeReading::WholeDay, EdgeReading::Midnight] {
        for (what, recs, page_size, now_ms, created_ms) in configurations {
            let context = format!("{what}, {reading:?}, page size {page_size}");
            let dir = tempfile::tempdir().expect("dir");
            let (_ws, scope) = signed_in(dir.path(), "auth0|windows").await;
            let fake = fake_with(recs.clone(), reading).await;
            if created_ms.is_some() {
                *fake.state.account_created_ms.lock().expect("lock") = created_ms;
            }
            let started = std::time::Instant::now();
            let result = sync_run(
                &scope,
                &fake,
                &options(page_size, now_ms),
                &CancellationToken::new(),
                None,
            )
            .await;
            eprintln!(
                "{context}: {:?}, {} recording pages, {} requests",
                started.elapsed(),
                result.pages,
                fake.state
                    .api_requests
                    .load(std::sync::atomic::Ordering::SeqCst)
            );
            assert_eq!(
                (
                    result.new,
                    result.synced,
                    result.failed,
                    result.without_call
                ),
                (recs.len() as u32, recs.len() as u32, 0, 0),
                "{context}: {result:?}"
            );
            assert_same(&stored(&scope).await, recs, &context);
            // Eight windows list at once, yet the account never has more requests in
            // flight than the client's budget allows (the fake counts them).
            let peak = fake
                .state
                .limits
                .peak_demand
                .load(std::sync::atomic::Ordering::SeqCst);
            assert!(
                peak <= calldeck_core::twilio::DEFAULT_CONCURRENCY,
                "{context}: {peak} requests in flight"
            );
            let queries = fake.state.list_queries.lock().expect("lock").clone();
            let one_day = |key: &str| {
                queries
                    .iter()
                    .any(|q| q.split(['?', '&']).any(|p| p.starts_with(key)))
            };
            if created_ms.is_some() {
                assert!(
                    one_day("DateCreated=") && one_day("StartTime="),
                    "{context}: windows of one day: {:?}",
                    &queries[..queries.len().min(40)]
                );
            }
            let state = sync::state::load(&scope).await.expect("state");
            assert!(!state.run_in_progress(), "{context}: {state:?}");
            assert_eq!(windows_left(&scope).await, (0, 0), "{context}");
            assert_eq!(
                rows_in(&scope, "sync_calls").await,
                0,
                "{context}: the run's calls are let go"
            );
            assert_eq!(
                rows_in(&scope, "sync_pending").await,
                0,
                "{context}: no recording is left waiting for its call"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_first_sync_resumes_every_window_where_it_stopped() {
    let recs = account();
    for reading in [EdgeReading::WholeDay, EdgeReading::Midnight] {
        let dir = tempfile::tempdir().expect("dir");
        let (_ws, scope) = signed_in(dir.path(), "auth0|resume").await;
        let fake = fake_with(recs.clone(), reading).await;
        fake.state
            .page_delay_ms
            .store(2, std::sync::atomic::Ordering::SeqCst);
        let cancel = CancellationToken::new();
        let stop = cancel.clone();
        let first = sync_run(
            &scope,
            &fake,
            &options(50, NOW_MS),
            &cancel,
            Some(Arc::new(move |p: &SyncProgress| {
                if p.pages >= 120 {
                    stop.cancel();
                }
            })),
        )
        .await;
        assert!(first.cancelled, "{reading:?}: {first:?}");
        assert!(
            first.new > 0 && u64::from(first.new) < TOTAL,
            "{reading:?}: cancelled part-way: {first:?}"
        );
        let (open, with_link) = windows_left(&scope).await;
        assert!(
            open > 1 && with_link > 0,
            "{reading:?}: windows are left, some part-way: {open} open, {with_link} with a link"
        );
        fake.state
            .page_delay_ms
            .store(0, std::sync::atomic::Ordering::SeqCst);
        let second = sync_run(
            &scope,
            &fake,
            &options(50, NOW_MS),
            &CancellationToken::new(),
            None,
        )
        .await;
        assert!(!second.cancelled);
        assert_eq!(
            u64::from(first.new + second.new),
            TOTAL,
            "{reading:?}: every recording new exactly once across the two runs: {first:?} {second:?}"
        );
        assert_eq!(
            second.unchanged, 0,
            "{reading:?}: each window resumed after its last stored page, none listed again"
        );
        assert_same(
            &stored(&scope).await,
            &recs,
            &format!("{reading:?} resumed"),
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_window_whose_saved_link_twilio_refuses_starts_over_from_its_first_day() {
    let recs = account();
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|refused").await;
    let fake = fake_with(recs.clone(), EdgeReading::WholeDay).await;
    let cancel = CancellationToken::new();
    let stop = cancel.clone();
    sync_run(
        &scope,
        &fake,
        &options(50, NOW_MS),
        &cancel,
        Some(Arc::new(move |p: &SyncProgress| {
            if p.pages >= 60 {
                stop.cancel();
            }
        })),
    )
    .await;
    // One saved link with a token Twilio no longer knows, one to another host.
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM sync_windows WHERE done = 0 AND listing = 'recordings'
         ORDER BY next_link IS NULL, id LIMIT 2",
    )
    .fetch_all(scope.pool_for_tests())
    .await
    .expect("ids");
    assert_eq!(ids.len(), 2, "two recordings windows left");
    let stale = format!(
        "/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings.json?PageSize=50&Page=3&PageToken=stale"
    );
    for (id, link) in ids.iter().zip([stale, "https://evil.example/x".into()]) {
        sqlx::query("UPDATE sync_windows SET next_link = ?1 WHERE id = ?2")
            .bind(link)
            .bind(id)
            .execute(scope.pool_for_tests())
            .await
            .expect("spoil a link");
    }
    let done = sync_run(
        &scope,
        &fake,
        &options(50, NOW_MS),
        &CancellationToken::new(),
        None,
    )
    .await;
    assert!(!done.cancelled, "{done:?}");
    assert_same(&stored(&scope).await, &recs, "after refused links");
    let queries = fake.state.list_queries.lock().expect("lock").clone();
    assert!(
        queries.iter().any(|q| q.contains("PageToken=stale")),
        "the stale link was tried once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_incremental_sync_finds_what_arrived_at_the_window_edges() {
    let mut recs = account();
    for reading in [EdgeReading::WholeDay, EdgeReading::Midnight] {
        let dir = tempfile::tempdir().expect("dir");
        let (_ws, scope) = signed_in(dir.path(), "auth0|incremental").await;
        let fake = fake_with(recs.clone(), reading).await;
        let first = sync_run(
            &scope,
            &fake,
            &options(200, NOW_MS),
            &CancellationToken::new(),
            None,
        )
        .await;
        assert_eq!(u64::from(first.new), TOTAL);

        // Arrivals: at the overlap day's midnight, at the end of yesterday, at today's
        // midnight with a call from yesterday, and later today.
        let today = NOW_MS - NOW_MS.rem_euclid(DAY_MS);
        let base = TOTAL + 1;
        let added = [
            made(base, today - DAY_MS, 0),
            made(base + 1, today - 1, 10_000),
            made(base + 2, today, 120_000),
            made(base + 3, NOW_MS + 60_000, 30_000),
            made(base + 4, today + DAY_MS - 1, 5_000),
        ];
        let mut now = recs.clone();
        now.extend(added.iter().cloned());
        fake.set_recordings(now.clone());
        let later = NOW_MS + 12 * 3_600_000 - 1;
        let second = sync_run(
            &scope,
            &fake,
            &options(200, later),
            &CancellationToken::new(),
            None,
        )
        .await;
        assert_eq!(
            (second.new, second.updated, second.without_call),
            (added.len() as u32, 0, 0),
            "{reading:?}: {second:?}"
        );
        assert_same(
            &stored(&scope).await,
            &now,
            &format!("{reading:?} incremental"),
        );
        recs = account();
    }
}

#[tokio::test]
async fn a_resume_point_saved_by_the_previous_version_is_dropped_and_the_run_starts_afresh() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|legacy").await;
    let recs = generate(40, NOW_MS, 3_600_000);
    let fake = fake_with(recs.clone(), EdgeReading::WholeDay).await;
    let legacy = format!(
        "/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings.json?PageSize=10&DateCreated%3E=2026-11-01&Page=1&PageToken=PA10"
    );
    sqlx::query(
        "INSERT INTO sync_state (user_id, run_from_day, run_cursor, run_high_ms, run_pages)
         VALUES (?1, '2026-11-01', ?2, ?3, 1)",
    )
    .bind(scope.user_id())
    .bind(&legacy)
    .bind(NOW_MS)
    .execute(scope.pool_for_tests())
    .await
    .expect("seed");
    let result = sync_run(
        &scope,
        &fake,
        &options(10, NOW_MS),
        &CancellationToken::new(),
        None,
    )
    .await;
    assert_eq!(result.new, 40, "{result:?}");
    let queries = fake.state.list_queries.lock().expect("lock").clone();
    assert!(
        !queries.iter().any(|q| q.contains("PageToken=PA10&")
            && q.contains("DateCreated>=2026-11-01")
            && !q.contains("DateCreated<")),
        "the old link is not followed: {queries:?}"
    );
    let state = sync::state::load(&scope).await.expect("state");
    assert!(
        !state.run_in_progress() && state.run_cursor.is_none(),
        "{state:?}"
    );
    assert_same(&stored(&scope).await, &recs, "legacy");
}
