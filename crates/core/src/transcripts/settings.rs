//! Each user's choice of transcription engine and their OpenAI-compatible service (base URL,
//! models). The service's API key lives in the keyring slot `openai/<user key>` (or the
//! owner-only file fallback), never in the database.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use url::Url;

use super::Engine;
use crate::error::{Error, Result};
use crate::secrets::{self, blocking, SecretSlot, StoreKind};
use crate::session::UserScope;
use crate::twilio::Secret;

/// What the settings page shows.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AiSettings {
    pub engine: Engine,
    /// The OpenAI-compatible service, e.g. `https://api.openai.com/v1`.
    pub base_url: Option<String>,
    pub transcription_model: String,
    pub chat_model: String,
    /// An API key is saved (it is never shown again).
    pub has_api_key: bool,
    /// Where the key is kept.
    pub key_store: StoreKind,
    /// The local engine (pocketsphinx) is installed on this computer.
    pub local_available: bool,
}

/// What the settings page saves. `api_key`: a new key, or none to keep the saved one.
#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AiSettingsInput {
    pub engine: Engine,
    pub base_url: Option<String>,
    pub transcription_model: Option<String>,
    pub chat_model: Option<String>,
    pub api_key: Option<String>,
    /// Forget the saved key.
    #[serde(default)]
    pub clear_api_key: bool,
}

/// The service, ready to call: what the engines and the analysis need.
#[derive(Debug, Clone)]
pub struct RemoteService {
    pub base_url: Url,
    pub transcription_model: String,
    pub chat_model: String,
    pub api_key: Secret,
}

async fn key_slot(scope: &UserScope) -> Result<Arc<dyn SecretSlot>> {
    secrets::open_slot(secrets::AI_KEY, scope.user_id(), scope.paths().root()).await
}

type Row = (Engine, Option<String>, String, String);

async fn row(scope: &UserScope) -> Result<Row> {
    let found: Option<Row> = sqlx::query_as(
        "SELECT engine, base_url, transcription_model, chat_model FROM ai_settings WHERE user_id = ?1",
    )
    .bind(scope.user_id())
    .fetch_optional(scope.pool())
    .await?;
    Ok(found.unwrap_or((
        Engine::Local,
        None,
        "whisper-1".into(),
        "gpt-4o-mini".into(),
    )))
}

pub async fn load_ai_settings(scope: &UserScope) -> Result<AiSettings> {
    let (engine, base_url, transcription_model, chat_model) = row(scope).await?;
    let slot = key_slot(scope).await?;
    let kind = slot.kind();
    let has_api_key = blocking(move || slot.load()).await?.is_some();
    Ok(AiSettings {
        engine,
        base_url,
        transcription_model,
        chat_model,
        has_api_key,
        key_store: kind,
        local_available: super::LocalEngine::find().is_some(),
    })
}

/// https, or plain http to this machine (a local model server).
fn check_base_url(raw: &str) -> Result<Url> {
    let bad = || Error::invalid("Enter the service's address, e.g. https://api.openai.com/v1.");
    let url = Url::parse(raw.trim()).map_err(|_| bad())?;
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        _ => {
            return Err(Error::invalid(
                "The service must use https (plain http only on this computer).",
            ))
        }
    }
    if !url.username().is_empty() || url.password().is_some() || url.query().is_some() {
        return Err(bad());
    }
    Ok(url)
}

fn check_model(m: Option<String>, default: &str) -> Result<String> {
    let m = m.map(|m| m.trim().to_owned()).filter(|m| !m.is_empty());
    let m = m.unwrap_or_else(|| default.to_owned());
    if m.len() > 100
        || !m
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:/".contains(c))
    {
        return Err(Error::invalid(
            "A model name is letters, digits and - _ . : / only.",
        ));
    }
    Ok(m)
}

pub async fn save_ai_settings(
    scope: &UserScope,
    input: AiSettingsInput,
    now_ms: i64,
) -> Result<AiSettings> {
    let base_url = match input
        .base_url
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(raw) => Some(check_base_url(raw)?.to_string()),
        None => None,
    };
    let transcription_model = check_model(input.transcription_model, "whisper-1")?;
    let chat_model = check_model(input.chat_model, "gpt-4o-mini")?;
    if let Some(key) = input
        .api_key
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        if key.len() > 500 || key.chars().any(char::is_control) {
            return Err(Error::invalid("That does not look like an API key."));
        }
        let slot = key_slot(scope).await?;
        let key = key.to_owned();
        blocking(move || slot.save(&key)).await?;
    } else if input.clear_api_key {
        let slot = key_slot(scope).await?;
        blocking(move || slot.delete()).await?;
    }
    sqlx::query(
        "INSERT INTO ai_settings (user_id, engine, base_url, transcription_model, chat_model, updated_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (user_id) DO UPDATE SET engine = excluded.engine, base_url = excluded.base_url,
           transcription_model = excluded.transcription_model, chat_model = excluded.chat_model,
           updated_at_ms = excluded.updated_at_ms",
    )
    .bind(scope.user_id())
    .bind(input.engine)
    .bind(base_url)
    .bind(transcription_model)
    .bind(chat_model)
    .bind(now_ms)
    .execute(scope.pool())
    .await?;
    load_ai_settings(scope).await
}

/// The configured remote service, or a clear error naming what is missing.
pub async fn remote_service(scope: &UserScope) -> Result<RemoteService> {
    let (_, base_url, transcription_model, chat_model) = row(scope).await?;
    let base_url = base_url
        .as_deref()
        .map(check_base_url)
        .transpose()?
        .ok_or_else(|| {
            Error::invalid("Set the AI service's address in Settings → Transcripts first.")
        })?;
    let slot = key_slot(scope).await?;
    let key = blocking(move || slot.load()).await?.ok_or_else(|| {
        Error::invalid("Save the AI service's API key in Settings → Transcripts first.")
    })?;
    Ok(RemoteService {
        base_url,
        transcription_model,
        chat_model,
        api_key: Secret::new(key),
    })
}

/// The engine the user chose.
pub async fn chosen_engine(scope: &UserScope) -> Result<Engine> {
    Ok(row(scope).await?.0)
}

/// Forgets the user's API key (with "remove my data").
pub async fn delete_api_key(scope: &UserScope) -> Result<()> {
    let slot = key_slot(scope).await?;
    blocking(move || slot.delete()).await
}
