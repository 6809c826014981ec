//! Where a user's secrets live, decided once: the first time one of them is kept, the store
//! chosen (the keyring when a keyring service answers, else the owner-only file) is recorded
//! in the user's folder, and every later open uses the record instead of probing again. A
//! keyring that blinks for a moment then cannot leave copies in a place sign-out misses, and
//! sign-out and removal clear both places anyway.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::slot::{FileSlot, KeyringSlot, SecretSlot};
use crate::error::{Error, Result};
use crate::storage::write_atomic;

/// One kind of secret a user has: its keyring entry prefix and its fallback file name.
#[derive(Debug, Clone, Copy)]
pub struct SecretName {
    pub purpose: &'static str,
    pub file: &'static str,
}

/// The sign-in refresh token.
pub const REFRESH_TOKEN: SecretName = SecretName {
    purpose: "auth0-refresh",
    file: "auth-refresh-token",
};
/// The Twilio credentials.
pub const TWILIO: SecretName = SecretName {
    purpose: "twilio",
    file: "twilio-credentials.json",
};
/// The AI service's API key.
pub const AI_KEY: SecretName = SecretName {
    purpose: "openai",
    file: "openai-api-key",
};
/// Every secret a user can have, for removal and for moving an account to a new key.
pub const ALL: [SecretName; 3] = [REFRESH_TOKEN, TWILIO, AI_KEY];

const RECORD_FILE: &str = "secret-store.json";

#[derive(Serialize, Deserialize)]
struct Record {
    kind: RecordedKind,
}

#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum RecordedKind {
    Keyring,
    File,
}

fn record_path(user_root: &Path) -> PathBuf {
    user_root.join(RECORD_FILE)
}

async fn write_record(user_root: &Path, kind: RecordedKind) -> Result<()> {
    let bytes = serde_json::to_vec(&Record { kind })
        .map_err(|e| Error::Internal(format!("secret store record: {e}")))?;
    write_atomic(&record_path(user_root), &bytes).await
}

fn read_record(user_root: &Path) -> Option<RecordedKind> {
    let bytes = std::fs::read(record_path(user_root)).ok()?;
    serde_json::from_slice::<Record>(&bytes)
        .ok()
        .map(|r| r.kind)
}

/// Which store a user's secrets live in: the recorded one, or — the first time — the
/// keyring if a keyring service answers, recorded when the user's folder exists. A folder
/// that does not exist (removed) is never created here.
async fn location(user_key: &str, user_root: &Path) -> Result<RecordedKind> {
    if let Some(kind) = read_record(user_root) {
        return Ok(kind);
    }
    let probe = KeyringSlot::new(REFRESH_TOKEN.purpose, user_key);
    let kind = tokio::task::spawn_blocking(move || probe.service_answers())
        .await
        .map_err(|_| Error::Internal("secret store probe failed".into()))?;
    let kind = if kind {
        RecordedKind::Keyring
    } else {
        tracing::warn!("no keyring service: secrets fall back to owner-only files");
        RecordedKind::File
    };
    if tokio::fs::try_exists(user_root).await.unwrap_or(false) {
        write_record(user_root, kind).await?;
    }
    Ok(kind)
}

/// The user's slot for one kind of secret, in the store their secrets live in.
pub async fn open_slot(
    name: SecretName,
    user_key: &str,
    user_root: &Path,
) -> Result<Arc<dyn SecretSlot>> {
    Ok(match location(user_key, user_root).await? {
        RecordedKind::Keyring => Arc::new(KeyringSlot::new(name.purpose, user_key)),
        RecordedKind::File => Arc::new(FileSlot::new(user_root, name.file)),
    })
}

/// Deletes a secret from both the keyring and the fallback file, whichever is recorded: a
/// copy left in the other place (from before the record existed) goes too. Off the async
/// threads, since keyrings block.
pub fn delete_everywhere(name: SecretName, user_key: &str, user_root: &Path) -> Result<()> {
    let file = FileSlot::new(user_root, name.file).delete();
    let keyring = KeyringSlot::new(name.purpose, user_key);
    // No keyring service at all means nothing can be kept there.
    let keyring = if keyring.service_answers() {
        keyring.delete()
    } else {
        Ok(())
    };
    file.and(keyring)
}

/// For a folder from before the record existed: if it holds fallback files, its secrets
/// live there, and the record says so (a keyring that answers now must not hide them).
pub(crate) async fn adopt_legacy_folder(user_root: &Path) -> Result<()> {
    if read_record(user_root).is_some() {
        return Ok(());
    }
    for name in ALL {
        if tokio::fs::try_exists(user_root.join(name.file))
            .await
            .unwrap_or(false)
        {
            return write_record(user_root, RecordedKind::File).await;
        }
    }
    Ok(())
}

/// For a folder whose secrets the record puts in files: entries a keyring kept for it
/// before (when one answered at the time) move into the files, so they are all in the one
/// recorded place. Blocking.
pub(crate) fn settle_legacy_folder(user_key: &str, user_root: &Path) -> Result<()> {
    if read_record(user_root) != Some(RecordedKind::File) {
        return Ok(());
    }
    if !KeyringSlot::new(REFRESH_TOKEN.purpose, user_key).service_answers() {
        return Ok(());
    }
    for name in ALL {
        let keyring = KeyringSlot::new(name.purpose, user_key);
        if let Some(value) = keyring.load()? {
            let file = FileSlot::new(user_root, name.file);
            if file.load()?.is_none() {
                file.save(&value)?;
            }
            keyring.delete()?;
        }
    }
    Ok(())
}
