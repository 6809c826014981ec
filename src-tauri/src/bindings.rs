//! The typed command surface, shared by the running app and the TypeScript exporter.

use specta_typescript::Typescript;
use tauri_specta::{collect_commands, collect_events, Builder};

use crate::commands::{
    auth, diagnostics, export, library, notes, player, prefs, queue, retention, transcripts, twilio,
};
use crate::events::{
    DownloadQueueChanged, LibraryChanged, PlayerStateChanged, SessionChanged, SyncProgressed,
    TranscriptionProgressed,
};

// The one list of commands (src/commands/list.rs), also read by build.rs.
include!("commands/list.rs");

/// The listed commands as tauri-specta's handler and exported signatures.
macro_rules! typed_commands {
    ($($module:ident :: $name:ident),* $(,)?) => {
        collect_commands![$($module::$name),*]
    };
}

/// Where the generated TypeScript lives, relative to the repository root.
pub const BINDINGS_PATH: &str = "ui/src/bindings.ts";

pub fn builder<R: tauri::Runtime>() -> Builder<R> {
    Builder::<R>::new()
        .disable_serde_phases()
        .commands(command_list!(typed_commands))
        // The UI's preferences start from the same defaults and ranges as the backend's.
        .constant(
            "DEFAULT_USER_PREFS",
            calldeck_core::prefs::UserPrefs::default(),
        )
        .constant(
            "DEFAULT_APP_PREFS",
            calldeck_core::prefs::AppPrefs::default(),
        )
        .constant(
            "DETAILS_WIDTH_RANGE",
            [
                calldeck_core::prefs::MIN_DETAILS_WIDTH,
                calldeck_core::prefs::MAX_DETAILS_WIDTH,
            ],
        )
        .constant(
            "COLUMN_WIDTH_RANGE",
            [
                calldeck_core::prefs::MIN_COLUMN_WIDTH,
                calldeck_core::prefs::MAX_COLUMN_WIDTH,
            ],
        )
        // The audit view's labels are checked against every operation and outcome.
        .typ::<calldeck_core::audit::Operation>()
        .typ::<calldeck_core::audit::Outcome>()
        .events(collect_events![
            DownloadQueueChanged,
            LibraryChanged,
            PlayerStateChanged,
            SessionChanged,
            SyncProgressed,
            TranscriptionProgressed
        ])
}

/// Writes the bindings to `path`.
pub fn export(path: &std::path::Path) -> Result<(), String> {
    builder::<tauri::Wry>()
        .export(
            Typescript::default()
                .header("// Generated from the Rust commands by `make bindings`. Do not edit.\n"),
            path,
        )
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_bindings_match_the_rust_commands() {
        let dir = tempfile_dir();
        let fresh = dir.join("bindings.ts");
        export(&fresh).expect("export bindings");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let committed = std::fs::read_to_string(root.join(BINDINGS_PATH)).unwrap_or_default();
        let generated = std::fs::read_to_string(&fresh).expect("read fresh bindings");
        assert!(
            committed == generated,
            "{BINDINGS_PATH} has drifted from the Rust commands: run `make bindings` and commit it"
        );
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("calldeck-bindings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }
}
