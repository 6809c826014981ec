//! Audio downloads into the user's media folder (the queue in `queue/` decides which and
//! when): a temporary file of each attempt's own + fsync + rename to `{RecordingSid}_{timestamp}.mp3`, size checked,
//! retried; crash leftovers cleaned (temporaries no download owns) or adopted (complete
//! files whose row was not updated yet) at start. Several downloads of one recording at
//! once (a sync, "Download now", a stream) each rename a whole file of the same bytes.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::audit::{self, Operation};
use crate::error::{Error, Result};
use crate::ids::RecordingSid;
use crate::session::UserScope;
use crate::storage::{is_live_partial, Access, PartialFile, PARTIAL_SUFFIX};
use crate::twilio::{TwilioClient, TwilioError};

/// Which recordings a sync downloads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum DownloadPolicy {
    All,
    Starred,
    LastDays {
        days: u32,
    },
    #[default]
    None,
}

/// Downloads at a time: as many as the Twilio client's per-account budget allows
/// (`TwilioClient::concurrency`, the user's setting), which also holds them to the limit
/// Twilio sets; a caller may ask for fewer.
pub const DEFAULT_CONCURRENCY: usize = crate::twilio::DEFAULT_CONCURRENCY;
pub const MAX_CONCURRENCY: usize = crate::twilio::MAX_CONCURRENCY;
const ATTEMPTS: u32 = 3;

/// `{RecordingSid}_{unix seconds}.mp3`.
pub fn media_file_name(sid: &RecordingSid, recorded_at_ms: i64) -> String {
    format!("{sid}_{}.mp3", recorded_at_ms.div_euclid(1000))
}

fn is_download_name(name: &str) -> Option<(RecordingSid, &str)> {
    let stem = name.strip_suffix(".mp3")?;
    let (sid, ts) = stem.split_once('_')?;
    if ts.is_empty() || !ts.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((RecordingSid::parse(sid).ok()?, ts))
}

/// Removes a file that may have gone meanwhile (renamed into place by its download, or
/// removed by it): only other failures count.
async fn remove_gone_or_not(path: &std::path::Path) -> Result<u64> {
    match tokio::fs::remove_file(path).await {
        Ok(()) => Ok(1),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(e.into()),
    }
}

/// At the start of a sync: deletes `*.partial` leftovers that no download under way owns
/// (a stream playing, a "Download now" keep theirs), and reconciles complete downloads with
/// the library — a file whose row was not updated before a crash is adopted; one whose
/// recording is gone is removed. Returns (removed, adopted).
pub async fn recover_media(scope: &UserScope) -> Result<(u64, u64)> {
    let dir = scope.paths().media_dir();
    let mut removed = 0;
    let mut adopted = 0;
    let mut entries = match tokio::fs::read_dir(&dir).await {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((0, 0)),
        Err(e) => return Err(e.into()),
    };
    while let Some(entry) = entries.next_entry().await? {
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        if name.ends_with(PARTIAL_SUFFIX) {
            if !is_live_partial(&entry.file_name()) {
                removed += remove_gone_or_not(&entry.path()).await?;
            }
            continue;
        }
        let Some((sid, _)) = is_download_name(&name) else {
            continue;
        };
        let (user_id, sid_str) = (scope.user_id(), sid.as_str());
        let row = sqlx::query_scalar!(
            "SELECT local_file FROM recordings WHERE user_id = ?1 AND sid = ?2",
            user_id,
            sid_str,
        )
        .fetch_optional(scope.pool())
        .await?;
        match row {
            Some(Some(current)) if current == name => {}
            Some(None) => {
                let bytes = entry.metadata().await?.len();
                if bytes > 0 {
                    adopted += mark_downloaded(scope, &sid, &name, bytes).await?;
                }
            }
            // No row (deleted) or another file is the recording's: this one is stray.
            _ => removed += remove_gone_or_not(&entry.path()).await?,
        }
    }
    if removed + adopted > 0 {
        tracing::info!(
            user_id = scope.user_id(),
            removed,
            adopted,
            "recovered media folder"
        );
    }
    Ok((removed, adopted))
}

/// Records the recording's audio as on this computer; it leaves the download queue (a
/// stream or "Download now" may have fetched a queued one). Should a crash come between the
/// two, the queue's next pass drops the item (`store::drop_settled`).
pub(crate) async fn mark_downloaded(
    scope: &UserScope,
    sid: &RecordingSid,
    name: &str,
    bytes: u64,
) -> Result<u64> {
    let (user_id, sid) = (scope.user_id(), sid.as_str());
    let bytes = i64::try_from(bytes).unwrap_or(i64::MAX);
    let marked = sqlx::query!(
        "UPDATE recordings SET local_file = ?3, local_file_bytes = ?4
         WHERE user_id = ?1 AND sid = ?2 AND local_file IS NULL",
        user_id,
        sid,
        name,
        bytes,
    )
    .execute(scope.pool())
    .await?
    .rows_affected();
    sqlx::query!(
        "DELETE FROM download_queue WHERE user_id = ?1 AND sid = ?2",
        user_id,
        sid,
    )
    .execute(scope.pool())
    .await?;
    Ok(marked)
}

/// Downloads one recording's audio (both channels when it has two) if it is not on disk
/// yet, and records it in the library. Returns the bytes written (0 when it was already
/// there).
pub async fn download_one(
    scope: &UserScope,
    client: &TwilioClient,
    sid: &RecordingSid,
    recorded_at_ms: i64,
    channels: u32,
) -> Result<u64> {
    let name = media_file_name(sid, recorded_at_ms);
    let target = scope.paths().media_file(&name)?;
    if let Ok(meta) = tokio::fs::metadata(&target).await {
        // Renamed into place before a crash, or by a concurrent "download now".
        if meta.len() > 0 {
            mark_downloaded(scope, sid, &name, meta.len()).await?;
            return Ok(0);
        }
    }
    let mut last_error = None;
    let mut bytes = 0;
    for attempt in 0..ATTEMPTS {
        // Each attempt writes a file of its own; a failed one's file goes with it.
        let mut temp = PartialFile::create(&target, Access::OwnerOnly)
            .await
            .map_err(saving_failed)?;
        match client.download_media(sid, channels, temp.file()?).await {
            Ok(n) => {
                temp.commit().await.map_err(saving_failed)?;
                bytes = n;
                last_error = None;
                break;
            }
            Err(e) if e.is_transient() && attempt + 1 < ATTEMPTS => {
                tracing::debug!(recording = %sid, error = %e, attempt, "retrying download");
                drop(temp);
                tokio::time::sleep(Duration::from_millis(200 << attempt)).await;
                last_error = Some(e);
            }
            Err(e) => {
                last_error = Some(e);
                break;
            }
        }
    }
    if let Some(e) = last_error {
        return Err(e.into());
    }
    if mark_downloaded(scope, sid, &name, bytes).await? == 0 {
        // Deleted meanwhile (or another file is already its audio): keep nothing stray.
        let (user_id, sid_str) = (scope.user_id(), sid.as_str());
        let still_ours = sqlx::query_scalar!(
            "SELECT local_file FROM recordings WHERE user_id = ?1 AND sid = ?2",
            user_id,
            sid_str,
        )
        .fetch_optional(scope.pool())
        .await?;
        if !matches!(still_ours, Some(Some(ref n)) if *n == name) {
            let _ = tokio::fs::remove_file(&target).await;
        }
    }
    tracing::info!(user_id = scope.user_id(), recording = %sid, bytes, "downloaded recording");
    Ok(bytes)
}

/// A file that could not be written or put in place: the user hears about the disk.
fn saving_failed(e: Error) -> Error {
    match e {
        Error::Io(e) => TwilioError::Io(crate::twilio::hint(e)).into(),
        other => other,
    }
}

/// "Download now" for one recording, whatever the policy. Recorded in the user's audit
/// trail with its outcome.
pub async fn download_recording(scope: &UserScope, client: &TwilioClient, id: &str) -> Result<u64> {
    let result = async {
        let sid = RecordingSid::parse(id)?;
        let (at, channels) = date_and_channels(scope, &sid).await?;
        download_one(scope, client, &sid, at, channels).await
    }
    .await;
    let ids = [id.to_owned()];
    audit::record_result(
        scope,
        Operation::Download,
        &ids,
        &result,
        Some("download now"),
        crate::now_ms(),
    )
    .await;
    result
}

/// A recording's date (for its file name) and its channel count (for the media request),
/// `not_found` when it is not the user's.
pub(crate) async fn date_and_channels(scope: &UserScope, sid: &RecordingSid) -> Result<(i64, u32)> {
    let (user_id, sid) = (scope.user_id(), sid.as_str());
    let row = sqlx::query!(
        "SELECT recorded_at_ms, channels FROM recordings WHERE user_id = ?1 AND sid = ?2",
        user_id,
        sid,
    )
    .fetch_optional(scope.pool())
    .await?
    .ok_or(Error::NotFound)?;
    Ok((row.recorded_at_ms, u32::try_from(row.channels).unwrap_or(1)))
}
