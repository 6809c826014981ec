//! The layout before accounts were keyed by their issuer: folders `users/<sha(sub)>`, keyring
//! entries `<purpose>/<sha(sub)>`, rows whose `user_id` is the subject, and `accounts.json` /
//! `last-session.json` naming subjects only. [`upgrade`] moves each account to its
//! (issuer, client, subject) key with nothing lost — library, audio, notes, transcripts,
//! Twilio connection and sign-in token — binding it to the sign-in settings in force, which
//! are the only ones it can have signed in through. Every step can run again after a crash.

use std::path::{Path, PathBuf};

use sqlx::{ConnectOptions, Connection};

use super::account::{legacy_key, AccountId};
use super::identity::Provider;
use super::last::{self, LastSession};
use crate::auth::accounts;
use crate::error::{Error, Result};
use crate::library::db;
use crate::secrets::{blocking, KeyringSlot, SecretSlot, ALL};

/// The demo workspace's subject in the old layout.
const LEGACY_DEMO_SUBJECT: &str = "demo|calldeck";

/// Upgrades `data_dir`. `config` is the issuer and client of the sign-in settings in force;
/// without one, OpenID accounts wait (they cannot have signed in without settings).
pub(crate) async fn upgrade(data_dir: &Path, config: Option<(&str, &str)>) -> Result<()> {
    move_account(data_dir, LEGACY_DEMO_SUBJECT, &AccountId::demo()).await?;
    let mut list = accounts::all(data_dir).await;
    let mut changed = false;
    if let Some((issuer, client)) = config {
        for account in list.iter_mut().filter(|a| a.id().is_none()) {
            let id = AccountId::oidc(issuer, client, &account.subject);
            move_account(data_dir, &account.subject, &id).await?;
            let folder = users(data_dir, &id.key());
            if tokio::fs::try_exists(&folder).await.unwrap_or(false) {
                let card = super::card::Card {
                    account: id.clone(),
                    name: account.name.clone(),
                    email: account.email.clone(),
                };
                super::card::write(&folder, &card).await?;
            }
            account.issuer = Some(issuer.to_owned());
            account.client_id = Some(client.to_owned());
            changed = true;
        }
    }
    if changed {
        accounts::replace_all(data_dir, &list).await?;
        tracing::info!("accounts moved to keys by issuer, client and subject");
    }
    if let Some(legacy) = last::recall_legacy(data_dir).await {
        let id = match legacy.provider {
            Provider::Demo => Some(AccountId::demo()),
            Provider::Oidc => config.map(|(i, c)| AccountId::oidc(i, c, &legacy.subject)),
        };
        if let Some(id) = id {
            let next = LastSession {
                provider: id.provider,
                account: id.key(),
            };
            last::remember(data_dir, &next).await;
        }
    }
    Ok(())
}

fn users(data_dir: &Path, key: &str) -> PathBuf {
    data_dir.join("users").join(key)
}

/// Moves one account: its rows are re-keyed in place, its keyring entries are copied to the
/// new names (then the old ones deleted), where its secrets live is recorded, and its folder
/// is renamed last. Everything happens while the old folder still exists, so an old folder
/// that is gone means the account has moved (or never had a folder, and so nothing to move):
/// a start with nothing to upgrade costs one look at the folder, no database or keyring.
async fn move_account(data_dir: &Path, legacy_subject: &str, id: &AccountId) -> Result<()> {
    let (old_key, new_key) = (legacy_key(legacy_subject), id.key());
    let (old, new) = (users(data_dir, &old_key), users(data_dir, &new_key));
    if !tokio::fs::try_exists(&old).await.unwrap_or(false) {
        return Ok(());
    }
    let database = old.join("library.db");
    if tokio::fs::try_exists(&database).await.unwrap_or(false) {
        rekey_database(&database, legacy_subject, &new_key).await?;
    }
    crate::secrets::adopt_legacy_folder(&old).await?;
    let root = old.clone();
    blocking(move || {
        move_keyring_entries(&old_key, &new_key)?;
        crate::secrets::settle_legacy_folder(&new_key, &root)
    })
    .await?;
    if tokio::fs::try_exists(&new).await.unwrap_or(false) {
        // Both exist: someone signed in under the new key already. Keep both; say so.
        tracing::warn!("an old-layout folder was left in place: the new one exists");
    } else {
        tokio::fs::rename(&old, &new).await?;
    }
    Ok(())
}

fn move_keyring_entries(old_key: &str, new_key: &str) -> Result<()> {
    if !KeyringSlot::new(ALL[0].purpose, old_key).service_answers() {
        return Ok(());
    }
    for name in ALL {
        let (from, to) = (
            KeyringSlot::new(name.purpose, old_key),
            KeyringSlot::new(name.purpose, new_key),
        );
        if let Some(value) = from.load()? {
            if to.load()?.is_none() {
                to.save(&value)?;
            }
            from.delete()?;
        }
    }
    Ok(())
}

/// Replaces the old user id with the new one in every table that has one, in one
/// transaction. Foreign keys are off for it (the parent row changes too) and checked after.
/// The totals are rebuilt from the recordings rather than moved, so no trigger can count
/// a row twice.
async fn rekey_database(database: &Path, old_id: &str, new_id: &str) -> Result<()> {
    // Brings the schema up to date first, so every table below exists.
    db::open(database).await?.close().await;
    let mut conn = db::options(database).connect().await?;
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut conn)
        .await?;
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p
         WHERE m.type = 'table' AND p.name = 'user_id' AND m.sql NOT LIKE 'CREATE VIRTUAL%'
           AND m.name <> 'recording_totals'",
    )
    .fetch_all(&mut conn)
    .await?;
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    let moved = sqlx::query!("UPDATE users SET id = ?1 WHERE id = ?2", new_id, old_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if moved > 0 {
        for table in &tables {
            // Names come from the schema, not from input.
            sqlx::query(&format!(
                "UPDATE \"{table}\" SET user_id = ?1 WHERE user_id = ?2"
            ))
            .bind(new_id)
            .bind(old_id)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query!("DELETE FROM recording_totals")
            .execute(&mut *tx)
            .await?;
        sqlx::query!(
            "INSERT INTO recording_totals
             SELECT user_id, status, direction, coalesce(category, ''), starred, archived, legal_hold,
                    count(*), sum(duration_secs), sum(local_file IS NOT NULL),
                    sum(coalesce(local_file_bytes, 0))
             FROM recordings GROUP BY 1, 2, 3, 4, 5, 6, 7"
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let broken: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(&mut conn)
        .await?;
    conn.close().await?;
    if !broken.is_empty() {
        return Err(Error::Internal(
            "a library could not be moved to its new account key".into(),
        ));
    }
    Ok(())
}
