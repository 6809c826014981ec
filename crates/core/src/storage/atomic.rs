use std::path::Path;

use tokio::io::AsyncWriteExt;

use super::partial::{Access, PartialFile};
use crate::error::Result;

/// Writes a file so that readers see either nothing or the whole of it, and only its owner
/// can read it (0600 on Unix): written beside it under a name of this write alone (so two
/// writes of one file at once each rename a whole file), fsynced, renamed over the target,
/// then the folder fsynced so the rename itself survives a crash.
pub async fn write_atomic(target: &Path, bytes: &[u8]) -> Result<()> {
    let mut temp = PartialFile::create(target, Access::OwnerOnly).await?;
    temp.file()?.write_all(bytes).await?;
    temp.commit().await
}

/// Copies `source` to `target` so that `target` is either absent or complete. The copy
/// gets the usual permissions of a new file there (it is a file the user put somewhere),
/// and is written through a temporary file of its own, never through one found there.
pub async fn copy_atomic(source: &Path, target: &Path) -> Result<u64> {
    let mut from = tokio::fs::File::open(source).await?;
    let mut temp = PartialFile::create(target, Access::Usual).await?;
    let bytes = tokio::io::copy(&mut from, temp.file()?).await?;
    temp.commit().await?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn leaves_the_whole_file_and_no_temporary() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("a.wav");
        write_atomic(&target, b"RIFF....").await.expect("write");
        assert_eq!(tokio::fs::read(&target).await.expect("read"), b"RIFF....");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(
            names.len(),
            1,
            "no temporary file may be left behind: {names:?}"
        );
    }

    /// accounts.json, auth.json and last-session.json sit beside the users' folders, where
    /// other accounts of the computer can look: only the owner may read them.
    #[cfg(unix)]
    #[tokio::test]
    async fn the_file_is_readable_by_its_owner_only_whatever_was_there_before() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let mode = |p: &Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;

        let fresh = dir.path().join("accounts.json");
        write_atomic(&fresh, b"[]").await.expect("write");
        assert_eq!(mode(&fresh), 0o600, "a new file is owner-only");

        // A file written by an older version, world-readable: rewriting it fixes its mode.
        let older = dir.path().join("last-session.json");
        std::fs::write(&older, b"{}").expect("older file");
        std::fs::set_permissions(&older, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        write_atomic(&older, b"{\"user\":1}")
            .await
            .expect("rewrite");
        assert_eq!(mode(&older), 0o600, "a rewritten file is owner-only");
        assert_eq!(std::fs::read(&older).expect("read"), b"{\"user\":1}");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names.len(), 2, "no temporary is left: {names:?}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn writes_of_one_file_at_once_each_leave_a_whole_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("accounts.json");
        let contents: Vec<Vec<u8>> = (0..8u8)
            .map(|i| vec![b'a' + i; 4096 * (usize::from(i) + 1)])
            .collect();
        let mut writes = tokio::task::JoinSet::new();
        for content in contents.clone() {
            let target = target.clone();
            writes.spawn(async move { write_atomic(&target, &content).await });
        }
        while let Some(result) = writes.join_next().await {
            result.expect("join").expect("every write succeeds");
        }
        let found = std::fs::read(&target).expect("read");
        assert!(
            contents.contains(&found),
            "the file is one whole write, not a mix"
        );
        let names = std::fs::read_dir(dir.path()).expect("list").count();
        assert_eq!(names, 1, "no temporary is left");
    }
}
