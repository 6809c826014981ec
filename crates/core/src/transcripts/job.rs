//! Transcribing one recording: its local audio, decoded to 16 kHz per channel, through the
//! engine the user chose, saved as the recording's transcript (replacing an older one).

use serde::Serialize;
use tokio_util::sync::CancellationToken;

use super::{
    audio, chosen_engine, get_transcript, merge_channels, remote_service, save_transcript, Engine,
    LocalEngine, RemoteEngine, Transcript,
};
use crate::audit::{self, Operation};
use crate::error::{Error, Result};
use crate::session::UserScope;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum TranscribeStage {
    Decoding,
    Transcribing,
    Saving,
    Done,
}

/// How far one transcription has got: the UI shows it beside the recording.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TranscribeProgress {
    pub recording_id: String,
    pub stage: TranscribeStage,
    /// The channel being transcribed (two-channel calls go one channel at a time).
    pub channel: u8,
    pub channels: u8,
}

/// The user's engine, checked and ready to run.
enum Ready {
    Local(LocalEngine),
    Remote(Box<RemoteEngine>),
}

/// The path of a recording's downloaded audio; `no_local_audio` if it is not downloaded.
pub(crate) async fn local_audio(scope: &UserScope, sid: &str) -> Result<std::path::PathBuf> {
    let user_id = scope.user_id();
    let file = sqlx::query_scalar!(
        "SELECT local_file FROM recordings WHERE user_id = ?1 AND sid = ?2",
        user_id,
        sid,
    )
    .fetch_optional(scope.pool())
    .await?;
    let name = file.ok_or(Error::NotFound)?.ok_or(Error::NoLocalAudio)?;
    scope.paths().media_file(&name)
}

/// Transcribes one of the user's downloaded recordings with their engine and saves the
/// transcript. Each run is an entry in the user's audit trail: ok (with the engine),
/// cancelled, or the error code.
pub async fn transcribe_recording(
    scope: &UserScope,
    sid: &str,
    cancel: &CancellationToken,
    on_progress: impl Fn(TranscribeProgress),
    now_ms: i64,
) -> Result<Transcript> {
    let result = transcribe(scope, sid, cancel, on_progress, now_ms).await;
    let engine = match &result {
        Ok(t) if t.engine == Engine::Local => Some("local"),
        Ok(_) => Some("remote"),
        Err(_) => None,
    };
    let ids = [sid.to_owned()];
    audit::record_result(scope, Operation::Transcribe, &ids, &result, engine, now_ms).await;
    result
}

async fn transcribe(
    scope: &UserScope,
    sid: &str,
    cancel: &CancellationToken,
    on_progress: impl Fn(TranscribeProgress),
    now_ms: i64,
) -> Result<Transcript> {
    let progress = |stage, channel, channels| {
        on_progress(TranscribeProgress {
            recording_id: sid.to_owned(),
            stage,
            channel,
            channels,
        });
    };
    let path = local_audio(scope, sid).await?;
    let engine = chosen_engine(scope).await?;
    // Configuration problems show before minutes of decoding, not after.
    let ready = match engine {
        Engine::Local => Ready::Local(LocalEngine::find().ok_or_else(|| {
            Error::invalid(
                "The local engine is not installed (Debian packages pocketsphinx and pocketsphinx-en-us). Install them or choose the remote engine in Settings.",
            )
        })?),
        Engine::Remote => Ready::Remote(Box::new(RemoteEngine::for_service(
            &remote_service(scope).await?,
        )?)),
    };
    progress(TranscribeStage::Decoding, 0, 1);
    let decoded = tokio::task::spawn_blocking(move || audio::channels_16k(&path))
        .await
        .map_err(|_| Error::Internal("decoding task failed".into()))??;
    let channels = u8::try_from(decoded.len().clamp(1, 8)).unwrap_or(1);
    let mut per_channel = Vec::with_capacity(decoded.len());
    for (i, samples) in decoded.iter().enumerate().take(8) {
        let channel = u8::try_from(i).unwrap_or(0);
        progress(TranscribeStage::Transcribing, channel, channels);
        let segments = match &ready {
            Ready::Local(engine) => {
                engine
                    .transcribe(samples, channel, channels, cancel)
                    .await?
            }
            Ready::Remote(engine) => {
                engine
                    .transcribe(samples, channel, channels, cancel)
                    .await?
            }
        };
        per_channel.push(segments);
    }
    if cancel.is_cancelled() {
        return Err(Error::Cancelled);
    }
    progress(
        TranscribeStage::Saving,
        channels.saturating_sub(1),
        channels,
    );
    let segments = merge_channels(per_channel);
    save_transcript(scope, sid, engine, &segments, now_ms).await?;
    tracing::info!(
        user_id = scope.user_id(),
        recording = sid,
        ?engine,
        segments = segments.len(),
        "transcribed"
    );
    progress(TranscribeStage::Done, channels.saturating_sub(1), channels);
    get_transcript(scope, sid).await?.ok_or(Error::NotFound)
}
