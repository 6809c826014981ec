//! Decoding off the audio thread. A decoder thread fills a short queue of samples; the
//! [`FeedSource`] handed to rodio only takes from that queue, so the audio callback never
//! touches the disk or waits for a download. When the queue is empty before the end (a
//! download that has not caught up, a seek still in progress) it plays silence and the
//! feed reports buffering; the position does not move while it does.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::num::NonZero;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use rodio::{Decoder, Source};

use super::download::{GrowingFile, Stream};
use crate::error::{Error, Result};

/// About a second of audio decoded ahead.
const AHEAD_SECS: u64 = 1;

/// Local file or growing download, behind one reader type for the decoder.
pub(crate) enum MediaReader {
    Local(File),
    Growing(GrowingFile),
}

impl Read for MediaReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            MediaReader::Local(f) => f.read(buf),
            MediaReader::Growing(g) => g.read(buf),
        }
    }
}

impl Seek for MediaReader {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        match self {
            MediaReader::Local(f) => f.seek(to),
            MediaReader::Growing(g) => g.seek(to),
        }
    }
}

struct Queue {
    samples: VecDeque<f32>,
    /// A seek asked for and not yet done by the decoder thread.
    pending_seek: Option<Duration>,
    /// The decoder has nothing more to give.
    ended: bool,
    failed: Option<String>,
}

/// State shared by the decoder thread, the rodio source and the player thread.
pub(crate) struct Feed {
    queue: Mutex<Queue>,
    wake: Condvar,
    /// Set when the source is dropped or the recording replaced: the decoder thread stops.
    pub(crate) cancel: Arc<AtomicBool>,
    /// True while the reader waits for bytes of a download that have not arrived.
    pub(crate) waiting_for_bytes: Arc<AtomicBool>,
    /// Samples (all channels) of the recording behind the last one played.
    played_samples: AtomicU64,
    /// True while the source plays silence for want of decoded audio.
    starved: AtomicBool,
    /// The source has played every sample it took from the queue: set under the queue lock
    /// when it takes some, so "finished" never cuts off its last few milliseconds.
    source_drained: AtomicBool,
    /// Bumped by every seek, so the source drops samples it took before the seek.
    generation: AtomicU64,
    pub(crate) channels: u16,
    pub(crate) sample_rate: u32,
    pub(crate) duration: Option<Duration>,
}

impl Feed {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Where playback is in the recording.
    pub(crate) fn position(&self) -> Duration {
        let samples = self.played_samples.load(Ordering::Relaxed);
        let per_sec = u64::from(self.sample_rate) * u64::from(self.channels);
        Duration::from_micros(samples.saturating_mul(1_000_000) / per_sec.max(1))
    }

    /// Moves playback to `pos` without waiting for the audio thread: queued samples are
    /// dropped and the decoder thread seeks; until it refills, the source plays silence.
    pub(crate) fn seek(&self, pos: Duration) {
        let pos = match self.duration {
            Some(d) => pos.min(d),
            None => pos,
        };
        let mut q = self.lock();
        self.generation.fetch_add(1, Ordering::Relaxed);
        q.samples.clear();
        q.pending_seek = Some(pos);
        q.ended = false;
        let frames = (pos.as_micros() * u128::from(self.sample_rate) / 1_000_000) as u64;
        self.played_samples
            .store(frames * u64::from(self.channels), Ordering::Relaxed);
        drop(q);
        self.wake.notify_all();
    }

    /// Everything decoded has been played and the decoder is done.
    pub(crate) fn finished(&self) -> bool {
        let q = self.lock();
        q.ended
            && q.samples.is_empty()
            && q.pending_seek.is_none()
            && self.source_drained.load(Ordering::Relaxed)
    }

    pub(crate) fn failure(&self) -> Option<String> {
        self.lock().failed.clone()
    }

    pub(crate) fn buffering(&self) -> bool {
        self.starved.load(Ordering::Relaxed) || self.waiting_for_bytes.load(Ordering::Relaxed)
    }

    pub(crate) fn stop(&self) {
        self.cancel.store(true, Ordering::Relaxed);
        self.wake.notify_all();
    }
}

/// Opens `path` (or reads `stream`, a download, when there is one; `path` is then the
/// name it will have, for the format hint), probes it and starts the decoder
/// thread. Returns the shared feed and the source to hand to rodio.
pub(crate) fn start(
    path: &Path,
    stream: Option<Stream>,
    start_at: Duration,
) -> Result<(Arc<Feed>, FeedSource)> {
    let cancel = Arc::new(AtomicBool::new(false));
    let waiting = Arc::new(AtomicBool::new(false));
    let (reader, byte_len) = match stream {
        None => {
            let file = File::open(path)?;
            let len = file.metadata()?.len();
            (MediaReader::Local(file), Some(len))
        }
        Some(stream) => {
            let total = stream.download().total();
            let file = GrowingFile::open(&stream, cancel.clone(), waiting.clone());
            (MediaReader::Growing(file), total)
        }
    };
    let decoder = open_decoder(reader, byte_len, path)?;
    let channels = decoder.channels().get();
    let sample_rate = decoder.sample_rate().get();
    let feed = Arc::new(Feed {
        queue: Mutex::new(Queue {
            samples: VecDeque::new(),
            pending_seek: None,
            ended: false,
            failed: None,
        }),
        wake: Condvar::new(),
        cancel,
        waiting_for_bytes: waiting,
        played_samples: AtomicU64::new(0),
        starved: AtomicBool::new(false),
        source_drained: AtomicBool::new(true),
        generation: AtomicU64::new(0),
        channels,
        sample_rate,
        duration: decoder.total_duration(),
    });
    if !start_at.is_zero() {
        feed.seek(start_at);
    }
    let for_thread = feed.clone();
    std::thread::Builder::new()
        .name("calldeck-decode".into())
        .spawn(move || decode_loop(decoder, &for_thread))
        .map_err(|e| Error::Internal(format!("decoder thread: {e}")))?;
    let source = FeedSource {
        feed: feed.clone(),
        local: VecDeque::new(),
        generation: 0,
        in_frame: 0,
        span: usize::from(channels) * (sample_rate as usize / 100).max(1),
        cushion: usize::from(channels) * (sample_rate as usize / 10).max(1),
        fresh: true,
        channels: NonZero::new(channels).unwrap_or(NonZero::<u16>::MIN),
        sample_rate: NonZero::new(sample_rate).unwrap_or(NonZero::<u32>::MIN),
    };
    Ok((feed, source))
}

type MediaDecoder = Decoder<BufReader<MediaReader>>;

/// The one way the player builds a decoder (also used for waveforms and by tests, so
/// that what they compare against decodes exactly as playback does).
fn open_decoder(reader: MediaReader, byte_len: Option<u64>, path: &Path) -> Result<MediaDecoder> {
    let hint = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let mut builder = Decoder::builder()
        .with_data(BufReader::with_capacity(16 * 1024, reader))
        .with_gapless(false);
    if let Some(len) = byte_len {
        builder = builder.with_byte_len(len);
    } else {
        builder = builder.with_seekable(true);
    }
    if let Some(hint) = hint.as_deref() {
        builder = builder.with_hint(hint);
    }
    builder
        .build()
        .map_err(|e| Error::AudioUnreadable(e.to_string()))
}

/// Decoded audio of a whole local file: (channels, sample rate, interleaved samples).
pub fn decode_all(path: &Path) -> Result<(u16, u32, Vec<f32>)> {
    let file = File::open(path)?;
    let len = file.metadata()?.len();
    let decoder = open_decoder(MediaReader::Local(file), Some(len), path)?;
    let channels = decoder.channels().get();
    let rate = decoder.sample_rate().get();
    Ok((channels, rate, decoder.collect()))
}

fn decode_loop(mut decoder: MediaDecoder, feed: &Feed) {
    let ahead = (u64::from(feed.sample_rate) * u64::from(feed.channels) * AHEAD_SECS) as usize;
    let chunk_len = usize::from(feed.channels) * (feed.sample_rate as usize / 50).max(1);
    let mut chunk = Vec::with_capacity(chunk_len);
    loop {
        if feed.cancel.load(Ordering::Relaxed) {
            return;
        }
        let mut q = feed.lock();
        if let Some(pos) = q.pending_seek.take() {
            drop(q);
            if let Err(e) = decoder.try_seek(pos) {
                tracing::warn!(error = %e, "seek failed");
                if !e.source_intact() {
                    feed.lock().failed = Some(e.to_string());
                    return;
                }
            }
            continue;
        }
        if q.ended || q.samples.len() >= ahead {
            let _ = feed.wake.wait_timeout(q, Duration::from_millis(20));
            continue;
        }
        drop(q);
        chunk.clear();
        chunk.extend(decoder.by_ref().take(chunk_len));
        let mut q = feed.lock();
        if q.pending_seek.is_some() {
            continue; // decoded before a seek: stale
        }
        let ended = chunk.len() < chunk_len;
        q.samples.extend(chunk.iter().copied());
        if ended {
            q.ended = true;
        }
    }
}

/// What rodio plays: samples from the feed, silence while it is starved. It never ends on
/// its own (so a finished recording can be sought back into); the player replaces it.
pub(crate) struct FeedSource {
    feed: Arc<Feed>,
    local: VecDeque<f32>,
    /// The feed's seek generation the samples in `local` belong to.
    generation: u64,
    /// Which sample of the current frame comes next (0: a new frame starts).
    in_frame: u16,
    span: usize,
    /// After starving (at the start, after a seek, or when the decoder fell behind), play
    /// resumes only with this much decoded (or the end) in the queue: one short wait rather
    /// than a crackle of gaps.
    cushion: usize,
    /// Nothing played since the start or the last seek.
    fresh: bool,
    channels: NonZero<u16>,
    sample_rate: NonZero<u32>,
}

impl FeedSource {
    fn refill(&mut self) {
        let mut q = self.feed.lock();
        self.generation = self.feed.generation.load(Ordering::Relaxed);
        let starved = self.feed.starved.load(Ordering::Relaxed) || self.fresh;
        if starved && q.samples.len() < self.cushion && !q.ended {
            drop(q);
            self.feed.wake.notify_one();
            return;
        }
        self.fresh = false;
        let take = q.samples.len().min(self.span);
        self.local.extend(q.samples.drain(..take));
        if take > 0 {
            self.feed.source_drained.store(false, Ordering::Relaxed);
        }
        drop(q);
        self.feed.wake.notify_one();
    }
}

impl Iterator for FeedSource {
    type Item = f32;

    fn next(&mut self) -> Option<f32> {
        // Only between frames: dropping samples mid-frame would swap the channels of
        // everything after it.
        let frame_start = self.in_frame == 0;
        self.in_frame = (self.in_frame + 1) % self.channels.get();
        if frame_start && self.generation != self.feed.generation.load(Ordering::Relaxed) {
            self.local.clear();
            self.feed.source_drained.store(true, Ordering::Relaxed);
            self.fresh = true;
        }
        if self.local.is_empty() && frame_start {
            self.refill();
        }
        match self.local.pop_front() {
            Some(sample) => {
                if self.local.is_empty() {
                    self.feed.source_drained.store(true, Ordering::Relaxed);
                }
                self.feed.starved.store(false, Ordering::Relaxed);
                self.feed.played_samples.fetch_add(1, Ordering::Relaxed);
                Some(sample)
            }
            None => {
                self.feed.starved.store(true, Ordering::Relaxed);
                Some(0.0)
            }
        }
    }
}

impl Drop for FeedSource {
    fn drop(&mut self) {
        self.feed.stop();
    }
}

impl Source for FeedSource {
    fn current_span_len(&self) -> Option<usize> {
        // Short spans, so a speed change reaches the resampler within ~10 ms.
        Some(self.span)
    }

    fn channels(&self) -> NonZero<u16> {
        self.channels
    }

    fn sample_rate(&self) -> NonZero<u32> {
        self.sample_rate
    }

    fn total_duration(&self) -> Option<Duration> {
        None
    }

    fn try_seek(&mut self, pos: Duration) -> std::result::Result<(), rodio::source::SeekError> {
        // `next` drops the old samples at the next frame boundary.
        self.feed.seek(pos);
        Ok(())
    }
}
