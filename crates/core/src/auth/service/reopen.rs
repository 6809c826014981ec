//! Reopening a known account without the browser: a refresh the provider answers, or —
//! only at start, only for the user whose session it was, only within the allowed days
//! since their issuer last confirmed them, and only while the sign-in settings still name
//! that issuer and client — offline.

use super::{accounts, display_name, Active, Auth, AuthError, Opened, DAY_MS};
use crate::error::{Error, Result};
use crate::session::{UserScope, VerifiedIdentity, Workspace};

/// Why a session is being reopened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reopen {
    /// At start, the session that was open when the app closed.
    AtStart,
    /// A switch from the account menu: needs the provider.
    Switch,
}

impl Auth {
    pub async fn resume(
        &self,
        workspace: &Workspace,
        key: &str,
        reopen: Reopen,
        now_ms: i64,
    ) -> Result<UserScope> {
        let account = accounts::find(&self.data_dir, key)
            .await
            .filter(|a| !a.signed_out)
            .ok_or(Error::Auth(AuthError::SessionExpired))?;
        let id = account.id().ok_or(Error::Auth(AuthError::SessionExpired))?;
        let config = self.require_config().await?;
        // The refresh token goes to the issuer that issued it, or nowhere.
        if !id.issued_by(config.issuer.as_str(), &config.client_id) {
            return Err(AuthError::OtherProvider.into());
        }
        let slot = self.slot_for(key).await?;
        match self.refresh_grant(&config, &slot, &id, key, now_ms).await {
            Ok(grant) => {
                let (name, email) = match &grant.claims {
                    Some(c) => (display_name(c), c.email.clone()),
                    None => (account.name.clone(), account.email.clone()),
                };
                accounts::update(&self.data_dir, key, |a| {
                    a.last_online_ms = now_ms;
                    a.last_signed_in_ms = now_ms;
                    a.name = name.clone();
                    a.email = email.clone();
                })
                .await?;
                let active = Active {
                    key: key.to_owned(),
                    account: id.clone(),
                    access: Some((grant.access_token, grant.expires_at_ms)),
                    slot,
                };
                let identity = VerifiedIdentity::new(id, name).with_email(email);
                let how = match reopen {
                    Reopen::AtStart => Opened::AtStart,
                    Reopen::Switch => Opened::Switch,
                };
                self.open(workspace, identity, active, how, now_ms).await
            }
            Err(Error::Auth(AuthError::Unreachable(why))) => {
                if reopen != Reopen::AtStart {
                    return Err(AuthError::SwitchNeedsProvider(why).into());
                }
                let last = workspace.last_session().await;
                if last.as_ref().map(|l| l.account.as_str()) != Some(key) {
                    return Err(AuthError::SwitchNeedsProvider(why).into());
                }
                let allowed = i64::from(config.offline_days) * DAY_MS;
                if now_ms - account.last_online_ms > allowed {
                    return Err(AuthError::OfflineTooLong {
                        days: config.offline_days,
                    }
                    .into());
                }
                tracing::info!(reason = %why, "identity provider unreachable: opening the library offline");
                let active = Active {
                    key: key.to_owned(),
                    account: id.clone(),
                    access: None,
                    slot,
                };
                let identity = VerifiedIdentity::new(id, account.name).with_email(account.email);
                self.open(workspace, identity, active, Opened::Offline, now_ms)
                    .await
            }
            Err(other) => Err(other),
        }
    }
}
