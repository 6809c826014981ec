//! The accounts that signed in on this device, for the account switcher and for offline
//! start. Holds no secret (tokens live in the keyring): who, and when they were last seen
//! online. `accounts.json` in the app's data folder.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::storage::write_atomic;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownAccount {
    pub subject: String,
    pub name: String,
    pub email: Option<String>,
    pub picture: Option<String>,
    /// The picture as a small data URL, fetched at sign-in.
    #[serde(default)]
    pub avatar: Option<String>,
    pub last_signed_in_ms: i64,
    /// The last time the provider confirmed the session (sign-in or refresh).
    pub last_online_ms: i64,
    /// Signed out on purpose: not reopened at start, needs the browser to come back.
    pub signed_out: bool,
}

/// What the account switcher shows. `key` names an account without revealing its subject.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountSummary {
    pub key: String,
    pub name: String,
    pub email: Option<String>,
    /// The user's picture as a `data:` URL, when the provider gave one.
    pub avatar: Option<String>,
    pub current: bool,
    /// Switching needs no browser: a session is kept for this account.
    pub has_session: bool,
}

fn file(data_dir: &Path) -> PathBuf {
    data_dir.join("accounts.json")
}

pub async fn all(data_dir: &Path) -> Vec<KnownAccount> {
    match tokio::fs::read(file(data_dir)).await {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|error| {
            tracing::warn!(%error, "accounts list unreadable; starting afresh");
            Vec::new()
        }),
        Err(_) => Vec::new(),
    }
}

async fn write(data_dir: &Path, accounts: &[KnownAccount]) -> Result<()> {
    tokio::fs::create_dir_all(data_dir).await?;
    let bytes = serde_json::to_vec_pretty(accounts).map_err(|e| Error::Internal(e.to_string()))?;
    write_atomic(&file(data_dir), &bytes).await
}

pub async fn find(data_dir: &Path, subject: &str) -> Option<KnownAccount> {
    all(data_dir)
        .await
        .into_iter()
        .find(|a| a.subject == subject)
}

pub async fn find_by_key(data_dir: &Path, key: &str) -> Option<KnownAccount> {
    all(data_dir)
        .await
        .into_iter()
        .find(|a| crate::storage::user_key(&a.subject) == key)
}

/// Adds or replaces the account with the same subject.
pub async fn upsert(data_dir: &Path, account: KnownAccount) -> Result<()> {
    let mut list = all(data_dir).await;
    list.retain(|a| a.subject != account.subject);
    list.push(account);
    list.sort_by_key(|a| std::cmp::Reverse(a.last_signed_in_ms));
    write(data_dir, &list).await
}

pub async fn update(
    data_dir: &Path,
    subject: &str,
    f: impl FnOnce(&mut KnownAccount),
) -> Result<()> {
    let mut list = all(data_dir).await;
    if let Some(a) = list.iter_mut().find(|a| a.subject == subject) {
        f(a);
        write(data_dir, &list).await?;
    }
    Ok(())
}

pub async fn remove(data_dir: &Path, subject: &str) -> Result<()> {
    let mut list = all(data_dir).await;
    list.retain(|a| a.subject != subject);
    write(data_dir, &list).await
}
