//! The offline engine: Debian's pocketsphinx (`pocketsphinx_continuous` with the en-us
//! model), run as a separate process on a temporary WAV. Nothing leaves the computer.
//!
//! The process is driven through `std::process` and polled rather than through
//! `tokio::process`, which would need tokio's `process` feature in this crate's normal
//! dependencies; its output goes to a file, so a long transcript cannot fill a pipe.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use super::audio::{wav_bytes_16k, ENGINE_RATE};
use super::segments::{group_words, seconds_to_ms};
use super::{Segment, TranscriptionError, Word};
use crate::error::{Error, Result};

pub const BINARY_NAME: &str = "pocketsphinx_continuous";
/// Points CallDeck at a particular pocketsphinx binary instead of the one on `PATH`.
pub const BINARY_ENV: &str = "CALLDECK_POCKETSPHINX";

/// How often the running engine is checked for exit, cancel and timeout.
const POLL: Duration = Duration::from_millis(20);
/// Loading the model takes about half a second; slow disks and machines get plenty more.
const TIMEOUT_BASE: Duration = Duration::from_secs(60);
/// pocketsphinx runs at a fraction of real time; three times the audio covers slow machines.
const TIMEOUT_PER_AUDIO: u32 = 3;

#[cfg(windows)]
const NULL_DEVICE: &str = "NUL";
#[cfg(not(windows))]
const NULL_DEVICE: &str = "/dev/null";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalEngine {
    binary: PathBuf,
}

impl LocalEngine {
    /// The engine from `CALLDECK_POCKETSPHINX`, or else `pocketsphinx_continuous` on `PATH`.
    pub fn find() -> Option<Self> {
        if let Some(path) = std::env::var_os(BINARY_ENV).filter(|p| !p.is_empty()) {
            let path = PathBuf::from(path);
            if is_executable(&path) {
                return Some(Self::with_binary(path));
            }
            tracing::warn!("{BINARY_ENV} does not name an executable file");
            return None;
        }
        let name = format!("{BINARY_NAME}{}", std::env::consts::EXE_SUFFIX);
        std::env::split_paths(&std::env::var_os("PATH")?)
            .map(|dir| dir.join(&name))
            .find(|p| is_executable(p))
            .map(Self::with_binary)
    }

    pub fn with_binary(binary: impl Into<PathBuf>) -> Self {
        Self {
            binary: binary.into(),
        }
    }

    pub fn binary(&self) -> &Path {
        &self.binary
    }

    /// Transcribes one channel (16 kHz mono) into segments for `channel` of `channels`.
    pub async fn transcribe(
        &self,
        samples_16k: &[i16],
        channel: u8,
        channels: u8,
        cancel: &CancellationToken,
    ) -> Result<Vec<Segment>> {
        let words = self.recognise(samples_16k, cancel).await?;
        Ok(group_words(words, channel, channels))
    }

    /// The recognised words with times from the start of the audio. Cancelling kills the
    /// engine; so does dropping the future.
    pub async fn recognise(
        &self,
        samples_16k: &[i16],
        cancel: &CancellationToken,
    ) -> Result<Vec<Word>> {
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        if samples_16k.is_empty() {
            return Ok(Vec::new());
        }
        let dir = WorkDir::create()?;
        let wav = dir.0.join("audio.wav"); // pocketsphinx reads the header only for ".wav"
        let out = dir.0.join("words.txt");
        tokio::fs::write(&wav, wav_bytes_16k(samples_16k)).await?;
        let child = Command::new(&self.binary)
            .arg("-infile")
            .arg(&wav)
            .args(["-time", "yes", "-logfn", NULL_DEVICE])
            .stdin(Stdio::null())
            .stdout(File::create(&out)?)
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| failed(format!("could not start pocketsphinx: {e}")))?;
        let mut run = Running(child);
        let audio = Duration::from_secs_f64(samples_16k.len() as f64 / f64::from(ENGINE_RATE));
        let deadline = Instant::now() + TIMEOUT_BASE + audio * TIMEOUT_PER_AUDIO;
        let status = loop {
            if let Some(status) = run.0.try_wait()? {
                break status;
            }
            if Instant::now() >= deadline {
                tracing::warn!(audio_secs = audio.as_secs(), "pocketsphinx timed out");
                return Err(failed("pocketsphinx ran out of time".into()));
            }
            tokio::select! {
                () = cancel.cancelled() => return Err(Error::Cancelled),
                () = tokio::time::sleep(POLL) => {}
            }
        };
        if !status.success() {
            tracing::warn!(%status, "pocketsphinx failed");
            return Err(failed(format!("pocketsphinx exited with {status}")));
        }
        let stdout = tokio::fs::read(&out).await?;
        Ok(parse_output(&String::from_utf8_lossy(&stdout)))
    }
}

fn failed(detail: String) -> Error {
    TranscriptionError::EngineFailed(detail).into()
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = path.metadata() else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// The engine process, killed and reaped when this goes out of scope on any path
/// (cancel, timeout, error, or the future being dropped).
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// A private temporary directory for one run; the audio in it is a customer's call, so it
/// is readable by this user only and removed afterwards.
struct WorkDir(PathBuf);

impl WorkDir {
    fn create() -> Result<Self> {
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        loop {
            let name = format!(
                "calldeck-asr-{}-{:016x}",
                std::process::id(),
                rand::random::<u64>()
            );
            let path = std::env::temp_dir().join(name);
            match builder.create(&path) {
                Ok(()) => return Ok(Self(path)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_dir_all(&self.0) {
            tracing::warn!(error = %e, "could not remove a transcription work directory");
        }
    }
}

/// Words from `pocketsphinx_continuous -time yes`: `word start end confidence` lines, with
/// times in seconds from the start of the file. The plain hypothesis lines, sentence
/// markers, silences and noises are left out, and alternate pronunciations (`the(2)`)
/// become the word.
pub fn parse_output(stdout: &str) -> Vec<Word> {
    let mut words: Vec<Word> = stdout
        .lines()
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            let (word, start, end, conf) =
                (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some() {
                return None;
            }
            let (start, end) = (start.parse::<f64>().ok()?, end.parse::<f64>().ok()?);
            conf.parse::<f64>().ok()?;
            let text = strip_alternate(word);
            if is_filler(text) || end < start {
                return None;
            }
            Some(Word {
                start_ms: seconds_to_ms(start),
                end_ms: seconds_to_ms(end),
                text: text.to_owned(),
            })
        })
        .collect();
    words.sort_by_key(|w| w.start_ms);
    words
}

fn is_filler(word: &str) -> bool {
    word.is_empty()
        || (word.starts_with('<') && word.ends_with('>'))
        || (word.starts_with('[') && word.ends_with(']'))
        || (word.starts_with('+') && word.ends_with('+'))
}

fn strip_alternate(word: &str) -> &str {
    match word.strip_suffix(')').and_then(|w| w.rsplit_once('(')) {
        Some((base, n)) if !base.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => base,
        _ => word,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_words_and_leaves_out_the_rest() {
        let out = "go forward ten meters\n<s> 0.000 0.240 1.000000\n<sil> 0.250 0.450 0.7\n\
                   go 0.460 0.630 0.997303\n[NOISE] 0.631 0.635 0.5\nthe(2) 0.640 1.160 0.99\n\
                   ++BREATH++ 1.2 1.3 0.1\n</s> 2.120 2.600 1.000000\n";
        let words = parse_output(out);
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["go", "the"]);
        assert_eq!((words[0].start_ms, words[0].end_ms), (460, 630));
    }

    #[test]
    fn parentheses_that_are_not_alternates_stay() {
        assert_eq!(strip_alternate("read(2)"), "read");
        assert_eq!(strip_alternate("(12)"), "(12)");
        assert_eq!(strip_alternate("a(b)"), "a(b)");
    }
}
