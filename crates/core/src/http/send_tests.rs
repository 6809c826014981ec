//! The shared retry loop, counted: answers are made in memory (or by a closed port and a
//! silent listener for network failures), and waits are read off tokio's paused clock.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use reqwest::Response;
use tokio::time::Instant;

use super::{send, Replay, RetryPolicy};

fn policy(attempts: u32) -> RetryPolicy {
    RetryPolicy {
        attempts,
        backoff_base: Duration::from_secs(1),
        backoff_max: Duration::from_secs(10),
        retry_after_max: Duration::from_secs(5),
    }
}

fn answer(status: u16, headers: &[(&str, &str)]) -> Response {
    let mut builder = axum::http::Response::builder().status(status);
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    Response::from(builder.body(String::new()).expect("response"))
}

/// Sends with answers taken from `script` in turn (the last one repeats); returns the final
/// status and the instants at which each try was made.
async fn run(
    policy: &RetryPolicy,
    script: Vec<(u16, Vec<(&'static str, &'static str)>)>,
) -> (u16, Vec<Instant>) {
    let tries = Mutex::new(vec![]);
    let outcome = send(policy, Replay::Idempotent, || {
        let mut tries = tries.lock().expect("lock");
        tries.push(Instant::now());
        let (status, headers) = &script[(tries.len() - 1).min(script.len() - 1)];
        let response = answer(*status, headers);
        async move { Ok::<_, reqwest::Error>(response) }
    })
    .await;
    let status = outcome.expect("an answer").status().as_u16();
    (status, tries.into_inner().expect("lock"))
}

fn gaps(at: &[Instant]) -> Vec<Duration> {
    at.windows(2).map(|w| w[1] - w[0]).collect()
}

#[tokio::test(start_paused = true)]
async fn a_400_is_never_tried_again() {
    let (status, tries) = run(&policy(5), vec![(400, vec![])]).await;
    assert_eq!((status, tries.len()), (400, 1));
    let (status, tries) = run(&policy(5), vec![(404, vec![])]).await;
    assert_eq!((status, tries.len()), (404, 1));
}

#[tokio::test(start_paused = true)]
async fn a_429_waits_what_retry_after_ms_asks() {
    let script = vec![(429, vec![("retry-after-ms", "1500")]), (200, vec![])];
    let (status, tries) = run(&policy(5), script).await;
    assert_eq!(status, 200);
    assert_eq!(gaps(&tries), [Duration::from_millis(1500)]);
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_longer_than_the_cap_is_cut_to_it() {
    let script = vec![(503, vec![("retry-after", "3600")]), (200, vec![])];
    let (status, tries) = run(&policy(5), script).await;
    assert_eq!(status, 200);
    assert_eq!(
        gaps(&tries),
        [Duration::from_secs(5)],
        "the cap, not an hour"
    );
}

#[tokio::test(start_paused = true)]
async fn server_errors_back_off_with_jitter_then_the_last_answer_is_given() {
    let (status, tries) = run(&policy(4), vec![(503, vec![])]).await;
    assert_eq!(
        (status, tries.len()),
        (503, 4),
        "four tries in all, then the 503 itself"
    );
    for (gap, d) in gaps(&tries).into_iter().zip([1u64, 2, 4]) {
        let d = Duration::from_secs(d);
        assert!(
            gap >= d / 2 && gap < d,
            "{gap:?} not in [{:?}, {d:?})",
            d / 2
        );
    }
}

#[tokio::test(start_paused = true)]
async fn retry_after_never_adds_a_try() {
    let script = vec![(429, vec![("retry-after", "0")])];
    let (status, tries) = run(&policy(3), script).await;
    assert_eq!((status, tries.len()), (429, 3));
    assert_eq!(
        gaps(&tries),
        [Duration::ZERO, Duration::ZERO],
        "Retry-After: 0 is taken as is"
    );
}

/// How many tries a request to `url` with `timeout` gets under `replay`, and its error.
async fn network_tries(url: &str, timeout: Duration, replay: Replay) -> (u32, reqwest::Error) {
    let client = reqwest::Client::new();
    let tries = AtomicU32::new(0);
    let quick = RetryPolicy {
        attempts: 3,
        backoff_base: Duration::from_millis(1),
        backoff_max: Duration::from_millis(2),
        retry_after_max: Duration::from_millis(2),
    };
    let error = send(&quick, replay, || {
        tries.fetch_add(1, Ordering::SeqCst);
        client.get(url).timeout(timeout).send()
    })
    .await
    .expect_err("no answer");
    (tries.load(Ordering::SeqCst), error)
}

#[tokio::test]
async fn a_refused_connection_is_tried_again_whatever_the_request() {
    // Bound, then closed: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let url = format!("http://127.0.0.1:{port}/x?key=s3cret");
    for replay in [Replay::Idempotent, Replay::UnsentOnly] {
        let (tries, error) = network_tries(&url, Duration::from_secs(10), replay).await;
        assert_eq!(tries, 3, "{replay:?}: nothing reached the server");
        assert!(
            error.url().is_none(),
            "the error carries no URL (or its query)"
        );
    }
}

#[tokio::test]
async fn a_timed_out_request_is_replayed_only_when_idempotent() {
    // Accepts connections (the kernel's backlog) and never answers.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/slow", silent.local_addr().expect("addr"));
    let short = Duration::from_millis(50);
    let (tries, error) = network_tries(&url, short, Replay::Idempotent).await;
    assert!(error.is_timeout());
    assert_eq!(tries, 3, "a GET may be sent again");
    let (tries, _) = network_tries(&url, short, Replay::UnsentOnly).await;
    assert_eq!(tries, 1, "a POST that may have reached the server is not");
}
