//! One request to Twilio through the core's transport ([`crate::http`]): a permit from the
//! account's budget first, credentials only for the API host, retries by the shared
//! policy, statuses mapped to errors, bodies read within a limit.

use reqwest::header::HeaderMap;
use reqwest::{Method, Response, StatusCode, Url};

use super::TwilioClient;
use crate::http::{self, Answer, BodyError, Credentials, Permit, Replay};
use crate::twilio::error::{hint, Request, TwilioError};
use crate::twilio::wire::ErrorWire;

/// Twilio's count of the account's requests in flight, on its answers.
const CONCURRENT_REQUESTS: &str = "twilio-concurrent-requests";

/// An answer, with the budget's permit it was sent under (held until it has been read).
pub(super) struct Sent {
    pub response: Response,
    pub permit: Option<Permit>,
}

impl Answer for Sent {
    fn response(&self) -> &Response {
        &self.response
    }
}

/// Whether a request takes a permit of its own, or is covered by one already held (a
/// redirect of a media request).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Budgeted {
    Yes,
    Covered,
}

impl TwilioClient {
    /// Sends one request, retrying 429, 5xx and network failures (it is a GET or DELETE)
    /// with backoff or the server's `Retry-After`. Credentials are attached only when asked
    /// for, and only ever to the configured API host. A 429 lowers the account's budget and
    /// holds its next requests for the `Retry-After`; other answers let it grow again.
    pub(super) async fn send(
        &self,
        method: Method,
        url: Url,
        authorised: bool,
        budgeted: Budgeted,
    ) -> Result<Sent, TwilioError> {
        let cfg = &self.inner.config;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(TwilioError::ForeignLink);
        }
        let timeout = if url.path().ends_with(".json") {
            cfg.request_timeout
        } else {
            cfg.media_timeout
        };
        let (user, password) = self.inner.creds.basic();
        let budget = (budgeted == Budgeted::Yes).then_some(&self.inner.budget);
        let attempt = || {
            let mut request = self
                .inner
                .http
                .request(method.clone(), url.clone())
                .timeout(timeout);
            if authorised {
                let creds = Credentials::Basic { user, password };
                request = http::authorise(request, &url, &self.inner.base, creds);
            }
            async move {
                let permit = match budget {
                    Some(budget) => Some(budget.acquire().await),
                    None => None,
                };
                let response = request.send().await?;
                Ok(self.observe(Sent { response, permit }))
            }
        };
        http::send(&cfg.retry_policy(), Replay::Idempotent, attempt)
            .await
            .map_err(|e| {
                let error = http::error_hint(e);
                tracing::debug!(url = %http::loggable(&url), %error, "Twilio could not be reached");
                TwilioError::Network(error)
            })
    }

    /// Tells the budget how its request fared. A permit is let go at once when the request
    /// will be tried again, so that nobody waits on it through the backoff.
    fn observe(&self, mut sent: Sent) -> Sent {
        let status = sent.response.status();
        let budget = &self.inner.budget;
        if let Some(permit) = &sent.permit {
            let headers = sent.response.headers();
            if status == StatusCode::TOO_MANY_REQUESTS {
                let wait = http::retry_after(headers, self.inner.config.retry_after_max);
                budget.throttled(permit, wait);
            } else if !status.is_server_error() {
                budget.succeeded(permit, concurrent_requests(headers));
            }
        }
        if http::retryable_status(status) {
            sent.permit = None;
        }
        sent
    }
}

fn concurrent_requests(headers: &HeaderMap) -> Option<usize> {
    headers
        .get(CONCURRENT_REQUESTS)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// The response if it is a success; otherwise the error, saying which `request` got it.
pub(super) async fn check_status(
    response: Response,
    request: Request,
) -> Result<Response, TwilioError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    // Twilio's error body helps the log (code 20003, 20404, 20429); never shown as is.
    let detail = error_code(response).await;
    tracing::debug!(status = status.as_u16(), twilio_code = ?detail, "Twilio answered with an error");
    Err(match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => TwilioError::Unauthorized(request),
        StatusCode::NOT_FOUND => TwilioError::NotFound(request),
        StatusCode::TOO_MANY_REQUESTS => TwilioError::RateLimited,
        s if s.is_server_error() => TwilioError::Unavailable { status: s.as_u16() },
        s => TwilioError::UnexpectedStatus { status: s.as_u16() },
    })
}

/// The Twilio error code in an error answer's body (`{"code": 20404, …}`), if it has one.
pub(super) async fn error_code(response: Response) -> Option<i64> {
    http::read_limited(response, 64 * 1024)
        .await
        .ok()
        .and_then(|b| serde_json::from_slice::<ErrorWire>(&b).ok())
        .and_then(|e| e.code)
}

/// A JSON body within `max` bytes.
pub(super) async fn read_limited(response: Response, max: usize) -> Result<Vec<u8>, TwilioError> {
    http::read_limited(response, max)
        .await
        .map_err(|e| match e {
            BodyError::TooLarge => TwilioError::BadResponse("the response is too large".into()),
            BodyError::Network(e) => TwilioError::BadResponse(hint(e)),
        })
}

/// Where a redirect leads.
pub(super) fn location(current: &Url, headers: &HeaderMap) -> Result<Url, TwilioError> {
    http::redirect_target(current, headers).map_err(|e| match e {
        http::BadRedirect::NotHttp => TwilioError::ForeignLink,
        http::BadRedirect::Unreadable => {
            TwilioError::BadResponse("a redirect without a usable location".into())
        }
    })
}
