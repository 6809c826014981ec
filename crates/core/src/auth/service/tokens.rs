//! The access token in memory, kept fresh: one refresh at a time, the rotated refresh token
//! saved before use, an ended grant forgotten at once.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::{
    accounts, oidc, to_utc, Auth, AuthConfig, AuthError, Grant, SecretSlot, REFRESH_MARGIN_MS,
};
use crate::error::{Error, Result};
use crate::secrets::blocking;
use crate::session::AccountId;
use crate::twilio::Secret;

impl Auth {
    /// The access token, refreshed first when it is about to expire. One refresh at a time:
    /// concurrent callers wait for it and share its result.
    pub async fn access_token(&self, now_ms: i64) -> Result<Secret> {
        let config = self.require_config().await?;
        let mut guard = self.active.lock().await;
        let active = guard.as_mut().ok_or(Error::NotSignedIn)?;
        if !active
            .account
            .issued_by(config.issuer.as_str(), &config.client_id)
        {
            // The settings changed under a running session: nothing goes to the new issuer.
            *guard = None;
            return Err(AuthError::OtherProvider.into());
        }
        if let Some((token, expires)) = &active.access {
            if expires - now_ms > REFRESH_MARGIN_MS {
                return Ok(token.clone());
            }
        }
        let (account, key) = (active.account.clone(), active.key.clone());
        match self
            .refresh_grant(&config, &active.slot, &account, &key, now_ms)
            .await
        {
            Ok(grant) => {
                active.access = Some((grant.access_token.clone(), grant.expires_at_ms));
                self.offline.store(false, Ordering::Relaxed);
                drop(guard);
                accounts::update(&self.data_dir, &key, |a| a.last_online_ms = now_ms).await?;
                Ok(grant.access_token)
            }
            Err(Error::Auth(AuthError::Unreachable(why))) => {
                self.offline.store(true, Ordering::Relaxed);
                Err(AuthError::Unreachable(why).into())
            }
            Err(Error::Auth(e @ (AuthError::SessionExpired | AuthError::Ended))) => {
                *guard = None;
                Err(e.into())
            }
            Err(other) => Err(other),
        }
    }

    /// Confirms the open session with the provider (the keep-alive). When the provider
    /// answers that the grant is gone, or the settings now name another provider, the
    /// session has ended at once: this returns why, and the caller signs the workspace out
    /// (local data kept).
    pub async fn confirm_session(&self, now_ms: i64) -> Option<Error> {
        match self.access_token(now_ms).await {
            Err(Error::Auth(e)) if e.code() == crate::ErrorCode::SessionExpired => {
                self.offline.store(false, Ordering::Relaxed);
                Some(Error::Auth(e))
            }
            _ => None,
        }
    }

    /// One refresh with the stored refresh token, sent only to the account's own issuer:
    /// the rotated token is saved before the grant is used, and a grant the provider ended
    /// (or no stored token) is forgotten. Sign-out cancels it midway.
    pub(super) async fn refresh_grant(
        &self,
        config: &AuthConfig,
        slot: &Arc<dyn SecretSlot>,
        account: &AccountId,
        key: &str,
        now_ms: i64,
    ) -> Result<Grant> {
        if !account.issued_by(config.issuer.as_str(), &config.client_id) {
            return Err(AuthError::OtherProvider.into());
        }
        let stored = {
            let slot = slot.clone();
            blocking(move || slot.load()).await?
        }
        .ok_or(Error::Auth(AuthError::SessionExpired))?;
        let cancel = self
            .refreshing
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let stored = Secret::new(stored);
        let refreshed = tokio::select! {
            r = oidc::refresh(config, &self.http, &stored, &account.subject, to_utc(now_ms)) => r,
            () = cancel.cancelled() => Err(AuthError::Ended),
        };
        match refreshed {
            Ok(mut grant) => {
                self.save_refresh(key, slot, grant.refresh_token.take())
                    .await?;
                Ok(grant)
            }
            Err(AuthError::SessionExpired) => {
                self.forget_grant(key).await;
                Err(AuthError::SessionExpired.into())
            }
            Err(other) => Err(other.into()),
        }
    }
}
