//! Any OpenAI-compatible `/v1/audio/transcriptions` endpoint (OpenAI itself, or a
//! self-hosted whisper server): audio goes up as a 16 kHz WAV, timed segments and words
//! come back as `verbose_json`. The API key goes to the configured host only, in the
//! `Authorization` header, and never into a log line or an error.

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::multipart::{Form, Part};
use reqwest::{Response, StatusCode, Url};
use tokio_util::sync::CancellationToken;

use super::audio::{split_at_pauses, wav_bytes_16k, ENGINE_RATE};
use super::segments::{from_verbose_json, VerboseJson};
use super::{RemoteService, Segment};
use crate::error::{Error, Result, TranscriptionError};
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
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(limits.connect_timeout)
            .user_agent(concat!("CallDeck/", env!("CARGO_PKG_VERSION")))
            .build()
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
        let mut attempt = 1;
        loop {
            let sent = self.send(wav.clone(), timeout);
            let result = tokio::select! {
                () = cancel.cancelled() => return Err(Error::Cancelled),
                result = sent => result,
            };
            let retry = attempt < limits.max_tries;
            let wait = match result {
                Ok(response) if response.status().is_success() => {
                    let body = tokio::select! {
                        () = cancel.cancelled() => return Err(Error::Cancelled),
                        body = read_limited(response, MAX_ANSWER) => body.map_err(network)?,
                    };
                    let body = body.ok_or_else(|| bad("the answer is too large"))?;
                    return serde_json::from_slice(&body).map_err(|e| bad(&hint(e)));
                }
                Ok(response) => {
                    let status = response.status();
                    tracing::debug!(status = status.as_u16(), attempt, "transcription refused");
                    if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
                        return Err(TranscriptionError::KeyRefused.into());
                    }
                    if status.is_redirection() {
                        return Err(bad("a redirect, which is not followed"));
                    }
                    if status != StatusCode::TOO_MANY_REQUESTS && !status.is_server_error() {
                        return Err(self.refused(status, response).await);
                    }
                    if !retry {
                        let why = format!("HTTP {} after {attempt} tries", status.as_u16());
                        return Err(TranscriptionError::Unavailable(why).into());
                    }
                    retry_after(response.headers(), limits.retry_after_max)
                        .unwrap_or_else(|| self.backoff(attempt))
                }
                Err(e) if retry && e.is_connect() && !e.is_timeout() => self.backoff(attempt),
                Err(e) => return Err(network(e)),
            };
            attempt += 1;
            tokio::select! {
                () = cancel.cancelled() => return Err(Error::Cancelled),
                () = tokio::time::sleep(wait) => {}
            }
        }
    }

    async fn send(&self, wav: Bytes, timeout: Duration) -> reqwest::Result<Response> {
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
        self.http
            .post(self.endpoint())
            .bearer_auth(self.api_key.expose())
            .multipart(form)
            .timeout(timeout)
            .send()
            .await
    }

    /// A 4xx other than the key: the service's own words when they are safe to show.
    async fn refused(&self, status: StatusCode, response: Response) -> Error {
        let body = read_limited(response, MAX_ERROR_BODY).await.ok().flatten();
        let message = body.and_then(|b| service_message(&b, self.api_key.expose()));
        TranscriptionError::Rejected {
            status: status.as_u16(),
            message,
        }
        .into()
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .limits
            .backoff_base
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        exp.min(self.limits.backoff_max)
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

/// The body, or `None` when it is larger than `max`.
async fn read_limited(mut response: Response, max: usize) -> reqwest::Result<Option<Vec<u8>>> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > max {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}

/// `Retry-After` as seconds or an HTTP date, capped.
fn retry_after(headers: &HeaderMap, max: Duration) -> Option<Duration> {
    let raw = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let wait = if let Ok(secs) = raw.parse::<f64>() {
        Duration::try_from_secs_f64(secs).ok()?
    } else {
        let at = chrono::DateTime::parse_from_rfc2822(raw).ok()?;
        let ms = at.timestamp_millis() - chrono::Utc::now().timestamp_millis();
        Duration::from_millis(u64::try_from(ms).unwrap_or(0))
    };
    Some(wait.min(max))
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
    (plain && !shows_key(m, key)).then(|| m.to_owned())
}

/// Whether `text` holds the key or any 8 characters of it in a row (services quote keys
/// partly, as in "Incorrect API key provided: sk-abc…").
fn shows_key(text: &str, key: &str) -> bool {
    let key = key.as_bytes();
    if key.len() < 8 {
        return !key.is_empty() && text.as_bytes().windows(key.len()).any(|w| w == key);
    }
    key.windows(8)
        .any(|k| text.as_bytes().windows(8).any(|w| w == k))
}
