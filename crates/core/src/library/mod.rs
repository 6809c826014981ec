//! The user's catalogue of recordings.

pub(crate) mod db;
mod model;
mod recordings;
pub(crate) mod writes;

pub use model::*;
pub use recordings::{get_recording, list_recordings};
pub use writes::{count_recordings, insert_recordings, phone_digits, NewRecording};
