//! Sign-in with an OpenID provider (Auth0): configuration, the browser flow with a loopback
//! redirect, tokens (refresh token in the keyring, access token in memory), the accounts
//! that signed in on this device, and offline sessions.

pub mod accounts;
mod avatar;
mod config;
mod error;
mod loopback;
pub mod oidc;
mod service;

pub use accounts::{AccountStatus, AccountSummary};
pub use config::{AuthConfig, AuthSettings, ConfigSource, DEFAULT_OFFLINE_DAYS, DEFAULT_PORTS};
pub use error::AuthError;
pub use loopback::{signed_out_page, CallbackCode, CallbackListener};
pub use service::{Auth, Reopen, LOGIN_TIMEOUT};

pub mod settings {
    pub use super::config::{accounts_needing_sign_in, issuer_from_domain, load, save};
}
