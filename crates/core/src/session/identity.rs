use serde::{Deserialize, Serialize};

use super::account::AccountId;

/// How a user proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    /// The local demo workspace: no account, a tenant like any other.
    Demo,
    /// An OpenID Connect sign-in (Auth0).
    Oidc,
}

/// A user whose identity a sign-in flow has established. Only this crate's sign-in flows
/// can make one, and only a `VerifiedIdentity` can open a user's library, so no caller can
/// reach a library by naming a user id.
#[derive(Debug, Clone)]
pub struct VerifiedIdentity {
    pub(crate) account: AccountId,
    pub(crate) display_name: String,
    pub(crate) email: Option<String>,
}

impl VerifiedIdentity {
    pub(crate) fn new(account: AccountId, display_name: String) -> Self {
        Self {
            account,
            display_name,
            email: None,
        }
    }

    pub(crate) fn with_email(mut self, email: Option<String>) -> Self {
        self.email = email;
        self
    }

    /// For tests and benchmarks that need many tenants without a sign-in flow.
    #[cfg(any(test, feature = "test-support"))]
    pub fn for_tests(subject: &str) -> Self {
        Self::new(
            AccountId::oidc("https://tests.calldeck.invalid/", "tests", subject),
            format!("Test user {subject}"),
        )
    }

    pub fn account(&self) -> &AccountId {
        &self.account
    }
}
