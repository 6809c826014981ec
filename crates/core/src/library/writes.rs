//! Adding recordings to a user's library.

use super::model::{Direction, Priority, RecordingStatus};
use crate::error::Result;
use crate::ids::RecordingSid;
use crate::session::UserScope;

/// A recording as a source (the demo seed, a Twilio sync) hands it to the library.
#[derive(Debug, Clone)]
pub struct NewRecording {
    pub sid: RecordingSid,
    pub call_sid: Option<String>,
    pub phone_number: String,
    pub contact_name: Option<String>,
    pub direction: Direction,
    pub status: RecordingStatus,
    pub duration_secs: u32,
    pub channels: u32,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub priority: Priority,
    pub starred: bool,
    pub archived: bool,
    /// A plain file name inside the user's media folder.
    pub local_file: Option<String>,
    pub local_file_bytes: Option<u64>,
    pub recorded_at_ms: i64,
}

/// Digits only: what searches over numbers compare against.
pub fn phone_digits(number: &str) -> String {
    number.chars().filter(char::is_ascii_digit).collect()
}

/// Inserts the recordings in one transaction; a SID already in the library is left as it is.
/// Returns how many were new.
pub async fn insert_recordings(
    scope: &UserScope,
    recordings: &[NewRecording],
    now_ms: i64,
) -> Result<u64> {
    let mut tx = crate::library::db::begin_write(scope.pool()).await?;
    let mut inserted = 0;
    let user_id = scope.user_id();
    for r in recordings {
        let tags =
            serde_json::to_string(&r.tags).map_err(|e| crate::Error::Internal(e.to_string()))?;
        let sid = r.sid.as_str();
        let digits = phone_digits(&r.phone_number);
        let duration_secs = i64::from(r.duration_secs);
        let channels = i64::from(r.channels);
        let local_file_bytes = r.local_file_bytes.and_then(|b| i64::try_from(b).ok());
        inserted += sqlx::query!(
            "INSERT INTO recordings (user_id, sid, call_sid, phone_number, phone_digits, contact_name,
                direction, status, duration_secs, channels, category, tags, priority, starred, archived,
                local_file, local_file_bytes, recorded_at_ms, updated_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)
             ON CONFLICT (user_id, sid) DO NOTHING",
            user_id,
            sid,
            r.call_sid,
            r.phone_number,
            digits,
            r.contact_name,
            r.direction,
            r.status,
            duration_secs,
            channels,
            r.category,
            tags,
            r.priority,
            r.starred,
            r.archived,
            r.local_file,
            local_file_bytes,
            r.recorded_at_ms,
            now_ms,
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    tx.commit().await?;
    Ok(inserted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_digits_keep_only_digits() {
        assert_eq!(phone_digits("+1 (555) 123-4567"), "15551234567");
        assert_eq!(phone_digits("Ana"), "");
    }
}
