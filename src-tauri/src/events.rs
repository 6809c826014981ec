//! Typed events from the backend to the UI.

use serde::{Deserialize, Serialize};

/// The player moved or changed (about ten times a second while playing).
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct PlayerStateChanged {
    pub state: calldeck_core::player::PlayerState,
}

/// Something in the signed-in user's library changed; the UI refetches what it shows.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct LibraryChanged {
    /// The recordings that changed; empty when many did.
    pub recordings: Vec<String>,
}

/// How far the running Twilio sync has got.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct SyncProgressed {
    pub progress: calldeck_core::sync::SyncProgress,
}

/// Who is signed in, or whether they are offline, changed without the UI asking (a session
/// ended, the network came back): the UI refetches the session status.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct SessionChanged {}

/// How far a transcription has got.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct TranscriptionProgressed {
    pub progress: calldeck_core::transcripts::TranscribeProgress,
}

/// The signed-in user's download queue changed: "Downloading n of m", paused, failed.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct DownloadQueueChanged {
    pub status: calldeck_core::sync::queue::QueueStatus,
}
