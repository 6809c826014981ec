//! The native player. One thread owns the audio output and the rodio `Player`; the rest of
//! the app holds a cheap [`PlayerHandle`] that sends it commands over a channel and reads
//! its state from a watch channel (published about ten times a second while playing). No
//! lock is held across an await, and nothing waits on the audio callback.
//!
//! Decoding runs on its own thread per recording (see `feed`), reading either a local file
//! or a file still being downloaded ([`download`]): a read past what has arrived waits,
//! which the state shows as buffering.

mod command;
pub mod download;
mod feed;
mod handle;
pub mod output;
mod state;
mod thread;
mod waveform;

pub use download::{CacheWriter, Download, Stream};
pub use feed::decode_all;
pub use handle::PlayerHandle;
pub use output::{Capture, OutputChoice, RealtimeDrain};
pub use state::{PlaybackStatus, PlayerState, PlayerStates};
pub(crate) use waveform::remove_cached as remove_waveform_caches;
pub use waveform::{waveform, ChannelPeaks, Waveform};

pub const MIN_SPEED: f32 = 0.5;
pub const MAX_SPEED: f32 = 2.0;
pub const SKIP_MS: i64 = 10_000;
