//! Leaving: sign-out (tokens forgotten, optionally the user's data removed from this device)
//! and the accounts the switcher lists.

use std::sync::atomic::Ordering;

use super::{accounts, oidc, AccountSummary, Auth};
use crate::error::Result;
use crate::secrets;
use crate::session::{Provider, Workspace};
use crate::storage::user_key;

impl Auth {
    /// Signs the current user out of CallDeck: their refresh token is deleted and the
    /// account needs the browser to come back. With `remove_data`, their folder (library,
    /// media, settings) and Twilio credentials go too. Returns the provider's logout URL.
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
        let subject = scope.user_id().to_owned();
        let oidc_user = scope.provider() == Provider::Oidc;
        if oidc_user {
            let slot = self.slot_for(&subject).await?;
            self.forget_grant(&slot, &subject).await;
        }
        if remove_data {
            let store = secrets::open_store(&scope).await?;
            secrets::delete(&store).await?;
            crate::transcripts::delete_api_key(&scope).await?;
        }
        let root = scope.paths().root().to_path_buf();
        drop(scope);
        *self.active.lock().await = None;
        self.offline.store(false, Ordering::Relaxed);
        workspace.sign_out().await;
        if remove_data {
            accounts::remove(&self.data_dir, &subject).await?;
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

    /// The accounts for the switcher, the current one marked.
    pub async fn accounts(&self, workspace: &Workspace) -> Vec<AccountSummary> {
        let current = workspace.current().ok().map(|s| s.user_id().to_owned());
        let list = accounts::all(&self.data_dir).await;
        list.into_iter()
            .map(|a| AccountSummary {
                key: user_key(&a.subject),
                current: current.as_deref() == Some(a.subject.as_str()),
                has_session: !a.signed_out,
                name: a.name,
                email: a.email,
                avatar: a.avatar,
            })
            .collect()
    }
}
