//! Remembers who was signed in last, so the app can reopen their library at start.
//! Holds no secret: the provider and the account's key only. Sign-out forgets it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::identity::Provider;
use crate::storage::write_atomic;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastSession {
    pub provider: Provider,
    /// The account's key (see [`super::AccountId::key`]).
    pub account: String,
}

/// The file as the layout before accounts were keyed by issuer wrote it.
#[derive(Debug, Deserialize)]
pub(crate) struct LegacyLastSession {
    pub(crate) provider: Provider,
    pub(crate) subject: String,
}

fn file(data_dir: &Path) -> PathBuf {
    data_dir.join("last-session.json")
}

pub async fn remember(data_dir: &Path, last: &LastSession) {
    // Reopening the same session at every start need not rewrite (and fsync) the file.
    if recall(data_dir).await.as_ref() == Some(last) {
        return;
    }
    let result = async {
        tokio::fs::create_dir_all(data_dir).await?;
        let bytes = serde_json::to_vec(last).map_err(|e| crate::Error::Internal(e.to_string()))?;
        write_atomic(&file(data_dir), &bytes).await
    }
    .await;
    // Not fatal: the user just signs in again next time.
    if let Err(error) = result {
        tracing::warn!(%error, "could not remember the session");
    }
}

pub async fn recall(data_dir: &Path) -> Option<LastSession> {
    let bytes = tokio::fs::read(file(data_dir)).await.ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The file as the old layout wrote it; `None` for today's (it has no `subject`).
pub(crate) async fn recall_legacy(data_dir: &Path) -> Option<LegacyLastSession> {
    let bytes = tokio::fs::read(file(data_dir)).await.ok()?;
    serde_json::from_slice(&bytes).ok()
}

pub async fn forget(data_dir: &Path) {
    if let Err(error) = tokio::fs::remove_file(file(data_dir)).await {
        if error.kind() != std::io::ErrorKind::NotFound {
            tracing::warn!(%error, "could not forget the session");
        }
    }
}
