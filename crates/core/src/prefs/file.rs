//! A preferences file on disk: a JSON object of entries (the layout tauri-plugin-store
//! reads and writes). The plugin itself saves with a plain `fs::write`, which a crash or a
//! power cut can leave empty or full of NULs; CallDeck saves it whole or not at all, owner-only,
//! and moves aside a file that does not parse instead of failing or overwriting it.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::storage::write_atomic;

/// What was found at a preferences file's path.
#[derive(Debug, Default)]
pub struct Loaded {
    pub entries: Map<String, Value>,
    /// The file did not parse: it now lies here, and `entries` is empty (the defaults).
    pub set_aside: Option<PathBuf>,
}

/// Reads the entries; no file is no entries. A file that is not a JSON object (truncated,
/// empty, NUL-filled, anything) is renamed to `<name>.corrupt-<now_ms>` beside it, kept for
/// whoever wants to look, and the defaults are used.
pub async fn load(path: &Path, now_ms: i64) -> Result<Loaded> {
    let bytes = match tokio::fs::read(path).await {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Loaded::default()),
        Err(error) => return Err(error.into()),
    };
    if let Ok(entries) = serde_json::from_slice::<Map<String, Value>>(&bytes) {
        return Ok(Loaded {
            entries,
            set_aside: None,
        });
    }
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Error::Internal("a preferences file has no name".into()))?;
    let aside = path.with_file_name(format!("{name}.corrupt-{now_ms}"));
    tokio::fs::rename(path, &aside).await?;
    tracing::warn!(
        file = name,
        "preferences file unreadable; kept aside, defaults used"
    );
    Ok(Loaded {
        entries: Map::new(),
        set_aside: Some(aside),
    })
}

/// Saves the entries whole or not at all (temporary file, fsync, rename, folder fsync),
/// readable by the owner only. The folder must exist: a user's folder is made at sign-in
/// and removed with their data, and a save must not bring it back.
pub async fn save(path: &Path, entries: &Map<String, Value>) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(entries).map_err(|e| Error::Internal(e.to_string()))?;
    write_atomic(path, &bytes).await
}
