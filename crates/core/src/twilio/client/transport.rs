//! One request to Twilio: retries with backoff or `Retry-After`, credentials attached only
//! for the API host, statuses mapped to errors, bodies read within a limit.

use std::time::Duration;

use reqwest::header::{HeaderMap, CONTENT_LENGTH, LOCATION, RETRY_AFTER};
use reqwest::{Method, Response, StatusCode, Url};

use super::{same_origin, ClientConfig, TwilioClient};
use crate::twilio::error::{hint, Request, TwilioError};
use crate::twilio::wire::ErrorWire;

impl TwilioClient {
    /// Sends one request, retrying 429, 5xx and network failures with exponential backoff
    /// (or the server's `Retry-After`). Credentials are attached only when asked for, and
    /// only ever to the configured API host.
    pub(super) async fn send(
        &self,
        method: Method,
        url: Url,
        authorised: bool,
    ) -> Result<Response, TwilioError> {
        let cfg = &self.inner.config;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(TwilioError::ForeignLink);
        }
        let authorised = authorised && same_origin(&url, &self.inner.base);
        let timeout = if url.path().ends_with(".json") {
            cfg.request_timeout
        } else {
            cfg.media_timeout
        };
        let mut attempt: u32 = 0;
        loop {
            let mut request = self
                .inner
                .http
                .request(method.clone(), url.clone())
                .timeout(timeout);
            if authorised {
                let (user, pass) = self.inner.creds.basic();
                request = request.basic_auth(user, Some(pass));
            }
            let wait = match request.send().await {
                Ok(response) => {
                    let status = response.status();
                    let retryable =
                        status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
                    if !retryable || attempt >= cfg.max_retries {
                        return Ok(response);
                    }
                    retry_after(response.headers(), cfg.retry_after_max)
                        .unwrap_or_else(|| backoff(cfg, attempt))
                }
                Err(e)
                    if attempt < cfg.max_retries
                        && (e.is_connect() || e.is_timeout() || e.is_request()) =>
                {
                    tracing::debug!(error = %hint(without_url(e)), attempt, "retrying Twilio request");
                    backoff(cfg, attempt)
                }
                Err(e) => return Err(TwilioError::Network(hint(without_url(e)))),
            };
            attempt += 1;
            tracing::debug!(
                wait_ms = wait.as_millis() as u64,
                attempt,
                "backing off before retrying Twilio"
            );
            tokio::time::sleep(wait).await;
        }
    }
}

pub(super) fn without_url(e: reqwest::Error) -> reqwest::Error {
    e.without_url()
}

fn backoff(cfg: &ClientConfig, attempt: u32) -> Duration {
    let exp = cfg.backoff_base.saturating_mul(1u32 << attempt.min(16));
    let capped = exp.min(cfg.backoff_max);
    // Up to 25% jitter, so parallel downloads do not retry in lockstep.
    let jitter = rand::random::<f64>() * 0.25;
    capped
        .mul_f64(1.0 + jitter)
        .min(cfg.backoff_max.max(cfg.backoff_base))
}

/// `Retry-After` as seconds or an HTTP date, capped.
fn retry_after(headers: &HeaderMap, max: Duration) -> Option<Duration> {
    let raw = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let wait = if let Ok(secs) = raw.parse::<u64>() {
        Duration::from_secs(secs)
    } else if let Ok(secs) = raw.parse::<f64>() {
        Duration::try_from_secs_f64(secs).ok()?
    } else {
        let at = chrono::DateTime::parse_from_rfc2822(raw).ok()?;
        let ms = at.timestamp_millis() - chrono::Utc::now().timestamp_millis();
        Duration::from_millis(u64::try_from(ms).unwrap_or(0))
    };
    Some(wait.min(max))
}

pub(super) fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

pub(super) fn location(current: &Url, headers: &HeaderMap) -> Result<Url, TwilioError> {
    let raw = headers
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| TwilioError::BadResponse("a redirect without a location".into()))?;
    let next = current.join(raw).map_err(|_| {
        TwilioError::BadResponse("a redirect to something that is not a URL".into())
    })?;
    if !matches!(next.scheme(), "http" | "https") {
        return Err(TwilioError::ForeignLink);
    }
    Ok(next)
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
    let detail = read_limited(response, 64 * 1024)
        .await
        .ok()
        .and_then(|b| serde_json::from_slice::<ErrorWire>(&b).ok())
        .and_then(|e| e.code);
    tracing::debug!(status = status.as_u16(), twilio_code = ?detail, "Twilio answered with an error");
    Err(match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => TwilioError::Unauthorized(request),
        StatusCode::NOT_FOUND => TwilioError::NotFound(request),
        StatusCode::TOO_MANY_REQUESTS => TwilioError::RateLimited,
        s if s.is_server_error() => TwilioError::Unavailable { status: s.as_u16() },
        s => TwilioError::UnexpectedStatus { status: s.as_u16() },
    })
}

pub(super) async fn read_limited(
    mut response: Response,
    max: usize,
) -> Result<Vec<u8>, TwilioError> {
    let announced = content_length(response.headers());
    if announced.is_some_and(|n| n > max as u64) {
        return Err(TwilioError::BadResponse("the response is too large".into()));
    }
    // Sized once from the announced length (within the limit), so a large body is not
    // copied from one doubling buffer into the next while it arrives.
    let mut body = Vec::with_capacity(announced.map_or(0, |n| n as usize));
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| TwilioError::BadResponse(hint(without_url(e))))?
    {
        if body.len() + chunk.len() > max {
            return Err(TwilioError::BadResponse("the response is too large".into()));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
