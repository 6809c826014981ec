//! Twilio credentials. The secret half never prints: `Debug` redacts it, there is no
//! `Display`, and it is not `Serialize` (the credential store has its own private format).

use crate::error::{Error, Result};

/// A secret string (Auth Token or API Key Secret). Its `Debug` says `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the one place that needs it (the Authorization header, the store).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// How to authenticate: the account's Auth Token, or an API Key SID and its Secret.
/// `Debug` is derived: the secrets inside are [`Secret`]s, which redact themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TwilioAuth {
    AuthToken(Secret),
    ApiKey { key_sid: String, secret: Secret },
}

/// Everything needed to call Twilio's 2010 API for one account.
#[derive(Clone, PartialEq, Eq)]
pub struct TwilioCredentials {
    account_sid: String,
    auth: TwilioAuth,
}

impl std::fmt::Debug for TwilioCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("TwilioCredentials");
        d.field("account_sid", &self.account_sid);
        match &self.auth {
            TwilioAuth::AuthToken(_) => d.field("auth_token", &"[redacted]"),
            TwilioAuth::ApiKey { key_sid, .. } => d
                .field("api_key_sid", key_sid)
                .field("api_key_secret", &"[redacted]"),
        };
        d.finish()
    }
}

fn is_sid(raw: &str, prefix: &str) -> bool {
    raw.len() == 34 && raw.starts_with(prefix) && raw.bytes().skip(2).all(|b| b.is_ascii_hexdigit())
}

fn check_secret(secret: &str, what: &str) -> Result<()> {
    if secret.is_empty() || secret.len() > 256 || secret.chars().any(char::is_control) {
        return Err(Error::invalid(format!(
            "The {what} is missing or not valid."
        )));
    }
    Ok(())
}

impl TwilioCredentials {
    /// Account SID + Auth Token.
    pub fn auth_token(account_sid: &str, auth_token: Secret) -> Result<Self> {
        let account_sid = account_sid.trim();
        if !is_sid(account_sid, "AC") {
            return Err(Error::invalid(
                "The Account SID must start with AC followed by 32 hexadecimal characters.",
            ));
        }
        check_secret(auth_token.expose(), "Auth Token")?;
        Ok(Self {
            account_sid: account_sid.to_owned(),
            auth: TwilioAuth::AuthToken(auth_token),
        })
    }

    /// API Key SID + Secret, for the account `account_sid`.
    pub fn api_key(account_sid: &str, key_sid: &str, secret: Secret) -> Result<Self> {
        let account_sid = account_sid.trim();
        let key_sid = key_sid.trim();
        if !is_sid(account_sid, "AC") {
            return Err(Error::invalid(
                "The Account SID must start with AC followed by 32 hexadecimal characters.",
            ));
        }
        if !is_sid(key_sid, "SK") {
            return Err(Error::invalid(
                "The API Key SID must start with SK followed by 32 hexadecimal characters.",
            ));
        }
        check_secret(secret.expose(), "API Key Secret")?;
        Ok(Self {
            account_sid: account_sid.to_owned(),
            auth: TwilioAuth::ApiKey {
                key_sid: key_sid.to_owned(),
                secret,
            },
        })
    }

    pub fn account_sid(&self) -> &str {
        &self.account_sid
    }

    pub fn auth(&self) -> &TwilioAuth {
        &self.auth
    }

    /// The Basic-auth user name and password.
    pub(crate) fn basic(&self) -> (&str, &str) {
        match &self.auth {
            TwilioAuth::AuthToken(token) => (&self.account_sid, token.expose()),
            TwilioAuth::ApiKey { key_sid, secret } => (key_sid, secret.expose()),
        }
    }

    /// What the settings page may show after saving: the SIDs, never the secret.
    pub fn public_summary(&self) -> TwilioAccountSummary {
        TwilioAccountSummary {
            account_sid: self.account_sid.clone(),
            api_key_sid: match &self.auth {
                TwilioAuth::AuthToken(_) => None,
                TwilioAuth::ApiKey { key_sid, .. } => Some(key_sid.clone()),
            },
        }
    }
}

/// The non-secret part of the saved credentials.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TwilioAccountSummary {
    pub account_sid: String,
    pub api_key_sid: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const AC: &str = "AC0123456789abcdef0123456789abcdef";
    const SK: &str = "SK0123456789abcdef0123456789abcdef";

    #[test]
    fn debug_never_shows_the_secret() {
        let a = TwilioCredentials::auth_token(AC, Secret::new("tok-SECRET-1")).expect("valid");
        let b = TwilioCredentials::api_key(AC, SK, Secret::new("key-SECRET-2")).expect("valid");
        for shown in [
            format!("{a:?}"),
            format!("{b:?}"),
            format!("{:?}", a.auth()),
        ] {
            assert!(
                !shown.contains("SECRET"),
                "a secret leaked through Debug: {shown}"
            );
        }
        assert!(
            format!("{b:?}").contains(SK),
            "the key SID is not secret and helps support"
        );
    }

    #[test]
    fn malformed_sids_are_refused_with_a_clear_message() {
        let err = TwilioCredentials::auth_token("ACnope", Secret::new("x")).expect_err("refused");
        assert!(
            err.user_message().contains("Account SID"),
            "{}",
            err.user_message()
        );
        let err = TwilioCredentials::api_key(AC, "nope", Secret::new("x")).expect_err("refused");
        assert!(
            err.user_message().contains("API Key SID"),
            "{}",
            err.user_message()
        );
        assert!(
            TwilioCredentials::auth_token(AC, Secret::new("")).is_err(),
            "empty token refused"
        );
    }
}
