//! Where sign-in is configured: environment variables or a managed config file (for managed
//! installs, which the setup screen then shows read-only), else what the user entered on
//! the first-run setup screen. None of it is secret: a public client uses PKCE, not a secret.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::{Error, Result};
use crate::storage::write_atomic;

/// Loopback ports the redirect may use; each must be registered at Auth0 as
/// `http://127.0.0.1:<port>/callback`.
pub const DEFAULT_PORTS: [u16; 3] = [47613, 47614, 47615];
pub const DEFAULT_OFFLINE_DAYS: u32 = 14;

/// What the setup screen shows and saves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AuthSettings {
    /// `tenant.eu.auth0.com`, or a full `https://…/` issuer URL.
    pub domain: String,
    pub client_id: String,
    #[serde(default)]
    pub audience: Option<String>,
    #[serde(default)]
    pub callback_ports: Vec<u16>,
    #[serde(default)]
    pub offline_days: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ConfigSource {
    /// `CALLDECK_AUTH0_*` environment variables.
    Environment,
    /// A managed config file (`CALLDECK_CONFIG`, or `/etc/calldeck/auth.json`).
    ManagedFile,
    /// The first-run setup screen.
    Setup,
}

/// Sign-in configuration, checked.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    pub issuer: Url,
    pub client_id: String,
    pub audience: Option<String>,
    pub ports: Vec<u16>,
    pub offline_days: u32,
    pub source: ConfigSource,
    pub settings: AuthSettings,
}

impl AuthConfig {
    pub fn from_settings(settings: AuthSettings, source: ConfigSource) -> Result<Self> {
        let issuer = issuer_from_domain(&settings.domain)?;
        let client_id = settings.client_id.trim().to_owned();
        if client_id.is_empty()
            || client_id.len() > 200
            || !client_id.chars().all(|c| c.is_ascii_graphic())
        {
            return Err(Error::invalid(
                "Enter the application's client id from Auth0.",
            ));
        }
        let audience = settings
            .audience
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned);
        let ports = if settings.callback_ports.is_empty() {
            DEFAULT_PORTS.to_vec()
        } else if settings.callback_ports.iter().any(|p| *p < 1024) {
            return Err(Error::invalid("Callback ports must be 1024 or above."));
        } else {
            settings.callback_ports.clone()
        };
        let mut offline_days = settings.offline_days.unwrap_or(DEFAULT_OFFLINE_DAYS);
        // Whoever sits at the sign-in screen may shorten offline use, never lengthen it:
        // only an administrator's configuration can allow more than the default.
        if source == ConfigSource::Setup {
            offline_days = offline_days.min(DEFAULT_OFFLINE_DAYS);
        }
        if offline_days > 365 {
            return Err(Error::invalid(
                "Offline use can be allowed for at most 365 days.",
            ));
        }
        Ok(Self {
            issuer,
            client_id,
            audience,
            ports,
            offline_days,
            source,
            settings,
        })
    }
}

/// `tenant.auth0.com` → `https://tenant.auth0.com/` (Auth0's issuer has the trailing slash).
/// Plain http only for a provider on this machine's loopback (tests, local development).
pub fn issuer_from_domain(domain: &str) -> Result<Url> {
    let d = domain.trim();
    let with_scheme = if d.contains("://") {
        d.to_owned()
    } else {
        format!("https://{d}")
    };
    let bad = || Error::invalid("Enter your Auth0 domain, for example your-tenant.eu.auth0.com.");
    let mut url = Url::parse(&with_scheme).map_err(|_| bad())?;
    let host = url.host_str().ok_or_else(bad)?.to_owned();
    let loopback = matches!(host.as_str(), "127.0.0.1" | "localhost" | "[::1]");
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        _ => return Err(Error::invalid("The sign-in domain must use https.")),
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(bad());
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

fn setup_file(data_dir: &Path) -> PathBuf {
    data_dir.join("auth.json")
}

fn managed_file() -> PathBuf {
    std::env::var_os("CALLDECK_CONFIG")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/etc/calldeck/auth.json"))
}

fn from_env() -> Option<AuthSettings> {
    let domain = std::env::var("CALLDECK_AUTH0_DOMAIN").ok()?;
    let client_id = std::env::var("CALLDECK_AUTH0_CLIENT_ID").ok()?;
    let callback_ports = std::env::var("CALLDECK_AUTH0_PORTS")
        .ok()
        .map(|s| s.split(',').filter_map(|p| p.trim().parse().ok()).collect())
        .unwrap_or_default();
    Some(AuthSettings {
        domain,
        client_id,
        audience: std::env::var("CALLDECK_AUTH0_AUDIENCE").ok(),
        callback_ports,
        offline_days: std::env::var("CALLDECK_OFFLINE_DAYS")
            .ok()
            .and_then(|d| d.parse().ok()),
    })
}

async fn from_file(path: &Path) -> Option<AuthSettings> {
    let bytes = tokio::fs::read(path).await.ok()?;
    match serde_json::from_slice(&bytes) {
        Ok(settings) => Some(settings),
        Err(error) => {
            tracing::warn!(%error, "sign-in config file is not valid JSON; ignored");
            None
        }
    }
}

/// The configuration in force, if any: environment, then the managed file, then setup.
pub async fn load(data_dir: &Path) -> Option<AuthConfig> {
    let found = if let Some(s) = from_env() {
        Some((s, ConfigSource::Environment))
    } else if let Some(s) = from_file(&managed_file()).await {
        Some((s, ConfigSource::ManagedFile))
    } else {
        from_file(&setup_file(data_dir))
            .await
            .map(|s| (s, ConfigSource::Setup))
    };
    let (settings, source) = found?;
    match AuthConfig::from_settings(settings, source) {
        Ok(config) => Some(config),
        Err(error) => {
            tracing::warn!(%error, ?source, "sign-in configuration is not valid; ignored");
            None
        }
    }
}

/// The accounts on this device that the settings in force reopen and settings like these
/// would not (the new ones name another issuer or client), by name: the setup screen lists
/// them before saving. Changing the settings never moves anyone's data or tokens.
pub async fn accounts_needing_sign_in(data_dir: &Path, settings: &AuthSettings) -> Vec<String> {
    let Ok(next) = AuthConfig::from_settings(settings.clone(), ConfigSource::Setup) else {
        return Vec::new();
    };
    let current = load(data_dir).await;
    let reopened_by = |config: &AuthConfig, a: &super::accounts::KnownAccount| {
        a.id()
            .is_some_and(|id| id.issued_by(config.issuer.as_str(), &config.client_id))
    };
    super::accounts::all(data_dir)
        .await
        .into_iter()
        .filter(|a| current.as_ref().is_some_and(|c| reopened_by(c, a)) && !reopened_by(&next, a))
        .map(|a| {
            a.email
                .map_or(a.name.clone(), |e| format!("{} ({e})", a.name))
        })
        .collect()
}

/// Saves what the setup screen entered. Refused when a managed configuration is in force.
pub async fn save(data_dir: &Path, settings: AuthSettings) -> Result<AuthConfig> {
    if let Some(current) = load(data_dir).await {
        if current.source != ConfigSource::Setup {
            return Err(Error::invalid(
                "Sign-in is configured by your administrator and cannot be changed here.",
            ));
        }
    }
    let config = AuthConfig::from_settings(settings, ConfigSource::Setup)?;
    tokio::fs::create_dir_all(data_dir).await?;
    let bytes =
        serde_json::to_vec_pretty(&config.settings).map_err(|e| Error::Internal(e.to_string()))?;
    write_atomic(&setup_file(data_dir), &bytes).await?;
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_domain_becomes_an_https_issuer_with_a_trailing_slash() {
        assert_eq!(
            issuer_from_domain("tenant.eu.auth0.com")
                .expect("ok")
                .as_str(),
            "https://tenant.eu.auth0.com/"
        );
        assert_eq!(
            issuer_from_domain("http://127.0.0.1:4000")
                .expect("ok")
                .as_str(),
            "http://127.0.0.1:4000/"
        );
    }

    #[test]
    fn the_setup_screen_cannot_allow_longer_offline_use_than_the_default() {
        let settings = AuthSettings {
            domain: "tenant.eu.auth0.com".into(),
            client_id: "abc".into(),
            audience: None,
            callback_ports: Vec::new(),
            offline_days: Some(365),
        };
        let setup = AuthConfig::from_settings(settings.clone(), ConfigSource::Setup).expect("ok");
        assert_eq!(setup.offline_days, DEFAULT_OFFLINE_DAYS);
        let managed = AuthConfig::from_settings(settings, ConfigSource::ManagedFile).expect("ok");
        assert_eq!(managed.offline_days, 365, "an administrator may allow more");
    }

    #[test]
    fn plain_http_is_refused_off_the_loopback() {
        assert!(issuer_from_domain("http://tenant.auth0.com").is_err());
        assert!(issuer_from_domain("ftp://x").is_err());
        assert!(issuer_from_domain("https://t.auth0.com/?x=1").is_err());
    }
}
