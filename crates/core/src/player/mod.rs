//! The native player. One thread owns the audio output and the rodio `Player`; the rest of
//! the app holds a cheap [`PlayerHandle`] that sends it commands over a channel and reads
//! its state from a watch channel (published about ten times a second while playing). No
//! lock is held across an await, and nothing waits on the audio callback.
//!
//! Decoding runs on its own thread per recording (see `feed`), reading either a local file
//! or a file still being downloaded ([`download`]): a read past what has arrived waits,
//! which the state shows as buffering.

pub mod download;
mod feed;
pub mod output;
mod waveform;

use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::{oneshot, watch};

pub use download::{CacheWriter, Download};
pub use feed::decode_all;
pub use output::{Capture, RealtimeDrain};
pub use waveform::{waveform, ChannelPeaks, Waveform};

use crate::error::{ApiError, Error, Result};
use crate::ids::RecordingSid;
use crate::session::UserScope;

pub const MIN_SPEED: f32 = 0.5;
pub const MAX_SPEED: f32 = 2.0;
pub const SKIP_MS: i64 = 10_000;
/// How often state is published while playing.
const TICK: Duration = Duration::from_millis(100);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum PlaybackStatus {
    Stopped,
    Playing,
    Paused,
    Buffering,
    Ended,
}

/// What the UI shows about the player.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PlayerState {
    pub recording_id: Option<String>,
    pub status: PlaybackStatus,
    pub position_ms: u32,
    pub duration_ms: u32,
    pub volume: f32,
    pub speed: f32,
    /// Changing speed changes pitch too (rodio resamples).
    pub pitch_follows_speed: bool,
    /// False when no audio device could be opened: playback then runs silently, keeping
    /// time, and `error` says so.
    pub output_device: bool,
    pub error: Option<ApiError>,
}

impl Default for PlayerState {
    fn default() -> Self {
        Self {
            recording_id: None,
            status: PlaybackStatus::Stopped,
            position_ms: 0,
            duration_ms: 0,
            volume: 1.0,
            speed: 1.0,
            pitch_follows_speed: true,
            output_device: true,
            error: None,
        }
    }
}

/// The state together with the user whose recording it is, so that nothing about one
/// user's playback reaches another.
#[derive(Debug, Clone, Default)]
struct Snapshot {
    owner: Option<String>,
    state: PlayerState,
}

/// Where the player sends its audio.
pub enum OutputChoice {
    /// The default device; if there is none, a silent real-time clock and a
    /// `no_audio_device` error in the state.
    DefaultDevice,
    /// A mixer someone else drains (tests, benchmarks).
    Mixer(rodio::mixer::Mixer),
}

enum Command {
    Load {
        owner: String,
        recording_id: String,
        path: PathBuf,
        download: Option<Arc<Download>>,
        duration_hint: Duration,
        reply: oneshot::Sender<Result<()>>,
    },
    Pause,
    Resume,
    Stop,
    StopForUser(String),
    Seek(Duration),
    Skip(i64),
    Volume(f32),
    Speed(f32),
}

type Request = (Command, Option<oneshot::Sender<()>>);

/// A cheap, cloneable handle to the player thread.
#[derive(Clone)]
pub struct PlayerHandle {
    tx: mpsc::Sender<Request>,
    state: watch::Receiver<Snapshot>,
}

impl PlayerHandle {
    /// Starts the player thread. The output is opened lazily, at the first play.
    pub fn spawn(output: OutputChoice) -> Result<Self> {
        let (tx, rx) = mpsc::channel();
        let (state_tx, state_rx) = watch::channel(Snapshot::default());
        std::thread::Builder::new()
            .name("calldeck-player".into())
            .spawn(move || PlayerThread::new(output, state_tx).run(&rx))
            .map_err(|e| Error::Internal(format!("player thread: {e}")))?;
        Ok(Self {
            tx,
            state: state_rx,
        })
    }

    /// Plays one of the user's recordings from its downloaded file. Counts a play start.
    pub async fn play(&self, scope: &UserScope, recording_id: &str) -> Result<()> {
        let sid = RecordingSid::parse(recording_id)?;
        let (local_file, duration_secs): (Option<String>, i64) = sqlx::query_as(
            "SELECT local_file, duration_secs FROM recordings WHERE user_id = ?1 AND sid = ?2",
        )
        .bind(scope.user_id())
        .bind(sid.as_str())
        .fetch_optional(scope.pool())
        .await?
        .ok_or(Error::NotFound)?;
        // Streaming from Twilio plugs in here (see `play_streamed`); until then a recording
        // that is not on disk cannot be played.
        let name = local_file.ok_or(Error::NotAvailableOffline)?;
        let path = scope.paths().media_file(&name)?;
        if !tokio::fs::try_exists(&path).await.unwrap_or(false) {
            return Err(Error::NotAvailableOffline);
        }
        self.load(scope, &sid, path, None, duration_secs).await
    }

    /// Plays one of the user's recordings from a file that is still being downloaded
    /// (see [`CacheWriter`]): playback starts with the first bytes.
    pub async fn play_streamed(
        &self,
        scope: &UserScope,
        recording_id: &str,
        path: PathBuf,
        download: Arc<Download>,
    ) -> Result<()> {
        let sid = RecordingSid::parse(recording_id)?;
        let (duration_secs,): (i64,) =
            sqlx::query_as("SELECT duration_secs FROM recordings WHERE user_id = ?1 AND sid = ?2")
                .bind(scope.user_id())
                .bind(sid.as_str())
                .fetch_optional(scope.pool())
                .await?
                .ok_or(Error::NotFound)?;
        self.load(scope, &sid, path, Some(download), duration_secs)
            .await
    }

    async fn load(
        &self,
        scope: &UserScope,
        sid: &RecordingSid,
        path: PathBuf,
        download: Option<Arc<Download>>,
        duration_secs: i64,
    ) -> Result<()> {
        let (reply, answer) = oneshot::channel();
        self.send(Command::Load {
            owner: scope.user_id().to_owned(),
            recording_id: sid.as_str().to_owned(),
            path,
            download,
            duration_hint: Duration::from_secs(u64::try_from(duration_secs).unwrap_or(0)),
            reply,
        })?;
        answer
            .await
            .map_err(|_| Error::Internal("player thread gone".into()))??;
        let now = crate::now_ms();
        sqlx::query(
            "UPDATE recordings SET play_count = play_count + 1, last_played_at_ms = ?1
             WHERE user_id = ?2 AND sid = ?3",
        )
        .bind(now)
        .bind(scope.user_id())
        .bind(sid.as_str())
        .execute(scope.pool())
        .await?;
        tracing::info!(user_id = scope.user_id(), recording = %sid, operation = "play", outcome = "started");
        Ok(())
    }

    fn send(&self, command: Command) -> Result<()> {
        self.tx
            .send((command, None))
            .map_err(|_| Error::Internal("player thread gone".into()))
    }

    /// Sends a command and waits until the player thread has applied it and published
    /// the resulting state.
    async fn apply(&self, command: Command) -> Result<()> {
        let (done, applied) = oneshot::channel();
        self.tx
            .send((command, Some(done)))
            .map_err(|_| Error::Internal("player thread gone".into()))?;
        applied
            .await
            .map_err(|_| Error::Internal("player thread gone".into()))
    }

    pub async fn pause(&self) -> Result<()> {
        self.apply(Command::Pause).await
    }

    pub async fn resume(&self) -> Result<()> {
        self.apply(Command::Resume).await
    }

    pub async fn stop(&self) -> Result<()> {
        self.apply(Command::Stop).await
    }

    /// Stops playback if it is this user's (at sign-out).
    pub async fn stop_for_user(&self, user_id: &str) -> Result<()> {
        self.apply(Command::StopForUser(user_id.to_owned())).await
    }

    pub async fn seek(&self, position_ms: u32) -> Result<()> {
        self.apply(Command::Seek(Duration::from_millis(u64::from(position_ms))))
            .await
    }

    /// Moves by `delta_ms` (negative: back), within the recording.
    pub async fn skip(&self, delta_ms: i64) -> Result<()> {
        self.apply(Command::Skip(delta_ms)).await
    }

    /// 0 (mute) to 1 (as recorded).
    pub async fn set_volume(&self, volume: f32) -> Result<()> {
        if !volume.is_finite() {
            return Err(Error::invalid("Volume must be a number."));
        }
        self.apply(Command::Volume(volume.clamp(0.0, 1.0))).await
    }

    /// 0.5× to 2×; pitch changes with speed.
    pub async fn set_speed(&self, speed: f32) -> Result<()> {
        if !(MIN_SPEED..=MAX_SPEED).contains(&speed) {
            return Err(Error::invalid("Speed must be between 0.5× and 2×."));
        }
        self.apply(Command::Speed(speed)).await
    }

    /// The state as this user may see it: another user's playback reads as stopped.
    pub fn state_for(&self, scope: &UserScope) -> PlayerState {
        visible_to(&self.state.borrow(), Some(scope.user_id()))
    }

    /// State updates, for the shell's event stream.
    pub fn subscribe(&self) -> PlayerStates {
        PlayerStates {
            rx: self.state.clone(),
        }
    }
}

fn visible_to(snapshot: &Snapshot, user: Option<&str>) -> PlayerState {
    match (&snapshot.owner, user) {
        (None, _) => snapshot.state.clone(),
        (Some(owner), Some(user)) if owner == user => snapshot.state.clone(),
        _ => PlayerState {
            output_device: snapshot.state.output_device,
            ..PlayerState::default()
        },
    }
}

/// A stream of player states.
pub struct PlayerStates {
    rx: watch::Receiver<Snapshot>,
}

impl PlayerStates {
    /// Waits for the next state; `None` once the player thread is gone.
    pub async fn next(&mut self) -> Option<PlayerState> {
        self.rx.changed().await.ok()?;
        Some(self.rx.borrow_and_update().state.clone())
    }

    /// The latest state without waiting.
    pub fn current(&self) -> PlayerState {
        self.rx.borrow().state.clone()
    }
}

enum ActiveOutput {
    Device(rodio::stream::MixerDeviceSink),
    Silent(RealtimeDrain),
    External(rodio::mixer::Mixer),
}

impl ActiveOutput {
    fn mixer(&self) -> &rodio::mixer::Mixer {
        match self {
            ActiveOutput::Device(sink) => sink.mixer(),
            ActiveOutput::Silent(drain) => drain.mixer(),
            ActiveOutput::External(mixer) => mixer,
        }
    }

    fn has_device(&self) -> bool {
        !matches!(self, ActiveOutput::Silent(_))
    }
}

struct Loaded {
    owner: String,
    recording_id: String,
    path: PathBuf,
    download: Option<Arc<Download>>,
    duration_hint: Duration,
    feed: Arc<feed::Feed>,
    player: rodio::Player,
    paused: bool,
    ended: bool,
}

impl Drop for Loaded {
    fn drop(&mut self) {
        self.feed.stop();
    }
}

/// What was loaded before a stop: owner, recording, file, download, duration hint.
type StoppedLoad = (String, String, PathBuf, Option<Arc<Download>>, Duration);

struct PlayerThread {
    choice: Option<OutputChoice>,
    output: Option<ActiveOutput>,
    state_tx: watch::Sender<Snapshot>,
    loaded: Option<Loaded>,
    /// The last thing loaded, after a stop: resume plays it again from the start.
    stopped: Option<StoppedLoad>,
    volume: f32,
    speed: f32,
    error: Option<ApiError>,
}

impl PlayerThread {
    fn new(choice: OutputChoice, state_tx: watch::Sender<Snapshot>) -> Self {
        Self {
            choice: Some(choice),
            output: None,
            state_tx,
            loaded: None,
            stopped: None,
            volume: 1.0,
            speed: 1.0,
            error: None,
        }
    }

    fn run(mut self, rx: &mpsc::Receiver<Request>) {
        let mut next_tick = Instant::now() + TICK;
        loop {
            let wait = next_tick.saturating_duration_since(Instant::now());
            match rx.recv_timeout(wait) {
                Ok((command, done)) => {
                    self.handle(command);
                    self.check_end();
                    self.publish();
                    if let Some(done) = done {
                        let _ = done.send(());
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    next_tick = Instant::now() + TICK;
                    let was_running = self.is_running();
                    self.check_end();
                    if was_running || self.is_running() {
                        self.publish();
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
    }

    fn is_running(&self) -> bool {
        self.loaded.as_ref().is_some_and(|l| !l.paused)
    }

    /// The output, opened at first use. Without a device, a silent clock stands in, and
    /// every later play tries the device again (it may have been plugged in).
    fn ensure_output(&mut self) -> &ActiveOutput {
        if let Some(OutputChoice::Mixer(mixer)) = self.choice.take() {
            self.output = Some(ActiveOutput::External(mixer));
        }
        let need_device = self.output.as_ref().is_none_or(|o| !o.has_device());
        if need_device {
            match open_device() {
                Some(sink) => self.output = Some(ActiveOutput::Device(sink)),
                None if self.output.is_none() => {
                    self.output =
                        Some(ActiveOutput::Silent(RealtimeDrain::start(1, 16_000, false)));
                }
                None => {}
            }
        }
        let output = self
            .output
            .get_or_insert_with(|| ActiveOutput::Silent(RealtimeDrain::start(1, 16_000, false)));
        self.error = (!output.has_device()).then(|| ApiError::from(Error::NoAudioDevice));
        output
    }

    fn handle(&mut self, command: Command) {
        match command {
            Command::Load {
                owner,
                recording_id,
                path,
                download,
                duration_hint,
                reply,
            } => {
                let result = self.load(owner, recording_id, path, download, duration_hint);
                let _ = reply.send(result);
            }
            Command::Pause => {
                if let Some(l) = &mut self.loaded {
                    l.player.pause();
                    l.paused = true;
                }
            }
            Command::Resume => self.resume(),
            Command::Stop => self.stop(),
            Command::StopForUser(user) => {
                let theirs = self
                    .loaded
                    .as_ref()
                    .map(|l| l.owner == user)
                    .unwrap_or(false)
                    || self.stopped.as_ref().is_some_and(|s| s.0 == user);
                if theirs {
                    self.loaded = None;
                    self.stopped = None;
                }
            }
            Command::Seek(to) => self.seek(to),
            Command::Skip(delta) => {
                if let Some(l) = &self.loaded {
                    let now = i64::try_from(l.feed.position().as_millis()).unwrap_or(i64::MAX);
                    let to = u64::try_from(now.saturating_add(delta).max(0)).unwrap_or(0);
                    self.seek(Duration::from_millis(to));
                }
            }
            Command::Volume(v) => {
                self.volume = v;
                if let Some(l) = &self.loaded {
                    l.player.set_volume(v);
                }
            }
            Command::Speed(s) => {
                self.speed = s;
                if let Some(l) = &self.loaded {
                    l.player.set_speed(s);
                }
            }
        }
    }

    fn load(
        &mut self,
        owner: String,
        recording_id: String,
        path: PathBuf,
        download: Option<Arc<Download>>,
        duration_hint: Duration,
    ) -> Result<()> {
        self.loaded = None;
        self.stopped = None;
        self.publish_buffering(&owner, &recording_id, duration_hint);
        let (feed, source) = match feed::start(&path, download.clone(), Duration::ZERO) {
            Ok(started) => started,
            Err(e) => {
                tracing::warn!(recording = %recording_id, error = %e, "could not open audio");
                self.error = Some(ApiError::from(clone_error(&e)));
                return Err(e);
            }
        };
        // Append before connecting: the mixer then sizes its converter from this
        // recording's rate and channels rather than the empty queue's defaults.
        let (player, queue) = rodio::Player::new();
        player.set_volume(self.volume);
        player.set_speed(self.speed);
        player.append(source);
        self.ensure_output().mixer().add(queue);
        self.loaded = Some(Loaded {
            owner,
            recording_id,
            path,
            download,
            duration_hint,
            feed,
            player,
            paused: false,
            ended: false,
        });
        Ok(())
    }

    fn resume(&mut self) {
        if let Some(l) = &mut self.loaded {
            if l.ended {
                l.feed.seek(Duration::ZERO);
                l.ended = false;
            }
            l.player.play();
            l.paused = false;
            return;
        }
        if let Some((owner, id, path, download, hint)) = self.stopped.take() {
            let _ = self.load(owner, id, path, download, hint);
        }
    }

    fn stop(&mut self) {
        if let Some(l) = self.loaded.take() {
            self.stopped = Some((
                l.owner.clone(),
                l.recording_id.clone(),
                l.path.clone(),
                l.download.clone(),
                l.duration_hint,
            ));
        }
    }

    fn seek(&mut self, to: Duration) {
        if let Some(l) = &mut self.loaded {
            l.feed.seek(to);
            l.ended = false;
        }
    }

    fn check_end(&mut self) {
        if let Some(l) = &mut self.loaded {
            if let Some(failure) = l.feed.failure() {
                tracing::warn!(recording = %l.recording_id, error = %failure, "playback failed");
                self.error = Some(ApiError::from(Error::AudioUnreadable(failure)));
                self.loaded = None;
                return;
            }
            if !l.paused && l.feed.finished() {
                l.player.pause();
                l.paused = true;
                l.ended = true;
            }
        }
    }

    fn publish_buffering(&self, owner: &str, recording_id: &str, duration: Duration) {
        let mut state = self.base_state();
        state.recording_id = Some(recording_id.to_owned());
        state.status = PlaybackStatus::Buffering;
        state.duration_ms = millis(duration);
        self.state_tx.send_replace(Snapshot {
            owner: Some(owner.to_owned()),
            state,
        });
    }

    fn base_state(&self) -> PlayerState {
        PlayerState {
            volume: self.volume,
            speed: self.speed,
            output_device: self.output.as_ref().is_none_or(ActiveOutput::has_device),
            error: self.error.clone(),
            ..PlayerState::default()
        }
    }

    fn publish(&self) {
        let mut state = self.base_state();
        let owner = if let Some(l) = &self.loaded {
            let duration = l.feed.duration.unwrap_or(l.duration_hint);
            state.recording_id = Some(l.recording_id.clone());
            state.duration_ms = millis(duration);
            state.position_ms = millis(l.feed.position()).min(state.duration_ms.max(1));
            state.status = if l.ended {
                PlaybackStatus::Ended
            } else if l.paused {
                PlaybackStatus::Paused
            } else if l.feed.buffering() {
                PlaybackStatus::Buffering
            } else {
                PlaybackStatus::Playing
            };
            Some(l.owner.clone())
        } else if let Some((owner, id, _, _, hint)) = &self.stopped {
            state.recording_id = Some(id.clone());
            state.duration_ms = millis(*hint);
            Some(owner.clone())
        } else {
            None
        };
        self.state_tx.send_replace(Snapshot { owner, state });
    }
}

fn open_device() -> Option<rodio::stream::MixerDeviceSink> {
    match rodio::DeviceSinkBuilder::open_default_sink() {
        Ok(mut sink) => {
            sink.log_on_drop(false);
            Some(sink)
        }
        Err(error) => {
            tracing::warn!(%error, "no audio output device; playing silently");
            None
        }
    }
}

fn millis(d: Duration) -> u32 {
    u32::try_from(d.as_millis()).unwrap_or(u32::MAX)
}

/// The errors `feed::start` returns, re-made for the state (Error is not Clone).
fn clone_error(e: &Error) -> Error {
    match e {
        Error::AudioUnreadable(why) => Error::AudioUnreadable(why.clone()),
        Error::NotFound => Error::NotFound,
        Error::Io(io) => Error::Io(std::io::Error::new(io.kind(), io.to_string())),
        other => Error::Internal(other.to_string()),
    }
}
