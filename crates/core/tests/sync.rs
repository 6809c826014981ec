//! Sync from the loopback Twilio fake into a user's library.

mod common;
mod support;

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use calldeck_core::library::{self, Direction, RecordingStatus};
use calldeck_core::sync::{self, SyncOptions, SyncProgress};
use calldeck_core::{Error, UserScope};
use tokio_util::sync::CancellationToken;

use common::{signed_in, NOW_MS};
use support::client;
use support::twilio_fake::{generate, FakeTwilio, DAY_MS};

fn options(page_size: u32) -> SyncOptions {
    SyncOptions {
        page_size,
        now_ms: NOW_MS,
        ..SyncOptions::default()
    }
}

async fn count(scope: &UserScope) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM recordings WHERE user_id = ?1")
        .bind(scope.user_id())
        .fetch_one(scope.pool_for_tests())
        .await
        .expect("count")
}

#[tokio::test]
async fn first_sync_pages_through_everything_and_joins_calls_without_extra_requests() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|sync").await;
    let fake = FakeTwilio::start(generate(45, NOW_MS, 3_600_000)).await;
    let seen: Arc<Mutex<Vec<SyncProgress>>> = Arc::default();
    let sink = Arc::clone(&seen);
    let result = sync::sync_recordings(
        &scope,
        &client(&fake.base_url),
        &options(20),
        &CancellationToken::new(),
        Some(Arc::new(move |p: &SyncProgress| {
            sink.lock().expect("lock").push(p.clone())
        })),
    )
    .await
    .expect("sync");
    assert_eq!((result.new, result.synced), (45, 45), "{result:?}");
    assert!(result.pages >= 3, "45 at 20 a page: {result:?}");
    assert_eq!(result.without_call, 0, "every recording found its call");
    assert_eq!(count(&scope).await, 45);
    // The first sync lists windows of days side by side (the account's history cut in
    // eight, then split where a page shows more). Every request is a page it stores, but
    // for a window's first page asked again with an exact last day once Twilio shows it
    // reads an upper bound as the whole day (at most once per window then in flight).
    let (calls, recordings) = (
        fake.state.call_list_requests.load(Ordering::SeqCst),
        fake.state.recording_list_requests.load(Ordering::SeqCst),
    );
    assert!(
        (result.pages..=result.pages + 8).contains(&recordings),
        "{recordings} recordings requests for {} pages",
        result.pages
    );
    assert!(
        calls < 45 / 2,
        "calls are listed by page, never one request per recording: {calls}"
    );
    assert_eq!(
        fake.state.api_requests.load(Ordering::SeqCst),
        1 + calls + recordings,
        "the account (its creation day) and the pages, nothing else"
    );

    // Index 1 is inbound from +15550000001 with a caller name; index 0 is outbound.
    let inbound = library::get_recording(&scope, &support::twilio_fake::recording_sid(2))
        .await
        .expect("get");
    assert_eq!(inbound.summary.phone_number, "+15550000001");
    assert_eq!(inbound.summary.direction, Direction::Inbound);
    assert_eq!(inbound.summary.contact_name.as_deref(), Some("Caller 1"));
    assert_eq!(inbound.summary.status, RecordingStatus::Ready);
    let outbound = library::get_recording(&scope, &support::twilio_fake::recording_sid(1))
        .await
        .expect("get");
    assert_eq!(
        outbound.summary.phone_number, "+15559990000",
        "outbound: the contact is the called party"
    );
    assert_eq!(outbound.summary.direction, Direction::Outbound);
    // Dates with +0100 and -0700 offsets land on the same instant.
    assert_eq!(
        inbound.summary.recorded_at.timestamp_millis(),
        NOW_MS - 3_600_000
    );

    let progress = seen.lock().expect("lock").clone();
    assert!(
        progress
            .iter()
            .any(|p| p.pages == result.pages && p.recordings == 45 && p.call_pages <= calls),
        "{progress:?}"
    );
}

#[tokio::test]
async fn a_rerun_with_nothing_new_changes_no_rows_and_is_incremental() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|rerun").await;
    let fake = FakeTwilio::start(generate(30, NOW_MS, DAY_MS / 2)).await;
    let c = client(&fake.base_url);
    let first = sync::sync_recordings(&scope, &c, &options(1000), &CancellationToken::new(), None)
        .await
        .expect("first");
    assert_eq!(first.new, 30);
    let changes_before: i64 = sqlx::query_scalar("SELECT max(updated_at_ms) FROM recordings")
        .fetch_one(scope.pool_for_tests())
        .await
        .expect("q");
    fake.state.list_queries.lock().expect("lock").clear();
    let mut later = options(1000);
    later.now_ms = NOW_MS + 1;
    let rerun = sync::sync_recordings(&scope, &c, &later, &CancellationToken::new(), None)
        .await
        .expect("rerun");
    assert_eq!(
        (rerun.new, rerun.updated),
        (0, 0),
        "nothing new, nothing changed: {rerun:?}"
    );
    let changes_after: i64 = sqlx::query_scalar("SELECT max(updated_at_ms) FROM recordings")
        .fetch_one(scope.pool_for_tests())
        .await
        .expect("q");
    assert_eq!(changes_before, changes_after, "no row was rewritten");
    let queries = fake.state.list_queries.lock().expect("lock").clone();
    assert!(
        queries
            .iter()
            .any(|q| q.starts_with("Recordings.json") && q.contains("DateCreated>=2026-11-19")),
        "the rerun lists from the last synced day less the overlap: {queries:?}"
    );
    assert!(
        queries
            .iter()
            .any(|q| q.starts_with("Calls.json") && q.contains("StartTime>=2026-11-18")),
        "calls are listed for the same window: {queries:?}"
    );

    // A change at Twilio is picked up as an update.
    fake.with_recordings(|r| r[0].duration = "999".into());
    let third = sync::sync_recordings(&scope, &c, &later, &CancellationToken::new(), None)
        .await
        .expect("third");
    assert_eq!((third.new, third.updated), (0, 1), "{third:?}");
}

#[tokio::test]
async fn recordings_deleted_here_stay_deleted() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|tomb").await;
    let fake = FakeTwilio::start(generate(5, NOW_MS, 60_000)).await;
    let c = client(&fake.base_url);
    sync::sync_recordings(&scope, &c, &options(1000), &CancellationToken::new(), None)
        .await
        .expect("sync");
    let victim = support::twilio_fake::recording_sid(3);
    library::delete_recording(&scope, &victim, NOW_MS)
        .await
        .expect("delete");
    let again = sync::sync_recordings(&scope, &c, &options(1000), &CancellationToken::new(), None)
        .await
        .expect("sync");
    assert_eq!(again.skipped_deleted, 1, "{again:?}");
    assert!(
        matches!(
            library::get_recording(&scope, &victim).await,
            Err(Error::NotFound)
        ),
        "a sync must not resurrect a deleted recording"
    );
    assert_eq!(count(&scope).await, 4);
}

#[tokio::test]
async fn unknown_statuses_are_kept_and_bad_items_counted_not_fatal() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|status").await;
    let mut recs = generate(4, NOW_MS, 60_000);
    recs[0].status = "teleported".into();
    recs[1].status = "absent".into();
    recs[2].sid = "RE-not-a-sid".into();
    let fake = FakeTwilio::start(recs).await;
    let result = sync::sync_recordings(
        &scope,
        &client(&fake.base_url),
        &options(1000),
        &CancellationToken::new(),
        None,
    )
    .await
    .expect("sync");
    assert_eq!((result.new, result.failed), (3, 1), "{result:?}");
    assert_eq!(result.errors.len(), 1, "the bad one is named in the errors");
    let raw: String = sqlx::query_scalar("SELECT twilio_status FROM recordings WHERE sid = ?1")
        .bind(support::twilio_fake::recording_sid(1))
        .fetch_one(scope.pool_for_tests())
        .await
        .expect("q");
    assert_eq!(raw, "teleported", "an unknown status is kept as received");
    let first = library::get_recording(&scope, &support::twilio_fake::recording_sid(1))
        .await
        .expect("get");
    assert_eq!(first.summary.status, RecordingStatus::Processing);
    let second = library::get_recording(&scope, &support::twilio_fake::recording_sid(2))
        .await
        .expect("get");
    assert_eq!(second.summary.status, RecordingStatus::Error);
}

#[tokio::test]
async fn one_sync_at_a_time_per_user_and_cancel_stops_it() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|flight").await;
    let fake = FakeTwilio::start(generate(50, NOW_MS, 60_000)).await;
    fake.state.page_delay_ms.store(150, Ordering::SeqCst);
    let c = client(&fake.base_url);
    let cancel = CancellationToken::new();
    let first = {
        let (scope, c, cancel) = (scope.clone(), c.clone(), cancel.clone());
        tokio::spawn(
            async move { sync::sync_recordings(&scope, &c, &options(5), &cancel, None).await },
        )
    };
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert!(sync::is_syncing(&scope), "the first sync is still running");
    let second =
        sync::sync_recordings(&scope, &c, &options(5), &CancellationToken::new(), None).await;
    assert!(
        matches!(second, Err(Error::SyncInProgress)),
        "a second sync is refused: {second:?}"
    );
    cancel.cancel();
    let result = first.await.expect("join").expect("cancelled, not failed");
    assert!(result.cancelled, "{result:?}");
    assert!(result.pages < 10, "it stopped before the end: {result:?}");
    assert!(!sync::is_syncing(&scope), "the slot is free again");

    // The resume point: the next run continues and completes with every recording.
    fake.state.page_delay_ms.store(0, Ordering::SeqCst);
    let done = sync::sync_recordings(&scope, &c, &options(5), &CancellationToken::new(), None)
        .await
        .expect("resume");
    assert!(!done.cancelled);
    assert_eq!(
        count(&scope).await,
        50,
        "the resumed run completes: {done:?}"
    );
    let state = sync::state::load(&scope).await.expect("state");
    assert!(
        !state.run_in_progress() && state.watermark_ms == Some(NOW_MS),
        "{state:?}"
    );
}

#[tokio::test]
async fn refused_credentials_stop_the_sync_with_a_clear_error() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|badcreds").await;
    let fake = FakeTwilio::start(generate(3, NOW_MS, 60_000)).await;
    let creds = calldeck_core::twilio::TwilioCredentials::auth_token(
        support::twilio_fake::ACCOUNT_SID,
        calldeck_core::twilio::Secret::new("nope-nope"),
    )
    .expect("shape");
    let c = calldeck_core::twilio::TwilioClient::new(creds, support::config(&fake.base_url))
        .expect("client");
    let err = sync::sync_recordings(&scope, &c, &options(1000), &CancellationToken::new(), None)
        .await
        .expect_err("refused");
    assert_eq!(err.code(), calldeck_core::ErrorCode::TwilioAuth);
    // A first sync asks for the account first (where its history starts): refused there,
    // it is still the saved credentials that changed, not a form to check.
    let message = err.user_message();
    assert!(
        message.contains("no longer accepts the saved credentials"),
        "{message}"
    );
    assert_eq!(count(&scope).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_listing_runs_only_a_few_pages_ahead_of_what_is_stored() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|ahead").await;
    let fake = FakeTwilio::start(generate(400, NOW_MS, 30 * 60_000)).await;
    let state = Arc::clone(&fake.state);
    let ahead: Arc<Mutex<Vec<u32>>> = Arc::default();
    let sink = Arc::clone(&ahead);
    let result = sync::sync_recordings(
        &scope,
        &client(&fake.base_url),
        &options(10),
        &CancellationToken::new(),
        Some(Arc::new(move |p: &SyncProgress| {
            // A slow store: the listing must wait for it, not pile pages up.
            std::thread::sleep(std::time::Duration::from_millis(5));
            let asked = state.recording_list_requests.load(Ordering::SeqCst)
                + state.call_list_requests.load(Ordering::SeqCst);
            sink.lock()
                .expect("lock")
                .push(asked.saturating_sub(p.pages + p.call_pages));
        })),
    )
    .await
    .expect("sync");
    assert_eq!(result.new, 400, "{result:?}");
    let ahead = ahead.lock().expect("lock").clone();
    let most = ahead.iter().copied().max().unwrap_or(0);
    assert!(
        most > 1,
        "pages are listed while earlier ones are stored: {ahead:?}"
    );
    // Progress is reported once a batch is stored: what is listed and not stored then is at
    // most a page in each of the eight listing tasks and the eight the channel holds.
    assert!(
        most <= 16,
        "at most one page in each of the eight listing tasks and eight waiting: {most} ahead \
         ({ahead:?})"
    );
}
