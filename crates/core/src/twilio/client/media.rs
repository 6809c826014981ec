//! Recording audio: opened with redirects followed by hand (credentials only to the API
//! host), read in chunks held to the size limit whatever the headers say, or downloaded
//! whole into a file. The account budget's permit is held until the body has been read.
//! A two-channel recording is asked for with `RequestedChannels=2`: without it Twilio mixes
//! it down to mono, and with it on a mono recording Twilio refuses (HTTP 400, error 16113),
//! so the parameter goes exactly where the recording has two.

use reqwest::{Method, StatusCode};
use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::transport::{check_status, error_code, location, Budgeted};
use super::TwilioClient;
use crate::http::{self, Permit};
use crate::ids::RecordingSid;
use crate::twilio::error::{hint, Request, TwilioError};

/// Twilio's error "Cannot download a dual-channel presentation of a mono recording".
const MONO_RECORDING: i64 = 16113;

/// An opened media answer. Its chunks are counted: past the size limit (or past the
/// announced length) it is refused, with or without a `Content-Length`; shorter than
/// announced, or empty, it is a truncation.
pub struct MediaBody {
    response: reqwest::Response,
    expected: Option<u64>,
    limit: u64,
    received: u64,
    /// The request's place in the account's budget, let go at the end of the body (or
    /// when it is dropped unread).
    permit: Option<Permit>,
}

impl MediaBody {
    /// The announced size (`Content-Length`), if any.
    pub fn expected_len(&self) -> Option<u64> {
        self.expected
    }

    /// The next piece, or `None` at the end of a complete body.
    pub async fn chunk(&mut self) -> Result<Option<bytes::Bytes>, TwilioError> {
        let next = self.response.chunk().await.map_err(|e| {
            self.permit = None;
            TwilioError::Network(http::error_hint(e))
        })?;
        let Some(chunk) = next else {
            self.permit = None;
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

/// What a media request led to.
enum Opened {
    /// The answer, with the permit that covers it and its redirects.
    Body(reqwest::Response, Option<Permit>),
    /// Asked for two channels, answered that the recording has one (16113).
    MonoOnly,
}

impl TwilioClient {
    /// Opens `<recording>.mp3` for reading, with both channels when the recording has two
    /// (`channels` as the library knows it): redirects followed by hand (to the API host
    /// with credentials, anywhere else without them), the status checked, the announced
    /// size checked against the limit. Should Twilio answer that a recording the library
    /// holds as two-channel is mono, it is fetched once more without the parameter, as
    /// Twilio's error page advises.
    pub async fn open_media(
        &self,
        sid: &RecordingSid,
        channels: u32,
    ) -> Result<MediaBody, TwilioError> {
        let (response, permit) = match self.request_media(sid, channels == 2).await? {
            Opened::Body(response, permit) => (response, permit),
            Opened::MonoOnly => {
                tracing::warn!(recording = %sid, "Twilio holds this two-channel recording as mono");
                match self.request_media(sid, false).await? {
                    Opened::Body(response, permit) => (response, permit),
                    Opened::MonoOnly => {
                        return Err(TwilioError::UnexpectedStatus {
                            status: StatusCode::BAD_REQUEST.as_u16(),
                        })
                    }
                }
            }
        };
        let expected = http::content_length(response.headers());
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
            permit,
        })
    }

    async fn request_media(
        &self,
        sid: &RecordingSid,
        both_channels: bool,
    ) -> Result<Opened, TwilioError> {
        let mut url = self.account_url(&format!("Recordings/{sid}.mp3"));
        if both_channels {
            url.query_pairs_mut().append_pair("RequestedChannels", "2");
        }
        let first = self
            .send(Method::GET, url.clone(), true, Budgeted::Yes)
            .await?;
        // The first request's permit covers its redirects and the body, wherever it is.
        let (mut response, permit) = (first.response, first.permit);
        let mut hops = 0;
        while response.status().is_redirection() {
            hops += 1;
            if hops > 5 {
                return Err(TwilioError::BadResponse("too many redirects".into()));
            }
            url = location(&url, response.headers())?;
            // Credentials go with it only back to the API host (the transport checks).
            response = self
                .send(Method::GET, url.clone(), true, Budgeted::Covered)
                .await?
                .response;
        }
        if both_channels && response.status() == StatusCode::BAD_REQUEST {
            return refused(response).await;
        }
        Ok(Opened::Body(
            check_status(response, Request::Audio).await?,
            permit,
        ))
    }

    /// Downloads `<recording>.mp3` (both channels when it has two) into `out` (which the
    /// caller makes durable and atomic), held to the size limit and checked against
    /// `Content-Length`. Returns its size.
    pub async fn download_media(
        &self,
        sid: &RecordingSid,
        channels: u32,
        out: &mut (impl AsyncWrite + Unpin),
    ) -> Result<u64, TwilioError> {
        let mut body = self.open_media(sid, channels).await?;
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

/// A 400 to a two-channel request: 16113 means the recording is mono; anything else is the
/// error it is.
async fn refused(response: reqwest::Response) -> Result<Opened, TwilioError> {
    let status = response.status().as_u16();
    let code = error_code(response).await;
    tracing::debug!(status, twilio_code = ?code, "Twilio refused a media request");
    match code {
        Some(MONO_RECORDING) => Ok(Opened::MonoOnly),
        _ => Err(TwilioError::UnexpectedStatus { status }),
    }
}
