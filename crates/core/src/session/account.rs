//! Who an account is: the provider that vouches for it (the issuer and the client it signed
//! in through) and the subject that provider gave. A `sub` alone names nobody: two providers
//! can mint the same one, so every key, folder and keyring entry is derived from all three.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::identity::Provider;

/// The demo workspace's issuer. Not a URL any sign-in setting can name (those are `https`,
/// or `http` on the loopback), so no provider can mint the demo's identity.
const DEMO_ISSUER: &str = "calldeck:demo";
const DEMO_SUBJECT: &str = "demo";

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AccountId {
    pub provider: Provider,
    pub issuer: String,
    pub client_id: String,
    pub subject: String,
}

impl AccountId {
    pub fn oidc(issuer: &str, client_id: &str, subject: &str) -> Self {
        Self {
            provider: Provider::Oidc,
            issuer: issuer.to_owned(),
            client_id: client_id.to_owned(),
            subject: subject.to_owned(),
        }
    }

    pub fn demo() -> Self {
        Self {
            provider: Provider::Demo,
            issuer: DEMO_ISSUER.to_owned(),
            client_id: String::new(),
            subject: DEMO_SUBJECT.to_owned(),
        }
    }

    /// A stable, path-safe key: 32 hex digits of the SHA-256 of the provider kind, issuer,
    /// client id and subject, each length-prefixed so no two triples share an encoding.
    /// It names the user's folder, their keyring entries and their rows.
    pub fn key(&self) -> String {
        let mut hash = Sha256::new();
        hash.update(b"calldeck-account-v2");
        let kind: &[u8] = match self.provider {
            Provider::Demo => b"demo",
            Provider::Oidc => b"oidc",
        };
        for part in [
            kind,
            self.issuer.as_bytes(),
            self.client_id.as_bytes(),
            self.subject.as_bytes(),
        ] {
            hash.update((part.len() as u64).to_be_bytes());
            hash.update(part);
        }
        hex::encode(&hash.finalize()[..16])
    }

    /// Whether the sign-in settings in force are the ones this account signed in with.
    pub fn issued_by(&self, issuer: &str, client_id: &str) -> bool {
        self.provider == Provider::Oidc && self.issuer == issuer && self.client_id == client_id
    }
}

/// The key of the layout before accounts were keyed by their issuer: the subject alone.
/// Only the migration of such folders reads it.
pub(crate) fn legacy_key(subject: &str) -> String {
    hex::encode(&Sha256::digest(subject.as_bytes())[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_subject_at_another_issuer_or_client_is_another_account() {
        let a = AccountId::oidc("https://a.example/", "client", "auth0|alice");
        assert_eq!(a.key(), a.clone().key(), "keys are stable");
        for other in [
            AccountId::oidc("https://b.example/", "client", "auth0|alice"),
            AccountId::oidc("https://a.example/", "other", "auth0|alice"),
            AccountId::oidc("https://a.example/", "client", "auth0|alicf"),
            // The parts cannot slide into each other.
            AccountId::oidc("https://a.example/c", "lient", "auth0|alice"),
        ] {
            assert_ne!(a.key(), other.key(), "{other:?}");
        }
        let key = a.key();
        assert!(key.len() == 32 && key.chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn no_provider_can_mint_the_demo_identity() {
        let demo = AccountId::demo();
        for issuer in ["calldeck:demo", "https://calldeck:demo/", ""] {
            assert_ne!(
                AccountId::oidc(issuer, "", "demo").key(),
                demo.key(),
                "{issuer}"
            );
        }
        assert!(
            crate::auth::settings::issuer_from_domain(DEMO_ISSUER).is_err(),
            "the demo's issuer is not a sign-in domain anyone can configure"
        );
    }
}
