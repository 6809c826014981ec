//! Audio that is still arriving: a file being written by a download, read by the player at
//! the same time. The writer reports progress on a shared [`Download`]; the reader
//! ([`GrowingFile`]) waits for bytes that have not arrived yet (the player shows that as
//! buffering) and sees end-of-file only once the download is complete.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use tokio::io::AsyncWriteExt;

use crate::error::{Error, Result};
use crate::storage::{Access, PartialFile};

/// How far a download has got. Shared by the writer and any number of readers.
#[derive(Debug, Default)]
pub struct Download {
    state: Mutex<Progress>,
    arrived: Condvar,
}

#[derive(Debug, Default, Clone)]
struct Progress {
    /// Bytes written to the file so far.
    available: u64,
    /// The full size, once known (Content-Length).
    total: Option<u64>,
    complete: bool,
    failed: bool,
}

impl Download {
    pub fn new(total: Option<u64>) -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::new(Progress {
                total,
                ..Progress::default()
            }),
            arrived: Condvar::new(),
        })
    }

    /// A download that has already finished: a file that is all there.
    pub fn finished(len: u64) -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::new(Progress {
                available: len,
                total: Some(len),
                complete: true,
                failed: false,
            }),
            arrived: Condvar::new(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Progress> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn set_total(&self, total: u64) {
        self.lock().total = Some(total);
        self.arrived.notify_all();
    }

    /// `bytes` more have been written (and flushed) to the file.
    pub fn advance(&self, bytes: u64) {
        self.lock().available += bytes;
        self.arrived.notify_all();
    }

    pub fn complete(&self) {
        let mut state = self.lock();
        state.complete = true;
        state.total = Some(state.available);
        drop(state);
        self.arrived.notify_all();
    }

    pub fn fail(&self) {
        self.lock().failed = true;
        self.arrived.notify_all();
    }

    pub fn available(&self) -> u64 {
        self.lock().available
    }

    pub fn total(&self) -> Option<u64> {
        self.lock().total
    }

    pub fn is_complete(&self) -> bool {
        self.lock().complete
    }

    /// Waits until byte `pos` has arrived, or the download ended (complete or failed), or
    /// `cancel` is set. Returns how many bytes are available from `pos` on, or an error.
    fn wait_for(&self, pos: u64, cancel: &AtomicBool, waiting: &AtomicBool) -> io::Result<u64> {
        let mut state = self.lock();
        loop {
            if state.available > pos || state.complete {
                waiting.store(false, Ordering::Relaxed);
                return Ok(state.available.saturating_sub(pos));
            }
            if state.failed {
                return Err(io::Error::other("download failed"));
            }
            if cancel.load(Ordering::Relaxed) {
                return Err(io::Error::new(io::ErrorKind::Interrupted, "cancelled"));
            }
            waiting.store(true, Ordering::Relaxed);
            state = self
                .arrived
                .wait_timeout(state, Duration::from_millis(50))
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
    }

    /// Waits for the full size to be known (needed to seek from the end).
    fn wait_for_total(&self, cancel: &AtomicBool) -> io::Result<u64> {
        let mut state = self.lock();
        loop {
            if let Some(total) = state.total {
                return Ok(total);
            }
            if state.failed {
                return Err(io::Error::other("download failed"));
            }
            if cancel.load(Ordering::Relaxed) {
                return Err(io::Error::new(io::ErrorKind::Interrupted, "cancelled"));
            }
            state = self
                .arrived
                .wait_timeout(state, Duration::from_millis(50))
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
    }
}

/// A download as its readers see it: the file, opened before the writer could rename it
/// (so a reader never looks for a name that is gone, however early the download ends),
/// and how far the download has got. Cheap to clone: a replay reads the same open file.
#[derive(Clone)]
pub struct Stream {
    file: Arc<File>,
    download: Arc<Download>,
}

impl Stream {
    pub fn download(&self) -> &Arc<Download> {
        &self.download
    }
}

/// Reads a file that may still be growing: a read past what has arrived waits for it.
pub struct GrowingFile {
    file: Arc<File>,
    pos: u64,
    download: Arc<Download>,
    cancel: Arc<AtomicBool>,
    waiting: Arc<AtomicBool>,
}

impl GrowingFile {
    pub fn open(stream: &Stream, cancel: Arc<AtomicBool>, waiting: Arc<AtomicBool>) -> Self {
        Self {
            file: stream.file.clone(),
            pos: 0,
            download: stream.download.clone(),
            cancel,
            waiting,
        }
    }
}

/// Reads at an offset without moving the file's shared cursor: a replay and the reader it
/// replaces may briefly read the same open file at once.
#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

impl Read for GrowingFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let ready = self
            .download
            .wait_for(self.pos, &self.cancel, &self.waiting)?;
        if ready == 0 {
            return Ok(0); // complete, and we are at the end
        }
        let want = usize::try_from(ready).unwrap_or(usize::MAX).min(buf.len());
        let n = read_at(&self.file, &mut buf[..want], self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for GrowingFile {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
            SeekFrom::End(d) => self
                .download
                .wait_for_total(&self.cancel)?
                .checked_add_signed(d),
        };
        let target =
            target.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "bad seek"))?;
        // Seeking past what has arrived is allowed; the next read waits for it.
        self.pos = target;
        Ok(target)
    }
}

/// Writes a download into the user's media folder so that a player can read it while it
/// arrives. Bytes go to a temporary file of this download alone beside the final path
/// (created new, live while written, so start-up clean-ups pass it by);
/// [`CacheWriter::finish`] fsyncs and renames it, so a complete file only ever appears
/// whole. Readers get a [`Stream`], which keeps reading the same file across the rename.
pub struct CacheWriter {
    part: Option<PartialFile>,
    stream: Stream,
}

impl CacheWriter {
    pub async fn create(dest: PathBuf, total: Option<u64>) -> Result<Self> {
        let part = PartialFile::create(&dest, Access::OwnerOnly).await?;
        let file = File::open(part.path())?;
        Ok(Self {
            part: Some(part),
            stream: Stream {
                file: Arc::new(file),
                download: Download::new(total),
            },
        })
    }

    /// What a player reads while the file is written (and after).
    pub fn stream(&self) -> Stream {
        self.stream.clone()
    }

    pub async fn write_chunk(&mut self, bytes: &[u8]) -> Result<()> {
        if let Err(e) = self.write_through(bytes).await {
            self.stream.download.fail();
            return Err(e);
        }
        self.stream.download.advance(bytes.len() as u64);
        Ok(())
    }

    async fn write_through(&mut self, bytes: &[u8]) -> Result<()> {
        let part = self
            .part
            .as_mut()
            .ok_or_else(|| Error::Internal("download already ended".into()))?;
        let file = part.file()?;
        file.write_all(bytes).await?;
        file.flush().await?;
        Ok(())
    }

    /// Makes the file durable and visible under its final name; returns its size.
    pub async fn finish(mut self) -> Result<u64> {
        let done = match self.part.take() {
            Some(part) => part.commit().await,
            None => Err(Error::Internal("download already ended".into())),
        };
        match done {
            Ok(()) => {
                self.stream.download.complete();
                Ok(self.stream.download.available())
            }
            // The temporary file went with the failed commit.
            Err(e) => {
                self.stream.download.fail();
                Err(e)
            }
        }
    }

    /// Gives up: readers see an error and the partial file is removed.
    pub async fn abandon(mut self) {
        self.stream.download.fail();
        drop(self.part.take());
    }
}

impl Drop for CacheWriter {
    /// Dropped while still writing (its task ended early): readers must not wait for bytes
    /// that will never come. The temporary file removes itself.
    fn drop(&mut self) {
        if self.part.is_some() {
            self.stream.download.fail();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_read_past_what_arrived_waits_and_a_complete_file_reads_to_its_end() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.bin");
        let mut f = File::create(&path).expect("create");
        f.write_all(b"hello").expect("write");
        let download = Download::new(None);
        download.advance(5);
        let stream = Stream {
            file: Arc::new(File::open(&path).expect("open")),
            download: download.clone(),
        };
        let mut reader = GrowingFile::open(&stream, Arc::default(), Arc::default());
        let writer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            f.write_all(b" world").expect("write more");
            download.advance(6);
            download.complete();
        });
        let mut all = Vec::new();
        reader.read_to_end(&mut all).expect("read");
        writer.join().expect("writer");
        assert_eq!(
            all, b"hello world",
            "the reader must wait for the rest, then see the end"
        );
    }
}
