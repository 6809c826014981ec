use std::path::Path;

use tokio::io::AsyncWriteExt;

use crate::error::{Error, Result};

/// Marks files being written; a crash leaves only these behind, and they are never read.
pub const PARTIAL_SUFFIX: &str = ".partial";

/// Writes a file so that readers see either nothing or the whole of it: write beside it,
/// fsync, then rename over the target.
pub async fn write_atomic(target: &Path, bytes: &[u8]) -> Result<()> {
    let temp = temp_beside(target)?;
    let mut file = tokio::fs::File::create(&temp).await?;
    file.write_all(bytes).await?;
    file.sync_all().await?;
    drop(file);
    tokio::fs::rename(&temp, target).await?;
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
}
