//! Twilio's data is data, never control: pages whose links go round in circles or leave the
//! filter's window, recordings dated far in the future, wrongly typed fields and pages with
//! more entries than asked for, each served by the loopback fake to a real sync.

mod common;
mod support;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use calldeck_core::library;
use calldeck_core::sync::{self, SyncOptions, SyncResult};
use calldeck_core::{Error, UserScope};
use tokio_util::sync::CancellationToken;

use common::{rows_in, signed_in, NOW_MS};
use support::client;
use support::twilio_fake::{generate, recording_sid, FakeRecording, FakeTwilio, ACCOUNT_SID};

/// 9999-12-31T00:00:00Z.
const YEAR_9999_MS: i64 = 253_402_214_400_000;

fn options(page_size: u32, now_ms: i64) -> SyncOptions {
    SyncOptions {
        page_size,
        now_ms,
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

/// Runs one sync; a listing that never ends fails the test instead of hanging it.
async fn sync_once(
    scope: &UserScope,
    fake: &FakeTwilio,
    options: &SyncOptions,
) -> Result<SyncResult, Error> {
    let (c, cancel) = (client(&fake.base_url), CancellationToken::new());
    let run = sync::sync_recordings(scope, &c, options, &cancel, None);
    tokio::time::timeout(Duration::from_secs(20), run)
        .await
        .expect("the sync must end; it was still following pages after 20 s")
}

fn made_at(i: u64, created_ms: i64) -> FakeRecording {
    let mut r = generate(1, created_ms, 0).remove(0);
    r.sid = recording_sid(i);
    r.call_sid = support::twilio_fake::call_sid(i);
    r
}

#[tokio::test]
async fn a_page_naming_itself_as_the_next_ends_the_listing_with_a_clear_error() {
    for resource in ["Recordings.json", "Calls.json"] {
        let dir = tempfile::tempdir().expect("dir");
        let (_ws, scope) = signed_in(dir.path(), "auth0|loop").await;
        let fake = FakeTwilio::start(generate(30, NOW_MS, 60_000)).await;
        *fake.state.hostile.self_link.lock().expect("lock") = Some(resource.into());

        let started = Instant::now();
        let err = sync_once(&scope, &fake, &options(10, NOW_MS))
            .await
            .expect_err("a listing that goes round in circles is an error");
        let took = started.elapsed();
        let requests = if resource == "Calls.json" {
            fake.state.call_list_requests.load(Ordering::SeqCst)
        } else {
            fake.state.recording_list_requests.load(Ordering::SeqCst)
        };
        eprintln!("{resource} naming itself as the next page: stopped after {requests} requests, {took:?}");
        // The first sync lists eight windows of each list at once: each window's page
        // that names itself is fetched at most once more, never followed.
        assert!(
            requests <= 16,
            "{resource}: the page that names itself is fetched at most once more, never followed: {requests} requests"
        );
        let message = err.user_message();
        let listing = if resource == "Calls.json" {
            "list of calls"
        } else {
            "list of recordings"
        };
        assert!(
            message.contains(listing) && message.contains("already"),
            "{resource}: the message says which listing went round in circles: {message}"
        );

        // What the stopped run listed is in the library, not held back for calls that
        // this run will not bring.
        assert_eq!(
            rows_in(&scope, "sync_pending").await,
            0,
            "{resource}: recordings left waiting for their call"
        );

        // Nothing is stuck: once Twilio answers normally, the next sync completes.
        *fake.state.hostile.self_link.lock().expect("lock") = None;
        let done = sync_once(&scope, &fake, &options(10, NOW_MS))
            .await
            .expect("the next sync is not stuck on the looping page");
        assert!(!done.cancelled);
        assert_eq!(count(&scope).await, 30, "{resource}: {done:?}");
        let state = sync::state::load(&scope).await.expect("state");
        assert!(!state.run_in_progress(), "{resource}: {state:?}");
    }
}

#[tokio::test]
async fn a_link_leaving_the_filters_window_ends_the_listing_with_a_clear_error() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|window").await;
    // One recording an hour for 60 hours; the second sync lists from the day before.
    let fake = FakeTwilio::start(generate(60, NOW_MS, 3_600_000)).await;
    sync_once(&scope, &fake, &options(10, NOW_MS))
        .await
        .expect("first sync");
    assert_eq!(count(&scope).await, 60);

    fake.state
        .hostile
        .links_drop_filter
        .store(true, Ordering::SeqCst);
    let before = fake.state.api_requests.load(Ordering::SeqCst);
    let err = sync_once(&scope, &fake, &options(10, NOW_MS + 1))
        .await
        .expect_err("a next page without the date filter would list the whole account");
    let message = err.user_message();
    assert!(
        message.contains("outside the dates"),
        "the message says the listing left its window: {message}"
    );
    let requests = fake.state.api_requests.load(Ordering::SeqCst) - before;
    assert!(
        requests <= 4,
        "the links out of the window are not followed: {requests} requests"
    );
    assert!(
        !sync::state::load(&scope)
            .await
            .expect("state")
            .run_in_progress(),
        "the run is forgotten, so the next one lists these days afresh"
    );
}

#[tokio::test]
async fn a_recording_dated_9999_does_not_hide_the_ones_made_after_it() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|future").await;
    let mut recs = generate(3, NOW_MS - 3_600_000, 60_000);
    recs[0].created_ms = YEAR_9999_MS;
    let far = recs[0].sid.clone();
    let fake = FakeTwilio::start(recs).await;

    let first = sync_once(&scope, &fake, &options(1000, NOW_MS))
        .await
        .expect("first sync");
    assert_eq!(first.new, 3, "{first:?}");
    let stored = library::get_recording(&scope, &far).await.expect("get");
    assert_eq!(
        stored.summary.recorded_at.timestamp_millis(),
        YEAR_9999_MS,
        "a date in the future is stored as received"
    );
    let state = sync::state::load(&scope).await.expect("state");
    assert!(
        state.watermark_ms.is_some_and(|w| w <= NOW_MS),
        "the watermark never passes now: {state:?}"
    );

    // A call made today, after that sync.
    fake.with_recordings(|r| r.push(made_at(500, NOW_MS + 60_000)));
    let second = sync_once(&scope, &fake, &options(1000, NOW_MS + 120_000))
        .await
        .expect("second sync");
    assert_eq!(
        second.new, 1,
        "the recording made today is listed and stored as new: {second:?}"
    );
    library::get_recording(&scope, &recording_sid(500))
        .await
        .expect("today's recording is in the library");
}

#[tokio::test]
async fn one_wrongly_typed_record_never_fails_its_page() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|types").await;
    let mut recs = generate(5, NOW_MS, 60_000);
    let odd = recs[1].sid.clone();
    recs[1].raw.insert("channels".into(), "2".into());
    recs[1].raw.insert("error_code".into(), "x".into());
    let fake = FakeTwilio::start(recs).await;

    let first = sync_once(&scope, &fake, &options(2, NOW_MS))
        .await
        .expect("one odd record does not fail the sync");
    assert_eq!((first.new, first.failed), (5, 0), "{first:?}");
    assert_eq!(count(&scope).await, 5, "every record is stored: {first:?}");
    assert!(
        first
            .errors
            .iter()
            .any(|e| e.contains(odd.as_str()) && e.contains("channels")),
        "the odd field is named in the sync's errors: {:?}",
        first.errors
    );
    let details = library::get_recording(&scope, &odd).await.expect("get");
    assert_eq!(
        details.channels, 1,
        "a channel count of the wrong type is unknown: the library's default"
    );
    let state = sync::state::load(&scope).await.expect("state");
    assert!(!state.run_in_progress(), "the run completed: {state:?}");

    // The next sync goes past that page to what is new.
    fake.with_recordings(|r| r.push(made_at(600, NOW_MS + 60_000)));
    let second = sync_once(&scope, &fake, &options(2, NOW_MS + 120_000))
        .await
        .expect("the next sync is not stuck on the odd page");
    assert_eq!(second.new, 1, "{second:?}");
    assert_eq!(count(&scope).await, 6);
}

#[tokio::test]
async fn a_page_with_more_records_than_asked_for_keeps_page_size_and_counts_the_rest() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|oversize").await;
    let fake = FakeTwilio::start(generate(5, NOW_MS, 60_000)).await;
    // Twilio's own page of five, served to a sync that asks for two at a time.
    let five = fake
        .raw_get(&format!(
            "/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings.json?PageSize=5"
        ))
        .await;
    let mut five = five.as_object().expect("page").clone();
    five.insert("next_page_uri".into(), serde_json::Value::Null);
    *fake.state.hostile_body.lock().expect("lock") =
        Some(serde_json::Value::Object(five).to_string());

    let result = sync_once(&scope, &fake, &options(2, NOW_MS))
        .await
        .expect("sync");
    assert_eq!(
        (result.new, result.failed),
        (2, 3),
        "two accepted (the page size), three counted as failed: {result:?}"
    );
    assert_eq!(count(&scope).await, 2);
    assert!(
        result.errors.iter().any(|e| e.contains("3 beyond")),
        "the errors say how many were not used: {:?}",
        result.errors
    );
}

#[tokio::test]
async fn a_saved_resume_point_twilio_no_longer_knows_is_dropped_not_retried_for_ever() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|stale").await;
    let fake = FakeTwilio::start(generate(25, NOW_MS, 60_000)).await;
    // A run interrupted at a page whose token Twilio refuses now (400, code 20001).
    sqlx::query(
        "INSERT INTO sync_state (user_id, run_from_day, run_cursor, run_pages) VALUES (?1, NULL, ?2, 1)",
    )
    .bind(scope.user_id())
    .bind(format!(
        "/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings.json?PageSize=10&Page=1&PageToken=stale"
    ))
    .execute(scope.pool_for_tests())
    .await
    .expect("seed a resume point");

    let done = sync_once(&scope, &fake, &options(10, NOW_MS))
        .await
        .expect("the run starts its window afresh instead of failing at the stale page");
    assert_eq!((done.new, count(&scope).await), (25, 25), "{done:?}");
    let state = sync::state::load(&scope).await.expect("state");
    assert!(!state.run_in_progress(), "{state:?}");
}
