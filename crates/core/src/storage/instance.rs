//! One CallDeck per data folder. The app holds an exclusive lock on a file in its data folder
//! for as long as it runs; a second process that finds it taken must not open anything there
//! (two processes would refresh the same rotating refresh token, and the provider's reuse
//! detection then ends the grant for both). The operating system releases the lock when the
//! process ends however it ends, a crash or SIGKILL included, so a stale lock cannot keep
//! CallDeck from starting again.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The lock's file in the data folder. It holds the owner's process id, for the message.
pub const LOCK_FILE: &str = "calldeck.lock";

/// Why this process may not use the data folder.
#[derive(Debug, thiserror::Error)]
pub enum InstanceError {
    /// Another process holds the data folder.
    #[error(
        "CallDeck is already running{} with this data folder. Switch to its window, or quit it before starting CallDeck again.",
        .pid.map(|pid| format!(" (process {pid})")).unwrap_or_default()
    )]
    AlreadyRunning { pid: Option<u32> },
    /// The lock itself could not be taken (the folder is not writable, say).
    #[error("CallDeck could not lock its data folder {}: {source}", .folder.display())]
    Unavailable {
        folder: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The data folder, held by this process until the value is dropped (or the process ends).
#[derive(Debug)]
pub struct DataFolderLock {
    // Never read: holding the open file is what holds the lock.
    _file: File,
}

impl DataFolderLock {
    /// Takes the data folder for this process, creating the folder if needed. Never waits:
    /// a folder another process holds answers `AlreadyRunning` at once.
    pub fn acquire(data_dir: &Path) -> Result<Self, InstanceError> {
        let unavailable = |source| InstanceError::Unavailable {
            folder: data_dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(data_dir).map_err(unavailable)?;
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(data_dir.join(LOCK_FILE))
            .map_err(unavailable)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(InstanceError::AlreadyRunning {
                    pid: holder_pid(&mut file),
                })
            }
            Err(TryLockError::Error(error)) => return Err(unavailable(error)),
        }
        // Ours now: whatever a process that died left in it is replaced by our id.
        let id = format!("{}\n", std::process::id());
        file.set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| file.write_all(id.as_bytes()))
            .map_err(unavailable)?;
        Ok(Self { _file: file })
    }
}

/// A short name for the data folder (its absolute path hashed), the same in every process
/// that uses it: for names that must differ per data folder, such as the one a second start
/// looks for on the session D-Bus.
pub fn folder_id(data_dir: &Path) -> String {
    use sha2::{Digest, Sha256};
    let path = std::fs::canonicalize(data_dir)
        .or_else(|_| std::path::absolute(data_dir))
        .unwrap_or_else(|_| data_dir.to_path_buf());
    let digest = Sha256::digest(path.as_os_str().as_encoded_bytes());
    hex::encode(&digest[..8])
}

/// The process id the holder wrote, if it is there and readable.
fn holder_pid(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().expect("dir");
        let folder = dir.path().join("data");
        let first = DataFolderLock::acquire(&folder).expect("the first takes the folder");
        // A lock held through another open file, as another process would hold it.
        match DataFolderLock::acquire(&folder) {
            Err(InstanceError::AlreadyRunning { pid }) => {
                assert_eq!(pid, Some(std::process::id()), "names the holder's process");
            }
            other => panic!("a second holder must be refused: {other:?}"),
        }
        drop(first);
        DataFolderLock::acquire(&folder).expect("free again once the first lets go");
    }

    #[test]
    fn a_folder_has_one_id_however_it_is_spelled() {
        let dir = tempfile::tempdir().expect("dir");
        let id = folder_id(dir.path());
        std::fs::create_dir(dir.path().join("x")).expect("x");
        assert_eq!(
            id,
            folder_id(&dir.path().join("x").join("..")),
            "same folder"
        );
        assert_ne!(id, folder_id(&dir.path().join("other")), "another folder");
        assert_eq!(id.len(), 16);
    }

    #[test]
    fn the_refusal_is_one_sentence_for_a_person() {
        let message = InstanceError::AlreadyRunning { pid: Some(42) }.to_string();
        assert_eq!(
            message,
            "CallDeck is already running (process 42) with this data folder. Switch to its \
             window, or quit it before starting CallDeck again."
        );
        let unknown = InstanceError::AlreadyRunning { pid: None }.to_string();
        assert!(
            unknown.starts_with("CallDeck is already running with this data folder."),
            "{unknown}"
        );
    }
}
