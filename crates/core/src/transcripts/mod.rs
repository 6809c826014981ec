//! Transcripts: speech to text with a local engine (Debian's pocketsphinx, offline) or any
//! OpenAI-compatible `/v1/audio/transcriptions` endpoint, stored per user as timed segments
//! and searchable with the library.

mod api_key;
pub mod audio;
mod error;
mod job;
mod jobs;
pub mod local;
pub mod remote;
pub mod segments;
mod settings;
mod store;

pub(crate) use job::local_audio;
pub use job::{transcribe_recording, TranscribeProgress, TranscribeStage};
pub use jobs::TranscriptionJobs;

pub use settings::{
    chosen_engine, delete_api_key, load_ai_settings, remote_service, save_ai_settings, AiSettings,
    AiSettingsInput, RemoteService,
};

pub use error::TranscriptionError;
pub use local::LocalEngine;
pub use remote::{RemoteEngine, RemoteLimits};
pub use segments::merge_channels;

pub use store::{get_transcript, save_transcript, Engine, Transcript, MATCH_END, MATCH_START};
pub(crate) use store::{recording_row, snippets, word_query};

use serde::{Deserialize, Serialize};

/// Who speaks on a channel. Two-channel call recordings put the agent on one channel and
/// the customer on the other; a mono recording is one mixed channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Speaker {
    Agent,
    Customer,
    Mixed,
}

impl Speaker {
    /// Twilio's dual-channel recordings: channel 0 is the caller leg (`from`), channel 1 the
    /// called leg; for CallDeck's agents the first is the agent on outbound calls. Kept
    /// simple and documented: channel 0 agent, channel 1 customer, mono mixed.
    pub fn for_channel(channel: u8, channels: u8) -> Self {
        match (channels, channel) {
            (1, _) => Speaker::Mixed,
            (_, 0) => Speaker::Agent,
            _ => Speaker::Customer,
        }
    }
}

/// One recognised word, with its timing in the recording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Word {
    pub start_ms: u32,
    pub end_ms: u32,
    pub text: String,
}

/// A stretch of speech on one channel: what the transcript panel shows as a line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Segment {
    pub start_ms: u32,
    pub end_ms: u32,
    pub channel: u8,
    pub speaker: Speaker,
    pub text: String,
    pub words: Vec<Word>,
}
