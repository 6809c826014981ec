//! The analysis a chat model returns: its type, the JSON schema the model is held to, and
//! the checks applied to what comes back (a model's output is untrusted input).

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::error::AnalysisError;

pub const MAX_SUMMARY_CHARS: usize = 2000;
pub const MAX_LIST_ITEMS: usize = 20;
pub const MAX_ITEM_CHARS: usize = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum Sentiment {
    Positive,
    Neutral,
    Negative,
    Mixed,
}

impl Sentiment {
    const ALL: [(&'static str, Sentiment); 4] = [
        ("positive", Sentiment::Positive),
        ("neutral", Sentiment::Neutral),
        ("negative", Sentiment::Negative),
        ("mixed", Sentiment::Mixed),
    ];
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AiAnalysis {
    pub summary: String,
    pub sentiment: Sentiment,
    pub topics: Vec<String>,
    pub action_items: Vec<String>,
}

/// The JSON schema of [`AiAnalysis`] in the subset that OpenAI's strict structured outputs
/// accept: every property required, no additional properties. The length limits are in the
/// descriptions rather than as `maxLength`/`maxItems`, which not every compatible server
/// supports; [`parse`] enforces them.
pub fn response_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "summary": {
                "type": "string",
                "description": "What the call was about and how it ended, in at most 5 sentences."
            },
            "sentiment": {
                "type": "string",
                "enum": Sentiment::ALL.map(|(name, _)| name),
                "description": "The customer's overall sentiment."
            },
            "topics": {
                "type": "array",
                "items": { "type": "string" },
                "description": "Short topic labels, at most 10."
            },
            "actionItems": {
                "type": "array",
                "items": { "type": "string" },
                "description": "Follow-ups someone committed to or that are needed, each one sentence, at most 10."
            }
        },
        "required": ["summary", "sentiment", "topics", "actionItems"],
        "additionalProperties": false
    })
}

/// What the model sent, before checking. Sentiment is a plain string so a bad value gets
/// its own clear error instead of a generic serde one.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Raw {
    summary: String,
    sentiment: String,
    topics: Vec<String>,
    action_items: Vec<String>,
}

/// Parses and checks the message content. The policy: a sentiment outside the enum, or an
/// empty summary, is refused (there is nothing sensible to substitute); overlong text and
/// overlong lists are trimmed, because the rest of the answer is still good and the limits
/// only protect storage and the UI. Blank list entries are dropped.
pub(crate) fn parse(content: &str) -> Result<AiAnalysis, AnalysisError> {
    let body = strip_code_fence(content.trim());
    if !body.starts_with('{') {
        return Err(AnalysisError::BadOutput(
            "the answer is not a JSON object".into(),
        ));
    }
    let raw: Raw = serde_json::from_str(body).map_err(|e| {
        // serde's message names the field and the type, never the content.
        AnalysisError::BadOutput(format!("the answer has the wrong shape: {e}"))
    })?;
    let wanted = raw.sentiment.trim().to_ascii_lowercase();
    let sentiment = Sentiment::ALL
        .iter()
        .find(|(name, _)| *name == wanted)
        .map(|&(_, s)| s)
        .ok_or_else(|| {
            AnalysisError::BadOutput("the sentiment is not one of the allowed values".into())
        })?;
    let summary = clip(raw.summary.trim(), MAX_SUMMARY_CHARS);
    if summary.is_empty() {
        return Err(AnalysisError::BadOutput("the summary is empty".into()));
    }
    Ok(AiAnalysis {
        summary,
        sentiment,
        topics: clip_list(raw.topics),
        action_items: clip_list(raw.action_items),
    })
}

/// Some OpenAI-compatible servers ignore `response_format` and wrap the JSON in a Markdown
/// fence; accepting that costs nothing and anything else still has to be a JSON object.
fn strip_code_fence(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("```") else {
        return text;
    };
    let rest = rest.strip_prefix("json").unwrap_or(rest);
    rest.strip_suffix("```").unwrap_or(rest).trim()
}

fn clip_list(items: Vec<String>) -> Vec<String> {
    items
        .iter()
        .map(|item| clip(item.trim(), MAX_ITEM_CHARS))
        .filter(|item| !item.is_empty())
        .take(MAX_LIST_ITEMS)
        .collect()
}

/// At most `max` characters, cut at a word boundary when one is near, marked with "…".
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max - 1).collect();
    let at_word = match cut.rfind(char::is_whitespace) {
        Some(i) if cut[..i].chars().count() > max * 3 / 4 => cut[..i].trim_end(),
        _ => cut.as_str(),
    };
    format!("{at_word}…")
}
