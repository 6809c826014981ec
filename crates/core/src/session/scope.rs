use std::sync::Arc;

use serde::Serialize;
use sqlx::SqlitePool;

use super::account::AccountId;
use super::identity::Provider;
use crate::storage::UserPaths;

/// Proof that a user is signed in, and the handle to everything that is theirs: their
/// database and their folder. Every core function that touches user data takes one.
/// It is cheap to clone and can only be made by [`super::Workspace::sign_in`].
#[derive(Clone)]
pub struct UserScope {
    inner: Arc<ScopeInner>,
}

struct ScopeInner {
    /// The account's key: unique across issuers, clients and subjects.
    user_id: String,
    account: AccountId,
    display_name: String,
    email: Option<String>,
    paths: UserPaths,
    pool: SqlitePool,
}

/// What the UI may know about the signed-in user.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SignedInUser {
    pub display_name: String,
    pub provider: Provider,
    pub email: Option<String>,
    /// Names the account (for the switcher) without revealing the provider's user id.
    pub account_key: String,
}

impl UserScope {
    pub(crate) fn new(
        account: AccountId,
        display_name: String,
        email: Option<String>,
        paths: UserPaths,
        pool: SqlitePool,
    ) -> Self {
        Self {
            inner: Arc::new(ScopeInner {
                user_id: account.key(),
                account,
                display_name,
                email,
                paths,
                pool,
            }),
        }
    }

    pub fn user_id(&self) -> &str {
        &self.inner.user_id
    }

    pub fn provider(&self) -> Provider {
        self.inner.account.provider
    }

    /// Who the account is: issuer, client and subject.
    pub fn account(&self) -> &AccountId {
        &self.inner.account
    }

    pub fn paths(&self) -> &UserPaths {
        &self.inner.paths
    }

    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.inner.pool
    }

    /// Direct database access for tests and benchmarks (query plans, bulk seeding).
    #[cfg(feature = "test-support")]
    pub fn pool_for_tests(&self) -> &SqlitePool {
        &self.inner.pool
    }

    pub fn signed_in_user(&self) -> SignedInUser {
        SignedInUser {
            display_name: self.inner.display_name.clone(),
            provider: self.inner.account.provider,
            email: self.inner.email.clone(),
            account_key: self.inner.user_id.clone(),
        }
    }

    pub(crate) async fn close(&self) {
        self.inner.pool.close().await;
    }
}

impl std::fmt::Debug for UserScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserScope")
            .field("user_id", &self.inner.user_id)
            .finish_non_exhaustive()
    }
}
