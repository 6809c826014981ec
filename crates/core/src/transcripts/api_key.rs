//! The AI service's API key, kept in the keyring slot `openai/<user key>` (or the owner-only
//! file fallback) together with the base URL it was saved for, so that it is only ever sent
//! to that address: a settings row changed later, by any means, cannot redirect it.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::{Error, Result};
use crate::secrets::{self, blocking, SecretSlot, StoreKind};
use crate::session::UserScope;
use crate::twilio::Secret;

/// What the slot holds.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct BoundKey {
    base_url: String,
    api_key: String,
}

pub(super) struct ApiKeySlot(Arc<dyn SecretSlot>);

impl ApiKeySlot {
    pub async fn open(scope: &UserScope) -> Result<Self> {
        secrets::open_slot(secrets::AI_KEY, scope.user_id(), scope.paths().root())
            .await
            .map(Self)
    }

    pub fn kind(&self) -> StoreKind {
        self.0.kind()
    }

    /// The saved key and the address it belongs to. A key saved by an older CallDeck (the
    /// bare key) is bound here, once, to the address saved beside it, `saved_with`; with no
    /// address it stays unusable until a key is saved again.
    pub async fn load(&self, saved_with: Option<&Url>) -> Result<Option<(Url, Secret)>> {
        let slot = Arc::clone(&self.0);
        let Some(kept) = blocking(move || slot.load()).await? else {
            return Ok(None);
        };
        if let Ok(bound) = serde_json::from_str::<BoundKey>(&kept) {
            return Ok(Url::parse(&bound.base_url)
                .ok()
                .map(|url| (url, Secret::new(bound.api_key))));
        }
        let Some(url) = saved_with else {
            return Ok(None);
        };
        self.save(url, &kept).await?;
        Ok(Some((url.clone(), Secret::new(kept))))
    }

    pub async fn save(&self, base_url: &Url, api_key: &str) -> Result<()> {
        let bound = serde_json::to_string(&BoundKey {
            base_url: base_url.to_string(),
            api_key: api_key.to_owned(),
        })
        .map_err(|e| Error::Internal(e.to_string()))?;
        let slot = Arc::clone(&self.0);
        blocking(move || slot.save(&bound)).await
    }

    pub async fn delete(&self) -> Result<()> {
        let slot = Arc::clone(&self.0);
        blocking(move || slot.delete()).await
    }
}
