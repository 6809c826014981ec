//! Recording audio: opened with redirects followed by hand (credentials only to the API
//! host), read in chunks held to the size limit whatever the headers say, or downloaded
//! whole into a file.

use reqwest::Method;
use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::transport::{check_status, content_length, location, without_url};
use super::{same_origin, TwilioClient};
use crate::ids::RecordingSid;
use crate::twilio::error::{hint, Request, TwilioError};

/// An opened media answer. Its chunks are counted: past the size limit (or past the
/// announced length) it is refused, with or without a `Content-Length`; shorter than
/// announced, or empty, it is a truncation.
pub struct MediaBody {
    response: reqwest::Response,
    expected: Option<u64>,
    limit: u64,
    received: u64,
}

impl MediaBody {
    /// The announced size (`Content-Length`), if any.
    pub fn expected_len(&self) -> Option<u64> {
        self.expected
    }

    /// The next piece, or `None` at the end of a complete body.
    pub async fn chunk(&mut self) -> Result<Option<bytes::Bytes>, TwilioError> {
        let next = self
            .response
            .chunk()
            .await
            .map_err(|e| TwilioError::Network(hint(without_url(e))))?;
        let Some(chunk) = next else {
            if let Some(expected) = self.expected.filter(|e| *e != self.received) {
                return Err(TwilioError::BadResponse(format!(
                    "the media file was truncated ({} of {expected} bytes)",
                    self.received
                )));
            }
            if self.received == 0 {
                return Err(TwilioError::BadResponse("the media file is empty".into()));
            }
            return Ok(None);
        };
        self.received += chunk.len() as u64;
        if self.received > self.limit || self.expected.is_some_and(|e| self.received > e) {
            return Err(TwilioError::BadResponse(
                "the media file is too large".into(),
            ));
        }
        Ok(Some(chunk))
    }
}

impl TwilioClient {
    /// Opens `<recording>.mp3` for reading: redirects followed by hand (to the API host with
    /// credentials, anywhere else without them), the status checked, the announced size
    /// checked against the limit.
    pub async fn open_media(&self, sid: &RecordingSid) -> Result<MediaBody, TwilioError> {
        let mut url = self.account_url(&format!("Recordings/{sid}.mp3"));
        let mut response = self.send(Method::GET, url.clone(), true).await?;
        let mut hops = 0;
        while response.status().is_redirection() {
            hops += 1;
            if hops > 5 {
                return Err(TwilioError::BadResponse("too many redirects".into()));
            }
            let next = location(&url, response.headers())?;
            let authorised = same_origin(&next, &self.inner.base);
            url = next;
            response = self.send(Method::GET, url.clone(), authorised).await?;
        }
        let response = check_status(response, Request::Audio).await?;
        let expected = content_length(response.headers());
        let limit = self.inner.config.max_media_bytes;
        if expected.is_some_and(|n| n > limit) {
            return Err(TwilioError::BadResponse(
                "the media file is too large".into(),
            ));
        }
        Ok(MediaBody {
            response,
            expected,
            limit,
            received: 0,
        })
    }

    /// Downloads `<recording>.mp3` into `out` (which the caller makes durable and atomic),
    /// held to the size limit and checked against `Content-Length`. Returns its size.
    pub async fn download_media(
        &self,
        sid: &RecordingSid,
        out: &mut (impl AsyncWrite + Unpin),
    ) -> Result<u64, TwilioError> {
        let mut body = self.open_media(sid).await?;
        let io = |e: std::io::Error| TwilioError::Io(hint(e));
        let mut written: u64 = 0;
        while let Some(chunk) = body.chunk().await? {
            written += chunk.len() as u64;
            out.write_all(&chunk).await.map_err(io)?;
        }
        out.flush().await.map_err(io)?;
        Ok(written)
    }
}
