//! Any OpenAI-compatible `/v1/audio/transcriptions` endpoint (OpenAI itself, or a
//! self-hosted whisper server): audio goes up as a 16 kHz WAV, timed segments and words
//! come back as `verbose_json`. The API key goes to the configured host only, in the
//! `Authorization` header, and never into a log line or an error.

use std::time::Duration;

use bytes::Bytes;
use reqwest::multipart::{Form, Part};
use reqwest::{Response, StatusCode, Url};
use tokio_util::sync::CancellationToken;

use super::audio::{split_at_pauses, wav_bytes_16k, ENGINE_RATE};
use super::segments::{from_verbose_json, VerboseJson};
use super::{RemoteService, Segment, TranscriptionError};
use crate::error::{Error, Result};
use crate::http::{self, BodyError, Credentials, Replay, RetryPolicy};
use crate::twilio::{hint, Secret};

/// Timeouts, retries and upload size. `Default` suits OpenAI; tests shorten them.
#[derive(Debug, Clone)]
pub struct RemoteLimits {
    pub connect_timeout: Duration,
    /// Whole-request timeout for a piece with no audio; grows with the audio uploaded.
    pub request_base: Duration,
    /// Added to the request timeout per minute of audio in the piece.
    pub request_per_audio_minute: Duration,
    pub request_max: Duration,
    /// Attempts in all for 429, 5xx and connection failures.
    pub max_tries: u32,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// The longest `Retry-After` honoured; longer ones are cut to this.
    pub retry_after_max: Duration,
    /// Longest piece uploaded at once; longer audio is split at a pause. OpenAI takes at
    /// most 25 MB, about 13 minutes of 16 kHz WAV.
    pub max_upload_samples: usize,
}

impl RemoteLimits {
    fn retry_policy(&self) -> RetryPolicy {
        RetryPolicy {
            attempts: self.max_tries.max(1),
            backoff_base: self.backoff_base,
            backoff_max: self.backoff_max,
            retry_after_max: self.retry_after_max,
        }
    }
}

impl Default for RemoteLimits {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_base: Duration::from_secs(60),
            request_per_audio_minute: Duration::from_secs(30),
            request_max: Duration::from_secs(600),
            max_tries: 3,
            backoff_base: Duration::from_secs(1),
            backoff_max: Duration::from_secs(10),
            retry_after_max: Duration::from_secs(30),
            max_upload_samples: ENGINE_RATE as usize * 600,
        }
    }
}

/// Where a cut between pieces is looked for: the last 30 s before the size limit.
const SPLIT_SEARCH: usize = ENGINE_RATE as usize * 30;
/// Largest answer read: a verbose_json for ten minutes of speech is well under 1 MB.
const MAX_ANSWER: usize = 16 * 1024 * 1024;
const MAX_ERROR_BODY: usize = 64 * 1024;

#[derive(Clone)]
pub struct RemoteEngine {
    base_url: Url,
    model: String,
    api_key: Secret,
    limits: RemoteLimits,
    http: reqwest::Client,
}

impl std::fmt::Debug for RemoteEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteEngine")
            .field("base_url", &self.base_url.as_str())
            .field("model", &self.model)
            .field("api_key", &self.api_key)
            .finish_non_exhaustive()
    }
}

impl RemoteEngine {
    /// `base_url` is the service's root, with or without `/v1` (`https://api.openai.com/v1`).
    pub fn new(base_url: Url, model: impl Into<String>, api_key: Secret) -> Result<Self> {
        Self::with_limits(base_url, model, api_key, RemoteLimits::default())
    }

    /// The service saved in the user's settings, with its transcription model.
    pub fn for_service(service: &RemoteService) -> Result<Self> {
        let model = service.transcription_model.clone();
        Self::new(service.base_url.clone(), model, service.api_key.clone())
    }

    pub fn with_limits(
        base_url: Url,
        model: impl Into<String>,
        api_key: Secret,
        limits: RemoteLimits,
    ) -> Result<Self> {
        if !matches!(base_url.scheme(), "http" | "https") || base_url.host_str().is_none() {
            return Err(Error::invalid(
                "The transcription service address must be an http(s) URL such as https://api.openai.com/v1.",
            ));
        }
        let model = model.into().trim().to_owned();
        if model.is_empty() {
            return Err(Error::invalid("Enter the transcription model to use."));
        }
        if api_key.expose().trim().is_empty() {
            return Err(Error::invalid("Enter the transcription service's API key."));
        }
        // No redirects: a redirect must never carry the Authorization header elsewhere.
        let http = http::client(limits.connect_timeout)
            .map_err(|e| Error::Internal(format!("http client: {}", hint(e))))?;
        Ok(Self {
            base_url,
            model,
            api_key,
            limits,
            http,
        })
    }

    /// `{base}/v1/audio/transcriptions`, without doubling a `/v1` the base already has.
    pub fn endpoint(&self) -> Url {
        let mut url = self.base_url.clone();
        let path = self.base_url.path().trim_end_matches('/');
        let version = if path.ends_with("/v1") { "" } else { "/v1" };
        url.set_path(&format!("{path}{version}/audio/transcriptions"));
        url.set_query(None);
        url.set_fragment(None);
        url
    }

    /// Transcribes one channel (16 kHz mono) into segments for `channel` of `channels`,
    /// with times from the start of the audio.
    pub async fn transcribe(
        &self,
        samples_16k: &[i16],
        channel: u8,
        channels: u8,
        cancel: &CancellationToken,
    ) -> Result<Vec<Segment>> {
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        if samples_16k.is_empty() {
            return Ok(Vec::new());
        }
        let mut segments = Vec::new();
        for piece in split_at_pauses(samples_16k, self.limits.max_upload_samples, SPLIT_SEARCH) {
            let answer = self.request(&samples_16k[piece.clone()], cancel).await?;
            let at = |samples: usize| (samples as u64 * 1000 / u64::from(ENGINE_RATE)) as u32;
            let span = at(piece.start)..at(piece.end);
            segments.extend(from_verbose_json(answer, span, channel, channels));
        }
        Ok(segments)
    }

    async fn request(&self, samples: &[i16], cancel: &CancellationToken) -> Result<VerboseJson> {
        let wav = Bytes::from(wav_bytes_16k(samples));
        let minutes = samples.len() as f64 / f64::from(ENGINE_RATE) / 60.0;
        let limits = &self.limits;
        let timeout = limits
            .request_base
            .saturating_add(limits.request_per_audio_minute.mul_f64(minutes))
            .min(limits.request_max);
        let policy = limits.retry_policy();
        // An upload does work at the service: replayed only when it never reached it.
        let sent = http::send(&policy, Replay::UnsentOnly, || {
            self.send(wav.clone(), timeout)
        });
        let response = tokio::select! {
            () = cancel.cancelled() => return Err(Error::Cancelled),
            result = sent => result.map_err(network)?,
        };
        let status = response.status();
        if status.is_success() {
            let body = tokio::select! {
                () = cancel.cancelled() => return Err(Error::Cancelled),
                body = http::read_limited(response, MAX_ANSWER) => body,
            };
            let body = body.map_err(|e| match e {
                BodyError::TooLarge => bad("the answer is too large"),
                BodyError::Network(e) => network(e),
            })?;
            return serde_json::from_slice(&body).map_err(|e| bad(&hint(e)));
        }
        tracing::debug!(status = status.as_u16(), "transcription refused");
        if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
            return Err(TranscriptionError::KeyRefused.into());
        }
        if status.is_redirection() {
            return Err(bad("a redirect, which is not followed"));
        }
        if http::retryable_status(status) {
            let why = format!("HTTP {} after {} tries", status.as_u16(), policy.attempts);
            return Err(TranscriptionError::Unavailable(why).into());
        }
        Err(self.refused(status, response).await)
    }

    async fn send(&self, wav: Bytes, timeout: Duration) -> reqwest::Result<Response> {
        let endpoint = self.endpoint();
        let len = wav.len() as u64;
        let file = Part::stream_with_length(wav, len)
            .file_name("audio.wav")
            .mime_str("audio/wav")?;
        let form = Form::new()
            .part("file", file)
            .text("model", self.model.clone())
            .text("response_format", "verbose_json")
            .text("timestamp_granularities[]", "segment")
            .text("timestamp_granularities[]", "word");
        let request = self
            .http
            .post(endpoint.clone())
            .multipart(form)
            .timeout(timeout);
        let key = Credentials::Bearer(self.api_key.expose());
        http::authorise(request, &endpoint, &self.base_url, key)
            .send()
            .await
    }

    /// A 4xx other than the key: the service's own words when they are safe to show.
    async fn refused(&self, status: StatusCode, response: Response) -> Error {
        let body = http::read_limited(response, MAX_ERROR_BODY).await.ok();
        let message = body.and_then(|b| service_message(&b, self.api_key.expose()));
        TranscriptionError::Rejected {
            status: status.as_u16(),
            message,
        }
        .into()
    }
}

fn bad(detail: &str) -> Error {
    TranscriptionError::BadResponse(detail.to_owned()).into()
}

fn network(e: reqwest::Error) -> Error {
    if e.is_timeout() {
        return TranscriptionError::TimedOut.into();
    }
    TranscriptionError::Unavailable(hint(e.without_url())).into()
}

/// The service's error message (OpenAI's `error.message`, or the `error`/`detail` string
/// other servers send) when it is short, plain text and holds nothing of the key.
fn service_message(body: &[u8], key: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let m = [
        &v["error"]["message"],
        &v["error"],
        &v["detail"],
        &v["message"],
    ]
    .into_iter()
    .find_map(|m| m.as_str())?
    .trim();
    let plain = !m.is_empty()
        && m.chars().count() <= 200
        && !m.chars().any(|c| c.is_control() || "<>{}".contains(c));
    (plain && !http::shows_secret(m, key)).then(|| m.to_owned())
}
