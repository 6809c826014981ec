//! Where a user's Twilio credentials live: the OS keyring (Secret Service on Linux), or —
//! only when no keyring service exists, as on a headless Linux box — a file readable by the
//! owner alone inside the user's own folder, which the settings page reports. Never the
//! database, the settings store, a log line or an error message.

mod location;
mod slot;

use std::path::Path;
use std::sync::Arc;

pub(crate) use location::{adopt_legacy_folder, settle_legacy_folder};
pub use location::{delete_everywhere, open_slot, SecretName, AI_KEY, ALL, REFRESH_TOKEN, TWILIO};
pub use slot::{blocking, FileSlot, KeyringSlot, MemorySlot, SecretSlot};

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

/// Twilio credentials in the user's keyring entry `twilio/{user key}`.
pub struct KeyringStore {
    slot: KeyringSlot,
}

impl KeyringStore {
    pub fn new(user_key: &str) -> Self {
        Self {
            slot: KeyringSlot::new(TWILIO.purpose, user_key),
        }
    }
}

/// The explicit fallback: `twilio-credentials.json`, mode 0600, in the user's own folder.
pub struct FileStore {
    slot: FileSlot,
}

impl FileStore {
    pub const FILE_NAME: &'static str = TWILIO.file;

    pub fn new(user_root: &Path) -> Self {
        Self {
            slot: FileSlot::new(user_root, Self::FILE_NAME),
        }
    }

    pub fn path(&self) -> &Path {
        self.slot.path()
    }
}

/// Memory only, for tests.
#[derive(Default)]
pub struct MemoryStore {
    slot: MemorySlot,
}

/// Twilio credentials kept in any slot.
struct SlotStore(Arc<dyn SecretSlot>);

macro_rules! credentials_in_slot {
    ($t:ty, $slot:ident => $get:expr) => {
        impl CredentialStore for $t {
            fn kind(&self) -> StoreKind {
                let $slot = self;
                $get.kind()
            }
            fn load(&self) -> Result<Option<TwilioCredentials>> {
                let $slot = self;
                $get.load()?.as_deref().map(decode).transpose()
            }
            fn save(&self, credentials: &TwilioCredentials) -> Result<()> {
                let $slot = self;
                $get.save(&encode(credentials)?)
            }
            fn delete(&self) -> Result<()> {
                let $slot = self;
                $get.delete()
            }
        }
    };
}

credentials_in_slot!(KeyringStore, s => s.slot);
credentials_in_slot!(FileStore, s => s.slot);
credentials_in_slot!(MemoryStore, s => s.slot);
credentials_in_slot!(SlotStore, s => s.0);

/// The signed-in user's store: the keyring when a keyring service answers, otherwise the
/// owner-only file in their folder.
pub async fn open_store(scope: &UserScope) -> Result<Arc<dyn CredentialStore>> {
    let slot = open_slot(TWILIO, scope.user_id(), scope.paths().root()).await?;
    Ok(Arc::new(SlotStore(slot)))
}

/// Loads the saved credentials (off the async threads).
pub async fn load(store: &Arc<dyn CredentialStore>) -> Result<Option<TwilioCredentials>> {
    let store = Arc::clone(store);
    blocking(move || store.load()).await
}

pub async fn delete(store: &Arc<dyn CredentialStore>) -> Result<()> {
    let store = Arc::clone(store);
    blocking(move || store.delete()).await
}

/// Deletes every secret the user has on this device (sign-in token, Twilio credentials, AI
/// key), from the keyring and the fallback files both.
pub async fn delete_all(scope: &UserScope) -> Result<()> {
    let key = scope.user_id().to_owned();
    let root = scope.paths().root().to_path_buf();
    blocking(move || {
        ALL.iter()
            .map(|name| delete_everywhere(*name, &key, &root))
            .fold(Ok(()), Result::and)
    })
    .await
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
    blocking(move || store.save(&credentials)).await?;
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
