//! Export ("download" in the original system): a copy of the audio, with a descriptive name,
//! where the user chose to put it.

use std::path::{Path, PathBuf};

use chrono::Local;
use serde::Serialize;

use crate::audit::{audited, Operation};
use crate::error::{Error, Result};
use crate::ids::RecordingSid;
use crate::library::{from_ms, Direction};
use crate::session::UserScope;
use crate::storage::copy_atomic;

struct ExportRow {
    sid: String,
    phone_number: String,
    direction: Direction,
    recorded_at_ms: i64,
    local_file: Option<String>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ExportResult {
    /// The names of the files written, in the order asked.
    pub files: Vec<String>,
    /// Recordings left out because their audio is not on this computer.
    pub without_audio: Vec<String>,
}

/// `2026-11-20_14-32_inbound_+15551234567_RE….wav`: sortable, readable, and unique per SID.
/// The number keeps only `+` and digits, so nothing in it can form a path.
fn export_name(row: &ExportRow, extension: &str) -> String {
    let when = from_ms(row.recorded_at_ms)
        .with_timezone(&Local)
        .format("%Y-%m-%d_%H-%M");
    let number: String = row
        .phone_number
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    let direction = match row.direction {
        Direction::Inbound => "inbound",
        Direction::Outbound => "outbound",
    };
    format!("{when}_{direction}_{number}_{}.{extension}", row.sid)
}

/// What the save dialog should propose for a recording.
pub async fn suggested_export_name(scope: &UserScope, id: &str) -> Result<String> {
    let row = load(scope, id).await?;
    let source = row.local_file.as_deref().ok_or(Error::NoLocalAudio)?;
    Ok(export_name(&row, extension_of(source)))
}

fn extension_of(file: &str) -> &str {
    Path::new(file)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("mp3")
}

async fn load(scope: &UserScope, id: &str) -> Result<ExportRow> {
    let sid = RecordingSid::parse(id)?;
    let user_id = scope.user_id();
    let sid_str = sid.as_str();
    sqlx::query_as!(
        ExportRow,
        r#"SELECT sid, phone_number, direction AS "direction: _", recorded_at_ms, local_file
           FROM recordings WHERE user_id = ?1 AND sid = ?2"#,
        user_id,
        sid_str,
    )
    .fetch_optional(scope.pool())
    .await?
    .ok_or(Error::NotFound)
}

async fn copy_out(
    scope: &UserScope,
    row: &ExportRow,
    destination: &Path,
    now_ms: i64,
) -> Result<()> {
    let source = row.local_file.as_deref().ok_or(Error::NoLocalAudio)?;
    let source = scope.paths().media_file(source)?;
    if !tokio::fs::try_exists(&source).await.unwrap_or(false) {
        return Err(Error::NoLocalAudio);
    }
    copy_atomic(&source, destination)
        .await
        .map_err(|e| match e {
            // The destination is the user's choice; say so without showing the path.
            Error::Io(_) => {
                Error::invalid("CallDeck could not write the file there. Choose another place.")
            }
            other => other,
        })?;
    let user_id = scope.user_id();
    sqlx::query!(
        "UPDATE recordings SET download_count = download_count + 1, last_downloaded_at_ms = ?1
         WHERE user_id = ?2 AND sid = ?3",
        now_ms,
        user_id,
        row.sid,
    )
    .execute(scope.pool())
    .await?;
    Ok(())
}

/// Copies one recording's audio to `destination`, the path the user chose in the save dialog.
pub async fn export_recording(
    scope: &UserScope,
    id: &str,
    destination: &Path,
    now_ms: i64,
) -> Result<ExportResult> {
    let ids = vec![id.to_owned()];
    audited(scope, Operation::Export, &ids, now_ms, async {
        let row = load(scope, id).await?;
        copy_out(scope, &row, destination, now_ms).await?;
        let name = destination
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        Ok(ExportResult {
            files: vec![name],
            without_audio: Vec::new(),
        })
    })
    .await
}

/// Copies the audio of each recording into `folder` under its descriptive name, never
/// overwriting a file already there. Recordings without local audio are listed, not fatal.
pub async fn export_recordings(
    scope: &UserScope,
    ids: &[String],
    folder: &Path,
    now_ms: i64,
) -> Result<ExportResult> {
    audited(scope, Operation::Export, ids, now_ms, async {
        if ids.is_empty() {
            return Err(Error::invalid("Choose at least one recording."));
        }
        let mut rows = Vec::with_capacity(ids.len());
        for id in ids {
            rows.push(load(scope, id).await?);
        }
        let mut result = ExportResult {
            files: Vec::new(),
            without_audio: Vec::new(),
        };
        for row in &rows {
            let Some(source) = row.local_file.as_deref() else {
                result.without_audio.push(row.sid.clone());
                continue;
            };
            let target = free_name(folder, &export_name(row, extension_of(source))).await?;
            match copy_out(scope, row, &target, now_ms).await {
                Ok(()) => result.files.push(
                    target
                        .file_name()
                        .and_then(|n| n.to_str())
                        .unwrap_or_default()
                        .to_owned(),
                ),
                Err(Error::NoLocalAudio) => result.without_audio.push(row.sid.clone()),
                Err(other) => return Err(other),
            }
        }
        Ok(result)
    })
    .await
}

/// How many names `free_name` tries: a folder holding a thousand exports of one call is
/// not one to keep counting in.
const MAX_NAME_TRIES: u32 = 1_000;

/// `name`, or `name (2)`, `name (3)`… whichever does not exist yet in `folder`. A folder
/// that cannot be looked into (no permission, not a folder) is an error at the first look,
/// never taken for "every name is taken".
async fn free_name(folder: &Path, name: &str) -> Result<PathBuf> {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    for n in 1..=MAX_NAME_TRIES {
        let candidate = if n == 1 {
            folder.join(name)
        } else {
            folder.join(format!("{stem} ({n}).{ext}"))
        };
        match tokio::fs::try_exists(&candidate).await {
            Ok(false) => return Ok(candidate),
            Ok(true) => {}
            Err(_) => {
                return Err(Error::invalid(
                    "CallDeck cannot look into that folder. Choose another folder.",
                ))
            }
        }
    }
    Err(Error::invalid(
        "That folder already holds too many copies of this recording. Choose another folder.",
    ))
}
