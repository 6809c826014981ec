//! The player thread: it owns the audio output and the rodio `Player`, applies commands
//! from the handle, and publishes the state about ten times a second while playing.

use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{oneshot, watch};

use super::command::{may_steer, Admits, Command, Control, Request};
use super::download::Stream;
use super::feed;
use super::output::{OutputChoice, RealtimeDrain};
use super::state::{PlaybackStatus, PlayerState, Snapshot};
use crate::error::{ApiError, Error, Result};

/// How often state is published while playing.
const TICK: Duration = Duration::from_millis(100);

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
    recording_id: String,
    path: PathBuf,
    stream: Option<Stream>,
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

/// What was loaded before a stop: recording, file, stream, duration hint.
type StoppedLoad = (String, PathBuf, Option<Stream>, Duration);

pub(super) struct PlayerThread {
    choice: Option<OutputChoice>,
    output: Option<ActiveOutput>,
    state_tx: watch::Sender<Snapshot>,
    /// The user whose playback the player holds (loaded, stopped or failed), until it is
    /// forgotten. Every published state names them, and only they can steer it.
    owner: Option<String>,
    admits: Admits,
    loaded: Option<Loaded>,
    /// The last thing loaded, after a stop: resume plays it again from the start.
    stopped: Option<StoppedLoad>,
    volume: f32,
    speed: f32,
    error: Option<ApiError>,
}

impl PlayerThread {
    pub(super) fn new(choice: OutputChoice, state_tx: watch::Sender<Snapshot>) -> Self {
        Self {
            choice: Some(choice),
            output: None,
            state_tx,
            owner: None,
            admits: Admits::Anyone,
            loaded: None,
            stopped: None,
            volume: 1.0,
            speed: 1.0,
            error: None,
        }
    }

    pub(super) fn run(mut self, rx: &mpsc::Receiver<Request>) {
        let mut next_tick = Instant::now() + TICK;
        loop {
            let wait = next_tick.saturating_duration_since(Instant::now());
            match rx.recv_timeout(wait) {
                Ok((command, mut done)) => {
                    let result = self.handle(command, &mut done);
                    self.check_end();
                    self.publish();
                    if let Some(done) = done {
                        let _ = done.send(result);
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

    /// Applies a command. `done` is where the answer goes once the state is published (a
    /// load brings its own).
    fn handle(
        &mut self,
        command: Command,
        done: &mut Option<oneshot::Sender<Result<()>>>,
    ) -> Result<()> {
        match command {
            Command::Load {
                owner,
                recording_id,
                path,
                stream,
                duration_hint,
                reply,
            } => {
                *done = Some(reply);
                if !self.admits.admits(&owner) {
                    return Err(Error::NotFound);
                }
                return self.load(owner, recording_id, path, stream, duration_hint);
            }
            Command::Control { user, control } => {
                // Another user's playback answers exactly like none at all.
                if !may_steer(self.owner.as_deref(), &user, &control) {
                    return Err(Error::NotFound);
                }
                self.control(control);
            }
            Command::Forget => self.forget(),
            Command::SwitchTo(next) => {
                self.forget();
                self.admits = Admits::Only(next);
            }
        }
        Ok(())
    }

    fn control(&mut self, control: Control) {
        match control {
            Control::Pause => {
                if let Some(l) = &mut self.loaded {
                    l.player.pause();
                    l.paused = true;
                }
            }
            Control::Resume => self.resume(),
            Control::Stop => self.stop(),
            Control::Seek(to) => self.seek(to),
            Control::Skip(delta) => {
                if let Some(l) = &self.loaded {
                    let now = i64::try_from(l.feed.position().as_millis()).unwrap_or(i64::MAX);
                    let to = u64::try_from(now.saturating_add(delta).max(0)).unwrap_or(0);
                    self.seek(Duration::from_millis(to));
                }
            }
            Control::Volume(v) => {
                self.volume = v;
                if let Some(l) = &self.loaded {
                    l.player.set_volume(v);
                }
            }
            Control::Speed(s) => {
                self.speed = s;
                if let Some(l) = &self.loaded {
                    l.player.set_speed(s);
                }
            }
        }
    }

    /// Nothing of the last user's playback stays: not the recording, its place, its levels
    /// or its error. The output stays open (it is the desktop's, not the user's).
    fn forget(&mut self) {
        self.loaded = None;
        self.stopped = None;
        self.owner = None;
        self.error = None;
        self.volume = 1.0;
        self.speed = 1.0;
    }

    fn load(
        &mut self,
        owner: String,
        recording_id: String,
        path: PathBuf,
        stream: Option<Stream>,
        duration_hint: Duration,
    ) -> Result<()> {
        if self.owner.as_ref().is_some_and(|last| *last != owner) {
            // Another user's play replaces the last one's playback, levels included.
            self.forget();
        }
        self.loaded = None;
        self.stopped = None;
        self.owner = Some(owner);
        self.publish_buffering(&recording_id, duration_hint);
        let (feed, source) = match feed::start(&path, stream.clone(), Duration::ZERO) {
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
            recording_id,
            path,
            stream,
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
        if let (Some((id, path, stream, hint)), Some(owner)) =
            (self.stopped.take(), self.owner.clone())
        {
            let _ = self.load(owner, id, path, stream, hint);
        }
    }

    fn stop(&mut self) {
        if let Some(l) = self.loaded.take() {
            self.stopped = Some((
                l.recording_id.clone(),
                l.path.clone(),
                l.stream.clone(),
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

    fn publish_buffering(&self, recording_id: &str, duration: Duration) {
        let mut state = self.base_state();
        state.recording_id = Some(recording_id.to_owned());
        state.status = PlaybackStatus::Buffering;
        state.duration_ms = millis(duration);
        self.state_tx.send_replace(Snapshot {
            owner: self.owner.clone(),
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
        if let Some(l) = &self.loaded {
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
        } else if let Some((id, _, _, hint)) = &self.stopped {
            state.recording_id = Some(id.clone());
            state.duration_ms = millis(*hint);
        }
        self.state_tx.send_replace(Snapshot {
            owner: self.owner.clone(),
            state,
        });
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
