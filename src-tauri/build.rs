// The shell's commands, as the capability files name them. tauri-build turns each into an
// `allow-<command>` permission, so a window is granted exactly the commands it lists.
const COMMANDS: &[&str] = &[
    "session_status",
    "open_demo_workspace",
    "sign_out",
    "auth_setup",
    "save_auth_setup",
    "accounts_needing_sign_in",
    "sign_in",
    "cancel_sign_in",
    "list_accounts",
    "switch_account",
    "list_recordings",
    "list_recordings_after",
    "get_recording",
    "recording_stats",
    "update_recording",
    "set_legal_hold",
    "bulk_update",
    "delete_recording",
    "list_notes",
    "add_note",
    "edit_note",
    "delete_note",
    "export_recording",
    "export_recordings",
    "preview_cleanup",
    "run_cleanup",
    "list_audit",
    "export_audit_csv",
    "get_transcript",
    "transcribe_recording",
    "cancel_transcription",
    "ai_settings",
    "save_ai_settings",
    "get_analysis",
    "analyse_audio",
    "analyse_with_ai",
    "twilio_status",
    "connect_twilio",
    "disconnect_twilio",
    "save_sync_settings",
    "sync_now",
    "cancel_sync",
    "download_now",
    "download_queue_status",
    "pause_downloads",
    "retry_failed_downloads",
    "report_first_paint",
    "diagnostics",
    "open_log_folder",
    "play_recording",
    "player_state",
    "player_pause",
    "player_resume",
    "player_stop",
    "player_seek",
    "player_skip",
    "player_set_volume",
    "player_set_speed",
    "recording_waveform",
];

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {error:#}");
    }
}
