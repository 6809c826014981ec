//! Leaving: sign-out (tokens forgotten for good, optionally the user's data removed from
//! this device) and the accounts the switcher lists.

use std::sync::atomic::Ordering;

use tokio_util::sync::CancellationToken;

use super::{accounts, oidc, AccountSummary, Auth};
use crate::audit::{self, Operation, Outcome};
use crate::auth::accounts::AccountStatus;
use crate::error::Result;
use crate::secrets;
use crate::session::{Provider, Workspace};

impl Auth {
    /// Signs the current user out of CallDeck: their refresh token is deleted (from the
    /// keyring and the fallback file both, and no refresh still in flight can save another)
    /// and the account needs the browser to come back. With `remove_data`, their folder
    /// (library, media, settings) and every secret of theirs go too. Returns the provider's
    /// logout URL.
    pub async fn sign_out(
        &self,
        workspace: &Workspace,
        remove_data: bool,
        return_to: Option<&str>,
    ) -> Result<Option<url::Url>> {
        self.cancel_sign_in();
        let Ok(scope) = workspace.current() else {
            return Ok(None);
        };
        let key = scope.user_id().to_owned();
        let oidc_user = scope.provider() == Provider::Oidc;
        // A refresh held up by a slow provider ends now instead of holding sign-out up.
        std::mem::replace(
            &mut *self.refreshing.lock().unwrap_or_else(|p| p.into_inner()),
            CancellationToken::new(),
        )
        .cancel();
        if oidc_user {
            self.forget_grant(&key).await;
        }
        let detail = remove_data.then_some("data removed from this device");
        audit::record(
            &scope,
            Operation::SignOut,
            &[],
            Outcome::Ok,
            detail,
            crate::now_ms(),
        )
        .await;
        if remove_data {
            secrets::delete_all(&scope).await?;
        }
        let root = scope.paths().root().to_path_buf();
        drop(scope);
        *self.active.lock().await = None;
        self.offline.store(false, Ordering::Relaxed);
        workspace.sign_out().await;
        if remove_data {
            accounts::remove(&self.data_dir, &key).await?;
            match tokio::fs::remove_dir_all(&root).await {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e.into()),
            }
            tracing::info!("removed a user's data from this device");
        }
        if !oidc_user {
            return Ok(None);
        }
        Ok(match (self.config().await, return_to) {
            (Some(config), Some(to)) => oidc::logout_url(&config, to),
            _ => None,
        })
    }

    /// The accounts for the switcher, the current one marked, each with where it stands
    /// against the sign-in settings in force.
    pub async fn accounts(&self, workspace: &Workspace) -> Vec<AccountSummary> {
        let current = workspace.current().ok().map(|s| s.user_id().to_owned());
        let config = self.config().await;
        let list = accounts::all(&self.data_dir).await;
        list.into_iter()
            .filter_map(|a| {
                let id = a.id()?;
                let key = id.key();
                let is_current = current.as_deref() == Some(key.as_str());
                let ours = config
                    .as_ref()
                    .is_some_and(|c| id.issued_by(c.issuer.as_str(), &c.client_id));
                let status = if is_current {
                    AccountStatus::Current
                } else if !ours {
                    AccountStatus::OtherProvider
                } else if a.signed_out {
                    AccountStatus::SignedOut
                } else {
                    AccountStatus::SessionKept
                };
                Some(AccountSummary {
                    provider_host: url::Url::parse(&id.issuer)
                        .ok()
                        .and_then(|u| u.host_str().map(str::to_owned))
                        .unwrap_or_default(),
                    key,
                    current: is_current,
                    has_session: status == AccountStatus::SessionKept
                        || status == AccountStatus::Current,
                    name: a.name,
                    email: a.email,
                    avatar: a.avatar,
                    status,
                })
            })
            .collect()
    }
}
