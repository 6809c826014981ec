//! The public side of the player: a cheap handle that sends commands to the player thread
//! and reads the state it publishes.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use tokio::sync::{oneshot, watch};

use super::command::{Command, Control, Request};
use super::download::Stream;
use super::output::OutputChoice;
use super::state::{visible_to, PlayerState, PlayerStates, Snapshot};
use super::thread::PlayerThread;
use super::{MAX_SPEED, MIN_SPEED};
use crate::audit::{self, Operation};
use crate::error::{Error, Result};
use crate::ids::RecordingSid;
use crate::session::UserScope;

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
        let user_id = scope.user_id();
        let sid_str = sid.as_str();
        let row = sqlx::query!(
            "SELECT local_file, duration_secs FROM recordings WHERE user_id = ?1 AND sid = ?2",
            user_id,
            sid_str,
        )
        .fetch_optional(scope.pool())
        .await?
        .ok_or(Error::NotFound)?;
        let (local_file, duration_secs) = (row.local_file, row.duration_secs);
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
    /// (see [`CacheWriter`](super::CacheWriter)): playback starts with the first bytes.
    /// `path` is where the file will be once complete (its extension names the format).
    pub async fn play_streamed(
        &self,
        scope: &UserScope,
        recording_id: &str,
        path: PathBuf,
        stream: Stream,
    ) -> Result<()> {
        let sid = RecordingSid::parse(recording_id)?;
        let user_id = scope.user_id();
        let sid_str = sid.as_str();
        let duration_secs = sqlx::query_scalar!(
            "SELECT duration_secs FROM recordings WHERE user_id = ?1 AND sid = ?2",
            user_id,
            sid_str,
        )
        .fetch_optional(scope.pool())
        .await?
        .ok_or(Error::NotFound)?;
        self.load(scope, &sid, path, Some(stream), duration_secs)
            .await
    }

    async fn load(
        &self,
        scope: &UserScope,
        sid: &RecordingSid,
        path: PathBuf,
        stream: Option<Stream>,
        duration_secs: i64,
    ) -> Result<()> {
        // Each play start, whether it plays or fails, is an entry in the user's audit trail.
        let source = if stream.is_some() {
            "streamed"
        } else {
            "from this computer"
        };
        let started = async {
            let (reply, answer) = oneshot::channel();
            self.send(Command::Load {
                owner: scope.user_id().to_owned(),
                recording_id: sid.as_str().to_owned(),
                path,
                stream,
                duration_hint: Duration::from_secs(u64::try_from(duration_secs).unwrap_or(0)),
                reply,
            })?;
            answer
                .await
                .map_err(|_| Error::Internal("player thread gone".into()))??;
            let played_at_ms = crate::now_ms();
            let user_id = scope.user_id();
            let sid_str = sid.as_str();
            sqlx::query!(
                "UPDATE recordings SET play_count = play_count + 1, last_played_at_ms = ?1
                 WHERE user_id = ?2 AND sid = ?3",
                played_at_ms,
                user_id,
                sid_str,
            )
            .execute(scope.pool())
            .await?;
            Ok::<(), Error>(())
        }
        .await;
        let ids = [sid.as_str().to_owned()];
        audit::record_result(
            scope,
            Operation::Play,
            &ids,
            &started,
            Some(source),
            crate::now_ms(),
        )
        .await;
        started
    }

    fn send(&self, command: Command) -> Result<()> {
        self.tx
            .send((command, None))
            .map_err(|_| Error::Internal("player thread gone".into()))
    }

    /// Sends a command and waits until the player thread has applied (or refused) it and
    /// published the resulting state.
    async fn apply(&self, command: Command) -> Result<()> {
        let (done, applied) = oneshot::channel();
        self.tx
            .send((command, Some(done)))
            .map_err(|_| Error::Internal("player thread gone".into()))?;
        applied
            .await
            .map_err(|_| Error::Internal("player thread gone".into()))?
    }

    /// A command from the user of `scope`: applied only to their own playback. Anything
    /// else (another user's playback, or none) answers `not_found` and changes nothing;
    /// volume and speed of an idle player are taken as the next play's.
    async fn control(&self, scope: &UserScope, control: Control) -> Result<()> {
        self.apply(Command::Control {
            user: scope.user_id().to_owned(),
            control,
        })
        .await
    }

    pub async fn pause(&self, scope: &UserScope) -> Result<()> {
        self.control(scope, Control::Pause).await
    }

    pub async fn resume(&self, scope: &UserScope) -> Result<()> {
        self.control(scope, Control::Resume).await
    }

    pub async fn stop(&self, scope: &UserScope) -> Result<()> {
        self.control(scope, Control::Stop).await
    }

    pub async fn seek(&self, scope: &UserScope, position_ms: u32) -> Result<()> {
        let to = Duration::from_millis(u64::from(position_ms));
        self.control(scope, Control::Seek(to)).await
    }

    /// Moves by `delta_ms` (negative: back), within the recording.
    pub async fn skip(&self, scope: &UserScope, delta_ms: i64) -> Result<()> {
        self.control(scope, Control::Skip(delta_ms)).await
    }

    /// 0 (mute) to 1 (as recorded).
    pub async fn set_volume(&self, scope: &UserScope, volume: f32) -> Result<()> {
        if !volume.is_finite() {
            return Err(Error::invalid("Volume must be a number."));
        }
        self.control(scope, Control::Volume(volume.clamp(0.0, 1.0)))
            .await
    }

    /// 0.5× to 2×; pitch changes with speed.
    pub async fn set_speed(&self, scope: &UserScope, speed: f32) -> Result<()> {
        if !(MIN_SPEED..=MAX_SPEED).contains(&speed) {
            return Err(Error::invalid("Speed must be between 0.5× and 2×."));
        }
        self.control(scope, Control::Speed(speed)).await
    }

    /// Stops and forgets whatever is loaded, whoever's it is: no recording, position or
    /// level of it stays (before a sign-in starts, at sign-out).
    pub async fn forget(&self) -> Result<()> {
        self.apply(Command::Forget).await
    }

    /// Forgets, then takes only `next`'s recordings: called by the workspace just before
    /// the signed-in user changes.
    pub(crate) async fn switching_to(&self, next: Option<&str>) -> Result<()> {
        self.apply(Command::SwitchTo(next.map(str::to_owned))).await
    }

    /// The state as this user may see it: another user's playback reads as stopped.
    pub fn state_for(&self, scope: &UserScope) -> PlayerState {
        visible_to(&self.state.borrow(), Some(scope.user_id()))
    }

    /// State updates, for the shell's event stream; each is shown only to the user it
    /// belongs to (see [`PlayerStates::next`]).
    pub fn subscribe(&self) -> PlayerStates {
        PlayerStates {
            rx: self.state.clone(),
        }
    }
}
