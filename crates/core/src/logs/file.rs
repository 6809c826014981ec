//! The log file: `calldeck.log` in the log folder, rotated by size (`calldeck.log.1` is
//! the newest old one), every line masked by `redact` before it is written.
//!
//! The logger starts before the app knows its log folder (the platform's is only known
//! once Tauri runs), so the sink keeps what is written before `open` in memory (bounded)
//! and writes it out first. Writes are synchronous: a crash right after an error still
//! leaves the error in the file.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use file_rotate::compression::Compression;
use file_rotate::suffix::AppendCount;
use file_rotate::{ContentLimit, FileRotate};

use super::redact::redact;

/// The current log file's name in the log folder.
pub const FILE_NAME: &str = "calldeck.log";

/// How large a file grows and how many old ones are kept.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A file is rotated once a write has taken it past this many bytes (a line is never
    /// split between two files).
    pub max_bytes: usize,
    /// Old files kept beside the current one; the oldest is deleted past this.
    pub keep: usize,
}

impl Default for Limits {
    /// 5 MB a file and four old ones: at most about 25 MB, days of a busy user's work.
    fn default() -> Self {
        Self {
            max_bytes: 5 * 1024 * 1024,
            keep: 4,
        }
    }
}

/// What is written before the folder is known and kept until it is: enough for start-up.
const PENDING_MAX: usize = 256 * 1024;

/// A handle on the log file; clones write to the same file.
#[derive(Clone, Default)]
pub struct LogFile {
    inner: Arc<Mutex<Sink>>,
}

#[derive(Default)]
struct Sink {
    file: Option<FileRotate<AppendCount>>,
    dir: Option<PathBuf>,
    pending: Vec<u8>,
}

impl LogFile {
    pub fn new() -> Self {
        Self::default()
    }

    /// Opens (or goes on with) `dir/calldeck.log`, creating the folder readable by its
    /// owner only, and writes out what was kept until now.
    pub fn open(&self, dir: &Path, limits: Limits) -> io::Result<PathBuf> {
        fs::create_dir_all(dir)?;
        restrict_to_owner(dir)?;
        let mut options = OpenOptions::new();
        options.read(true).create(true).append(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let path = dir.join(FILE_NAME);
        let mut file = FileRotate::new(
            &path,
            AppendCount::new(limits.keep.max(1)),
            ContentLimit::BytesSurpassed(limits.max_bytes.max(1)),
            Compression::None,
            Some(options),
        );
        let mut sink = self.lock();
        let pending = std::mem::take(&mut sink.pending);
        if !pending.is_empty() {
            file.write_all(&pending)?;
        }
        sink.file = Some(file);
        sink.dir = Some(dir.to_path_buf());
        Ok(path)
    }

    /// The folder of the open log file, if it is open.
    pub fn dir(&self) -> Option<PathBuf> {
        self.lock().dir.clone()
    }

    fn lock(&self) -> MutexGuard<'_, Sink> {
        // A panic while a line was written leaves nothing half-done worth refusing for.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Write for LogFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        let masked = redact(&text);
        let mut sink = self.lock();
        match sink.file.as_mut() {
            Some(file) => file.write_all(masked.as_bytes())?,
            None => {
                if sink.pending.len() + masked.len() <= PENDING_MAX {
                    sink.pending.extend_from_slice(masked.as_bytes());
                }
            }
        }
        // The whole buffer was taken, masked or not.
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.lock().file.as_mut() {
            Some(file) => file.flush(),
            None => Ok(()),
        }
    }
}

#[cfg(unix)]
fn restrict_to_owner(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
fn restrict_to_owner(_dir: &Path) -> io::Result<()> {
    Ok(())
}
