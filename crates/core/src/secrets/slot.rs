//! One secret string in the OS keyring (Secret Service on Linux), or — only where no keyring
//! service answers — in a file readable by the owner alone inside the user's own folder.
//! Twilio credentials and sign-in refresh tokens each live in a slot of their own.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::StoreKind;
use crate::error::{Error, Result};

/// Blocking (keyrings are): call it from `spawn_blocking`.
pub trait SecretSlot: Send + Sync {
    fn kind(&self) -> StoreKind;
    fn load(&self) -> Result<Option<String>>;
    fn save(&self, value: &str) -> Result<()>;
    fn delete(&self) -> Result<()>;
}

pub(crate) const SERVICE: &str = "CallDeck";

/// A keyring entry `CallDeck` / `{purpose}/{user key}`.
pub struct KeyringSlot {
    account: String,
}

pub(crate) enum KeyringProbe {
    NoEntry,
    Other,
}

impl KeyringSlot {
    pub fn new(purpose: &str, user_key: &str) -> Self {
        Self {
            account: format!("{purpose}/{user_key}"),
        }
    }

    fn entry(&self) -> Result<keyring::Entry> {
        keyring::Entry::new(SERVICE, &self.account).map_err(keyring_error)
    }

    /// Whether a keyring service answers at all (a missing entry is an answer).
    pub(crate) fn probe(&self) -> std::result::Result<(), KeyringProbe> {
        let entry = self.entry().map_err(|_| KeyringProbe::Other)?;
        match entry.get_password() {
            Ok(_) => Ok(()),
            Err(keyring::Error::NoEntry) => Err(KeyringProbe::NoEntry),
            Err(_) => Err(KeyringProbe::Other),
        }
    }

    /// Whether this machine has a keyring service to keep secrets in.
    pub fn service_answers(&self) -> bool {
        matches!(self.probe(), Ok(()) | Err(KeyringProbe::NoEntry))
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

impl SecretSlot for KeyringSlot {
    fn kind(&self) -> StoreKind {
        StoreKind::Keyring
    }

    fn load(&self) -> Result<Option<String>> {
        match self.entry()?.get_password() {
            Ok(raw) => Ok(Some(raw)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e)),
        }
    }

    fn save(&self, value: &str) -> Result<()> {
        self.entry()?.set_password(value).map_err(keyring_error)
    }

    fn delete(&self) -> Result<()> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error(e)),
        }
    }
}

/// The explicit fallback: a mode-0600 file in the user's own folder, replaced atomically.
pub struct FileSlot {
    path: PathBuf,
}

impl FileSlot {
    pub fn new(user_root: &Path, file_name: &str) -> Self {
        Self {
            path: user_root.join(file_name),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl SecretSlot for FileSlot {
    fn kind(&self) -> StoreKind {
        StoreKind::File
    }

    fn load(&self) -> Result<Option<String>> {
        match std::fs::read_to_string(&self.path) {
            Ok(raw) => Ok(Some(raw)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    fn save(&self, value: &str) -> Result<()> {
        use std::io::Write;
        let dir = self
            .path
            .parent()
            .ok_or_else(|| Error::Internal("secret file has no folder".into()))?;
        // The user's folder must exist already: a save that comes late (a refresh finishing
        // after "Remove my data") must not bring a removed folder back.
        let name = self
            .path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("secret");
        // A name of its own per save, created exclusively: never a file or link planted there.
        let temp = dir.join(format!(
            ".{name}.{}-{}{}",
            std::process::id(),
            rand::random::<u64>(),
            crate::storage::PARTIAL_SUFFIX
        ));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
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
        let written = file
            .write_all(value.as_bytes())
            .and_then(|()| file.sync_all())
            .and_then(|()| {
                drop(file);
                std::fs::rename(&temp, &self.path)
            });
        if written.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        Ok(written?)
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
pub struct MemorySlot {
    value: Mutex<Option<String>>,
}

impl MemorySlot {
    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Option<String>>> {
        self.value
            .lock()
            .map_err(|_| Error::Internal("secret lock poisoned".into()))
    }
}

impl SecretSlot for MemorySlot {
    fn kind(&self) -> StoreKind {
        StoreKind::Memory
    }

    fn load(&self) -> Result<Option<String>> {
        Ok(self.lock()?.clone())
    }

    fn save(&self, value: &str) -> Result<()> {
        *self.lock()? = Some(value.to_owned());
        Ok(())
    }

    fn delete(&self) -> Result<()> {
        *self.lock()? = None;
        Ok(())
    }
}

/// Runs a blocking slot call off the async threads.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| Error::Internal("secret store task failed".into()))?
}
