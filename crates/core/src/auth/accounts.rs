//! The accounts that signed in on this device, for the account switcher and for offline
//! start. Holds no secret (tokens live in the keyring): who, and when they were last seen
//! online. `accounts.json` in the app's data folder. An account is its issuer, client and
//! subject (see `session::AccountId`), never the subject alone.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::session::AccountId;
use crate::storage::write_atomic;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownAccount {
    /// The issuer and client the account signed in through; `None` only in a file written
    /// before accounts were keyed by issuer, until the start-up migration fills them in.
    #[serde(default)]
    pub issuer: Option<String>,
    #[serde(default)]
    pub client_id: Option<String>,
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

impl KnownAccount {
    /// Who the account is; `None` for an entry still in the old layout.
    pub fn id(&self) -> Option<AccountId> {
        Some(AccountId::oidc(
            self.issuer.as_deref()?,
            self.client_id.as_deref()?,
            &self.subject,
        ))
    }

    pub fn key(&self) -> Option<String> {
        self.id().map(|id| id.key())
    }
}

/// Where an account stands for the switcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Signed in now, in this window.
    Current,
    /// A session is kept: switching needs no browser while the provider confirms it.
    SessionKept,
    /// Signed out (or the provider ended the session): switching opens the browser.
    SignedOut,
    /// Signed in through another provider or application than the sign-in settings now
    /// name: nothing is sent anywhere until those settings name it again.
    OtherProvider,
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
    pub status: AccountStatus,
    /// The sign-in domain the account belongs to (its issuer's host), for telling apart
    /// accounts of two providers.
    pub provider_host: String,
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

/// At start: an accounts list that cannot be read is moved aside (kept, for whoever wants
/// to look) and rebuilt from the cards in the users' folders. Rebuilt accounts have never
/// been confirmed by their provider as far as this list knows, so none opens offline until
/// it has been. Returns a notice for the sign-in screen when that happened.
pub async fn recover(data_dir: &Path, now_ms: i64) -> Result<Option<String>> {
    let Ok(bytes) = tokio::fs::read(file(data_dir)).await else {
        return Ok(None);
    };
    if serde_json::from_slice::<Vec<KnownAccount>>(&bytes).is_ok() {
        return Ok(None);
    }
    let aside = data_dir.join(format!("accounts.json.corrupt-{now_ms}"));
    tokio::fs::rename(file(data_dir), &aside).await?;
    let mut list = Vec::new();
    if let Ok(mut folders) = tokio::fs::read_dir(data_dir.join("users")).await {
        while let Ok(Some(folder)) = folders.next_entry().await {
            let Some(card) = crate::session::card::read(&folder.path()).await else {
                continue;
            };
            if card.account.provider != crate::session::Provider::Oidc
                || folder.file_name().to_str() != Some(card.account.key().as_str())
            {
                continue;
            }
            list.push(KnownAccount {
                issuer: Some(card.account.issuer),
                client_id: Some(card.account.client_id),
                subject: card.account.subject,
                name: card.name,
                email: card.email,
                picture: None,
                avatar: None,
                last_signed_in_ms: 0,
                last_online_ms: 0,
                signed_out: false,
            });
        }
    }
    tracing::warn!(
        accounts = list.len(),
        "the accounts list was unreadable: kept aside and rebuilt"
    );
    write(data_dir, &list).await?;
    Ok(Some(
        "The list of accounts on this computer could not be read, so it was rebuilt from the accounts' folders. Sign in again where CallDeck asks; no data was lost."
            .into(),
    ))
}

fn is(a: &KnownAccount, key: &str) -> bool {
    a.key().as_deref() == Some(key)
}

pub async fn find(data_dir: &Path, key: &str) -> Option<KnownAccount> {
    all(data_dir).await.into_iter().find(|a| is(a, key))
}

/// Adds or replaces the account with the same key.
pub async fn upsert(data_dir: &Path, account: KnownAccount) -> Result<()> {
    let key = account.key();
    let mut list = all(data_dir).await;
    list.retain(|a| a.key() != key);
    list.push(account);
    list.sort_by_key(|a| std::cmp::Reverse(a.last_signed_in_ms));
    write(data_dir, &list).await
}

pub async fn update(data_dir: &Path, key: &str, f: impl FnOnce(&mut KnownAccount)) -> Result<()> {
    let mut list = all(data_dir).await;
    if let Some(a) = list.iter_mut().find(|a| is(a, key)) {
        f(a);
        write(data_dir, &list).await?;
    }
    Ok(())
}

pub async fn remove(data_dir: &Path, key: &str) -> Result<()> {
    let mut list = all(data_dir).await;
    list.retain(|a| !is(a, key));
    write(data_dir, &list).await
}

/// Replaces the whole list (the layout migration).
pub(crate) async fn replace_all(data_dir: &Path, list: &[KnownAccount]) -> Result<()> {
    write(data_dir, list).await
}
