//! The library's types as the UI sees them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type, sqlx::Type)]
#[serde(rename_all = "lowercase")]
#[sqlx(rename_all = "lowercase")]
pub enum Direction {
    Inbound,
    Outbound,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type, sqlx::Type)]
#[serde(rename_all = "lowercase")]
#[sqlx(rename_all = "lowercase")]
pub enum RecordingStatus {
    Ready,
    Processing,
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type, sqlx::Type)]
#[serde(rename_all = "lowercase")]
#[sqlx(rename_all = "lowercase")]
pub enum Priority {
    Low,
    Normal,
    High,
}

/// One row of the recordings table.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RecordingSummary {
    /// The Twilio recording SID; the recording's id everywhere in the app.
    pub id: String,
    pub phone_number: String,
    pub contact_name: Option<String>,
    pub direction: Direction,
    pub status: RecordingStatus,
    pub duration_secs: u32,
    pub recorded_at: DateTime<Utc>,
    pub category: Option<String>,
    pub starred: bool,
    pub archived: bool,
    /// The audio is in the user's media folder and plays without a network.
    pub available_offline: bool,
    /// When the search found words said in the call: the transcript line, the matched words
    /// between U+0002 and U+0003 (the UI highlights them; nothing in it is markup).
    pub transcript_match: Option<String>,
}

/// Everything the details panel shows about one recording.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RecordingDetails {
    pub summary: RecordingSummary,
    pub call_sid: Option<String>,
    pub channels: u32,
    pub tags: Vec<String>,
    pub priority: Priority,
    pub legal_hold: bool,
    pub notes: Option<String>,
    pub local_file_bytes: Option<f64>,
    pub play_count: u32,
    pub download_count: u32,
    pub last_played_at: Option<DateTime<Utc>>,
    pub last_downloaded_at: Option<DateTime<Utc>>,
}

pub const MAX_PAGE_SIZE: u32 = 50;
