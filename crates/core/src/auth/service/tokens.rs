//! The access token in memory, kept fresh: one refresh at a time, the rotated refresh token
//! saved before use, an ended grant forgotten.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::{
    accounts, blocking, oidc, save_refresh, to_utc, Auth, AuthConfig, AuthError, Grant, SecretSlot,
    REFRESH_MARGIN_MS,
};
use crate::error::{Error, Result};
use crate::twilio::Secret;

impl Auth {
    /// The access token, refreshed first when it is about to expire. One refresh at a time:
    /// concurrent callers wait for it and share its result.
    pub async fn access_token(&self, now_ms: i64) -> Result<Secret> {
        let mut guard = self.active.lock().await;
        let active = guard.as_mut().ok_or(Error::NotSignedIn)?;
        if let Some((token, expires)) = &active.access {
            if expires - now_ms > REFRESH_MARGIN_MS {
                return Ok(token.clone());
            }
        }
        let config = self.require_config().await?;
        match self
            .refresh_grant(&config, &active.slot, &active.subject, now_ms)
            .await
        {
            Ok(grant) => {
                active.access = Some((grant.access_token.clone(), grant.expires_at_ms));
                self.offline.store(false, Ordering::Relaxed);
                let subject = active.subject.clone();
                drop(guard);
                accounts::update(&self.data_dir, &subject, |a| a.last_online_ms = now_ms).await?;
                Ok(grant.access_token)
            }
            Err(Error::Auth(AuthError::Unreachable(why))) => {
                self.offline.store(true, Ordering::Relaxed);
                Err(AuthError::Unreachable(why).into())
            }
            Err(Error::Auth(AuthError::SessionExpired)) => {
                *guard = None;
                Err(AuthError::SessionExpired.into())
            }
            Err(other) => Err(other),
        }
    }

    /// One refresh with the stored refresh token: the rotated token is saved before the
    /// grant is used, and a grant the provider ended (or no stored token) is forgotten.
    pub(super) async fn refresh_grant(
        &self,
        config: &AuthConfig,
        slot: &Arc<dyn SecretSlot>,
        subject: &str,
        now_ms: i64,
    ) -> Result<Grant> {
        let stored = {
            let slot = slot.clone();
            blocking(move || slot.load()).await?
        }
        .ok_or(Error::Auth(AuthError::SessionExpired))?;
        match oidc::refresh(
            config,
            &self.http,
            &Secret::new(stored),
            subject,
            to_utc(now_ms),
        )
        .await
        {
            Ok(mut grant) => {
                save_refresh(slot, grant.refresh_token.take()).await?;
                Ok(grant)
            }
            Err(AuthError::SessionExpired) => {
                self.forget_grant(slot, subject).await;
                Err(AuthError::SessionExpired.into())
            }
            Err(other) => Err(other.into()),
        }
    }
}
