//! A loopback fake of OpenAI's `POST /v1/audio/transcriptions` for tests: it checks the
//! bearer key and the multipart fields the way the real service does (model, a WAV file,
//! `response_format=verbose_json`, `timestamp_granularities[]`), answers with OpenAI's
//! `verbose_json` shape, and plays a script of failures (status codes with `Retry-After`,
//! slow answers, broken JSON, redirects). Listens on 127.0.0.1 only.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};

pub const API_KEY: &str = "sk-fake-0123456789abcdefghij";

/// What the fake does with the next request that passes its checks.
#[derive(Debug, Clone)]
pub enum Reply {
    /// The canned transcript (see [`transcript`]).
    Transcript,
    /// This JSON as a 200.
    Json(Value),
    /// A status with OpenAI's error body, and optionally `Retry-After`.
    Error(u16, &'static str, Option<&'static str>),
    /// The transcript after this long.
    Slow(Duration),
    /// A 200 whose body is not JSON.
    Malformed,
    /// A 307 to another path on the same host.
    Redirect,
}

/// What one request carried, for the tests to inspect.
#[derive(Debug, Clone, Default)]
pub struct Received {
    pub path: String,
    pub authorization: Option<String>,
    /// Text fields in order, repeated names included.
    pub fields: Vec<(String, String)>,
    pub file_name: Option<String>,
    /// Seconds of audio in the uploaded WAV, when it was a 16 kHz mono 16-bit WAV.
    pub wav_seconds: Option<f64>,
}

#[derive(Default)]
struct Shared {
    script: Mutex<VecDeque<Reply>>,
    received: Mutex<Vec<Received>>,
}

pub struct FakeOpenAi {
    /// The service root, without `/v1`.
    pub base_url: String,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeOpenAi {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeOpenAi {
    pub async fn start() -> Self {
        let shared = Arc::new(Shared::default());
        let app = Router::new()
            .route("/v1/audio/transcriptions", post(transcriptions))
            .route("/elsewhere", post(elsewhere))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("address");
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("fake serves");
        });
        Self {
            base_url: format!("http://{addr}"),
            shared,
            task,
        }
    }

    /// Queues replies; once they are used up the fake answers with the transcript.
    pub fn script(&self, replies: impl IntoIterator<Item = Reply>) {
        let mut script = self.shared.script.lock().expect("script");
        script.extend(replies);
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().expect("received").clone()
    }
}

/// The canned answer: two segments with their words, times in seconds.
pub fn transcript() -> Value {
    json!({
        "task": "transcribe",
        "language": "english",
        "duration": 3.5,
        "text": "Hello there. How can I help?",
        "segments": [
            {"id": 0, "seek": 0, "start": 0.0, "end": 1.52, "text": " Hello there.",
             "tokens": [50364, 2425], "temperature": 0.0, "avg_logprob": -0.2,
             "compression_ratio": 0.9, "no_speech_prob": 0.01},
            {"id": 1, "seek": 0, "start": 2.0, "end": 3.24, "text": " How can I help?",
             "tokens": [50464, 1012], "temperature": 0.0, "avg_logprob": -0.2,
             "compression_ratio": 0.9, "no_speech_prob": 0.01}
        ],
        "words": [
            {"word": "Hello", "start": 0.0, "end": 0.48},
            {"word": "there", "start": 0.5, "end": 1.5},
            {"word": "How", "start": 2.0, "end": 2.2},
            {"word": "can", "start": 2.22, "end": 2.4},
            {"word": "I", "start": 2.42, "end": 2.6},
            {"word": "help", "start": 2.62, "end": 3.24}
        ]
    })
}

fn openai_error(status: u16, message: &str) -> Response {
    let status = StatusCode::from_u16(status).expect("status");
    let body = json!({"error": {"message": message, "type": "invalid_request_error",
                                "param": null, "code": null}});
    (status, axum::Json(body)).into_response()
}

async fn elsewhere() -> Response {
    axum::Json(transcript()).into_response()
}

async fn transcriptions(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut got = Received {
        path: "/v1/audio/transcriptions".into(),
        authorization: header_str(&headers, header::AUTHORIZATION),
        ..Received::default()
    };
    let boundary = header_str(&headers, header::CONTENT_TYPE)
        .and_then(|ct| Some(ct.split_once("boundary=")?.1.trim_matches('"').to_owned()));
    let mut file = None;
    for (name, file_name, data) in boundary.map(|b| parts(&body, &b)).unwrap_or_default() {
        if name == "file" {
            got.file_name = file_name;
            file = Some(data);
        } else {
            got.fields
                .push((name, String::from_utf8_lossy(&data).into_owned()));
        }
    }
    got.wav_seconds = file.as_deref().and_then(wav_seconds);
    shared.received.lock().expect("received").push(got.clone());

    // OpenAI checks the key first and quotes part of a wrong one back.
    if got.authorization.as_deref() != Some(&format!("Bearer {API_KEY}")) {
        let shown = got.authorization.unwrap_or_default().replace("Bearer ", "");
        let hint: String = shown.chars().take(12).collect();
        let message = format!("Incorrect API key provided: {hint}****. You can find your API key at https://platform.openai.com/account/api-keys.");
        return openai_error(401, &message);
    }
    let granularities = values(&got.fields, "timestamp_granularities[]");
    if values(&got.fields, "model")
        .first()
        .is_none_or(|m| m.is_empty())
    {
        return openai_error(400, "you must provide a model parameter");
    }
    if got.wav_seconds.is_none() {
        return openai_error(
            400,
            "Invalid file format. Supported formats: ['wav', 'mp3']",
        );
    }
    if values(&got.fields, "response_format") != ["verbose_json"]
        || !granularities.contains(&"segment")
        || !granularities.contains(&"word")
    {
        return openai_error(400, "timestamp_granularities requires verbose_json");
    }
    let next = shared.script.lock().expect("script").pop_front();
    match next.unwrap_or(Reply::Transcript) {
        Reply::Transcript => axum::Json(transcript()).into_response(),
        Reply::Json(v) => axum::Json(v).into_response(),
        Reply::Error(status, message, retry_after) => {
            let mut response = openai_error(status, message);
            if let Some(secs) = retry_after {
                let value = secs.parse().expect("header value");
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        Reply::Slow(wait) => {
            tokio::time::sleep(wait).await;
            axum::Json(transcript()).into_response()
        }
        Reply::Malformed => (
            [(header::CONTENT_TYPE, "application/json")],
            "{\"text\": \"Hello",
        )
            .into_response(),
        Reply::Redirect => (
            StatusCode::TEMPORARY_REDIRECT,
            [(header::LOCATION, "/elsewhere")],
        )
            .into_response(),
    }
}

fn values<'a>(fields: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    fields
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers.get(name)?.to_str().ok().map(str::to_owned)
}

fn wav_seconds(data: &[u8]) -> Option<f64> {
    let reader = hound::WavReader::new(std::io::Cursor::new(data)).ok()?;
    let spec = reader.spec();
    let ok = spec.sample_rate == 16_000 && spec.channels == 1 && spec.bits_per_sample == 16;
    ok.then(|| f64::from(reader.duration()) / 16_000.0)
}

/// The parts of a `multipart/form-data` body: (name, file name, data). Small on purpose:
/// the fake only needs what reqwest sends.
fn parts(body: &[u8], boundary: &str) -> Vec<(String, Option<String>, Vec<u8>)> {
    let delimiter = format!("--{boundary}");
    let mut out = Vec::new();
    for chunk in split(body, delimiter.as_bytes()).into_iter().skip(1) {
        if chunk.starts_with(b"--") {
            break;
        }
        let chunk = chunk.strip_prefix(b"\r\n").unwrap_or(chunk);
        let Some(head_end) = find(chunk, b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&chunk[..head_end]).into_owned();
        let data = &chunk[head_end + 4..];
        let data = data.strip_suffix(b"\r\n").unwrap_or(data);
        let attr = |key: &str| {
            let at = head.find(&format!("{key}=\""))? + key.len() + 2;
            Some(head[at..].split('"').next()?.to_owned())
        };
        if let Some(name) = attr(" name") {
            out.push((name, attr("filename"), data.to_vec()));
        }
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn split<'a>(mut body: &'a [u8], delimiter: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    while let Some(at) = find(body, delimiter) {
        out.push(&body[..at]);
        body = &body[at + delimiter.len()..];
    }
    out.push(body);
    out
}
