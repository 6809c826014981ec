//! Transcripts in the user's library: saved whole (a new transcript replaces the old one in
//! one transaction), read back in time order, and found by word through `transcript_search`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Segment, Speaker, Word};
use crate::error::{Error, Result};
use crate::library::from_ms;
use crate::session::UserScope;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(rename_all = "snake_case")]
pub enum Engine {
    /// pocketsphinx on this computer: offline.
    Local,
    /// An OpenAI-compatible transcription endpoint.
    Remote,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Transcript {
    pub engine: Engine,
    pub created_at: DateTime<Utc>,
    pub segments: Vec<Segment>,
}

fn speaker_str(s: Speaker) -> &'static str {
    match s {
        Speaker::Agent => "agent",
        Speaker::Customer => "customer",
        Speaker::Mixed => "mixed",
    }
}

fn speaker_of(s: &str) -> Speaker {
    match s {
        "agent" => Speaker::Agent,
        "customer" => Speaker::Customer,
        _ => Speaker::Mixed,
    }
}

/// The library's row id of one of the user's recordings; another user's is `not_found`.
pub(crate) async fn recording_row(scope: &UserScope, sid: &str) -> Result<i64> {
    let user_id = scope.user_id();
    sqlx::query_scalar!(
        r#"SELECT id AS "id!" FROM recordings WHERE user_id = ?1 AND sid = ?2"#,
        user_id,
        sid,
    )
    .fetch_optional(scope.pool())
    .await?
    .ok_or(Error::NotFound)
}

pub async fn save_transcript(
    scope: &UserScope,
    sid: &str,
    engine: Engine,
    segments: &[Segment],
    now_ms: i64,
) -> Result<()> {
    let id = recording_row(scope, sid).await?;
    let mut tx = crate::library::db::begin_write(scope.pool()).await?;
    let user_id = scope.user_id();
    sqlx::query!(
        "DELETE FROM transcripts WHERE recording_id = ?1 AND user_id = ?2",
        id,
        user_id,
    )
    .execute(&mut *tx)
    .await?;
    let text = segments
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let user_id = scope.user_id();
    sqlx::query!(
        "INSERT INTO transcripts (recording_id, user_id, engine, text, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
        id,
        user_id,
        engine,
        text,
        now_ms,
    )
    .execute(&mut *tx)
    .await?;
    for s in segments {
        let words = serde_json::to_string(&s.words).map_err(|e| Error::Internal(e.to_string()))?;
        let user_id = scope.user_id();
        let start_ms = i64::from(s.start_ms);
        let end_ms = i64::from(s.end_ms.max(s.start_ms));
        let channel = i64::from(s.channel.min(7));
        let speaker = speaker_str(s.speaker);
        sqlx::query!(
            "INSERT INTO transcript_segments (recording_id, user_id, start_ms, end_ms, channel, speaker, text, words)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            id,
            user_id,
            start_ms,
            end_ms,
            channel,
            speaker,
            s.text,
            words,
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

struct SegmentRow {
    start_ms: i64,
    end_ms: i64,
    channel: i64,
    speaker: String,
    text: String,
    words: String,
}

pub async fn get_transcript(scope: &UserScope, sid: &str) -> Result<Option<Transcript>> {
    let id = recording_row(scope, sid).await?;
    let user_id = scope.user_id();
    let head = sqlx::query!(
        r#"SELECT engine AS "engine: Engine", created_at_ms FROM transcripts
           WHERE recording_id = ?1 AND user_id = ?2"#,
        id,
        user_id,
    )
    .fetch_optional(scope.pool())
    .await?
    .map(|row| (row.engine, row.created_at_ms));
    let Some((engine, created)) = head else {
        return Ok(None);
    };
    let user_id = scope.user_id();
    let rows = sqlx::query_as!(
        SegmentRow,
        "SELECT start_ms, end_ms, channel, speaker, text, words FROM transcript_segments
         WHERE recording_id = ?1 AND user_id = ?2 ORDER BY start_ms, channel, id",
        id,
        user_id,
    )
    .fetch_all(scope.pool())
    .await?;
    let clamp = |n: i64| u32::try_from(n.max(0)).unwrap_or(u32::MAX);
    Ok(Some(Transcript {
        engine,
        created_at: from_ms(created),
        segments: rows
            .into_iter()
            .map(|r| Segment {
                start_ms: clamp(r.start_ms),
                end_ms: clamp(r.end_ms),
                channel: u8::try_from(r.channel.clamp(0, 7)).unwrap_or(0),
                speaker: speaker_of(&r.speaker),
                text: r.text,
                words: serde_json::from_str::<Vec<Word>>(&r.words).unwrap_or_default(),
            })
            .collect(),
    }))
}

/// An FTS5 query for the words a user typed, within `user_id`'s documents: each word a
/// quoted token (the last one a prefix: search as you type) in the `text` column, and the
/// user id a quoted phrase in the `user_id` column. Only letters and digits of the typed
/// text reach the index, so no operator, column filter or quote in it has any effect.
pub(crate) fn word_query(text: &str, user_id: &str) -> Option<String> {
    let words: Vec<String> = typed_words(text)
        .iter()
        .map(|w| format!("\"{w}\""))
        .collect();
    let last = words.len().checked_sub(1)?;
    let words = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i == last {
                format!("{w}*")
            } else {
                w.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    Some(format!(
        "text : ({words}) AND user_id : \"{}\"",
        user_id.replace('"', "\"\"")
    ))
}

/// Marks around the matched words in a snippet; the UI highlights between them.
pub const MATCH_START: char = '\u{2}';
pub const MATCH_END: char = '\u{3}';

/// The words typed, lowercased, as the index splits them (letters and digits).
fn typed_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(str::to_lowercase)
        .collect()
}

/// The first line of `transcript` holding a typed word (the last one as a prefix), cut to a
/// few words around it, with every matched word between the marks.
fn snippet_of(transcript: &str, words: &[String]) -> Option<String> {
    const AROUND: usize = 4;
    let (last, rest) = words.split_last()?;
    let hits = |token: &str| {
        let t = token.to_lowercase();
        rest.contains(&t) || t.starts_with(last.as_str())
    };
    for line in transcript.lines() {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        let clean = |t: &str| t.trim_matches(|c: char| !c.is_alphanumeric()).to_owned();
        let Some(first) = tokens.iter().position(|t| hits(&clean(t))) else {
            continue;
        };
        let from = first.saturating_sub(AROUND);
        let to = (first + AROUND + 3).min(tokens.len());
        let mut out = String::new();
        if from > 0 {
            out.push_str("… ");
        }
        let shown: Vec<String> = tokens[from..to]
            .iter()
            .map(|t| {
                if hits(&clean(t)) {
                    format!("{MATCH_START}{t}{MATCH_END}")
                } else {
                    (*t).to_owned()
                }
            })
            .collect();
        out.push_str(&shown.join(" "));
        if to < tokens.len() {
            out.push_str(" …");
        }
        return Some(out);
    }
    None
}

/// For each of `ids` (library row ids of the user's) whose transcript holds the typed words,
/// a snippet with them marked. Made here from the stored text: asking FTS5 for snippets of
/// a page of rows walks every match of the query (~75 ms at 10k matches).
pub(crate) async fn snippets(
    scope: &UserScope,
    text: &str,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, String>> {
    let mut out = std::collections::HashMap::new();
    let words = typed_words(text);
    if words.is_empty() || ids.is_empty() {
        return Ok(out);
    }
    let mut q =
        sqlx::QueryBuilder::new("SELECT recording_id, text FROM transcripts WHERE user_id = ");
    q.push_bind(scope.user_id().to_owned())
        .push(" AND recording_id IN (");
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    q.push(")");
    let rows: Vec<(i64, String)> = q.build_query_as().fetch_all(scope.pool()).await?;
    for (id, transcript) in rows {
        if let Some(snippet) = snippet_of(&transcript, &words) {
            out.insert(id, snippet);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{snippet_of, typed_words, word_query, MATCH_END as E, MATCH_START as S};

    #[test]
    fn a_snippet_marks_the_words_in_the_first_line_that_has_them() {
        let t = "hello there\nwell the Refund, for your order number twelve is on its way today";
        assert_eq!(
            snippet_of(t, &typed_words("refund orde")).as_deref(),
            Some(
                format!("well the {S}Refund,{E} for your {S}order{E} number twelve is …").as_str()
            )
        );
        assert_eq!(snippet_of(t, &typed_words("pizza")), None);
    }

    #[test]
    fn typed_words_become_quoted_tokens_and_syntax_stays_data() {
        assert_eq!(
            word_query("go forw", "auth0|a").as_deref(),
            Some("text : (\"go\" \"forw\"*) AND user_id : \"auth0|a\"")
        );
        assert_eq!(
            word_query("x\" OR user_id:* NEAR(a b) -c", "u\"1").as_deref(),
            Some(
                "text : (\"x\" \"or\" \"user\" \"id\" \"near\" \"a\" \"b\" \"c\"*) AND user_id : \"u\"\"1\""
            )
        );
        assert_eq!(
            word_query(" * ( ) \" ", "u"),
            None,
            "nothing searchable is no search"
        );
    }
}
