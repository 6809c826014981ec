//! A recording's analysis in the user's library: the local metrics and the AI analysis,
//! each computed on request and kept until the next request replaces it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use super::{analyse, audio_metrics, AiAnalysis, AudioMetrics, ChatConfig};
use crate::audit::{audited, Operation};
use crate::error::{Error, Result};
use crate::library::from_ms;
use crate::session::UserScope;
use crate::transcripts::{get_transcript, local_audio, recording_row, remote_service, Speaker};

/// What the details panel shows.
#[derive(Debug, Clone, Default, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CallAnalysis {
    pub metrics: Option<AudioMetrics>,
    pub ai: Option<AiAnalysis>,
    /// The model that wrote `ai`.
    pub ai_model: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
}

pub async fn get_analysis(scope: &UserScope, sid: &str) -> Result<CallAnalysis> {
    let id = recording_row(scope, sid).await?;
    let user_id = scope.user_id();
    let row = sqlx::query!(
        "SELECT metrics, ai, ai_model, updated_at_ms FROM analyses WHERE recording_id = ?1 AND user_id = ?2",
        id,
        user_id,
    )
    .fetch_optional(scope.pool())
    .await?;
    let Some(row) = row else {
        return Ok(CallAnalysis::default());
    };
    Ok(CallAnalysis {
        metrics: row.metrics.and_then(|m| serde_json::from_str(&m).ok()),
        ai: row.ai.and_then(|a| serde_json::from_str(&a).ok()),
        ai_model: row.ai_model,
        updated_at: Some(from_ms(row.updated_at_ms)),
    })
}

/// Which of the two results a [`store`] writes; the other is left as it is.
enum Part {
    Metrics,
    Ai,
}

async fn store(
    scope: &UserScope,
    id: i64,
    part: Part,
    json: String,
    model: Option<&str>,
    now_ms: i64,
) -> Result<()> {
    let user_id = scope.user_id();
    // One statement per column (rather than the column's name formatted in), so both are
    // checked against the schema at compile time.
    match part {
        Part::Metrics => sqlx::query!(
            "INSERT INTO analyses (recording_id, user_id, metrics, ai_model, updated_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (recording_id) DO UPDATE SET metrics = excluded.metrics,
               ai_model = coalesce(excluded.ai_model, analyses.ai_model), updated_at_ms = excluded.updated_at_ms",
            id,
            user_id,
            json,
            model,
            now_ms,
        )
        .execute(scope.pool())
        .await?,
        Part::Ai => sqlx::query!(
            "INSERT INTO analyses (recording_id, user_id, ai, ai_model, updated_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (recording_id) DO UPDATE SET ai = excluded.ai,
               ai_model = coalesce(excluded.ai_model, analyses.ai_model), updated_at_ms = excluded.updated_at_ms",
            id,
            user_id,
            json,
            model,
            now_ms,
        )
        .execute(scope.pool())
        .await?,
    };
    Ok(())
}

/// Talk and silence, per-channel talk time and loudness, from the downloaded audio.
/// Recorded in the user's audit trail with its outcome.
pub async fn analyse_audio(scope: &UserScope, sid: &str, now_ms: i64) -> Result<AudioMetrics> {
    let ids = [sid.to_owned()];
    audited(scope, Operation::AnalyseAudio, &ids, now_ms, async {
        let id = recording_row(scope, sid).await?;
        let path = local_audio(scope, sid).await?;
        let metrics = tokio::task::spawn_blocking(move || audio_metrics(&path))
            .await
            .map_err(|_| Error::Internal("analysis task failed".into()))??;
        let json = serde_json::to_string(&metrics).map_err(|e| Error::Internal(e.to_string()))?;
        store(scope, id, Part::Metrics, json, None, now_ms).await?;
        Ok(metrics)
    })
    .await
}

/// The transcript as the model reads it: one line a segment, with who speaks.
fn transcript_text(segments: &[crate::transcripts::Segment]) -> String {
    segments
        .iter()
        .map(|s| {
            let who = match s.speaker {
                Speaker::Agent => "Agent",
                Speaker::Customer => "Customer",
                Speaker::Mixed => "Speaker",
            };
            format!(
                "[{}:{:02}] {who}: {}",
                s.start_ms / 60_000,
                s.start_ms / 1000 % 60,
                s.text
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Summary, sentiment, topics and action items from the transcript, through the user's
/// OpenAI-compatible chat endpoint. Recorded in the user's audit trail with its outcome.
pub async fn analyse_with_ai(
    scope: &UserScope,
    sid: &str,
    cancel: &CancellationToken,
    now_ms: i64,
) -> Result<AiAnalysis> {
    let ids = [sid.to_owned()];
    let work = ask_ai(scope, sid, cancel, now_ms);
    audited(scope, Operation::AnalyseAi, &ids, now_ms, work).await
}

async fn ask_ai(
    scope: &UserScope,
    sid: &str,
    cancel: &CancellationToken,
    now_ms: i64,
) -> Result<AiAnalysis> {
    let id = recording_row(scope, sid).await?;
    let transcript = get_transcript(scope, sid)
        .await?
        .filter(|t| !t.segments.is_empty())
        .ok_or_else(|| {
            Error::invalid("Transcribe this call first: the analysis reads its transcript.")
        })?;
    let service = remote_service(scope).await?;
    let config = ChatConfig::new(
        service.base_url.as_str(),
        &service.chat_model,
        service.api_key,
    )?;
    let ai = analyse(&config, &transcript_text(&transcript.segments), cancel).await?;
    let json = serde_json::to_string(&ai).map_err(|e| Error::Internal(e.to_string()))?;
    store(scope, id, Part::Ai, json, Some(&service.chat_model), now_ms).await?;
    Ok(ai)
}
