use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A user's own folder: `<app data>/users/<key>/` with `library.db` and `media/`.
/// The key is the account's (see `session::AccountId::key`): stable across sign-ins, distinct
/// for the same subject at another issuer, and with no characters a path could trip on.
#[derive(Debug, Clone)]
pub struct UserPaths {
    root: PathBuf,
}

impl UserPaths {
    pub fn for_key(data_dir: &Path, key: &str) -> Self {
        Self {
            root: data_dir.join("users").join(key),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn database(&self) -> PathBuf {
        self.root.join("library.db")
    }

    pub fn media_dir(&self) -> PathBuf {
        self.root.join("media")
    }

    /// The path of a file in the user's media folder. Only a plain file name is accepted.
    pub fn media_file(&self, name: &str) -> Result<PathBuf> {
        if !is_plain_file_name(name) {
            return Err(Error::NotFound);
        }
        Ok(self.media_dir().join(name))
    }

    /// Creates the folders, readable by the owner only.
    pub async fn ensure(&self) -> Result<()> {
        tokio::fs::create_dir_all(self.media_dir()).await?;
        restrict_to_owner(&self.root).await?;
        restrict_to_owner(&self.media_dir()).await?;
        Ok(())
    }
}

fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && name != "."
        && name != ".."
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

#[cfg(unix)]
async fn restrict_to_owner(dir: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    tokio::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).await?;
    Ok(())
}

#[cfg(not(unix))]
async fn restrict_to_owner(_dir: &Path) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_files_must_be_plain_names() {
        let paths = UserPaths::for_key(Path::new("/data"), "0123abcd");
        assert!(
            paths.media_file("RE0123_1700000000.wav").is_ok(),
            "a SID-based name is accepted"
        );
        for hostile in [
            "",
            ".",
            "..",
            "../x",
            "/etc/passwd",
            "a/b",
            "a\\b",
            ".hidden",
            "a\0b",
        ] {
            assert!(
                paths.media_file(hostile).is_err(),
                "{hostile:?} must not become a path"
            );
        }
    }
}
