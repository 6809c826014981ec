//! The user's Twilio connection as the settings page and the sync button see it:
//! credentials (checked on save, kept in the credential store), sync settings, status.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::audit::{self, Operation};
use crate::error::{Error, Result};
use crate::library::from_ms;
use crate::secrets::{self, CredentialStore, StoreKind};
use crate::session::UserScope;
use crate::sync::{self, DownloadPolicy};
use crate::twilio::{
    ClientConfig, Secret, TwilioAccountSummary, TwilioClient, TwilioCredentials,
    DEFAULT_CONCURRENCY, MAX_CONCURRENCY,
};

/// What the user types on the settings page. The secret is used once and never returned.
#[derive(Clone, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum TwilioCredentialsInput {
    #[serde(rename_all = "camelCase")]
    AuthToken {
        account_sid: String,
        auth_token: String,
    },
    #[serde(rename_all = "camelCase")]
    ApiKey {
        account_sid: String,
        api_key_sid: String,
        api_key_secret: String,
    },
}

impl std::fmt::Debug for TwilioCredentialsInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TwilioCredentialsInput(<redacted>)")
    }
}

impl TwilioCredentialsInput {
    /// Which kind of credentials, for the audit trail (never their values).
    fn kind(&self) -> &'static str {
        match self {
            TwilioCredentialsInput::AuthToken { .. } => "auth token",
            TwilioCredentialsInput::ApiKey { .. } => "API key",
        }
    }

    fn into_credentials(self) -> Result<TwilioCredentials> {
        match self {
            TwilioCredentialsInput::AuthToken {
                account_sid,
                auth_token,
            } => TwilioCredentials::auth_token(account_sid.trim(), Secret::new(auth_token.trim())),
            TwilioCredentialsInput::ApiKey {
                account_sid,
                api_key_sid,
                api_key_secret,
            } => TwilioCredentials::api_key(
                account_sid.trim(),
                api_key_sid.trim(),
                Secret::new(api_key_secret.trim()),
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncSettings {
    pub download_policy: DownloadPolicy,
    /// Minutes between background syncs; none when background sync is off.
    pub background_minutes: Option<u32>,
    /// A desktop notification when a background sync finds new recordings.
    pub notify_new: bool,
    /// Most requests in flight at once to the user's Twilio account (1 to 32): the ceiling
    /// of the account's budget, which lowers itself when Twilio answers 429.
    pub twilio_concurrency: u32,
}

impl Default for SyncSettings {
    fn default() -> Self {
        Self {
            download_policy: DownloadPolicy::None,
            background_minutes: None,
            notify_new: false,
            twilio_concurrency: DEFAULT_CONCURRENCY as u32,
        }
    }
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TwilioStatus {
    /// The saved account (never the secret); none when not connected.
    pub account: Option<TwilioAccountSummary>,
    /// Where the credentials are kept; `file` means no keyring service was found.
    pub store: StoreKind,
    pub last_synced_at: Option<DateTime<Utc>>,
    pub syncing: bool,
    pub settings: SyncSettings,
}

/// The user's credential store and what the client needs to talk to Twilio.
#[derive(Clone)]
pub struct TwilioConnection {
    store: Arc<dyn CredentialStore>,
    config: ClientConfig,
}

impl TwilioConnection {
    /// The user's connection, with their own settings applied to the client's config.
    pub async fn open(scope: &UserScope, config: ClientConfig) -> Result<Self> {
        Self::with_store(secrets::open_store(scope).await?, config)
            .with_settings_of(scope)
            .await
    }

    /// This connection with the user's settings in its client config: their concurrency
    /// setting becomes the ceiling of their Twilio account's budget (every client of the
    /// account shares one, so each must be made with the same setting).
    pub async fn with_settings_of(mut self, scope: &UserScope) -> Result<Self> {
        self.config.concurrency = load_settings(scope).await?.twilio_concurrency as usize;
        Ok(self)
    }

    /// With a store already open (the shell keeps one per signed-in user; tests pass their own).
    pub fn with_store(store: Arc<dyn CredentialStore>, config: ClientConfig) -> Self {
        Self { store, config }
    }

    pub async fn status(&self, scope: &UserScope) -> Result<TwilioStatus> {
        let account = secrets::load(&self.store)
            .await?
            .map(|c| c.public_summary());
        let state = sync::state::load(scope).await?;
        Ok(TwilioStatus {
            account,
            store: self.store.kind(),
            last_synced_at: state.last_completed_at_ms.map(from_ms),
            syncing: sync::is_syncing(scope),
            settings: load_settings(scope).await?,
        })
    }

    /// Checks the credentials with Twilio and keeps them only if Twilio accepts them. Each
    /// attempt is an entry in the user's audit trail, naming the kind of credentials only.
    pub async fn connect(
        &self,
        scope: &UserScope,
        input: TwilioCredentialsInput,
    ) -> Result<TwilioStatus> {
        let kind = input.kind();
        let saved = match input.into_credentials() {
            Ok(credentials) => {
                secrets::verify_and_save(&self.store, credentials, self.config.clone()).await
            }
            Err(e) => Err(e),
        };
        audit::record_result(
            scope,
            Operation::TwilioConnect,
            &[],
            &saved,
            Some(kind),
            crate::now_ms(),
        )
        .await;
        saved?;
        tracing::info!(user_id = scope.user_id(), "Twilio connected");
        self.status(scope).await
    }

    pub async fn disconnect(&self, scope: &UserScope) -> Result<()> {
        audit::audited(
            scope,
            Operation::TwilioDisconnect,
            &[],
            crate::now_ms(),
            async { secrets::delete(&self.store).await },
        )
        .await?;
        tracing::info!(user_id = scope.user_id(), "Twilio disconnected");
        Ok(())
    }

    /// A client with the saved credentials, or `twilio_not_connected`.
    pub async fn client(&self) -> Result<TwilioClient> {
        let credentials = secrets::load(&self.store)
            .await?
            .ok_or(Error::TwilioNotConnected)?;
        Ok(TwilioClient::new(credentials, self.config.clone())?)
    }
}

pub async fn load_settings(scope: &UserScope) -> Result<SyncSettings> {
    let user_id = scope.user_id();
    let row = sqlx::query!(
        r#"SELECT download_policy, background_minutes, notify_new AS "notify_new: bool",
                  twilio_concurrency
           FROM sync_settings WHERE user_id = ?1"#,
        user_id,
    )
    .fetch_optional(scope.pool())
    .await?
    .map(|r| {
        (
            r.download_policy,
            r.background_minutes,
            r.notify_new,
            r.twilio_concurrency,
        )
    });
    Ok(match row {
        None => SyncSettings::default(),
        Some((policy, minutes, notify_new, concurrency)) => SyncSettings {
            download_policy: serde_json::from_str(&policy).unwrap_or_default(),
            background_minutes: minutes.and_then(|m| u32::try_from(m).ok()),
            notify_new,
            twilio_concurrency: u32::try_from(concurrency).unwrap_or(DEFAULT_CONCURRENCY as u32),
        },
    })
}

pub async fn save_settings(scope: &UserScope, settings: &SyncSettings, now_ms: i64) -> Result<()> {
    if settings
        .background_minutes
        .is_some_and(|m| !(1..=1440).contains(&m))
    {
        return Err(Error::invalid(
            "Background sync runs every 1 to 1,440 minutes.",
        ));
    }
    if let DownloadPolicy::LastDays { days } = settings.download_policy {
        if !(1..=3650).contains(&days) {
            return Err(Error::invalid("Choose between 1 and 3,650 days."));
        }
    }
    if !(1..=MAX_CONCURRENCY as u32).contains(&settings.twilio_concurrency) {
        return Err(Error::invalid(
            "Choose between 1 and 32 concurrent requests to Twilio.",
        ));
    }
    let policy = serde_json::to_string(&settings.download_policy)
        .map_err(|e| Error::Internal(e.to_string()))?;
    let user_id = scope.user_id();
    let minutes = settings.background_minutes.map(i64::from);
    let concurrency = i64::from(settings.twilio_concurrency);
    sqlx::query!(
        "INSERT INTO sync_settings (user_id, download_policy, background_minutes, notify_new,
             twilio_concurrency, updated_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (user_id) DO UPDATE SET download_policy = excluded.download_policy,
             background_minutes = excluded.background_minutes, notify_new = excluded.notify_new,
             twilio_concurrency = excluded.twilio_concurrency,
             updated_at_ms = excluded.updated_at_ms",
        user_id,
        policy,
        minutes,
        settings.notify_new,
        concurrency,
        now_ms,
    )
    .execute(scope.pool())
    .await?;
    Ok(())
}

/// The desktop notification a background sync should show, if the user wants one and it
/// found something: a title and a body, with no number or name from the calls in it
/// (notifications can show on a locked screen).
pub fn new_recordings_notice(
    result: &sync::SyncResult,
    settings: &SyncSettings,
) -> Option<(String, String)> {
    if !settings.notify_new || result.new == 0 {
        return None;
    }
    let body = match result.new {
        1 => "1 new call recording is in your library.".to_owned(),
        n => format!("{n} new call recordings are in your library."),
    };
    Some(("CallDeck".to_owned(), body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_only_when_asked_for_and_something_is_new() {
        let on = SyncSettings {
            notify_new: true,
            ..SyncSettings::default()
        };
        let found = sync::SyncResult {
            new: 3,
            ..sync::SyncResult::default()
        };
        let none = sync::SyncResult::default();
        assert_eq!(
            new_recordings_notice(&found, &on).map(|n| n.1),
            Some("3 new call recordings are in your library.".to_owned())
        );
        assert!(
            new_recordings_notice(&none, &on).is_none(),
            "nothing new, no notice"
        );
        assert!(
            new_recordings_notice(&found, &SyncSettings::default()).is_none(),
            "not asked for, no notice"
        );
    }
}
