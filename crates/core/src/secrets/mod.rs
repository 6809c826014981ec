//! Where a user's Twilio credentials live: the OS keyring (Secret Service on Linux), or —
//! only when no keyring service exists, as on a headless Linux box — a file readable by the
//! owner alone inside the user's own folder, which the settings page reports. Never the
//! database, the settings store, a log line or an error message.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::session::UserScope;
use crate::twilio::{
    ClientConfig, Secret, TwilioAccountSummary, TwilioAuth, TwilioClient, TwilioCredentials,
};

/// Which kind of store holds the credentials: the settings page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum StoreKind {
    /// The operating system's credential store.
    Keyring,
    /// A file only the user can read, in their own CallDeck folder: no keyring service here.
    File,
    /// Memory only (tests).
    Memory,
}

/// One user's credential store. Blocking (keyrings are); call it from `spawn_blocking`
/// or through the async helpers below.
pub trait CredentialStore: Send + Sync {
    fn kind(&self) -> StoreKind;
    fn load(&self) -> Result<Option<TwilioCredentials>>;
    fn save(&self, credentials: &TwilioCredentials) -> Result<()>;
    fn delete(&self) -> Result<()>;
}

/// The stored form. Private: nothing else serialises credentials.
#[derive(Serialize, Deserialize)]
struct Stored {
    v: u32,
    account_sid: String,
    #[serde(default)]
    api_key_sid: Option<String>,
    secret: String,
}

fn encode(c: &TwilioCredentials) -> Result<String> {
    let (api_key_sid, secret) = match c.auth() {
        TwilioAuth::AuthToken(t) => (None, t.expose().to_owned()),
        TwilioAuth::ApiKey { key_sid, secret } => {
            (Some(key_sid.clone()), secret.expose().to_owned())
        }
    };
    serde_json::to_string(&Stored {
        v: 1,
        account_sid: c.account_sid().to_owned(),
        api_key_sid,
        secret,
    })
    .map_err(|_| Error::Internal("credentials could not be encoded".into()))
}

fn decode(raw: &str) -> Result<TwilioCredentials> {
    // The serde error could quote the input, which holds the secret: never pass it on.
    let s: Stored = serde_json::from_str(raw)
        .map_err(|_| Error::Internal("stored Twilio credentials are unreadable".into()))?;
    match s.api_key_sid {
        None => TwilioCredentials::auth_token(&s.account_sid, Secret::new(s.secret)),
        Some(key) => TwilioCredentials::api_key(&s.account_sid, &key, Secret::new(s.secret)),
    }
}

const SERVICE: &str = "CallDeck";

/// The OS keyring, one entry per user.
pub struct KeyringStore {
    account: String,
}

impl KeyringStore {
    pub fn new(user_key: &str) -> Self {
        Self {
            account: format!("twilio/{user_key}"),
        }
    }

    fn entry(&self) -> Result<keyring::Entry> {
        keyring::Entry::new(SERVICE, &self.account).map_err(keyring_error)
    }
}

enum KeyringProbe {
    NoEntry,
    Other,
}

impl KeyringStore {
    /// Whether a keyring service answers at all (a missing entry is an answer).
    fn probe(&self) -> std::result::Result<(), KeyringProbe> {
        let entry = self.entry().map_err(|_| KeyringProbe::Other)?;
        match entry.get_password() {
            Ok(_) => Ok(()),
            Err(keyring::Error::NoEntry) => Err(KeyringProbe::NoEntry),
            Err(_) => Err(KeyringProbe::Other),
        }
    }
}

fn keyring_error(e: keyring::Error) -> Error {
    // Keyring errors name the platform failure, not the secret; keep only the kind.
    let kind = match e {
        keyring::Error::PlatformFailure(_) => "platform failure",
        keyring::Error::NoStorageAccess(_) => "no storage access",
        keyring::Error::NoEntry => "no entry",
        keyring::Error::BadEncoding(_) => "bad encoding",
        keyring::Error::TooLong(..) => "too long",
        keyring::Error::Invalid(..) => "invalid",
        keyring::Error::Ambiguous(_) => "ambiguous",
        _ => "other",
    };
    Error::Internal(format!("keyring: {kind}"))
}

impl CredentialStore for KeyringStore {
    fn kind(&self) -> StoreKind {
        StoreKind::Keyring
    }

    fn load(&self) -> Result<Option<TwilioCredentials>> {
        match self.entry()?.get_password() {
            Ok(raw) => decode(&raw).map(Some),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e)),
        }
    }

    fn save(&self, credentials: &TwilioCredentials) -> Result<()> {
        self.entry()?
            .set_password(&encode(credentials)?)
            .map_err(keyring_error)
    }

    fn delete(&self) -> Result<()> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error(e)),
        }
    }
}

/// The explicit fallback: `twilio-credentials.json`, mode 0600, in the user's own folder.
pub struct FileStore {
    path: PathBuf,
}

impl FileStore {
    pub const FILE_NAME: &'static str = "twilio-credentials.json";

    pub fn new(user_root: &Path) -> Self {
        Self {
            path: user_root.join(Self::FILE_NAME),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl CredentialStore for FileStore {
    fn kind(&self) -> StoreKind {
        StoreKind::File
    }

    fn load(&self) -> Result<Option<TwilioCredentials>> {
        match std::fs::read_to_string(&self.path) {
            Ok(raw) => decode(&raw).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    fn save(&self, credentials: &TwilioCredentials) -> Result<()> {
        use std::io::Write;
        let dir = self
            .path
            .parent()
            .ok_or_else(|| Error::Internal("credential file has no folder".into()))?;
        std::fs::create_dir_all(dir)?;
        let temp = dir.join(format!(
            ".{}{}",
            Self::FILE_NAME,
            crate::storage::PARTIAL_SUFFIX
        ));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&temp)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        file.write_all(encode(credentials)?.as_bytes())?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, &self.path)?;
        Ok(())
    }

    fn delete(&self) -> Result<()> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

/// Memory only, for tests.
#[derive(Default)]
pub struct MemoryStore {
    value: Mutex<Option<TwilioCredentials>>,
}

impl CredentialStore for MemoryStore {
    fn kind(&self) -> StoreKind {
        StoreKind::Memory
    }

    fn load(&self) -> Result<Option<TwilioCredentials>> {
        Ok(self
            .value
            .lock()
            .map_err(|_| Error::Internal("credential lock poisoned".into()))?
            .clone())
    }

    fn save(&self, credentials: &TwilioCredentials) -> Result<()> {
        *self
            .value
            .lock()
            .map_err(|_| Error::Internal("credential lock poisoned".into()))? =
            Some(credentials.clone());
        Ok(())
    }

    fn delete(&self) -> Result<()> {
        *self
            .value
            .lock()
            .map_err(|_| Error::Internal("credential lock poisoned".into()))? = None;
        Ok(())
    }
}

/// The signed-in user's store: the keyring when a keyring service answers, otherwise the
/// owner-only file in their folder. Probing talks to D-Bus, so it runs off the async threads.
pub async fn open_store(scope: &UserScope) -> Result<Arc<dyn CredentialStore>> {
    let key = crate::storage::user_key(scope.user_id());
    let root = scope.paths().root().to_path_buf();
    tokio::task::spawn_blocking(move || -> Arc<dyn CredentialStore> {
        let keyring = KeyringStore::new(&key);
        let available = match keyring.probe() {
            Ok(()) | Err(KeyringProbe::NoEntry) => true,
            Err(KeyringProbe::Other) => false,
        };
        if available {
            Arc::new(keyring)
        } else {
            tracing::warn!(
                "no keyring service: Twilio credentials fall back to an owner-only file"
            );
            Arc::new(FileStore::new(&root))
        }
    })
    .await
    .map_err(|_| Error::Internal("credential store probe failed".into()))
}

/// Loads the saved credentials (off the async threads).
pub async fn load(store: &Arc<dyn CredentialStore>) -> Result<Option<TwilioCredentials>> {
    let store = Arc::clone(store);
    tokio::task::spawn_blocking(move || store.load())
        .await
        .map_err(|_| Error::Internal("credential store task failed".into()))?
}

pub async fn delete(store: &Arc<dyn CredentialStore>) -> Result<()> {
    let store = Arc::clone(store);
    tokio::task::spawn_blocking(move || store.delete())
        .await
        .map_err(|_| Error::Internal("credential store task failed".into()))?
}

/// "Checked on save": calls Twilio with the credentials and stores them only if Twilio
/// accepts them. Refused credentials answer `twilio_auth` with a clear message.
pub async fn verify_and_save(
    store: &Arc<dyn CredentialStore>,
    credentials: TwilioCredentials,
    config: ClientConfig,
) -> Result<TwilioAccountSummary> {
    TwilioClient::new(credentials.clone(), config)?
        .verify_credentials()
        .await?;
    let summary = credentials.public_summary();
    let store = Arc::clone(store);
    tokio::task::spawn_blocking(move || store.save(&credentials))
        .await
        .map_err(|_| Error::Internal("credential store task failed".into()))??;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    const AC: &str = "AC0123456789abcdef0123456789abcdef";

    #[test]
    fn the_file_fallback_is_owner_only_and_round_trips() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = FileStore::new(dir.path());
        assert!(store.load().expect("load").is_none(), "nothing saved yet");
        let creds = TwilioCredentials::auth_token(AC, Secret::new("s3cret-token")).expect("valid");
        store.save(&creds).expect("save");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(store.path())
                .expect("meta")
                .permissions()
                .mode()
                & 0o777;
            assert_eq!(mode, 0o600, "only the owner may read the credential file");
        }
        assert_eq!(
            store.load().expect("load"),
            Some(creds),
            "what was saved comes back"
        );
        store.delete().expect("delete");
        assert!(store.load().expect("load").is_none(), "deleted means gone");
        assert_eq!(
            store.kind(),
            StoreKind::File,
            "the settings page can tell it is the fallback"
        );
    }

    #[test]
    fn a_corrupt_store_does_not_echo_its_content_in_the_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = FileStore::new(dir.path());
        std::fs::write(store.path(), "{\"secret\": \"LEAKME\"").expect("write");
        let err = store.load().expect_err("corrupt");
        assert!(!format!("{err:?} {err}").contains("LEAKME"), "{err:?}");
    }
}
