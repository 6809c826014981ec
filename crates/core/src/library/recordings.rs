//! Queries over the `recordings` table. Every one is filtered on the scope's user id.

use chrono::{DateTime, Utc};

use super::model::{Direction, Priority, RecordingDetails, RecordingStatus, RecordingSummary};
use crate::error::{Error, Result};
use crate::ids::RecordingSid;
use crate::session::UserScope;

pub(crate) const SUMMARY_COLUMNS: &str =
    "r.id, r.sid, r.phone_number, r.phone_digits, r.contact_name, \
     r.direction, r.status, r.duration_secs, r.recorded_at_ms, r.category, r.starred, r.archived, \
     r.local_file IS NOT NULL AS available_offline";

#[derive(sqlx::FromRow)]
pub(crate) struct SummaryRow {
    pub(crate) id: i64,
    sid: String,
    phone_number: String,
    pub(crate) phone_digits: String,
    contact_name: Option<String>,
    direction: Direction,
    status: RecordingStatus,
    pub(crate) duration_secs: i64,
    pub(crate) recorded_at_ms: i64,
    category: Option<String>,
    starred: bool,
    archived: bool,
    available_offline: bool,
}

struct DetailRow {
    summary: SummaryRow,
    call_sid: Option<String>,
    channels: i64,
    tags: String,
    priority: Priority,
    legal_hold: bool,
    notes: Option<String>,
    local_file_bytes: Option<i64>,
    play_count: i64,
    download_count: i64,
    last_played_at_ms: Option<i64>,
    last_downloaded_at_ms: Option<i64>,
}

pub async fn get_recording(scope: &UserScope, id: &str) -> Result<RecordingDetails> {
    let sid = RecordingSid::parse(id)?;
    // The summary's columns are SUMMARY_COLUMNS spelled out: a checked query is one literal.
    let user_id = scope.user_id();
    let sid_str = sid.as_str();
    let row = sqlx::query!(
        r#"SELECT r.id AS "id!", r.sid, r.phone_number, r.phone_digits, r.contact_name,
                r.direction AS "direction: Direction", r.status AS "status: RecordingStatus",
                r.duration_secs, r.recorded_at_ms, r.category, r.starred AS "starred: bool",
                r.archived AS "archived: bool",
                r.local_file IS NOT NULL AS "available_offline!: bool",
                r.call_sid, r.channels, r.tags, r.priority AS "priority: Priority",
                r.legal_hold AS "legal_hold: bool", r.notes, r.local_file_bytes, r.play_count,
                r.download_count, r.last_played_at_ms, r.last_downloaded_at_ms
         FROM recordings r WHERE r.user_id = ?1 AND r.sid = ?2"#,
        user_id,
        sid_str,
    )
    .fetch_optional(scope.pool())
    .await?;
    let row = row.ok_or(Error::NotFound)?;
    tracing::info!(user_id = scope.user_id(), recording = %sid, "fetched recording details");
    let row = DetailRow {
        summary: SummaryRow {
            id: row.id,
            sid: row.sid,
            phone_number: row.phone_number,
            phone_digits: row.phone_digits,
            contact_name: row.contact_name,
            direction: row.direction,
            status: row.status,
            duration_secs: row.duration_secs,
            recorded_at_ms: row.recorded_at_ms,
            category: row.category,
            starred: row.starred,
            archived: row.archived,
            available_offline: row.available_offline,
        },
        call_sid: row.call_sid,
        channels: row.channels,
        tags: row.tags,
        priority: row.priority,
        legal_hold: row.legal_hold,
        notes: row.notes,
        local_file_bytes: row.local_file_bytes,
        play_count: row.play_count,
        download_count: row.download_count,
        last_played_at_ms: row.last_played_at_ms,
        last_downloaded_at_ms: row.last_downloaded_at_ms,
    };
    Ok(row.into_details())
}

impl SummaryRow {
    pub(crate) fn into_summary(self) -> RecordingSummary {
        RecordingSummary {
            id: self.sid,
            phone_number: self.phone_number,
            contact_name: self.contact_name,
            direction: self.direction,
            status: self.status,
            duration_secs: saturating_u32(self.duration_secs),
            recorded_at: from_ms(self.recorded_at_ms),
            category: self.category,
            starred: self.starred,
            archived: self.archived,
            available_offline: self.available_offline,
            transcript_match: None,
        }
    }
}

impl DetailRow {
    fn into_details(self) -> RecordingDetails {
        RecordingDetails {
            summary: self.summary.into_summary(),
            call_sid: self.call_sid,
            channels: saturating_u32(self.channels),
            // Tags are written only by this crate as a JSON array; anything else reads as none.
            tags: serde_json::from_str(&self.tags).unwrap_or_default(),
            priority: self.priority,
            legal_hold: self.legal_hold,
            notes: self.notes,
            #[allow(clippy::cast_precision_loss)]
            local_file_bytes: self.local_file_bytes.map(|b| b as f64),
            play_count: saturating_u32(self.play_count),
            download_count: saturating_u32(self.download_count),
            last_played_at: self.last_played_at_ms.map(from_ms),
            last_downloaded_at: self.last_downloaded_at_ms.map(from_ms),
        }
    }
}

pub(crate) fn from_ms(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

fn saturating_u32(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{VerifiedIdentity, Workspace};

    /// The per-user database is the first wall; the user_id filter is the second. A row of
    /// another user that somehow sits in this database must stay invisible.
    #[tokio::test]
    async fn rows_of_another_user_in_the_same_database_stay_invisible() {
        let dir = tempfile::tempdir().expect("temp dir");
        let workspace = Workspace::new(dir.path());
        let scope = workspace
            .sign_in(VerifiedIdentity::for_tests("auth0|me"), 0)
            .await
            .expect("sign in");
        let foreign_sid = "RE11111111111111111111111111111111";
        sqlx::query("INSERT INTO users (id, display_name, created_at_ms) VALUES ('auth0|other', 'Other', 0)")
            .execute(scope.pool())
            .await
            .expect("insert user");
        sqlx::query(
            "INSERT INTO recordings (user_id, sid, phone_number, phone_digits, direction, status,
                recorded_at_ms, updated_at_ms)
             VALUES ('auth0|other', ?1, '+15550100000', '15550100000', 'inbound', 'ready', 1, 1)",
        )
        .bind(foreign_sid)
        .execute(scope.pool())
        .await
        .expect("insert foreign row");

        let page = crate::library::list_recordings(&scope, &Default::default())
            .await
            .expect("list");
        assert_eq!(page.total, 0, "another user's row must not be counted");
        assert!(
            page.items.is_empty(),
            "another user's row must not be listed"
        );
        assert!(
            matches!(
                get_recording(&scope, foreign_sid).await,
                Err(Error::NotFound)
            ),
            "another user's row must answer not_found"
        );
    }
}
