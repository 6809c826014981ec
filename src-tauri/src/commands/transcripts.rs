use calldeck_core::analysis::{self, AiAnalysis, AudioMetrics, CallAnalysis};
use calldeck_core::transcripts::{self, AiSettings, AiSettingsInput, Transcript};
use calldeck_core::{now_ms, ApiError};
use tauri::State;
use tokio_util::sync::CancellationToken;

use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn get_transcript(
    state: State<'_, AppState>,
    id: String,
) -> Result<Option<Transcript>, ApiError> {
    let scope = state.workspace.current()?;
    Ok(transcripts::get_transcript(&scope, &id).await?)
}

/// Transcribes a downloaded recording with the user's engine. Progress arrives as
/// `transcription-progressed` events; `cancel_transcription` stops it.
#[tauri::command]
#[specta::specta]
pub async fn transcribe_recording(
    state: State<'_, AppState>,
    id: String,
) -> Result<Transcript, ApiError> {
    let scope = state.workspace.current()?;
    // Leaves the registry when this command ends, however it ends, taking only its own token.
    let job = state.jobs.start(&id);
    let host = state.host.clone();
    let result = transcripts::transcribe_recording(
        &scope,
        &id,
        job.token(),
        |progress| host.transcription_progressed(progress),
        now_ms(),
    )
    .await;
    drop(job);
    Ok(result?)
}

#[tauri::command]
#[specta::specta]
pub async fn cancel_transcription(state: State<'_, AppState>, id: String) -> Result<(), ApiError> {
    state.jobs.cancel(&id);
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub async fn ai_settings(state: State<'_, AppState>) -> Result<AiSettings, ApiError> {
    let scope = state.workspace.current()?;
    Ok(transcripts::load_ai_settings(&scope).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn save_ai_settings(
    state: State<'_, AppState>,
    settings: AiSettingsInput,
) -> Result<AiSettings, ApiError> {
    let scope = state.workspace.current()?;
    Ok(transcripts::save_ai_settings(&scope, settings, now_ms()).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn get_analysis(
    state: State<'_, AppState>,
    id: String,
) -> Result<CallAnalysis, ApiError> {
    let scope = state.workspace.current()?;
    Ok(analysis::get_analysis(&scope, &id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn analyse_audio(
    state: State<'_, AppState>,
    id: String,
) -> Result<AudioMetrics, ApiError> {
    let scope = state.workspace.current()?;
    Ok(analysis::analyse_audio(&scope, &id, now_ms()).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn analyse_with_ai(
    state: State<'_, AppState>,
    id: String,
) -> Result<AiAnalysis, ApiError> {
    let scope = state.workspace.current()?;
    let cancel = CancellationToken::new();
    Ok(analysis::analyse_with_ai(&scope, &id, &cancel, now_ms()).await?)
}
