//! Typed events from the backend to the UI.

use serde::{Deserialize, Serialize};

/// Something in the signed-in user's library changed; the UI refetches what it shows.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct LibraryChanged {
    /// The recordings that changed; empty when many did.
    pub recordings: Vec<String>,
}
