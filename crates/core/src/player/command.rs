//! What the handle asks of the player thread, and who may ask it: a user steers only their
//! own playback, and a player tied to a workspace loads only the signed-in user's recordings.

use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::oneshot;

use super::download::Stream;
use crate::error::Result;

pub(super) enum Command {
    Load {
        owner: String,
        recording_id: String,
        path: PathBuf,
        stream: Option<Stream>,
        duration_hint: Duration,
        reply: oneshot::Sender<Result<()>>,
    },
    /// A command from a user, applied only to that user's playback.
    Control { user: String, control: Control },
    /// Stops and forgets whatever is loaded, whoever's it is.
    Forget,
    /// Forgets, then loads only the recordings of `next` (the workspace's next user; none
    /// when nobody is signed in): a play already on its way for the user who left is refused.
    SwitchTo(Option<String>),
}

pub(super) enum Control {
    Pause,
    Resume,
    Stop,
    Seek(Duration),
    Skip(i64),
    Volume(f32),
    Speed(f32),
}

/// A command, and where to say it was applied (and the state published) or refused.
pub(super) type Request = (Command, Option<oneshot::Sender<Result<()>>>);

/// Whose recordings the player may load.
pub(super) enum Admits {
    /// Not tied to a workspace (tests, benchmarks): any user's.
    Anyone,
    /// Only the signed-in user's (none when nobody is).
    Only(Option<String>),
}

impl Admits {
    pub(super) fn admits(&self, user: &str) -> bool {
        match self {
            Admits::Anyone => true,
            Admits::Only(current) => current.as_deref() == Some(user),
        }
    }
}

/// Whether `user` may apply `control` to the player that holds `owner`'s playback: only
/// the owner may steer it. Volume and speed are also the next play's, so an idle player
/// (nobody's) takes those from anyone; it then holds nothing that could be someone's.
pub(super) fn may_steer(owner: Option<&str>, user: &str, control: &Control) -> bool {
    match owner {
        Some(owner) => owner == user,
        None => matches!(control, Control::Volume(_) | Control::Speed(_)),
    }
}
