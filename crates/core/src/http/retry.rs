//! The retry policy every client shares: which failures are tried again, how long to wait
//! between tries (exponential backoff with jitter, or the server's own `Retry-After`, up to
//! a cap), and how many tries in all. The loop itself is `backon`'s.

use std::future::Future;
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBackoff, ExponentialBuilder, Retryable};
use reqwest::{Response, StatusCode};

use super::redact::hint;
use super::retry_after::retry_after;

/// How often and how patiently to try.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RetryPolicy {
    /// Tries in all, the first included (at least one).
    pub attempts: u32,
    /// The backoff before the n-th retry is drawn from `[d/2, d)` with
    /// `d = backoff_base · 2ⁿ` capped at `backoff_max` ("equal jitter": parallel requests
    /// that failed together do not retry in lockstep, and no wait passes the cap).
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// The longest `Retry-After` honoured; longer ones are cut to this.
    pub retry_after_max: Duration,
}

impl RetryPolicy {
    /// The waits between tries, one per retry.
    pub(crate) fn backoff(&self) -> ExponentialBackoff {
        let max = self.backoff_max.max(self.backoff_base);
        // backon's jitter adds up to 100 % of the delay: halving both ends gives [d/2, d).
        ExponentialBuilder::new()
            .with_min_delay(self.backoff_base / 2)
            .with_max_delay(max / 2)
            .with_factor(2.0)
            .with_max_times(self.attempts.saturating_sub(1) as usize)
            .with_jitter()
            .build()
    }
}

/// Whether a request may be sent again after a network failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Replay {
    /// GET and DELETE: sending twice does no harm, so connection failures and timeouts are
    /// tried again.
    Idempotent,
    /// A POST that does work (a transcription, an analysis): only a failure to connect,
    /// where nothing reached the server, is tried again.
    UnsentOnly,
}

impl Replay {
    fn allows(self, e: &reqwest::Error) -> bool {
        match self {
            Replay::Idempotent => e.is_connect() || e.is_timeout() || e.is_request(),
            Replay::UnsentOnly => e.is_connect(),
        }
    }
}

/// 429 and 5xx are worth another try; no other status is (a 400 will be a 400 again).
pub(crate) fn retryable_status(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

/// What one try brought back: a response, perhaps with something held beside it.
pub(crate) trait Answer {
    fn response(&self) -> &Response;
}

impl Answer for Response {
    fn response(&self) -> &Response {
        self
    }
}

/// Why a try is tried again.
enum Again<T> {
    /// A 429 or 5xx, with the wait it asked for.
    Status(T, Option<Duration>),
    Network(reqwest::Error),
}

/// Sends with `attempt` (one fresh request each call) until an answer is not worth another
/// try or the tries run out. The last answer is returned whatever its status (the caller
/// maps it); a network failure is returned when it may not be replayed or was the last.
pub(crate) async fn send<T, F, Fut>(
    policy: &RetryPolicy,
    replay: Replay,
    mut attempt: F,
) -> reqwest::Result<T>
where
    T: Answer,
    F: FnMut() -> Fut,
    Fut: Future<Output = reqwest::Result<T>>,
{
    let retry_after_max = policy.retry_after_max;
    let once = || {
        let sent = attempt();
        async move {
            match sent.await {
                Ok(answer) if retryable_status(answer.response().status()) => {
                    let wait = retry_after(answer.response().headers(), retry_after_max);
                    Err(Again::Status(answer, wait))
                }
                Ok(answer) => Ok(answer),
                Err(e) => Err(Again::Network(e)),
            }
        }
    };
    let outcome = once
        .retry(policy.backoff())
        .sleep(tokio::time::sleep)
        .when(|again| match again {
            Again::Status(..) => true,
            Again::Network(e) => replay.allows(e),
        })
        // The server's own wait replaces the backoff, but never adds a try.
        .adjust(|again, backoff| match (again, backoff) {
            (Again::Status(_, Some(asked)), Some(_)) => Some(*asked),
            (_, backoff) => backoff,
        })
        .notify(|again, wait| match again {
            Again::Status(answer, _) => tracing::debug!(
                status = answer.response().status().as_u16(),
                wait_ms = wait.as_millis() as u64,
                "retrying after an HTTP error status"
            ),
            Again::Network(e) => tracing::debug!(
                error = %hint(e),
                wait_ms = wait.as_millis() as u64,
                "retrying after a network error"
            ),
        })
        .await;
    match outcome {
        Ok(answer) | Err(Again::Status(answer, _)) => Ok(answer),
        Err(Again::Network(e)) => Err(e.without_url()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(attempts: u32, base_ms: u64, max_ms: u64) -> RetryPolicy {
        RetryPolicy {
            attempts,
            backoff_base: Duration::from_millis(base_ms),
            backoff_max: Duration::from_millis(max_ms),
            retry_after_max: Duration::from_secs(60),
        }
    }

    #[test]
    fn one_wait_per_retry_and_none_after_the_last() {
        assert_eq!(policy(6, 1000, 16_000).backoff().count(), 5);
        assert_eq!(
            policy(1, 1000, 16_000).backoff().count(),
            0,
            "one try, no wait"
        );
        assert_eq!(policy(0, 1000, 16_000).backoff().count(), 0);
    }

    #[test]
    fn each_wait_is_within_its_jitter_bounds_and_under_the_cap() {
        // d = 1 s, 2 s, 4 s, 8 s, then capped at 10 s.
        let expected = [1000u64, 2000, 4000, 8000, 10_000, 10_000, 10_000];
        let mut distinct = std::collections::HashSet::new();
        for _ in 0..200 {
            let waits: Vec<Duration> = policy(8, 1000, 10_000).backoff().collect();
            assert_eq!(waits.len(), expected.len());
            for (wait, d) in waits.iter().zip(expected) {
                let d = Duration::from_millis(d);
                assert!(
                    *wait >= d / 2 && *wait < d,
                    "{wait:?} not in [{:?}, {d:?})",
                    d / 2
                );
                distinct.insert(wait.as_nanos());
            }
        }
        assert!(
            distinct.len() > 100,
            "the waits are drawn at random, not fixed ({} distinct)",
            distinct.len()
        );
    }

    #[test]
    fn statuses_that_retry() {
        assert!(retryable_status(StatusCode::TOO_MANY_REQUESTS));
        assert!(retryable_status(StatusCode::INTERNAL_SERVER_ERROR));
        assert!(retryable_status(StatusCode::SERVICE_UNAVAILABLE));
        for never in [400, 401, 403, 404, 409, 413, 422] {
            let status = StatusCode::from_u16(never).expect("status");
            assert!(!retryable_status(status), "{never} is never retried");
        }
    }
}
