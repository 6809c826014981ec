use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::AsyncWriteExt;

use crate::error::{Error, Result};

/// Marks files being written; a crash leaves only these behind, and they are never read.
pub const PARTIAL_SUFFIX: &str = ".partial";

/// Writes a file so that readers see either nothing or the whole of it, and only its owner
/// can read it (0600 on Unix): write beside it, fsync, rename over the target, then fsync the
/// folder so the rename itself survives a crash.
pub async fn write_atomic(target: &Path, bytes: &[u8]) -> Result<()> {
    let temp = unique_temp_beside(target)?;
    let written = async {
        let mut file = create_owner_only(&temp).await?;
        file.write_all(bytes).await?;
        file.sync_all().await?;
        drop(file);
        tokio::fs::rename(&temp, target).await?;
        Ok::<_, Error>(())
    }
    .await;
    if written.is_err() {
        let _ = tokio::fs::remove_file(&temp).await;
    }
    written?;
    sync_parent(target).await
}

/// A temporary name of this write alone (process id and a counter), so two writes of the
/// same file at once each rename a whole file instead of writing into one temporary.
fn unique_temp_beside(target: &Path) -> Result<std::path::PathBuf> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let temp = temp_beside(target)?;
    let name = temp
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix(PARTIAL_SUFFIX))
        .ok_or_else(|| Error::Internal("atomic write target has no file name".into()))?;
    Ok(temp.with_file_name(format!("{name}.{}-{n}{PARTIAL_SUFFIX}", std::process::id())))
}

/// A new, empty file readable by its owner only from the moment it exists (never an existing
/// file or a link opened again, which would keep its own mode). One with this name can only
/// be left by a crashed process that had the same id; it is replaced.
async fn create_owner_only(path: &Path) -> Result<tokio::fs::File> {
    let open = || {
        let mut options = tokio::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        options.mode(0o600);
        options
    };
    match open().open(path).await {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            tokio::fs::remove_file(path).await?;
            Ok(open().open(path).await?)
        }
        other => Ok(other?),
    }
}

/// Makes a rename in the target's folder durable (Unix; elsewhere a rename is as durable as
/// the platform makes it).
async fn sync_parent(target: &Path) -> Result<()> {
    #[cfg(unix)]
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        tokio::fs::File::open(dir).await?.sync_all().await?;
    }
    #[cfg(not(unix))]
    let _ = target;
    Ok(())
}

/// Copies `source` to `target` so that `target` is either absent or complete.
pub async fn copy_atomic(source: &Path, target: &Path) -> Result<u64> {
    let temp = temp_beside(target)?;
    let copied = async {
        let bytes = tokio::fs::copy(source, &temp).await?;
        tokio::fs::File::open(&temp).await?.sync_all().await?;
        tokio::fs::rename(&temp, target).await?;
        Ok::<_, Error>(bytes)
    }
    .await;
    if copied.is_err() {
        let _ = tokio::fs::remove_file(&temp).await;
    }
    copied
}

fn temp_beside(target: &Path) -> Result<std::path::PathBuf> {
    let file_name = target
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Error::Internal("atomic write target has no file name".into()))?;
    Ok(target.with_file_name(format!(".{file_name}{PARTIAL_SUFFIX}")))
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
