//! The fake's latency mode (`make bench`'s latency figures): answers that take as long as a
//! remote API's, and an account that refuses more than so many requests at once. Off unless
//! [`LatencyModel::install`] is called; every number is in [`LatencyModel`].

use std::time::Duration;

use axum::body::Bytes;
use axum::response::{IntoResponse, Response};
use tokio::time::Instant;

use super::FakeState;

/// How long the fake takes to answer, and how many requests one account may have in flight.
///
/// These are a model, not Twilio's published figures (Twilio publishes none): round numbers
/// of the order seen from a desktop far from Twilio's region. They are kept here, in one
/// place, so they can be changed when real ones are measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatencyModel {
    /// A list page answers this long after the request arrived...
    pub list_base: Duration,
    /// ...plus this much per record it returns.
    pub list_per_record: Duration,
    /// Media sends its headers this long after the request arrived...
    pub media_first_byte: Duration,
    /// ...then its body at this many bytes a second (each request on its own).
    pub media_bytes_per_s: u64,
    /// Above this many requests in flight for the account, the fake answers 429 (Twilio
    /// code 20429)...
    pub max_in_flight: u32,
    /// ...with this `Retry-After`, in seconds.
    pub retry_after_s: u32,
}

impl LatencyModel {
    /// The model `make bench` uses.
    pub const REMOTE: Self = Self {
        list_base: Duration::from_millis(300),
        list_per_record: Duration::from_micros(300),
        media_first_byte: Duration::from_millis(200),
        media_bytes_per_s: 2_000_000,
        max_in_flight: 16,
        retry_after_s: 1,
    };

    /// How long a list page of `records` takes.
    pub fn list_delay(&self, records: usize) -> Duration {
        self.list_base + self.list_per_record * u32::try_from(records).unwrap_or(u32::MAX)
    }

    /// Turns the model on for this fake: the delays, and the account's concurrency cap
    /// (the one the fake already enforces, set to `max_in_flight`).
    pub fn install(self, state: &FakeState) {
        *state.latency.lock().expect("lock") = Some(self);
        cap_adapter::set_cap(state, self.max_in_flight, self.retry_after_s);
    }

    /// The part of a media body sent between two pauses: small enough that the pace is
    /// smooth, large enough that a 100 KB file is a handful of timer wake-ups.
    const MEDIA_CHUNK: usize = 16 * 1024;
}

/// What the fake's concurrency cap counted (`None` where the fake has none).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CapCounters {
    pub peak_in_flight: u64,
    pub answered_429: u64,
}

/// The cap's counters, for the benchmark to report.
pub fn cap_counters(state: &FakeState) -> Option<CapCounters> {
    cap_adapter::counters(state)
}

fn model(state: &FakeState) -> Option<LatencyModel> {
    *state.latency.lock().expect("lock")
}

/// A list page's answer (`body`, as the list handler rendered or cached it), sent no sooner
/// than the model says after the request `arrived`. Without a model, at once.
pub(super) async fn list_reply(state: &FakeState, arrived: Instant, body: Bytes) -> Response {
    if let Some(model) = model(state) {
        tokio::time::sleep_until(arrived + model.list_delay(records_in(&body))).await;
    }
    super::json_bytes(body)
}

/// How many records a rendered page holds: the length of its `recordings` or `calls` list,
/// counted without building them.
fn records_in(page: &[u8]) -> usize {
    #[derive(serde::Deserialize)]
    struct Page {
        #[serde(default)]
        recordings: Vec<serde::de::IgnoredAny>,
        #[serde(default)]
        calls: Vec<serde::de::IgnoredAny>,
    }
    serde_json::from_slice::<Page>(page).map_or(0, |p| p.recordings.len() + p.calls.len())
}

/// Media under the model: waits for the first byte, then answers with `bytes` paced at the
/// model's rate. `None` without a model (the caller answers as usual).
pub(super) async fn media_reply(
    state: &FakeState,
    arrived: Instant,
    bytes: &[u8],
) -> Option<Response> {
    let model = model(state)?;
    tokio::time::sleep_until(arrived + model.media_first_byte).await;
    let bytes = Bytes::copy_from_slice(bytes);
    let len = bytes.len();
    let (mut writer, reader) = tokio::io::duplex(LatencyModel::MEDIA_CHUNK);
    // Paced by the clock, not by the sum of sleeps, so timer slack does not add up; the
    // task sleeps between chunks and never spins.
    tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        let start = Instant::now();
        let mut sent = 0_usize;
        for chunk in bytes.chunks(LatencyModel::MEDIA_CHUNK) {
            if writer.write_all(chunk).await.is_err() {
                return;
            }
            sent += chunk.len();
            let due = Duration::from_secs_f64(sent as f64 / model.media_bytes_per_s as f64);
            tokio::time::sleep_until(start + due).await;
        }
    });
    let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(reader));
    let mut response = ([("content-type", "audio/mpeg")], body).into_response();
    response
        .headers_mut()
        .insert("content-length", len.to_string().parse().expect("length"));
    Some(response)
}

/// The latency mode sets the fake's concurrency cap (`limits.rs`); it never counts
/// requests itself.
mod cap_adapter {
    use std::sync::atomic::Ordering;

    use super::{CapCounters, FakeState};

    pub(super) fn set_cap(state: &FakeState, cap: u32, retry_after_s: u32) {
        state.limits.cap.store(cap as usize, Ordering::SeqCst);
        *state.limits.retry_after.lock().expect("lock") = retry_after_s.to_string();
    }

    pub(super) fn counters(state: &FakeState) -> Option<CapCounters> {
        Some(CapCounters {
            peak_in_flight: state.limits.peak_in_flight.load(Ordering::SeqCst) as u64,
            answered_429: u64::from(state.limits.throttled.load(Ordering::SeqCst)),
        })
    }
}
