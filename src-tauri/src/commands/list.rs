// The one list of the shell's commands. Adding a command: write it in a file of
// src-tauri/src/commands/ and name it here, `module::function`. From this list
// - src-tauri/src/bindings.rs builds the typed handler and the TypeScript bindings,
// - src-tauri/build.rs gives tauri-build the commands (an `allow-<command>` permission each)
//   and writes the `app-commands` permission set of all of them, which the main window's
//   capability (src-tauri/capabilities/main.json) grants.
// A test (src-tauri/src/command_check.rs) fails when a `#[tauri::command]` in commands/ is
// missing here, or when this names one that is not there.
//
// Not a module: both build.rs and bindings.rs `include!` it, so it holds only the macro.
// `command_list!(then)` calls the macro `then` with the list.
macro_rules! command_list {
    ($then:ident) => {
        $then! {
            auth::session_status,
            auth::open_demo_workspace,
            auth::sign_out,
            auth::auth_setup,
            auth::save_auth_setup,
            auth::accounts_needing_sign_in,
            auth::sign_in,
            auth::cancel_sign_in,
            auth::list_accounts,
            auth::switch_account,
            library::list_recordings,
            library::list_recordings_after,
            library::count_recordings,
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
        }
    };
}
