//! Recording audio: opened with redirects followed by hand (credentials only to the API
//! host), read in chunks, or downloaded whole into a file with its size checked.

use std::path::Path;

use reqwest::Method;
use tokio::io::AsyncWriteExt;

use super::transport::{check_status, content_length, location, without_url};
use super::{same_origin, TwilioClient};
use crate::ids::RecordingSid;
use crate::twilio::error::{hint, Request, TwilioError};

impl TwilioClient {
    /// Opens `<recording>.mp3` for reading: redirects followed by hand (to the API host with
    /// credentials, anywhere else without them), the status checked, the announced size
    /// checked against the limit. Returns the response and its `Content-Length`.
    pub async fn open_media(
        &self,
        sid: &RecordingSid,
    ) -> Result<(reqwest::Response, Option<u64>), TwilioError> {
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
        if expected.is_some_and(|n| n > self.inner.config.max_media_bytes) {
            return Err(TwilioError::BadResponse(
                "the media file is too large".into(),
            ));
        }
        Ok((response, expected))
    }

    /// The next piece of an opened media response, or `None` at its end.
    pub async fn media_chunk(
        &self,
        response: &mut reqwest::Response,
    ) -> Result<Option<bytes::Bytes>, TwilioError> {
        response
            .chunk()
            .await
            .map_err(|e| TwilioError::Network(hint(without_url(e))))
    }

    /// Downloads `<recording>.mp3` into `dest` (which the caller makes atomic), checking the
    /// size against `Content-Length`, and fsyncs it.
    pub async fn download_media(
        &self,
        sid: &RecordingSid,
        dest: &Path,
    ) -> Result<u64, TwilioError> {
        let (mut response, expected) = self.open_media(sid).await?;
        let limit = self.inner.config.max_media_bytes;
        let io = |e: std::io::Error| TwilioError::Io(hint(e));
        let mut file = tokio::fs::File::create(dest).await.map_err(io)?;
        let mut written: u64 = 0;
        while let Some(chunk) = self.media_chunk(&mut response).await? {
            written += chunk.len() as u64;
            if written > limit {
                return Err(TwilioError::BadResponse(
                    "the media file is too large".into(),
                ));
            }
            file.write_all(&chunk).await.map_err(io)?;
        }
        if let Some(expected) = expected {
            if expected != written {
                return Err(TwilioError::BadResponse(format!(
                    "the media file was truncated ({written} of {expected} bytes)"
                )));
            }
        }
        if written == 0 {
            return Err(TwilioError::BadResponse("the media file is empty".into()));
        }
        file.flush().await.map_err(io)?;
        file.sync_all().await.map_err(io)?;
        Ok(written)
    }
}
