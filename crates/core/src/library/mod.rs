//! The user's catalogue of recordings.

pub(crate) mod db;
mod filter;
mod listing;
mod model;
mod recordings;
pub(crate) mod writes;

pub use filter::{RecordingFilter, SortBy, SortOrder};
pub use listing::{
    count_recordings, list_recordings, list_recordings_after, ListRecordingsRequest, RecordingPage,
    RecordingSlice, RecordingSliceRequest,
};
pub use model::*;
pub use recordings::get_recording;
pub use writes::{insert_recordings, phone_digits, NewRecording};
