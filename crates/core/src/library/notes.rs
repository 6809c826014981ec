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
    let user_id = scope.user_id();
    let sid_str = sid.as_str();
    let row = sqlx::query!(
        r#"SELECT id AS "id!", duration_secs FROM recordings WHERE user_id = ?1 AND sid = ?2"#,
        user_id,
        sid_str,
    )
    .fetch_optional(scope.pool())
    .await?
    .ok_or(Error::NotFound)?;
    Ok((row.id, row.duration_secs))
}

fn check_position(position_ms: u32, duration_secs: i64) -> Result<()> {
    if i64::from(position_ms) > duration_secs.saturating_mul(1000) {
        return Err(Error::invalid("A note must sit within the recording."));
    }
    Ok(())
}

pub async fn list_notes(scope: &UserScope, recording: &str) -> Result<Vec<TimestampedNote>> {
    let (row_id, _) = recording_of(scope, recording).await?;
    let user_id = scope.user_id();
    let rows = sqlx::query_as!(
        NoteRow,
        r#"SELECT id AS "id!", position_ms, body, created_at_ms, updated_at_ms FROM recording_notes
           WHERE user_id = ?1 AND recording_id = ?2 ORDER BY position_ms, id"#,
        user_id,
        row_id,
    )
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
        let user_id = scope.user_id();
        let position = i64::from(position_ms);
        let row = sqlx::query_as!(
            NoteRow,
            r#"INSERT INTO recording_notes (user_id, recording_id, position_ms, body, created_at_ms, updated_at_ms)
               VALUES (?1, ?2, ?3, ?4, ?5, ?5)
               RETURNING id AS "id!", position_ms, body, created_at_ms, updated_at_ms"#,
            user_id,
            row_id,
            position,
            body,
            now_ms,
        )
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
        let user_id = scope.user_id();
        let note = i64::from(note_id);
        let duration = sqlx::query_scalar!(
            "SELECT r.duration_secs FROM recording_notes n JOIN recordings r ON r.id = n.recording_id
             WHERE n.user_id = ?1 AND r.user_id = ?1 AND n.id = ?2",
            user_id,
            note,
        )
        .fetch_optional(scope.pool())
        .await?
        .ok_or(Error::NotFound)?;
        check_position(position_ms, duration)?;
        let position = i64::from(position_ms);
        let user_id = scope.user_id();
        let note = i64::from(note_id);
        let row = sqlx::query_as!(
            NoteRow,
            r#"UPDATE recording_notes SET position_ms = ?1, body = ?2, updated_at_ms = ?3
               WHERE user_id = ?4 AND id = ?5
               RETURNING id AS "id!", position_ms, body, created_at_ms, updated_at_ms"#,
            position,
            body,
            now_ms,
            user_id,
            note,
        )
        .fetch_optional(scope.pool())
        .await?
        .ok_or(Error::NotFound)?;
        Ok(row.into())
    })
    .await
}

pub async fn delete_note(scope: &UserScope, note_id: u32, now_ms: i64) -> Result<()> {
    audited(scope, Operation::DeleteNote, &[], now_ms, async {
        let user_id = scope.user_id();
        let note = i64::from(note_id);
        let gone = sqlx::query!(
            "DELETE FROM recording_notes WHERE user_id = ?1 AND id = ?2",
            user_id,
            note,
        )
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
