//! Media: the API host's `.mp3` answers, the second (pre-signed) host, and slow streaming.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use super::{media_bytes, FakeState};

/// The second host: a pre-signed media URL that needs no credentials, and must get none.
pub(super) async fn media_host(
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

pub(super) fn media_for(state: &FakeState, sid: &str, len: usize) -> Vec<u8> {
    let real = state.media_body.lock().expect("lock").clone();
    real.unwrap_or_else(|| media_bytes(sid, len))
}

const MEDIA_CHUNKS: usize = 4;

/// The audio, at once or (with `media_chunk_delay_ms`) streamed slowly, with its
/// `Content-Length` either way.
pub(super) fn media_response(bytes: Vec<u8>, state: &FakeState) -> Response {
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
