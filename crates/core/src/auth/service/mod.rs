//! The signed-in user's OpenID session: sign in through the browser, reopen a session at
//! start or on switching (a refresh, or offline within the allowed days), keep the access
//! token fresh (one refresh at a time, rotated refresh tokens saved before use), sign out.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio_util::sync::CancellationToken;

use super::accounts::{self, AccountSummary, KnownAccount};
use super::oidc::{self, Claims, Grant};
use super::{config, AuthConfig, AuthError, CallbackListener};
use crate::error::{Error, Result};
use crate::secrets::{self, blocking, SecretSlot};
use crate::session::{Provider, UserScope, VerifiedIdentity, Workspace};
use crate::storage::{user_key, UserPaths};
use crate::twilio::Secret;

mod sign_out;
mod tokens;

const REFRESH_PURPOSE: &str = "auth0-refresh";
const REFRESH_FILE: &str = "auth-refresh-token";
/// How long the browser has to come back with an answer.
pub const LOGIN_TIMEOUT: Duration = Duration::from_secs(300);
/// Refresh this long before the access token expires.
const REFRESH_MARGIN_MS: i64 = 60_000;
const DAY_MS: i64 = 86_400_000;

struct Active {
    subject: String,
    /// None while offline: there is no access token to keep.
    access: Option<(Secret, i64)>,
    slot: Arc<dyn SecretSlot>,
}

pub struct Auth {
    data_dir: PathBuf,
    http: reqwest::Client,
    /// Held across a refresh on purpose: that is what makes refreshes one at a time.
    active: tokio::sync::Mutex<Option<Active>>,
    login: Mutex<Option<CancellationToken>>,
    offline: AtomicBool,
}

fn to_utc(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

impl Auth {
    pub fn new(data_dir: impl Into<PathBuf>) -> Result<Self> {
        Ok(Self {
            data_dir: data_dir.into(),
            http: oidc::http_client()?,
            active: tokio::sync::Mutex::new(None),
            login: Mutex::new(None),
            offline: AtomicBool::new(false),
        })
    }

    pub async fn config(&self) -> Option<AuthConfig> {
        config::load(&self.data_dir).await
    }

    async fn require_config(&self) -> Result<AuthConfig> {
        self.config()
            .await
            .ok_or(Error::Auth(AuthError::NotConfigured))
    }

    /// True while the session was opened (or kept) without reaching the provider.
    pub fn is_offline(&self) -> bool {
        self.offline.load(Ordering::Relaxed)
    }

    /// Signs in through the system browser. `open_browser` gets the authorization URL.
    pub async fn sign_in(
        &self,
        workspace: &Workspace,
        open_browser: impl FnOnce(&str) -> Result<()>,
        login_hint: Option<&str>,
        now_ms: i64,
    ) -> Result<UserScope> {
        let config = self.require_config().await?;
        let cancel = CancellationToken::new();
        if let Some(previous) = self.lock_login().replace(cancel.clone()) {
            previous.cancel();
        }
        let listener = CallbackListener::bind(&config.ports).await?;
        let pending =
            oidc::begin(&config, &self.http, &listener.redirect_uri(), login_hint).await?;
        open_browser(pending.url.as_str())?;
        let code = listener
            .wait(pending.state.clone(), LOGIN_TIMEOUT, cancel)
            .await?;
        let grant = oidc::finish(&pending, &self.http, code.0, to_utc(now_ms)).await?;
        let claims = grant
            .claims
            .clone()
            .ok_or_else(|| AuthError::InvalidToken("no claims".into()))?;
        self.establish(workspace, &claims, grant, now_ms).await
    }

    pub fn cancel_sign_in(&self) {
        if let Some(login) = self.lock_login().take() {
            login.cancel();
        }
    }

    fn lock_login(&self) -> std::sync::MutexGuard<'_, Option<CancellationToken>> {
        self.login.lock().unwrap_or_else(|p| p.into_inner())
    }

    async fn slot_for(&self, subject: &str) -> Result<Arc<dyn SecretSlot>> {
        let paths = UserPaths::for_subject(&self.data_dir, subject);
        secrets::open_slot(
            REFRESH_PURPOSE,
            user_key(subject),
            paths.root().to_path_buf(),
            REFRESH_FILE,
        )
        .await
    }

    async fn establish(
        &self,
        workspace: &Workspace,
        claims: &Claims,
        grant: Grant,
        now_ms: i64,
    ) -> Result<UserScope> {
        let slot = self.slot_for(&claims.subject).await?;
        save_refresh(&slot, grant.refresh_token).await?;
        let name = display_name(claims);
        let avatar = match &claims.picture {
            Some(url) => super::avatar::fetch(url).await,
            None => None,
        };
        accounts::upsert(
            &self.data_dir,
            KnownAccount {
                subject: claims.subject.clone(),
                name: name.clone(),
                email: claims.email.clone(),
                picture: claims.picture.clone(),
                avatar,
                last_signed_in_ms: now_ms,
                last_online_ms: now_ms,
                signed_out: false,
            },
        )
        .await?;
        self.open(
            workspace,
            claims.subject.clone(),
            name,
            claims.email.clone(),
            Active {
                subject: claims.subject.clone(),
                access: Some((grant.access_token, grant.expires_at_ms)),
                slot,
            },
            now_ms,
        )
        .await
    }

    async fn open(
        &self,
        workspace: &Workspace,
        subject: String,
        name: String,
        email: Option<String>,
        active: Active,
        now_ms: i64,
    ) -> Result<UserScope> {
        let offline = active.access.is_none();
        let mut guard = self.active.lock().await;
        let identity = VerifiedIdentity::new(subject, name, Provider::Oidc).with_email(email);
        let scope = workspace.sign_in(identity, now_ms).await?;
        *guard = Some(active);
        self.offline.store(offline, Ordering::Relaxed);
        Ok(scope)
    }

    /// Reopens a known account's session without the browser: a refresh when the provider
    /// answers, or — only when it cannot be reached — offline, within the allowed days.
    pub async fn resume(
        &self,
        workspace: &Workspace,
        subject: &str,
        now_ms: i64,
    ) -> Result<UserScope> {
        let account = accounts::find(&self.data_dir, subject)
            .await
            .filter(|a| !a.signed_out)
            .ok_or(Error::Auth(AuthError::SessionExpired))?;
        let config = self.require_config().await?;
        let slot = self.slot_for(subject).await?;
        match self.refresh_grant(&config, &slot, subject, now_ms).await {
            Ok(grant) => {
                let (name, email) = match &grant.claims {
                    Some(c) => (display_name(c), c.email.clone()),
                    None => (account.name.clone(), account.email.clone()),
                };
                accounts::update(&self.data_dir, subject, |a| {
                    a.last_online_ms = now_ms;
                    a.last_signed_in_ms = now_ms;
                    a.name = name.clone();
                    a.email = email.clone();
                })
                .await?;
                let active = Active {
                    subject: subject.to_owned(),
                    access: Some((grant.access_token, grant.expires_at_ms)),
                    slot,
                };
                self.open(workspace, subject.to_owned(), name, email, active, now_ms)
                    .await
            }
            Err(Error::Auth(AuthError::Unreachable(why))) => {
                let allowed = i64::from(config.offline_days) * DAY_MS;
                if now_ms - account.last_online_ms > allowed {
                    return Err(AuthError::OfflineTooLong {
                        days: config.offline_days,
                    }
                    .into());
                }
                tracing::info!(reason = %why, "identity provider unreachable: opening the library offline");
                let active = Active {
                    subject: subject.to_owned(),
                    access: None,
                    slot,
                };
                self.open(
                    workspace,
                    subject.to_owned(),
                    account.name,
                    account.email,
                    active,
                    now_ms,
                )
                .await
            }
            Err(other) => Err(other),
        }
    }

    /// Switches to another account that signed in on this device.
    pub async fn switch_to(
        &self,
        workspace: &Workspace,
        key: &str,
        now_ms: i64,
    ) -> Result<UserScope> {
        let account = accounts::find_by_key(&self.data_dir, key)
            .await
            .ok_or(Error::NotFound)?;
        self.resume(workspace, &account.subject, now_ms).await
    }

    async fn forget_grant(&self, slot: &Arc<dyn SecretSlot>, subject: &str) {
        let slot = slot.clone();
        if let Err(error) = blocking(move || slot.delete()).await {
            tracing::warn!(%error, "could not delete a refresh token");
        }
        if let Err(error) = accounts::update(&self.data_dir, subject, |a| a.signed_out = true).await
        {
            tracing::warn!(%error, "could not update the accounts list");
        }
    }
}

fn display_name(claims: &Claims) -> String {
    claims
        .name
        .clone()
        .or_else(|| claims.email.clone())
        .unwrap_or_else(|| claims.subject.clone())
}

/// Saves a new (rotated) refresh token before anything uses it, so a crash cannot leave
/// only the old, now revoked one. The keyring replaces an entry in one step.
async fn save_refresh(slot: &Arc<dyn SecretSlot>, token: Option<Secret>) -> Result<()> {
    if let Some(token) = token {
        let slot = slot.clone();
        blocking(move || slot.save(token.expose())).await?;
    }
    Ok(())
}
