//! The account's concurrency budget against the fake's concurrency cap: every request of
//! every client of one account takes a place from one budget, which keeps them under the
//! setting, halves itself on 429 (code 20429) and grows back slowly, and holds a media
//! request's place until its body has been read.

mod support;

use std::future::Future;
use std::pin::pin;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use calldeck_core::ids::RecordingSid;
use calldeck_core::twilio::{ClientConfig, TwilioClient, TwilioError};
use support::twilio_fake::{generate, recording_sid, FakeTwilio, ACCOUNT_SID};

const NEWEST_MS: i64 = 1_795_176_000_000;
/// A hang guard for tests where a budget bug would wait forever; no test measures time.
const HANG: Duration = Duration::from_secs(120);

fn client_with(fake: &FakeTwilio, concurrency: usize) -> TwilioClient {
    let config = ClientConfig {
        concurrency,
        max_retries: 10,
        ..support::config(&fake.base_url)
    };
    TwilioClient::new(support::credentials(), config).expect("client")
}

/// A fake whose answers take a while (so that requests overlap), capped at `cap`.
async fn slow_fake(cap: usize, retry_after: &str) -> FakeTwilio {
    let fake = FakeTwilio::start(generate(60, NEWEST_MS, 60_000)).await;
    fake.state.page_delay_ms.store(60, Ordering::SeqCst);
    fake.state.media_chunk_delay_ms.store(10, Ordering::SeqCst);
    fake.state.limits.cap.store(cap, Ordering::SeqCst);
    *fake.state.limits.retry_after.lock().expect("lock") = retry_after.into();
    fake
}

/// 48 requests at once, as a sync and its downloads make them: pages of recordings and of
/// calls, single recordings, and audio. Each must succeed.
async fn many_at_once(client: &TwilioClient) {
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..48u64 {
        let client = client.clone();
        tasks.spawn(async move {
            let sid = RecordingSid::parse(&recording_sid(i % 60 + 1)).expect("sid");
            match i % 4 {
                0 => client
                    .recordings_page(client.recordings_url(None, 5))
                    .await
                    .map(|p| p.items.len() as u64),
                1 => client
                    .calls_page(client.calls_url(None, 5))
                    .await
                    .map(|p| p.items.len() as u64),
                2 => client.fetch_recording(&sid).await.map(|_| 1),
                _ => client.download_media(&sid, 1, &mut tokio::io::sink()).await,
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        let result: Result<u64, TwilioError> = done.expect("task");
        assert!(result.expect("every request succeeds in the end") > 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_budget_at_the_accounts_limit_draws_no_429() {
    let fake = slow_fake(4, "1").await;
    let client = client_with(&fake, 4);
    assert_eq!(client.concurrency(), 4);
    tokio::time::timeout(HANG, many_at_once(&client))
        .await
        .expect("done");
    let limits = &fake.state.limits;
    let stats = client.budget_stats();
    tracing::info!(?stats, "budget at the cap");
    assert_eq!(
        limits.throttled.load(Ordering::SeqCst),
        0,
        "never over the cap"
    );
    assert_eq!(stats.throttled_429s, 0);
    assert_eq!(
        limits.peak_demand.load(Ordering::SeqCst),
        4,
        "never more than four at the fake at once, and all four places used"
    );
    assert_eq!(stats.peak_in_flight, 4);
    assert_eq!(stats.limit, 4, "nothing lowered it");
    assert_eq!(
        stats.in_flight, 0,
        "every place came back, media ones included"
    );
    assert_eq!(limits.in_flight(ACCOUNT_SID), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_budget_above_the_accounts_limit_lowers_itself_and_every_request_succeeds() {
    let fake = slow_fake(4, "0.05").await;
    let client = client_with(&fake, 16);
    tokio::time::timeout(HANG, many_at_once(&client))
        .await
        .expect("done");
    let limits = &fake.state.limits;
    let stats = client.budget_stats();
    let (throttled, demand, admitted) = (
        limits.throttled.load(Ordering::SeqCst),
        limits.peak_demand.load(Ordering::SeqCst),
        limits.peak_in_flight.load(Ordering::SeqCst),
    );
    // The figures the report quotes.
    eprintln!(
        "cap 4, client 16: {throttled} 429s, peak demand {demand}, peak admitted {admitted}, \
         client peak {}, final limit {}",
        stats.peak_in_flight, stats.limit
    );
    assert!(
        throttled > 0,
        "sixteen at once against a cap of four draws 429s"
    );
    assert_eq!(
        stats.throttled_429s,
        u64::from(throttled),
        "the budget heard every one of them"
    );
    assert!(stats.limit < 16, "it lowered itself (now {})", stats.limit);
    assert!(
        stats.peak_in_flight <= 16,
        "never more at once than the setting"
    );
    assert!(admitted <= 4);
    assert_eq!(stats.in_flight, 0);
}

#[tokio::test]
async fn every_client_of_one_account_shares_its_budget() {
    let fake = FakeTwilio::start(generate(3, NEWEST_MS, 60_000)).await;
    let a = client_with(&fake, 1);
    let b = client_with(&fake, 1);
    let sid = RecordingSid::parse(&recording_sid(1)).expect("sid");
    let mut body = a.open_media(&sid, 1).await.expect("media opened");
    assert_eq!(
        a.budget_stats().in_flight,
        1,
        "the unread body holds its place"
    );
    {
        let mut other = pin!(b.fetch_recording(&sid));
        assert!(
            poll_once(other.as_mut()).is_pending(),
            "another client of the account waits for the place"
        );
        while body.chunk().await.expect("chunk").is_some() {}
        assert_eq!(
            a.budget_stats().in_flight,
            0,
            "read to its end, the place is given back"
        );
        other.await.expect("then the other goes");
    }
    drop(body);
    assert_eq!(a.budget_stats().in_flight, 0);
    assert_eq!(a.budget_stats().peak_in_flight, 1);
}

#[tokio::test]
async fn a_media_redirect_is_covered_by_the_requests_own_place() {
    let fake = FakeTwilio::start(generate(2, NEWEST_MS, 60_000)).await;
    fake.state.redirect_media.store(true, Ordering::SeqCst);
    let client = client_with(&fake, 1);
    let sid = RecordingSid::parse(&recording_sid(1)).expect("sid");
    // With one place, a redirect that asked for a second would wait forever.
    let bytes = tokio::time::timeout(HANG, client.download_media(&sid, 1, &mut tokio::io::sink()))
        .await
        .expect("no deadlock")
        .expect("download");
    assert_eq!(bytes, 4096);
    assert_eq!(fake.state.media_host_requests.load(Ordering::SeqCst), 1);
    assert_eq!(client.budget_stats().in_flight, 0);
}

#[tokio::test]
async fn the_setting_is_clamped_and_read_by_callers() {
    let fake = FakeTwilio::start(vec![]).await;
    assert_eq!(client_with(&fake, 0).concurrency(), 1);
    assert_eq!(client_with(&fake, 500).concurrency(), 32);
    assert_eq!(
        TwilioClient::new(support::credentials(), support::config(&fake.base_url))
            .expect("client")
            .concurrency(),
        8,
        "eight unless the user chose otherwise"
    );
}

#[tokio::test]
async fn a_busy_account_reported_by_twilio_stops_the_budget_growing() {
    let fake = FakeTwilio::start(generate(3, NEWEST_MS, 60_000)).await;
    let client = client_with(&fake, 8);
    // One 429 halves the budget to 4; then another app holds 10 requests on the account.
    fake.state.burst_429.store(1, Ordering::SeqCst);
    client
        .recordings_page(client.recordings_url(None, 5))
        .await
        .expect("retried");
    assert_eq!(client.budget_stats().limit, 4);
    fake.state
        .limits
        .extra_in_flight
        .store(10, Ordering::SeqCst);
    for _ in 0..20 {
        client
            .recordings_page(client.recordings_url(None, 5))
            .await
            .expect("page");
    }
    assert_eq!(
        client.budget_stats().limit,
        4,
        "no raise while others crowd the account"
    );
    fake.state.limits.extra_in_flight.store(0, Ordering::SeqCst);
    for _ in 0..4 {
        client
            .recordings_page(client.recordings_url(None, 5))
            .await
            .expect("page");
    }
    assert_eq!(
        client.budget_stats().limit,
        5,
        "alone again, four in a row raise it"
    );
}

fn poll_once<F: Future>(fut: std::pin::Pin<&mut F>) -> Poll<F::Output> {
    fut.poll(&mut Context::from_waker(Waker::noop()))
}
