//! Each user's choice of transcription engine and their OpenAI-compatible service (base URL,
//! models). The service's API key lives in the keyring slot `openai/<user key>` (or the
//! owner-only file fallback), never in the database, together with the base URL it was saved
//! for: a key is only ever sent to that address, whatever the settings row says later.

use serde::{Deserialize, Serialize};
use url::Url;

use super::api_key::ApiKeySlot;
use super::Engine;
use crate::error::{Error, Result};
use crate::secrets::StoreKind;
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
    /// An API key for this base URL is saved (it is never shown again).
    pub has_api_key: bool,
    /// A key is saved, but for another base URL than this one, so it is not used: the page
    /// asks for this address's key.
    pub key_for_other_address: bool,
    /// Where the key is kept.
    pub key_store: StoreKind,
    /// The local engine (pocketsphinx) is installed on this computer.
    pub local_available: bool,
}

/// What the settings page saves. `api_key`: a new key, or none to keep the saved one if it
/// is for this `base_url` (a key saved for another address is forgotten).
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

type Row = (Engine, Option<String>, String, String);

async fn row(scope: &UserScope) -> Result<Row> {
    let user_id = scope.user_id();
    let found = sqlx::query!(
        r#"SELECT engine AS "engine: Engine", base_url, transcription_model, chat_model
           FROM ai_settings WHERE user_id = ?1"#,
        user_id,
    )
    .fetch_optional(scope.pool())
    .await?
    .map(|r| (r.engine, r.base_url, r.transcription_model, r.chat_model));
    Ok(found.unwrap_or((
        Engine::Local,
        None,
        "whisper-1".into(),
        "gpt-4o-mini".into(),
    )))
}

/// The row's base URL, parsed as the settings page saved it (none if it is not usable).
fn row_url(base_url: Option<&str>) -> Option<Url> {
    base_url.and_then(|u| check_base_url(u).ok())
}

pub async fn load_ai_settings(scope: &UserScope) -> Result<AiSettings> {
    let (engine, base_url, transcription_model, chat_model) = row(scope).await?;
    let slot = ApiKeySlot::open(scope).await?;
    let current = row_url(base_url.as_deref());
    let saved = slot.load(current.as_ref()).await?;
    let has_api_key = saved
        .as_ref()
        .is_some_and(|(url, _)| Some(url) == current.as_ref());
    Ok(AiSettings {
        engine,
        base_url,
        transcription_model,
        chat_model,
        has_api_key,
        key_for_other_address: saved.is_some() && !has_api_key,
        key_store: slot.kind(),
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
        Some(raw) => Some(check_base_url(raw)?),
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
        let url = base_url.as_ref().ok_or_else(|| {
            Error::invalid("Enter the service's address with its API key: a key is only ever sent to the address it was saved for.")
        })?;
        ApiKeySlot::open(scope).await?.save(url, key).await?;
    } else if input.clear_api_key {
        ApiKeySlot::open(scope).await?.delete().await?;
    } else {
        // No new key: the saved one stays only if it is this address's key. Sending it to a
        // new address would hand it to whoever runs that host.
        let (_, old_url, _, _) = row(scope).await?;
        let slot = ApiKeySlot::open(scope).await?;
        let saved = slot.load(row_url(old_url.as_deref()).as_ref()).await?;
        if saved.is_some_and(|(url, _)| Some(&url) != base_url.as_ref()) {
            slot.delete().await?;
        }
    }
    let user_id = scope.user_id();
    let base_url = base_url.map(String::from);
    sqlx::query!(
        "INSERT INTO ai_settings (user_id, engine, base_url, transcription_model, chat_model, updated_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (user_id) DO UPDATE SET engine = excluded.engine, base_url = excluded.base_url,
           transcription_model = excluded.transcription_model, chat_model = excluded.chat_model,
           updated_at_ms = excluded.updated_at_ms",
        user_id,
        input.engine,
        base_url,
        transcription_model,
        chat_model,
        now_ms,
    )
    .execute(scope.pool())
    .await?;
    load_ai_settings(scope).await
}

/// The configured remote service, or a clear error naming what is missing. The key comes
/// with the address it was saved for, and only when that is the address configured now.
pub async fn remote_service(scope: &UserScope) -> Result<RemoteService> {
    let (_, base_url, transcription_model, chat_model) = row(scope).await?;
    let configured = base_url
        .as_deref()
        .map(check_base_url)
        .transpose()?
        .ok_or_else(|| {
            Error::invalid("Set the AI service's address in Settings → Transcripts first.")
        })?;
    let (base_url, api_key) = ApiKeySlot::open(scope)
        .await?
        .load(Some(&configured))
        .await?
        .ok_or_else(|| {
            Error::invalid("Save the AI service's API key in Settings → Transcripts first.")
        })?;
    if base_url != configured {
        return Err(Error::invalid(
            "The saved API key is for another address. Enter the API key for this address in Settings → Transcripts.",
        ));
    }
    Ok(RemoteService {
        base_url,
        transcription_model,
        chat_model,
        api_key,
    })
}

/// The engine the user chose.
pub async fn chosen_engine(scope: &UserScope) -> Result<Engine> {
    Ok(row(scope).await?.0)
}

/// Forgets the user's API key (with "remove my data").
pub async fn delete_api_key(scope: &UserScope) -> Result<()> {
    ApiKeySlot::open(scope).await?.delete().await
}
