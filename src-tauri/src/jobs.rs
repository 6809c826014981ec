//! Transcriptions under way, cancellable from the UI: the registry lives in the core.

pub use calldeck_core::transcripts::TranscriptionJobs as Jobs;
