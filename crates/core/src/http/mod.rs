//! The core's one HTTP transport, shared by the Twilio client, the remote transcription
//! engine and the AI analysis: one retry policy (exponential backoff with jitter, the
//! server's `Retry-After` or `retry-after-ms` up to a cap, only for failures worth another
//! try), bodies read within a limit, credentials only for the configured API host, nothing
//! of a key or a URL's query in what is logged or returned, and a concurrency [`Budget`]
//! per remote account.

use std::time::Duration;

mod body;
mod budget;
mod host;
mod redact;
mod retry;
mod retry_after;
#[cfg(test)]
mod send_tests;

pub(crate) use body::{content_length, read_limited, BodyError};
pub(crate) use budget::for_account as budget_for_account;
pub use budget::{Budget, BudgetStats, Permit};
pub(crate) use host::{authorise, redirect_target, same_origin, BadRedirect, Credentials};
pub(crate) use redact::{error_hint, hint, loggable, redact, shows_secret};
pub(crate) use retry::{retryable_status, send, Answer, Replay, RetryPolicy};
pub(crate) use retry_after::retry_after;

/// An HTTP client as every caller here wants it: rustls, this app's user agent, and no
/// redirects followed (a redirect must never carry an `Authorization` header elsewhere).
pub(crate) fn client(connect_timeout: Duration) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(connect_timeout)
        .pool_idle_timeout(Duration::from_secs(60))
        .user_agent(concat!("CallDeck/", env!("CARGO_PKG_VERSION")))
        .build()
}
