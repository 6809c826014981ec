//! Timestamped notes (bookmarks) at a position in a recording's audio.

use serde::Serialize;

use crate::audit::{audited, Operation};
use crate::error::{Error, Result};
use crate::ids::RecordingSid;
use crate::library::from_ms;
use crate::session::UserScope;

pub const MAX_NOTE_CHARS: usize = 2_000;

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TimestampedNote {
    pub id: u32,
    pub position_ms: u32,
    pub body: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[derive(sqlx::FromRow)]
struct NoteRow {
    id: i64,
    position_ms: i64,
    body: String,
    created_at_ms: i64,
    updated_at_ms: i64,
}

impl From<NoteRow> for TimestampedNote {
    fn from(r: NoteRow) -> Self {
        TimestampedNote {
            id: u32::try_from(r.id).unwrap_or(u32::MAX),
            position_ms: u32::try_from(r.position_ms).unwrap_or(u32::MAX),
            body: r.body,
            created_at: from_ms(r.created_at_ms),
            updated_at: from_ms(r.updated_at_ms),
        }
    }
}

fn checked_body(body: &str) -> Result<String> {
    let body = body.trim();
    if body.is_empty() {
        return Err(Error::invalid("A note needs some text."));
    }
    if body.chars().count() > MAX_NOTE_CHARS {
        return Err(Error::invalid(format!(
            "A note can have at most {MAX_NOTE_CHARS} characters."
        )));
    }
    Ok(body.to_owned())
}

/// The recording's row id and duration, if it is the user's.
async fn recording_of(scope: &UserScope, id: &str) -> Result<(i64, i64)> {
    let sid = RecordingSid::parse(id)?;
    sqlx::query_as("SELECT id, duration_secs FROM recordings WHERE user_id = ?1 AND sid = ?2")
        .bind(scope.user_id())
        .bind(sid.as_str())
        .fetch_optional(scope.pool())
        .await?
        .ok_or(Error::NotFound)
}

fn check_position(position_ms: u32, duration_secs: i64) -> Result<()> {
    if i64::from(position_ms) > duration_secs.saturating_mul(1000) {
        return Err(Error::invalid("A note must sit within the recording."));
    }
    Ok(())
}

pub async fn list_notes(scope: &UserScope, recording: &str) -> Result<Vec<TimestampedNote>> {
    let (row_id, _) = recording_of(scope, recording).await?;
    let rows: Vec<NoteRow> = sqlx::query_as(
        "SELECT id, position_ms, body, created_at_ms, updated_at_ms FROM recording_notes
         WHERE user_id = ?1 AND recording_id = ?2 ORDER BY position_ms, id",
    )
    .bind(scope.user_id())
    .bind(row_id)
    .fetch_all(scope.pool())
    .await?;
    Ok(rows.into_iter().map(TimestampedNote::from).collect())
}

pub async fn add_note(
    scope: &UserScope,
    recording: &str,
    position_ms: u32,
    body: &str,
    now_ms: i64,
) -> Result<TimestampedNote> {
    let ids = vec![recording.to_owned()];
    audited(scope, Operation::AddNote, &ids, now_ms, async {
        let (row_id, duration) = recording_of(scope, recording).await?;
        check_position(position_ms, duration)?;
        let body = checked_body(body)?;
        let row: NoteRow = sqlx::query_as(
            "INSERT INTO recording_notes (user_id, recording_id, position_ms, body, created_at_ms, updated_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)
             RETURNING id, position_ms, body, created_at_ms, updated_at_ms",
        )
        .bind(scope.user_id())
        .bind(row_id)
        .bind(i64::from(position_ms))
        .bind(body)
        .bind(now_ms)
        .fetch_one(scope.pool())
        .await?;
        Ok(row.into())
    })
    .await
}

pub async fn edit_note(
    scope: &UserScope,
    note_id: u32,
    position_ms: u32,
    body: &str,
    now_ms: i64,
) -> Result<TimestampedNote> {
    audited(scope, Operation::EditNote, &[], now_ms, async {
        let body = checked_body(body)?;
        let duration: i64 = sqlx::query_scalar(
            "SELECT r.duration_secs FROM recording_notes n JOIN recordings r ON r.id = n.recording_id
             WHERE n.user_id = ?1 AND r.user_id = ?1 AND n.id = ?2",
        )
        .bind(scope.user_id())
        .bind(i64::from(note_id))
        .fetch_optional(scope.pool())
        .await?
        .ok_or(Error::NotFound)?;
        check_position(position_ms, duration)?;
        let row: NoteRow = sqlx::query_as(
            "UPDATE recording_notes SET position_ms = ?1, body = ?2, updated_at_ms = ?3
             WHERE user_id = ?4 AND id = ?5
             RETURNING id, position_ms, body, created_at_ms, updated_at_ms",
        )
        .bind(i64::from(position_ms))
        .bind(body)
        .bind(now_ms)
        .bind(scope.user_id())
        .bind(i64::from(note_id))
        .fetch_optional(scope.pool())
        .await?
        .ok_or(Error::NotFound)?;
        Ok(row.into())
    })
    .await
}

pub async fn delete_note(scope: &UserScope, note_id: u32, now_ms: i64) -> Result<()> {
    audited(scope, Operation::DeleteNote, &[], now_ms, async {
        let gone = sqlx::query("DELETE FROM recording_notes WHERE user_id = ?1 AND id = ?2")
            .bind(scope.user_id())
            .bind(i64::from(note_id))
            .execute(scope.pool())
            .await?
            .rows_affected();
        if gone == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    })
    .await
}
