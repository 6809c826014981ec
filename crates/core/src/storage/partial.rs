//! Temporary files for writes that must appear whole under their final name: one per attempt
//! (its own name), created new (never an existing file, never through a link someone left at
//! that name), removed unless committed, and known to be live while their writer holds
//! them, so that a clean-up of crash leftovers passes them by.

use std::collections::BTreeSet;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use tokio::io::AsyncWriteExt;

use crate::error::{Error, Result};

/// Marks files being written; a crash leaves only these behind, and they are never read.
pub const PARTIAL_SUFFIX: &str = ".partial";

/// How many fresh names a creation tries when a name is taken (by a crash leftover, or by
/// something planted there) before it gives up.
const NAME_TRIES: usize = 8;

/// The names of the temporary files this process is writing right now. Names are unique
/// per attempt (process id, a counter and a random part), so the name alone says whose a
/// file is, wherever it lies. One process per data folder (the app's instance lock) makes
/// this the whole truth for a user's folders.
static LIVE: Mutex<BTreeSet<OsString>> = Mutex::new(BTreeSet::new());

fn live() -> std::sync::MutexGuard<'static, BTreeSet<OsString>> {
    LIVE.lock().unwrap_or_else(|p| p.into_inner())
}

/// Whether a temporary file of this name belongs to a write under way in this process.
pub fn is_live_partial(file_name: &OsStr) -> bool {
    live().contains(file_name)
}

/// Who may read the file once it is in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Its owner only (0600 on Unix) from the moment it exists: the user's own data.
    OwnerOnly,
    /// As the platform makes new files (0666 less the umask): a copy the user put somewhere.
    Usual,
}

/// A name taken in [`LIVE`] until dropped.
struct Claim(OsString);

impl Claim {
    fn new(name: OsString) -> Self {
        live().insert(name.clone());
        Self(name)
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        live().remove(&self.0);
    }
}

/// A temporary file beside `target`, written through [`PartialFile::file`], renamed over the
/// target by [`PartialFile::commit`]. Dropped without a commit, it is removed.
pub struct PartialFile {
    file: Option<tokio::fs::File>,
    path: PathBuf,
    target: PathBuf,
    committed: bool,
    // Dropped after `drop` below has removed the file: never unclaimed while it still lies
    // there, so a clean-up cannot take it for a leftover.
    _claim: Claim,
}

impl PartialFile {
    /// A new, empty temporary file beside `target`.
    pub async fn create(target: &Path, access: Access) -> Result<Self> {
        let file_name = target
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| Error::Internal("a write's target has no file name".into()))?;
        let names = std::iter::repeat_with(|| unique_name(file_name)).take(NAME_TRIES);
        create_first_free(target, names, access).await
    }

    /// The temporary file's path, for readers that follow the write as it happens.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn file(&mut self) -> Result<&mut tokio::fs::File> {
        self.file
            .as_mut()
            .ok_or_else(|| Error::Internal("temporary file already closed".into()))
    }

    /// Makes the bytes durable and puts them in place under the target's name, whole; then
    /// makes the rename itself durable.
    pub async fn commit(mut self) -> Result<()> {
        let mut file = self
            .file
            .take()
            .ok_or_else(|| Error::Internal("temporary file already closed".into()))?;
        file.flush().await?;
        file.sync_all().await?;
        drop(file);
        tokio::fs::rename(&self.path, &self.target).await?;
        self.committed = true;
        sync_parent(&self.target).await
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if !self.committed {
            drop(self.file.take());
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// `.{name}.{pid}-{counter}-{random}.partial`: the counter keeps this process's names
/// apart, the random part makes them unguessable to anyone planting files in advance.
fn unique_name(file_name: &str) -> OsString {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let salt: u32 = rand::random();
    OsString::from(format!(
        ".{file_name}.{}-{n}-{salt:08x}{PARTIAL_SUFFIX}",
        std::process::id()
    ))
}

/// Creates the first of `names` (beside `target`) that does not exist yet. A name taken by
/// anything at all — a file, a link, a folder — is passed over, never opened or removed.
async fn create_first_free(
    target: &Path,
    names: impl Iterator<Item = OsString>,
    access: Access,
) -> Result<PartialFile> {
    for name in names {
        let claim = Claim::new(name);
        let path = target.with_file_name(&claim.0);
        let mut options = tokio::fs::OpenOptions::new();
        // `create_new` is O_CREAT|O_EXCL: it fails on any existing name, links included,
        // and never follows one.
        options.write(true).create_new(true);
        #[cfg(unix)]
        if access == Access::OwnerOnly {
            options.mode(0o600);
        }
        match options.open(&path).await {
            Ok(file) => {
                return Ok(PartialFile {
                    file: Some(file),
                    path,
                    target: target.to_path_buf(),
                    committed: false,
                    _claim: claim,
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::Io(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        "no free name for a temporary file",
    )))
}

/// Makes a rename in the target's folder durable (Unix; elsewhere a rename is as durable as
/// the platform makes it).
pub(super) async fn sync_parent(target: &Path) -> Result<()> {
    #[cfg(unix)]
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        tokio::fs::File::open(dir).await?.sync_all().await?;
    }
    #[cfg(not(unix))]
    let _ = target;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_in(dir: &Path) -> Vec<OsString> {
        let mut names: Vec<OsString> = std::fs::read_dir(dir)
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        names.sort();
        names
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_link_planted_at_the_name_is_passed_over_and_its_target_untouched() {
        let dir = tempfile::tempdir().expect("dir");
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"precious").expect("victim");
        let target = dir.path().join("out.wav");
        std::os::unix::fs::symlink(&victim, dir.path().join(".planted.partial")).expect("link");
        let names = [".planted.partial", ".free.partial"].map(OsString::from);
        let mut temp = create_first_free(&target, names.into_iter(), Access::OwnerOnly)
            .await
            .expect("create");
        assert_eq!(temp.path(), dir.path().join(".free.partial"));
        temp.file()
            .expect("file")
            .write_all(b"new")
            .await
            .expect("write");
        temp.commit().await.expect("commit");
        assert_eq!(std::fs::read(&victim).expect("victim"), b"precious");
        assert_eq!(std::fs::read(&target).expect("target"), b"new");
        assert!(
            std::fs::symlink_metadata(dir.path().join(".planted.partial"))
                .expect("link")
                .file_type()
                .is_symlink(),
            "what was planted is not ours to remove"
        );
    }

    #[tokio::test]
    async fn every_name_taken_is_an_error_not_an_overwrite() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::write(dir.path().join(".a.partial"), b"theirs").expect("file");
        let names = [".a.partial"].map(OsString::from);
        let created =
            create_first_free(&dir.path().join("t"), names.into_iter(), Access::Usual).await;
        assert!(created.is_err());
        assert_eq!(
            std::fs::read(dir.path().join(".a.partial")).expect("read"),
            b"theirs"
        );
        assert!(
            !is_live_partial(OsStr::new(".a.partial")),
            "a name not taken stays free"
        );
    }

    #[tokio::test]
    async fn a_temporary_is_live_while_held_and_gone_with_its_claim_unless_committed() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("a.mp3");
        let first = PartialFile::create(&target, Access::OwnerOnly)
            .await
            .expect("create");
        let second = PartialFile::create(&target, Access::OwnerOnly)
            .await
            .expect("create");
        assert_ne!(first.path(), second.path(), "one name per attempt");
        let name = first.path().file_name().expect("name").to_owned();
        assert!(is_live_partial(&name));
        drop(first);
        assert!(!is_live_partial(&name), "dropped: no longer live");
        let committed = second.path().file_name().expect("name").to_owned();
        second.commit().await.expect("commit");
        assert!(!is_live_partial(&committed));
        assert_eq!(names_in(dir.path()), vec![OsString::from("a.mp3")]);
    }
}
