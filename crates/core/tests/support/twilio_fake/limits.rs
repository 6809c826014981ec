//! The account's concurrency limit, as Twilio enforces it: a request that arrives while
//! `cap` requests of its account are in flight is refused with 429 (code 20429) and a
//! `Retry-After`. A request is in flight from its arrival until the last byte of its answer
//! has been handed to the connection (a media body until it has all been sent); every
//! answer says how many were in flight in `Twilio-Concurrent-Requests`. The fake counts its
//! peak and the 429s it sent, for tests and the benchmark.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use http_body::{Frame, SizeHint};

use super::{twilio_error, FakeState};

pub struct Limits {
    /// Requests in flight per account above which the fake answers 429; 0 = no cap.
    pub cap: AtomicUsize,
    /// `Retry-After` sent with those 429s ("" sends none).
    pub retry_after: Mutex<String>,
    /// The most requests of one account ever in flight at once (admitted ones: never
    /// above a non-zero cap).
    pub peak_in_flight: AtomicUsize,
    /// The most requests of one account ever at the fake at once: those in flight and the
    /// one arriving, refused or not. Above `cap` only when a request was refused (a refusal
    /// is answered at once, so at most `cap + 1`).
    pub peak_demand: AtomicUsize,
    /// 429s sent for the cap.
    pub throttled: AtomicU32,
    /// Requests another app has in flight on the account: they count against the cap and
    /// in `Twilio-Concurrent-Requests`.
    pub extra_in_flight: AtomicUsize,
    in_flight: Arc<Mutex<HashMap<String, usize>>>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            cap: AtomicUsize::new(0),
            retry_after: Mutex::new("1".into()),
            peak_in_flight: AtomicUsize::new(0),
            peak_demand: AtomicUsize::new(0),
            throttled: AtomicU32::new(0),
            extra_in_flight: AtomicUsize::new(0),
            in_flight: Arc::default(),
        }
    }
}

impl Limits {
    /// Requests of `account` in flight now.
    pub fn in_flight(&self, account: &str) -> usize {
        self.in_flight
            .lock()
            .expect("lock")
            .get(account)
            .copied()
            .unwrap_or(0)
    }

    /// A place in flight for `account`, or `None` when the cap is reached.
    fn enter(&self, account: &str) -> Option<InFlight> {
        let mut counts = self.in_flight.lock().expect("lock");
        let count = counts.entry(account.to_owned()).or_default();
        self.peak_demand.fetch_max(*count + 1, Ordering::SeqCst);
        let cap = self.cap.load(Ordering::SeqCst);
        let others = self.extra_in_flight.load(Ordering::SeqCst);
        if cap > 0 && *count + others >= cap {
            return None;
        }
        *count += 1;
        self.peak_in_flight.fetch_max(*count, Ordering::SeqCst);
        Some(InFlight {
            counts: Arc::clone(&self.in_flight),
            account: account.to_owned(),
        })
    }
}

/// One request in flight; counted off when dropped.
struct InFlight {
    counts: Arc<Mutex<HashMap<String, usize>>>,
    account: String,
}

impl InFlight {
    fn now(&self) -> usize {
        self.counts
            .lock()
            .expect("lock")
            .get(&self.account)
            .copied()
            .unwrap_or(0)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Ok(mut counts) = self.counts.lock() {
            if let Some(n) = counts.get_mut(&self.account) {
                *n = n.saturating_sub(1);
            }
        }
    }
}

/// The account a request is for: `/2010-04-01/Accounts/{sid}[.json][/…]`.
fn account_of(path: &str) -> String {
    let sid = path
        .strip_prefix("/2010-04-01/Accounts/")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or("");
    sid.trim_end_matches(".json").to_owned()
}

/// The API host's middleware: the cap, the count, the header.
pub(super) async fn limit(
    State(state): State<Arc<FakeState>>,
    request: Request,
    next: Next,
) -> Response {
    let limits = &state.limits;
    let account = account_of(request.uri().path());
    let Some(guard) = limits.enter(&account) else {
        limits.throttled.fetch_add(1, Ordering::SeqCst);
        let mut refused = twilio_error(StatusCode::TOO_MANY_REQUESTS, 20429, "Too Many Requests");
        let after = limits.retry_after.lock().expect("lock").clone();
        if let Ok(v) = HeaderValue::from_str(&after) {
            if !after.is_empty() {
                refused.headers_mut().insert("retry-after", v);
            }
        }
        return refused;
    };
    let mut response = next.run(request).await;
    let now = HeaderValue::from(guard.now() + limits.extra_in_flight.load(Ordering::SeqCst));
    response
        .headers_mut()
        .insert("twilio-concurrent-requests", now);
    let length = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
        .or_else(|| response.body().size_hint().exact());
    if length == Some(0) {
        // Nothing to send after the head: counted off now, before the client can answer.
        drop(guard);
        return response;
    }
    response.map(|body| {
        Body::new(Counted {
            inner: body,
            guard: Some(guard),
            remaining: length,
        })
    })
}

/// A body that keeps its request in flight until its last byte has been produced.
struct Counted {
    inner: Body,
    guard: Option<InFlight>,
    /// Bytes still to send, when known: the guard goes with the last of them, before
    /// hyper writes it (and the client could have it), not whenever the body is dropped.
    remaining: Option<u64>,
}

impl HttpBody for Counted {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                let len = frame.data_ref().map_or(0, |d| d.len() as u64);
                if let Some(remaining) = self.remaining.as_mut() {
                    *remaining = remaining.saturating_sub(len);
                    if *remaining == 0 {
                        self.guard = None;
                    }
                }
            }
            Poll::Ready(_) => self.guard = None,
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
