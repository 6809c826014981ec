//! What the player shows: the state the UI reads, the snapshot that ties it to a user, and
//! the stream of updates.

use serde::Serialize;
use tokio::sync::watch;

use crate::error::ApiError;
use crate::session::{UserScope, Workspace};

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

/// The state together with the user whose playback it is (none once it is forgotten), so
/// that nothing about one user's playback reaches another.
#[derive(Debug, Clone, Default)]
pub(super) struct Snapshot {
    pub(super) owner: Option<String>,
    pub(super) state: PlayerState,
}

/// The state if `user` may see it: their own playback, or a player that holds nobody's.
fn shown_to(snapshot: &Snapshot, user: Option<&str>) -> Option<PlayerState> {
    match (&snapshot.owner, user) {
        (None, _) => Some(snapshot.state.clone()),
        (Some(owner), Some(user)) if owner == user => Some(snapshot.state.clone()),
        _ => None,
    }
}

/// The state as `user` sees it: another user's playback reads as an idle player.
pub(super) fn visible_to(snapshot: &Snapshot, user: Option<&str>) -> PlayerState {
    shown_to(snapshot, user).unwrap_or_else(|| PlayerState {
        output_device: snapshot.state.output_device,
        ..PlayerState::default()
    })
}

/// A stream of player states.
pub struct PlayerStates {
    pub(super) rx: watch::Receiver<Snapshot>,
}

impl PlayerStates {
    /// Waits for the next state that the user signed in to `workspace` (asked at that
    /// moment) may see; another user's states are passed over. `None` once the player
    /// thread is gone.
    pub async fn next(&mut self, workspace: &Workspace) -> Option<PlayerState> {
        loop {
            self.rx.changed().await.ok()?;
            let snapshot = self.rx.borrow_and_update().clone();
            let viewer = workspace.current().ok();
            if let Some(state) = shown_to(&snapshot, viewer.as_ref().map(UserScope::user_id)) {
                return Some(state);
            }
        }
    }
}
