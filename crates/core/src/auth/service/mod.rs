//! The signed-in user's OpenID session: sign in through the browser, reopen a session at
//! start or on switching (a refresh; offline only at start, for the last user, within the
//! allowed days), keep the access token fresh (one refresh at a time, rotated refresh tokens
//! saved before use), sign out for good.
//!
//! A refresh token only ever goes back to the issuer and client it came from: an account is
//! its (issuer, client, subject), and one whose issuer or client the settings no longer name
//! is not refreshed at all.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio_util::sync::CancellationToken;

use super::accounts::{self, AccountSummary, KnownAccount};
use super::oidc::{self, Claims, Grant};
use super::{config, AuthConfig, AuthError, CallbackListener};
use crate::audit::{self, Operation, Outcome};
use crate::error::{Error, Result};
use crate::secrets::{self, blocking, SecretSlot, REFRESH_TOKEN};
use crate::session::{AccountId, UserScope, VerifiedIdentity, Workspace};
use crate::storage::UserPaths;
use crate::twilio::Secret;

mod reopen;
mod sign_out;
mod tokens;

pub use reopen::Reopen;

/// How a session came to be open, for the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opened {
    SignIn,
    AtStart,
    Switch,
    Offline,
}

/// How long the browser has to come back with an answer.
pub const LOGIN_TIMEOUT: Duration = Duration::from_secs(300);
/// Refresh this long before the access token expires.
const REFRESH_MARGIN_MS: i64 = 60_000;
const DAY_MS: i64 = 86_400_000;

struct Active {
    account: AccountId,
    key: String,
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
    /// Accounts whose refresh token sign-out deleted. Saving a token and deleting one both
    /// hold this lock, so a refresh that finishes after sign-out cannot bring a token back.
    ended: Arc<Mutex<HashSet<String>>>,
    /// Cancelled by sign-out, so a refresh held up by a slow provider does not hold it up.
    refreshing: Mutex<CancellationToken>,
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
            ended: Arc::default(),
            refreshing: Mutex::new(CancellationToken::new()),
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

    /// Brings a data folder written before accounts were keyed by issuer to today's layout
    /// (see `session::legacy`). Run once at start, before any session is reopened.
    /// A corrupt accounts list is rebuilt first; the notice says so.
    pub async fn upgrade_layout(&self) -> Result<Option<String>> {
        let notice = accounts::recover(&self.data_dir, crate::now_ms()).await?;
        let config = self.config().await;
        crate::session::legacy::upgrade(
            &self.data_dir,
            config
                .as_ref()
                .map(|c| (c.issuer.as_str(), c.client_id.as_str())),
        )
        .await?;
        Ok(notice)
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
        let account = AccountId::oidc(config.issuer.as_str(), &config.client_id, &claims.subject);
        self.establish(workspace, account, &claims, grant, now_ms)
            .await
    }

    pub fn cancel_sign_in(&self) {
        if let Some(login) = self.lock_login().take() {
            login.cancel();
        }
    }

    fn lock_login(&self) -> std::sync::MutexGuard<'_, Option<CancellationToken>> {
        self.login.lock().unwrap_or_else(|p| p.into_inner())
    }

    async fn slot_for(&self, key: &str) -> Result<Arc<dyn SecretSlot>> {
        let paths = UserPaths::for_key(&self.data_dir, key);
        secrets::open_slot(REFRESH_TOKEN, key, paths.root()).await
    }

    async fn establish(
        &self,
        workspace: &Workspace,
        account: AccountId,
        claims: &Claims,
        grant: Grant,
        now_ms: i64,
    ) -> Result<UserScope> {
        let key = account.key();
        // The folder first: the secrets' location is recorded in it.
        UserPaths::for_key(&self.data_dir, &key).ensure().await?;
        self.lock_ended().remove(&key);
        let slot = self.slot_for(&key).await?;
        self.save_refresh(&key, &slot, grant.refresh_token).await?;
        let name = display_name(claims);
        let avatar = match &claims.picture {
            Some(url) => super::avatar::fetch(url).await,
            None => None,
        };
        accounts::upsert(
            &self.data_dir,
            KnownAccount {
                issuer: Some(account.issuer.clone()),
                client_id: Some(account.client_id.clone()),
                subject: account.subject.clone(),
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
        let active = Active {
            key,
            account: account.clone(),
            access: Some((grant.access_token, grant.expires_at_ms)),
            slot,
        };
        let identity = VerifiedIdentity::new(account, name).with_email(claims.email.clone());
        self.open(workspace, identity, active, Opened::SignIn, now_ms)
            .await
    }

    /// Makes the account the signed-in user and records how it got there in its own audit
    /// trail (and, for a switch, "switched away" in the leaving user's).
    async fn open(
        &self,
        workspace: &Workspace,
        identity: VerifiedIdentity,
        active: Active,
        how: Opened,
        now_ms: i64,
    ) -> Result<UserScope> {
        let offline = active.access.is_none();
        let mut guard = self.active.lock().await;
        if how == Opened::Switch {
            if let Ok(leaving) = workspace.current() {
                audit::record(
                    &leaving,
                    Operation::SwitchAway,
                    &[],
                    Outcome::Ok,
                    None,
                    now_ms,
                )
                .await;
            }
        }
        let scope = workspace.sign_in(identity, now_ms).await?;
        *guard = Some(active);
        self.offline.store(offline, Ordering::Relaxed);
        let (op, detail) = match how {
            Opened::SignIn => (Operation::SignIn, Some("browser")),
            Opened::AtStart => (Operation::SignIn, Some("reopened at start")),
            Opened::Switch => (Operation::SwitchAccount, None),
            Opened::Offline => (
                Operation::OfflineOpen,
                Some("provider unreachable at start"),
            ),
        };
        audit::record(&scope, op, &[], Outcome::Ok, detail, now_ms).await;
        Ok(scope)
    }

    /// Switches to another account that signed in on this device: always through the
    /// provider (a refresh it answers), never offline.
    pub async fn switch_to(
        &self,
        workspace: &Workspace,
        key: &str,
        now_ms: i64,
    ) -> Result<UserScope> {
        if accounts::find(&self.data_dir, key).await.is_none() {
            return Err(Error::NotFound);
        }
        self.resume(workspace, key, Reopen::Switch, now_ms).await
    }

    /// Deletes the account's refresh token from everywhere it could be and marks the account
    /// signed out. Any refresh still in flight for it can no longer save.
    async fn forget_grant(&self, key: &str) {
        let ended = Arc::clone(&self.ended);
        let (k, root) = (
            key.to_owned(),
            UserPaths::for_key(&self.data_dir, key).root().to_path_buf(),
        );
        let deleted = blocking(move || {
            let mut ended = ended.lock().unwrap_or_else(|p| p.into_inner());
            ended.insert(k.clone());
            secrets::delete_everywhere(REFRESH_TOKEN, &k, &root)
        })
        .await;
        if let Err(error) = deleted {
            tracing::warn!(%error, "could not delete a refresh token");
        }
        if let Err(error) = accounts::update(&self.data_dir, key, |a| a.signed_out = true).await {
            tracing::warn!(%error, "could not update the accounts list");
        }
    }

    fn lock_ended(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.ended.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Saves a new (rotated) refresh token before anything uses it, so a crash cannot leave
    /// only the old, now revoked one — unless sign-out has ended the account meanwhile.
    async fn save_refresh(
        &self,
        key: &str,
        slot: &Arc<dyn SecretSlot>,
        token: Option<Secret>,
    ) -> Result<()> {
        let Some(token) = token else { return Ok(()) };
        let (slot, ended, key) = (slot.clone(), Arc::clone(&self.ended), key.to_owned());
        blocking(move || {
            let ended = ended.lock().unwrap_or_else(|p| p.into_inner());
            if ended.contains(&key) {
                return Err(AuthError::Ended.into());
            }
            slot.save(token.expose())
        })
        .await
    }
}

fn display_name(claims: &Claims) -> String {
    claims
        .name
        .clone()
        .or_else(|| claims.email.clone())
        .unwrap_or_else(|| claims.subject.clone())
}
