//! A loopback fake of Twilio's 2010 Recordings and Calls APIs for tests and benchmarks:
//! paging by relative `next_page_uri` with a `PageToken`, Basic auth, `DateCreated>=` and
//! `StartTime>=` filters, media bytes, 429 bursts with `Retry-After`, hostile bodies, and a
//! media redirect to a second host (another port) that records whether an `Authorization`
//! header reached it. Its list responses are validated against Twilio's official OpenAPI
//! spec in the tests (`tests/support/spec.rs`). Listens on 127.0.0.1 only.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use base64::Engine;
use serde_json::{json, Value};

pub const ACCOUNT_SID: &str = "AC0123456789abcdef0123456789abcdef";
pub const AUTH_TOKEN: &str = "fake-auth-token-0123456789";
pub const DAY_MS: i64 = 86_400_000;

/// One generated recording with its call.
#[derive(Debug, Clone)]
pub struct FakeRecording {
    pub sid: String,
    pub call_sid: String,
    pub created_ms: i64,
    pub status: String,
    pub duration: String,
    pub from: String,
    pub to: String,
    pub direction: String,
    pub caller_name: Option<String>,
    /// Offset used to print its dates, in minutes (to exercise "any offset").
    pub offset_min: i32,
}

pub fn recording_sid(i: u64) -> String {
    format!("RE{i:032x}")
}

pub fn call_sid(i: u64) -> String {
    format!("CA{i:032x}")
}

/// `n` recordings, one every `spacing_ms` going back from `newest_ms`.
pub fn generate(n: u64, newest_ms: i64, spacing_ms: i64) -> Vec<FakeRecording> {
    (0..n)
        .map(|i| {
            let outbound = i % 3 == 0;
            FakeRecording {
                sid: recording_sid(i + 1),
                call_sid: call_sid(i + 1),
                created_ms: newest_ms - i as i64 * spacing_ms,
                status: "completed".into(),
                duration: ((i % 600) + 5).to_string(),
                from: format!("+1555{:07}", i % 10_000_000),
                to: "+15559990000".into(),
                direction: if outbound {
                    "outbound-api".into()
                } else {
                    "inbound".into()
                },
                caller_name: if outbound {
                    None
                } else {
                    Some(format!("Caller {i}"))
                },
                offset_min: match i % 3 {
                    0 => 0,
                    1 => 60,
                    _ => -420,
                },
            }
        })
        .collect()
}

pub fn rfc2822(ms: i64, offset_min: i32) -> String {
    let offset = chrono::FixedOffset::east_opt(offset_min * 60).expect("offset");
    chrono::DateTime::from_timestamp_millis(ms)
        .expect("time")
        .with_timezone(&offset)
        .to_rfc2822()
}

fn recording_json(r: &FakeRecording, media_base: &str) -> Value {
    let uri = format!(
        "/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{}.json",
        r.sid
    );
    json!({
        "account_sid": ACCOUNT_SID,
        "api_version": "2010-04-01",
        "call_sid": r.call_sid,
        "conference_sid": null,
        "date_created": rfc2822(r.created_ms, r.offset_min),
        "date_updated": rfc2822(r.created_ms + 5_000, r.offset_min),
        "start_time": rfc2822(r.created_ms - 1_000, r.offset_min),
        "duration": r.duration,
        "sid": r.sid,
        "price": "-0.00250",
        "price_unit": "USD",
        "status": r.status,
        "channels": 1,
        "source": "RecordVerb",
        "error_code": null,
        "uri": uri,
        "encryption_details": null,
        "subresource_uris": {
            "add_on_results": format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{}/AddOnResults.json", r.sid),
            "transcriptions": format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{}/Transcriptions.json", r.sid)
        },
        "media_url": format!("{media_base}/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{}", r.sid),
    })
}

fn call_json(r: &FakeRecording) -> Value {
    json!({
        "sid": r.call_sid,
        "date_created": rfc2822(r.created_ms - 60_000, r.offset_min),
        "date_updated": rfc2822(r.created_ms + 60_000, r.offset_min),
        "parent_call_sid": null,
        "account_sid": ACCOUNT_SID,
        "to": r.to,
        "to_formatted": r.to,
        "from": r.from,
        "from_formatted": r.from,
        "phone_number_sid": null,
        "status": "completed",
        "start_time": rfc2822(r.created_ms - 60_000, r.offset_min),
        "end_time": rfc2822(r.created_ms + 30_000, r.offset_min),
        "duration": r.duration,
        "price": null,
        "price_unit": "USD",
        "direction": r.direction,
        "answered_by": null,
        "api_version": "2010-04-01",
        "forwarded_from": null,
        "group_sid": null,
        "caller_name": r.caller_name,
        "queue_time": "0",
        "trunk_sid": null,
        "uri": format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Calls/{}.json", r.call_sid),
        "subresource_uris": {
            "recordings": format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Calls/{}/Recordings.json", r.call_sid)
        }
    })
}

/// Deterministic audio-ish bytes for a SID.
pub fn media_bytes(sid: &str, len: usize) -> Vec<u8> {
    let mut out = b"ID3\x04\x00\x00\x00\x00\x00\x00".to_vec();
    let seed = sid.as_bytes();
    while out.len() < len {
        out.extend_from_slice(seed);
    }
    out.truncate(len);
    out
}

#[derive(Default)]
pub struct FakeState {
    pub recordings: Mutex<Vec<FakeRecording>>,
    /// Extra calls with no recording, to check the join is by `call_sid`.
    pub stray_calls: Mutex<Vec<FakeRecording>>,
    /// The next this-many API requests answer 429 (Twilio code 20429).
    pub burst_429: AtomicU32,
    /// `Retry-After` sent with each 429.
    pub retry_after: Mutex<String>,
    /// The next this-many API requests answer 503.
    pub burst_503: AtomicU32,
    /// The next list response is this raw body instead (hostile/malformed tests).
    pub hostile_body: Mutex<Option<String>>,
    /// Answer media with a redirect to the second host.
    pub redirect_media: AtomicBool,
    pub media_len: AtomicU64,
    /// Requests to the second host, and how many carried an Authorization header.
    pub media_host_requests: AtomicU32,
    pub media_host_auth_seen: AtomicU32,
    /// Every request to the API host, and those with wrong or missing credentials.
    pub api_requests: AtomicU32,
    pub unauthorised: AtomicU32,
    pub recording_list_requests: AtomicU32,
    pub call_list_requests: AtomicU32,
    pub media_requests: AtomicU32,
    /// Query strings of the list requests, in order.
    pub list_queries: Mutex<Vec<String>>,
    /// Milliseconds to wait before answering each list page (cancellation tests).
    pub page_delay_ms: AtomicU64,
    /// When set, media bodies are sent in `MEDIA_CHUNKS` parts this many milliseconds
    /// apart (crash tests: a kill lands while a download is being written).
    pub media_chunk_delay_ms: AtomicU64,
    /// Real audio to serve as every recording's media instead of the generated bytes.
    pub media_body: Mutex<Option<Vec<u8>>>,
    pub media_host: Mutex<String>,
    pub api_base: Mutex<String>,
    /// Rendered list pages by resource and query, so that the benchmark's peers are not
    /// both held to the fake's own rendering (~10 ms a page of 1000). Cleared whenever the
    /// recordings change (`set_recordings`, `with_recordings`, a delete).
    page_cache: Mutex<HashMap<String, axum::body::Bytes>>,
    /// Bumped with every change of the recordings: a page rendered from older data is
    /// not kept.
    generation: AtomicU64,
}

impl FakeState {
    /// Called with the recordings lock held, after changing them.
    fn changed(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.page_cache.lock().expect("lock").clear();
    }
}

pub struct FakeTwilio {
    pub state: Arc<FakeState>,
    pub base_url: String,
    pub media_host_url: String,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for FakeTwilio {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

impl FakeTwilio {
    pub async fn start(recordings: Vec<FakeRecording>) -> Self {
        let state = Arc::new(FakeState::default());
        *state.recordings.lock().expect("lock") = recordings;
        *state.retry_after.lock().expect("lock") = "0".into();
        state.media_len.store(4096, Ordering::SeqCst);

        let media_listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind media");
        let media_host_url = format!("http://{}", media_listener.local_addr().expect("addr"));
        let api_listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind api");
        let base_url = format!("http://{}", api_listener.local_addr().expect("addr"));
        *state.media_host.lock().expect("lock") = media_host_url.clone();
        *state.api_base.lock().expect("lock") = base_url.clone();

        let api = Router::new()
            .route("/2010-04-01/Accounts/{file}", get(account))
            .route("/2010-04-01/Accounts/{acct}/{resource}", get(list))
            .route(
                "/2010-04-01/Accounts/{acct}/Recordings/{file}",
                get(recording_resource).delete(delete_recording),
            )
            .with_state(Arc::clone(&state));
        let media = Router::new()
            .route("/media/{file}", get(media_host))
            .with_state(Arc::clone(&state));
        let t1 = tokio::spawn(async move {
            let _ = axum::serve(api_listener, api).await;
        });
        let t2 = tokio::spawn(async move {
            let _ = axum::serve(media_listener, media).await;
        });
        Self {
            state,
            base_url,
            media_host_url,
            tasks: vec![t1, t2],
        }
    }

    pub fn set_recordings(&self, recordings: Vec<FakeRecording>) {
        let mut recs = self.state.recordings.lock().expect("lock");
        *recs = recordings;
        self.state.changed();
    }

    pub fn with_recordings<R>(&self, f: impl FnOnce(&mut Vec<FakeRecording>) -> R) -> R {
        let mut recs = self.state.recordings.lock().expect("lock");
        let result = f(&mut recs);
        self.state.changed();
        result
    }

    /// Fetches a path from the fake with the right credentials and returns the JSON, for
    /// validating the fake's own answers against the spec.
    pub async fn raw_get(&self, path_and_query: &str) -> Value {
        let response = reqwest::Client::new()
            .get(format!("{}{path_and_query}", self.base_url))
            .basic_auth(ACCOUNT_SID, Some(AUTH_TOKEN))
            .send()
            .await
            .expect("request");
        assert!(
            response.status().is_success(),
            "fake answered {}",
            response.status()
        );
        response.json().await.expect("json")
    }
}

fn twilio_error(status: StatusCode, code: u32, message: &str) -> Response {
    let body = json!({
        "code": code,
        "message": message,
        "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
        "status": status.as_u16()
    });
    (status, axum::Json(body)).into_response()
}

/// Checks Basic auth and the configured failure bursts. `None` means go on.
fn gate(state: &FakeState, headers: &HeaderMap) -> Option<Response> {
    state.api_requests.fetch_add(1, Ordering::SeqCst);
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{ACCOUNT_SID}:{AUTH_TOKEN}"))
    );
    let ok = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == expected);
    if !ok {
        state.unauthorised.fetch_add(1, Ordering::SeqCst);
        return Some(twilio_error(
            StatusCode::UNAUTHORIZED,
            20003,
            "Authenticate",
        ));
    }
    if state
        .burst_429
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        let mut r = twilio_error(StatusCode::TOO_MANY_REQUESTS, 20429, "Too Many Requests");
        let after = state.retry_after.lock().expect("lock").clone();
        if let Ok(v) = HeaderValue::from_str(&after) {
            r.headers_mut().insert("retry-after", v);
        }
        return Some(r);
    }
    if state
        .burst_503
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        return Some(twilio_error(
            StatusCode::SERVICE_UNAVAILABLE,
            20500,
            "Service Unavailable",
        ));
    }
    None
}

async fn account(
    State(state): State<Arc<FakeState>>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Some(r) = gate(&state, &headers) {
        return r;
    }
    if file != format!("{ACCOUNT_SID}.json") {
        return twilio_error(StatusCode::NOT_FOUND, 20404, "Not Found");
    }
    axum::Json(json!({
        "auth_token": "[redacted by the fake]",
        "date_created": rfc2822(0, 0),
        "date_updated": rfc2822(0, 0),
        "friendly_name": "Fake account",
        "owner_account_sid": ACCOUNT_SID,
        "sid": ACCOUNT_SID,
        "status": "active",
        "subresource_uris": {},
        "type": "Full",
        "uri": format!("/2010-04-01/Accounts/{ACCOUNT_SID}.json")
    }))
    .into_response()
}

fn day_start_ms(raw: &str) -> Option<i64> {
    let day = chrono::NaiveDate::parse_from_str(raw.get(..10)?, "%Y-%m-%d").ok()?;
    Some(day.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis())
}

async fn list(
    State(state): State<Arc<FakeState>>,
    Path((acct, resource)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Some(r) = gate(&state, &headers) {
        return r;
    }
    if acct != ACCOUNT_SID {
        return twilio_error(StatusCode::NOT_FOUND, 20404, "Not Found");
    }
    let delay = state.page_delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
    }
    let is_calls = match resource.as_str() {
        "Recordings.json" => false,
        "Calls.json" => true,
        _ => return twilio_error(StatusCode::NOT_FOUND, 20404, "Not Found"),
    };
    let cache_key = {
        let mut pairs: Vec<_> = q.iter().map(|(k, v)| format!("{k}={v}")).collect();
        pairs.sort();
        let key = format!("{resource}?{}", pairs.join("&"));
        state.list_queries.lock().expect("lock").push(key.clone());
        key
    };
    if is_calls {
        state.call_list_requests.fetch_add(1, Ordering::SeqCst);
    } else {
        state.recording_list_requests.fetch_add(1, Ordering::SeqCst);
    }
    if let Some(body) = state.hostile_body.lock().expect("lock").take() {
        return (StatusCode::OK, [("content-type", "application/json")], body).into_response();
    }
    if let Some(body) = state
        .page_cache
        .lock()
        .expect("lock")
        .get(&cache_key)
        .cloned()
    {
        return json_bytes(body);
    }
    let page_size: usize = q
        .get("PageSize")
        .and_then(|p| p.parse().ok())
        .unwrap_or(50)
        .clamp(1, 1000);
    let page: usize = q.get("Page").and_then(|p| p.parse().ok()).unwrap_or(0);
    // The token is the offset of the page's first item.
    let offset: usize = match q.get("PageToken") {
        Some(t) => match t.strip_prefix("PA").and_then(|o| o.parse().ok()) {
            Some(o) => o,
            None => return twilio_error(StatusCode::BAD_REQUEST, 20001, "Invalid PageToken"),
        },
        None => 0,
    };
    let (filter_key, key_name) = if is_calls {
        ("StartTime>", "StartTime%3E")
    } else {
        ("DateCreated>", "DateCreated%3E")
    };
    let from_ms = q.get(filter_key).and_then(|d| day_start_ms(d));
    let media_base = state.api_base.lock().expect("lock").clone();
    let (generation, items): (u64, Vec<Value>) = {
        let recs = state.recordings.lock().expect("lock");
        let generation = state.generation.load(Ordering::SeqCst);
        let mut sorted: Vec<&FakeRecording> = recs.iter().collect();
        let strays = state.stray_calls.lock().expect("lock");
        if is_calls {
            sorted.extend(strays.iter());
        }
        // Newest first, as Twilio lists them.
        sorted.sort_by(|a, b| b.created_ms.cmp(&a.created_ms).then(b.sid.cmp(&a.sid)));
        let items = sorted
            .into_iter()
            .filter(|r| {
                let t = if is_calls {
                    r.created_ms - 60_000
                } else {
                    r.created_ms
                };
                from_ms.is_none_or(|f| t >= f)
            })
            .skip(offset)
            .take(page_size + 1)
            .map(|r| {
                if is_calls {
                    call_json(r)
                } else {
                    recording_json(r, &media_base)
                }
            })
            .collect();
        (generation, items)
    };
    let more = items.len() > page_size;
    let items: Vec<Value> = items.into_iter().take(page_size).collect();
    let filter = q
        .get(filter_key)
        .map(|d| format!("&{key_name}={d}"))
        .unwrap_or_default();
    let base = format!("/2010-04-01/Accounts/{ACCOUNT_SID}/{resource}");
    let this = format!("{base}?PageSize={page_size}{filter}&Page={page}&PageToken=PA{offset}");
    let next = more.then(|| {
        format!(
            "{base}?PageSize={page_size}{filter}&Page={}&PageToken=PA{}",
            page + 1,
            offset + page_size
        )
    });
    let key = if is_calls { "calls" } else { "recordings" };
    let page = json!({
        key: items,
        "end": offset + page_size.saturating_sub(1),
        "first_page_uri": format!("{base}?PageSize={page_size}{filter}&Page=0"),
        "next_page_uri": next,
        "page": page,
        "page_size": page_size,
        "previous_page_uri": null,
        "start": offset,
        "uri": this,
    });
    let body = axum::body::Bytes::from(serde_json::to_vec(&page).expect("page json"));
    let mut cache = state.page_cache.lock().expect("lock");
    if state.generation.load(Ordering::SeqCst) == generation {
        cache.insert(cache_key, body.clone());
    }
    drop(cache);
    json_bytes(body)
}

fn json_bytes(body: axum::body::Bytes) -> Response {
    (StatusCode::OK, [("content-type", "application/json")], body).into_response()
}

async fn recording_resource(
    State(state): State<Arc<FakeState>>,
    Path((acct, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Some(r) = gate(&state, &headers) {
        return r;
    }
    if acct != ACCOUNT_SID {
        return twilio_error(StatusCode::NOT_FOUND, 20404, "Not Found");
    }
    let (sid, ext) = file.rsplit_once('.').unwrap_or((&file, ""));
    let found = state
        .recordings
        .lock()
        .expect("lock")
        .iter()
        .find(|r| r.sid == sid)
        .cloned();
    let Some(rec) = found else {
        return twilio_error(StatusCode::NOT_FOUND, 20404, "Not Found");
    };
    match ext {
        "json" => {
            let media_base = state.api_base.lock().expect("lock").clone();
            axum::Json(recording_json(&rec, &media_base)).into_response()
        }
        "mp3" => {
            state.media_requests.fetch_add(1, Ordering::SeqCst);
            if state.redirect_media.load(Ordering::SeqCst) {
                let host = state.media_host.lock().expect("lock").clone();
                let location = format!("{host}/media/{sid}.mp3?Expires=1&Signature=fake");
                return (StatusCode::FOUND, [("location", location)]).into_response();
            }
            let len = state.media_len.load(Ordering::SeqCst) as usize;
            media_response(media_for(&state, sid, len), &state)
        }
        _ => twilio_error(StatusCode::NOT_FOUND, 20404, "Not Found"),
    }
}

async fn delete_recording(
    State(state): State<Arc<FakeState>>,
    Path((_acct, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Some(r) = gate(&state, &headers) {
        return r;
    }
    let sid = file.strip_suffix(".json").unwrap_or(&file).to_owned();
    let mut recs = state.recordings.lock().expect("lock");
    let before = recs.len();
    recs.retain(|r| r.sid != sid);
    state.changed();
    if recs.len() == before {
        return twilio_error(StatusCode::NOT_FOUND, 20404, "Not Found");
    }
    StatusCode::NO_CONTENT.into_response()
}

/// The second host: a pre-signed media URL that needs no credentials, and must get none.
async fn media_host(
    State(state): State<Arc<FakeState>>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    state.media_host_requests.fetch_add(1, Ordering::SeqCst);
    if headers.contains_key("authorization") {
        state.media_host_auth_seen.fetch_add(1, Ordering::SeqCst);
    }
    let sid = file.strip_suffix(".mp3").unwrap_or(&file);
    let len = state.media_len.load(Ordering::SeqCst) as usize;
    media_response(media_for(&state, sid, len), &state)
}

fn media_for(state: &FakeState, sid: &str, len: usize) -> Vec<u8> {
    let real = state.media_body.lock().expect("lock").clone();
    real.unwrap_or_else(|| media_bytes(sid, len))
}

pub const MEDIA_CHUNKS: usize = 4;

/// The audio, at once or (with `media_chunk_delay_ms`) streamed slowly, with its
/// `Content-Length` either way.
fn media_response(bytes: Vec<u8>, state: &FakeState) -> Response {
    let delay = state.media_chunk_delay_ms.load(Ordering::SeqCst);
    if delay == 0 {
        return ([("content-type", "audio/mpeg")], bytes).into_response();
    }
    let len = bytes.len();
    let (mut writer, reader) = tokio::io::duplex(len.max(1));
    tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        let step = len.div_ceil(MEDIA_CHUNKS).max(1);
        for chunk in bytes.chunks(step) {
            if writer.write_all(chunk).await.is_err() || writer.flush().await.is_err() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
        }
    });
    let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(reader));
    (
        [
            ("content-type", "audio/mpeg".to_owned()),
            ("content-length", len.to_string()),
        ],
        body,
    )
        .into_response()
}
