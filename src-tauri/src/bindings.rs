//! The typed command surface, shared by the running app and the TypeScript exporter.

use specta_typescript::Typescript;
use tauri_specta::{collect_commands, collect_events, Builder};

use crate::commands::{
    diagnostics, export, library, notes, player, prefs, queue, retention, session, transcripts,
    twilio,
};
use crate::events::{
    DownloadQueueChanged, LibraryChanged, PlayerStateChanged, SessionChanged, SyncProgressed,
    TranscriptionProgressed,
};

/// Where the generated TypeScript lives, relative to the repository root.
pub const BINDINGS_PATH: &str = "ui/src/bindings.ts";

pub fn builder<R: tauri::Runtime>() -> Builder<R> {
    Builder::<R>::new()
        .disable_serde_phases()
        .commands(collect_commands![
            session::session_status,
            session::open_demo_workspace,
            session::sign_out,
            session::auth_setup,
            session::save_auth_setup,
            session::accounts_needing_sign_in,
            session::sign_in,
            session::cancel_sign_in,
            session::list_accounts,
            session::switch_account,
            library::list_recordings,
            library::list_recordings_after,
            library::get_recording,
            library::recording_stats,
            library::update_recording,
            library::set_legal_hold,
            library::bulk_update,
            library::delete_recording,
            notes::list_notes,
            notes::add_note,
            notes::edit_note,
            notes::delete_note,
            export::export_recording,
            export::export_recordings,
            retention::preview_cleanup,
            retention::run_cleanup,
            retention::list_audit,
            retention::export_audit_csv,
            transcripts::get_transcript,
            transcripts::transcribe_recording,
            transcripts::cancel_transcription,
            transcripts::ai_settings,
            transcripts::save_ai_settings,
            transcripts::get_analysis,
            transcripts::analyse_audio,
            transcripts::analyse_with_ai,
            twilio::twilio_status,
            twilio::connect_twilio,
            twilio::disconnect_twilio,
            twilio::save_sync_settings,
            twilio::sync_now,
            twilio::cancel_sync,
            twilio::download_now,
            queue::download_queue_status,
            queue::pause_downloads,
            queue::retry_failed_downloads,
            diagnostics::report_first_paint,
            diagnostics::diagnostics,
            diagnostics::open_log_folder,
            player::play_recording,
            player::player_state,
            player::player_pause,
            player::player_resume,
            player::player_stop,
            player::player_seek,
            player::player_skip,
            player::player_set_volume,
            player::player_set_speed,
            player::recording_waveform,
            prefs::preferences,
            prefs::save_preferences,
        ])
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
