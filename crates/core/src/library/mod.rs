//! The user's catalogue of recordings.

mod cleanup;
mod count;
mod cursor;
pub(crate) mod db;
mod export;
mod filter;
mod listing;
mod model;
mod notes;
mod organise;
#[cfg(feature = "test-support")]
pub mod plans;
mod recordings;
pub(crate) mod stats;
mod weeks;
pub(crate) mod writes;

pub use cleanup::{preview_cleanup, run_cleanup, CleanupPolicy, CleanupPreview, CleanupResult};
pub use count::count_recordings;
pub use export::{export_recording, export_recordings, suggested_export_name, ExportResult};
pub use filter::{RecordingFilter, SortBy, SortOrder};
pub use listing::{
    list_recordings, list_recordings_after, ListRecordingsRequest, RecordingPage, RecordingSlice,
    RecordingSliceRequest,
};
pub use model::*;
pub use notes::{add_note, delete_note, edit_note, list_notes, TimestampedNote};
pub use organise::{
    bulk_update, check_deletable, delete_recording, is_tombstoned, set_legal_hold,
    update_recording, BulkAction, BulkResult, RecordingPatch, RecordingPatchInput,
};
pub(crate) use recordings::from_ms;
pub use recordings::get_recording;
pub use stats::{recording_stats, CountByKey, RecordingStats};
pub use writes::{insert_recordings, phone_digits, NewRecording};
