//! Answers read whole only within a limit, whatever their headers say.

use reqwest::header::{HeaderMap, CONTENT_LENGTH};
use reqwest::Response;

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// Longer than the limit (announced, or counted while it arrived).
    TooLarge,
    /// The connection failed or timed out mid-body. The error carries no URL.
    Network(reqwest::Error),
}

/// The announced `Content-Length`, if any.
pub(crate) fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// The whole body, or [`BodyError::TooLarge`] as soon as it is known to pass `max` bytes.
pub(crate) async fn read_limited(mut response: Response, max: usize) -> Result<Vec<u8>, BodyError> {
    let announced = content_length(response.headers());
    if announced.is_some_and(|n| n > max as u64) {
        return Err(BodyError::TooLarge);
    }
    // Sized once from the announced length (within the limit), so a large body is not
    // copied from one doubling buffer into the next while it arrives.
    let mut body = Vec::with_capacity(announced.map_or(0, |n| n as usize));
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| BodyError::Network(e.without_url()))?
    {
        if body.len() + chunk.len() > max {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
