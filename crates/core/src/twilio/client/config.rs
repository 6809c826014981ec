//! How the Twilio client behaves: where the API is, timeouts, retries, size limits and
//! how many requests it may have in flight for the account.

use std::time::Duration;

use super::DEFAULT_BASE_URL;
use crate::http::RetryPolicy;

/// Requests in flight at once for one Twilio account, unless the user chose otherwise.
pub const DEFAULT_CONCURRENCY: usize = 8;
/// The most a user may choose: the account's own limit is shared with every other app
/// that uses the account.
pub const MAX_CONCURRENCY: usize = 32;

/// How the client behaves. `Default` is right for the real Twilio.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Scheme, host and port of the API (tests point it at a loopback fake).
    pub base_url: String,
    /// Whole-request timeout for API calls.
    pub request_timeout: Duration,
    /// Whole-request timeout for one media download.
    pub media_timeout: Duration,
    /// Retries after the first attempt, for 429, 5xx and network errors.
    pub max_retries: u32,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// The longest `Retry-After` honoured; longer ones are cut to this.
    pub retry_after_max: Duration,
    /// Largest JSON body accepted (a 1000-item page is ~1.5 MB). A page is read lazily:
    /// only its first page-size entries are built, so a body at this limit costs the body.
    pub max_json_bytes: usize,
    /// Largest media file accepted.
    pub max_media_bytes: u64,
    /// Most requests in flight at once for the account (1 to [`MAX_CONCURRENCY`]; clamped):
    /// the ceiling of its budget, which 429s lower and successes raise back to it.
    pub concurrency: usize,
}

impl ClientConfig {
    /// The shared transport's retry policy, from these settings.
    pub(crate) fn retry_policy(&self) -> RetryPolicy {
        RetryPolicy {
            attempts: self.max_retries.saturating_add(1),
            backoff_base: self.backoff_base,
            backoff_max: self.backoff_max,
            retry_after_max: self.retry_after_max,
        }
    }
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.into(),
            request_timeout: Duration::from_secs(30),
            media_timeout: Duration::from_secs(600),
            max_retries: 5,
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            retry_after_max: Duration::from_secs(60),
            max_json_bytes: 32 * 1024 * 1024,
            max_media_bytes: 2 * 1024 * 1024 * 1024,
            concurrency: DEFAULT_CONCURRENCY,
        }
    }
}
