//! Media: the API host's `.mp3` answers, the second (pre-signed) host, slow streaming, and
//! bodies that are cut half-way or sent without their length.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

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
    let arrived = tokio::time::Instant::now();
    state.media_host_requests.fetch_add(1, Ordering::SeqCst);
    if headers.contains_key("authorization") {
        state.media_host_auth_seen.fetch_add(1, Ordering::SeqCst);
    }
    let sid = file.strip_suffix(".mp3").unwrap_or(&file);
    let len = state.media_len.load(Ordering::SeqCst) as usize;
    let bytes = media_for(&state, sid, len);
    if let Some(paced) = super::latency::media_reply(&state, arrived, &bytes).await {
        return paced;
    }
    media_response(bytes, &state)
}

pub(super) fn media_for(state: &FakeState, sid: &str, len: usize) -> Vec<u8> {
    let real = state.media_body.lock().expect("lock").clone();
    real.unwrap_or_else(|| media_bytes(sid, len))
}

/// How media answers misbehave (download race and size limit tests).
#[derive(Default)]
pub struct MediaFaults {
    /// The next this-many media answers announce the whole length, send half of it and
    /// then fail: the connection breaks mid-body.
    pub cut_next: AtomicU32,
    /// Media answers carry no `Content-Length` (sent chunked).
    pub without_length: AtomicBool,
}

const MEDIA_CHUNKS: usize = 4;

/// The audio, at once or (with `media_chunk_delay_ms`) streamed slowly, with its
/// `Content-Length` unless `without_length`; cut half-way while `cut_next` lasts.
pub(super) fn media_response(bytes: Vec<u8>, state: &FakeState) -> Response {
    let delay = state.media_chunk_delay_ms.load(Ordering::SeqCst);
    let faults = &state.media_faults;
    let cut = faults
        .cut_next
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    let without_length = faults.without_length.load(Ordering::SeqCst);
    if delay == 0 && !cut && !without_length {
        return ([("content-type", "audio/mpeg")], bytes).into_response();
    }
    let len = bytes.len();
    let sent = if cut { len / 2 } else { len };
    let (mut writer, reader) = tokio::io::duplex(len.max(1));
    tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        let step = len.div_ceil(MEDIA_CHUNKS).max(1);
        for chunk in bytes[..sent].chunks(step) {
            if writer.write_all(chunk).await.is_err() || writer.flush().await.is_err() {
                return;
            }
            if delay > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
            }
        }
    });
    let body = if cut {
        axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(FailAtEnd(reader)))
    } else {
        axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(reader))
    };
    let mut response = ([("content-type", "audio/mpeg")], body).into_response();
    if !without_length {
        response
            .headers_mut()
            .insert("content-length", len.to_string().parse().expect("length"));
    }
    response
}

/// Passes its reader through, then fails where the reader ends: the server breaks the
/// connection instead of ending the body.
struct FailAtEnd<R>(R);

impl<R: tokio::io::AsyncRead + Unpin> tokio::io::AsyncRead for FailAtEnd<R> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.0).poll_read(cx, buf) {
            Poll::Ready(Ok(())) if buf.filled().len() == before => {
                Poll::Ready(Err(std::io::Error::other("the fake cut this body")))
            }
            other => other,
        }
    }
}
