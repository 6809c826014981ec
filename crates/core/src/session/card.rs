//! Each user's folder says whose it is: `account.json`, the account's issuer, client and
//! subject with the name and e-mail last seen (nothing secret). The folder key is a hash and
//! cannot be read back, so this is what lets a lost or corrupt accounts list be rebuilt.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::account::AccountId;
use crate::error::{Error, Result};
use crate::storage::write_atomic;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    pub account: AccountId,
    pub name: String,
    pub email: Option<String>,
}

fn file(user_root: &Path) -> PathBuf {
    user_root.join("account.json")
}

pub async fn read(user_root: &Path) -> Option<Card> {
    let bytes = tokio::fs::read(file(user_root)).await.ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Writes the card when it differs from the one there (a start need not fsync anything).
pub async fn write(user_root: &Path, card: &Card) -> Result<()> {
    if read(user_root).await.as_ref() == Some(card) {
        return Ok(());
    }
    let bytes = serde_json::to_vec_pretty(card).map_err(|e| Error::Internal(e.to_string()))?;
    write_atomic(&file(user_root), &bytes).await
}
