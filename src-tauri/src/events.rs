//! Typed events from the backend to the UI.

use serde::{Deserialize, Serialize};

/// The player moved or changed (about ten times a second while playing).
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct PlayerStateChanged {
    pub state: calldeck_core::player::PlayerState,
}

/// Something in the signed-in user's library changed; the UI refetches only what `change`
/// names (see `ui/src/lib/invalidate.ts`).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct LibraryChanged {
    pub change: LibraryChange,
}

/// What a change to the library touched. Said by whoever made it, since only it knows
/// whether a total moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum LibraryChange {
    /// These recordings changed: their details and the list that shows them. `totals` is
    /// whether something the stats count moved with them (starred, archived, category,
    /// hold, deleted, audio on this computer); a play or an export leaves them alone.
    Recordings { ids: Vec<String>, totals: bool },
    /// A timestamped note changed; the note's recording is not known where it is said.
    Notes,
    /// Any part of the library may have changed (a sync, a cleanup, a pass of the download
    /// queue): everything it shows.
    Everything,
}

impl LibraryChange {
    /// These recordings changed and no total with them.
    pub fn details(ids: Vec<String>) -> Self {
        LibraryChange::Recordings { ids, totals: false }
    }

    /// These recordings changed, and the totals with them.
    pub fn counted(ids: Vec<String>) -> Self {
        LibraryChange::Recordings { ids, totals: true }
    }
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
