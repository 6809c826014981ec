//! What the user asks of the list — filters, search and sort — and how it becomes SQL.
//! No SQL text is ever built from a user's string: sort columns come from an enum, every
//! value is bound, and search text reaches the FTS index only as a quoted phrase.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Sqlite};

use super::model::{Direction, RecordingStatus};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RecordingFilter {
    /// A phone number in any notation ("555", "+1 555", "(555) 12") or part of a name.
    #[specta(optional)]
    pub search: Option<String>,
    #[specta(optional)]
    pub status: Option<RecordingStatus>,
    #[specta(optional)]
    pub direction: Option<Direction>,
    // Trimmed; a blank category selects the uncategorised recordings.
    #[specta(optional)]
    pub category: Option<String>,
    #[specta(optional)]
    pub starred: Option<bool>,
    #[specta(optional)]
    pub archived: Option<bool>,
    #[specta(optional)]
    pub legal_hold: Option<bool>,
    /// Recorded at or after this instant.
    #[specta(optional)]
    pub start_date: Option<DateTime<Utc>>,
    /// Recorded before this instant.
    #[specta(optional)]
    pub end_date: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum SortBy {
    /// When the call was recorded.
    #[default]
    CreatedAt,
    Duration,
    Phone,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    Asc,
    #[default]
    Desc,
}

impl SortBy {
    pub(crate) fn column(self) -> &'static str {
        match self {
            SortBy::CreatedAt => "recorded_at_ms",
            SortBy::Duration => "duration_secs",
            SortBy::Phone => "phone_digits",
        }
    }
}

impl SortOrder {
    pub(crate) fn keyword(self) -> &'static str {
        match self {
            SortOrder::Asc => "ASC",
            SortOrder::Desc => "DESC",
        }
    }
}

/// A search, reduced to what it can mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Search {
    /// The digits of a number typed in any notation.
    Phone(String),
    /// Part of a contact's name, or words said in the call; lowercased.
    Name(String),
}

pub(crate) const MAX_SEARCH_CHARS: usize = 100;

impl Search {
    /// Text made only of digits and the punctuation of phone numbers is a number search;
    /// anything else is a name search. Blank text is no search.
    pub(crate) fn parse(raw: &str) -> Option<Search> {
        let text: String = raw
            .trim()
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_SEARCH_CHARS)
            .collect();
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let phone_like = text
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
            && text.chars().any(|c| c.is_ascii_digit());
        Some(if phone_like {
            Search::Phone(text.chars().filter(char::is_ascii_digit).collect())
        } else {
            Search::Name(text.to_lowercase())
        })
    }

    fn needle(&self) -> &str {
        match self {
            Search::Phone(d) | Search::Name(d) => d,
        }
    }

    fn column(&self) -> &'static str {
        match self {
            Search::Phone(_) => "phone_digits",
            Search::Name(_) => "contact_name",
        }
    }
}

/// An FTS5 query that matches `needle` as a literal substring of one column: a quoted phrase,
/// quotes doubled, so no operator, prefix or column filter in the text has any effect.
fn fts_phrase(column: &str, needle: &str) -> String {
    format!("{column} : \"{}\"", needle.replace('"', "\"\""))
}

/// `%` and `_` in a user's text are data, not wildcards.
fn like_pattern(needle: &str) -> String {
    let escaped = needle
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

impl RecordingFilter {
    /// True when a count can come from the per-user totals table.
    pub(crate) fn is_grouped_only(&self) -> bool {
        self.search.as_deref().and_then(Search::parse).is_none()
            && self.start_date.is_none()
            && self.end_date.is_none()
    }

    /// True when the search goes through the FTS index. The query then reads the recordings
    /// by row id from the index's matches (`NOT INDEXED`): scanning the user's sort index and
    /// probing each row against the matches cost ~70 ms at 250k recordings, while a search
    /// rarely matches more than a few thousand.
    pub(crate) fn uses_search_index(&self) -> bool {
        self.search
            .as_deref()
            .and_then(Search::parse)
            .is_some_and(|s| s.needle().chars().count() >= 3)
    }

    /// The text of a name search, which also looks in transcripts.
    pub(crate) fn words_searched(&self) -> Option<String> {
        match self.search.as_deref().and_then(Search::parse)? {
            Search::Name(text) => Some(text),
            Search::Phone(_) => None,
        }
    }

    /// Appends ` AND …` conditions over the `recordings` table (aliased `r`) of `user_id`'s
    /// library (the caller has already required `r.user_id`).
    pub(crate) fn push_conditions(&self, q: &mut QueryBuilder<'_, Sqlite>, user_id: &str) {
        if let Some(status) = self.status {
            q.push(" AND r.status = ").push_bind(status);
        }
        if let Some(direction) = self.direction {
            q.push(" AND r.direction = ").push_bind(direction);
        }
        if let Some(category) = self.category.as_deref().map(str::trim) {
            // A blank category asks for the uncategorised, as the totals store them ('').
            if category.is_empty() {
                q.push(" AND coalesce(r.category, '') = ''");
            } else {
                q.push(" AND r.category = ").push_bind(category.to_owned());
            }
        }
        if let Some(starred) = self.starred {
            q.push(" AND r.starred = ").push_bind(starred);
        }
        if let Some(archived) = self.archived {
            q.push(" AND r.archived = ").push_bind(archived);
        }
        if let Some(held) = self.legal_hold {
            q.push(" AND r.legal_hold = ").push_bind(held);
        }
        if let Some(start) = self.start_date {
            q.push(" AND r.recorded_at_ms >= ")
                .push_bind(start.timestamp_millis());
        }
        if let Some(end) = self.end_date {
            q.push(" AND r.recorded_at_ms < ")
                .push_bind(end.timestamp_millis());
        }
        if let Some(search) = self.search.as_deref().and_then(Search::parse) {
            // A name search also finds the words in the user's transcripts.
            let words = match &search {
                Search::Name(text) => crate::transcripts::word_query(text, user_id),
                Search::Phone(_) => None,
            };
            // The trigram index needs three characters; shorter text is matched directly.
            if self.uses_search_index() {
                q.push(" AND r.id IN (SELECT rowid FROM recordings_search WHERE recordings_search MATCH ")
                    .push_bind(fts_phrase(search.column(), search.needle()));
                if let Some(words) = words {
                    q.push(
                        " UNION SELECT rowid FROM transcript_search WHERE transcript_search MATCH ",
                    )
                    .push_bind(words);
                }
                q.push(")");
            } else {
                q.push(format_args!(" AND (lower(r.{}) LIKE ", search.column()))
                    .push_bind(like_pattern(search.needle()))
                    .push(" ESCAPE '\\'");
                if let Some(words) = words {
                    q.push(" OR r.id IN (SELECT rowid FROM transcript_search WHERE transcript_search MATCH ")
                        .push_bind(words)
                        .push(")");
                }
                q.push(")");
            }
        }
    }

    /// True when a count can add whole weeks from the weekly totals: a date bound, no search.
    pub(crate) fn is_dated_without_search(&self) -> bool {
        self.search.as_deref().and_then(Search::parse).is_none()
            && (self.start_date.is_some() || self.end_date.is_some())
    }

    /// Appends ` AND …` conditions over the grouped columns of a totals table (`recording_totals`
    /// or `recording_weeks`) aliased `alias`.
    pub(crate) fn push_total_conditions(&self, q: &mut QueryBuilder<'_, Sqlite>, alias: &str) {
        if let Some(status) = self.status {
            q.push(format_args!(" AND {alias}.status = "))
                .push_bind(status);
        }
        if let Some(direction) = self.direction {
            q.push(format_args!(" AND {alias}.direction = "))
                .push_bind(direction);
        }
        if let Some(category) = self.category.as_deref().map(str::trim) {
            q.push(format_args!(" AND {alias}.category = "))
                .push_bind(category.to_owned());
        }
        if let Some(starred) = self.starred {
            q.push(format_args!(" AND {alias}.starred = "))
                .push_bind(starred);
        }
        if let Some(archived) = self.archived {
            q.push(format_args!(" AND {alias}.archived = "))
                .push_bind(archived);
        }
        if let Some(held) = self.legal_hold {
            q.push(format_args!(" AND {alias}.legal_hold = "))
                .push_bind(held);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_any_notation_search_by_digits() {
        for (typed, digits) in [
            ("555", "555"),
            ("+1 555", "1555"),
            ("(555) 12", "55512"),
            (" 020-7946 ", "0207946"),
        ] {
            assert_eq!(
                Search::parse(typed),
                Some(Search::Phone(digits.into())),
                "{typed:?}"
            );
        }
    }

    #[test]
    fn anything_else_searches_names_case_insensitively() {
        assert_eq!(Search::parse("Ana R"), Some(Search::Name("ana r".into())));
        assert_eq!(Search::parse("   "), None, "blank text is no search");
        assert_eq!(
            Search::parse("+-()"),
            Some(Search::Name("+-()".into())),
            "punctuation alone is not a number"
        );
    }

    #[test]
    fn fts_syntax_in_search_text_stays_a_literal_phrase() {
        assert_eq!(
            fts_phrase("contact_name", "a\" OR \"b"),
            "contact_name : \"a\"\" OR \"\"b\""
        );
        assert_eq!(fts_phrase("contact_name", "x*"), "contact_name : \"x*\"");
    }

    #[test]
    fn like_wildcards_in_search_text_are_escaped() {
        assert_eq!(like_pattern("5%_"), "%5\\%\\_%");
    }
}
