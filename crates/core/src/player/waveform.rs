//! Waveform peaks, computed from the decoded audio (one row per channel) and cached per
//! recording in the user's folder, next to the media, keyed by the file's size.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ids::RecordingSid;
use crate::session::UserScope;

pub const MIN_BUCKETS: u32 = 16;
pub const MAX_BUCKETS: u32 = 4_000;

/// Min and max of each bucket, for one channel; values in -1..=1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ChannelPeaks {
    pub min: Vec<f32>,
    pub max: Vec<f32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Waveform {
    pub recording_id: String,
    pub duration_ms: u32,
    pub buckets: u32,
    /// One entry per channel (two for dual-channel recordings: agent left, caller right).
    pub channels: Vec<ChannelPeaks>,
}

#[derive(Serialize, Deserialize)]
struct Cached {
    source_bytes: u64,
    waveform: Waveform,
}

/// The peaks of one of the user's downloaded recordings, in `buckets` buckets.
pub async fn waveform(scope: &UserScope, recording_id: &str, buckets: u32) -> Result<Waveform> {
    let sid = RecordingSid::parse(recording_id)?;
    let buckets = buckets.clamp(MIN_BUCKETS, MAX_BUCKETS);
    let user_id = scope.user_id();
    let sid_str = sid.as_str();
    let local_file = sqlx::query_scalar!(
        "SELECT local_file FROM recordings WHERE user_id = ?1 AND sid = ?2",
        user_id,
        sid_str,
    )
    .fetch_optional(scope.pool())
    .await?
    .ok_or(Error::NotFound)?;
    let name = local_file.ok_or(Error::NotAvailableOffline)?;
    let media = scope.paths().media_file(&name)?;
    let source_bytes = match tokio::fs::metadata(&media).await {
        Ok(meta) => meta.len(),
        Err(_) => return Err(Error::NotAvailableOffline),
    };
    let cache = cache_path(scope, &sid, buckets);
    if let Ok(bytes) = tokio::fs::read(&cache).await {
        if let Ok(cached) = serde_json::from_slice::<Cached>(&bytes) {
            if cached.source_bytes == source_bytes {
                return Ok(cached.waveform);
            }
        }
    }
    let id = sid.as_str().to_owned();
    let waveform = tokio::task::spawn_blocking(move || compute(&media, &id, buckets))
        .await
        .map_err(|e| Error::Internal(format!("waveform task: {e}")))??;
    if let Some(dir) = cache.parent() {
        tokio::fs::create_dir_all(dir).await?;
    }
    let json = serde_json::to_vec(&Cached {
        source_bytes,
        waveform: waveform.clone(),
    })
    .map_err(|e| Error::Internal(e.to_string()))?;
    crate::storage::write_atomic(&cache, &json).await?;
    // Deleted (or its audio removed) while the peaks were computed: its delete has already
    // cleared the cache, so this one must not stay behind it.
    let user_id = scope.user_id();
    let sid_str = sid.as_str();
    let still = sqlx::query_scalar!(
        "SELECT local_file FROM recordings WHERE user_id = ?1 AND sid = ?2",
        user_id,
        sid_str,
    )
    .fetch_optional(scope.pool())
    .await?;
    if still.flatten().as_deref() != Some(name.as_str()) {
        let _ = tokio::fs::remove_file(&cache).await;
    }
    tracing::info!(user_id = scope.user_id(), recording = %sid, operation = "waveform", outcome = "computed");
    Ok(waveform)
}

fn cache_dir(scope: &UserScope) -> PathBuf {
    scope.paths().root().join("cache").join("waveforms")
}

fn cache_path(scope: &UserScope, sid: &RecordingSid, buckets: u32) -> PathBuf {
    cache_dir(scope).join(format!("{}-{buckets}.json", sid.as_str()))
}

/// Removes the cached peaks (every size) of these recordings: called when their audio or
/// their record goes. One pass over the cache folder, however many recordings. Failures
/// are logged; a cache left over is harmless (nothing reads it without its audio).
pub(crate) async fn remove_cached<S: AsRef<str>>(scope: &UserScope, recordings: &[S]) {
    if recordings.is_empty() {
        return;
    }
    let gone: HashSet<&str> = recordings.iter().map(AsRef::as_ref).collect();
    let Ok(mut entries) = tokio::fs::read_dir(cache_dir(scope)).await else {
        return; // no cache yet
    };
    while let Ok(Some(entry)) = entries.next_entry().await {
        let name = entry.file_name();
        let Some(sid) = name
            .to_str()
            .and_then(|n| n.strip_suffix(".json"))
            .and_then(|n| n.rsplit_once('-'))
            .map(|(sid, _buckets)| sid)
        else {
            continue;
        };
        if gone.contains(sid) {
            if let Err(error) = tokio::fs::remove_file(entry.path()).await {
                if error.kind() != std::io::ErrorKind::NotFound {
                    tracing::warn!(user_id = scope.user_id(), recording = sid, %error, "could not remove a waveform cache");
                }
            }
        }
    }
}

/// Decodes the whole file and reduces it to `buckets` min/max pairs per channel.
pub fn compute(path: &Path, recording_id: &str, buckets: u32) -> Result<Waveform> {
    let (channels, rate, samples) = super::feed::decode_all(path)?;
    let channels = usize::from(channels);
    let frames = samples.len() / channels.max(1);
    let n = buckets as usize;
    let mut peaks = vec![
        ChannelPeaks {
            min: vec![0.0; n],
            max: vec![0.0; n],
        };
        channels
    ];
    for (frame, chunk) in samples.chunks_exact(channels).enumerate() {
        let bucket = (frame * n / frames.max(1)).min(n - 1);
        for (c, &s) in chunk.iter().enumerate() {
            let p = &mut peaks[c];
            p.min[bucket] = p.min[bucket].min(s);
            p.max[bucket] = p.max[bucket].max(s);
        }
    }
    let duration_ms = (frames as u64 * 1000 / u64::from(rate.max(1))) as u32;
    Ok(Waveform {
        recording_id: recording_id.to_owned(),
        duration_ms,
        buckets,
        channels: peaks,
    })
}
