//! Changing recordings: the allow-listed patch, legal hold, bulk actions and deletion.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::model::Priority;
use crate::audit::{audited, Operation};
use crate::error::{Error, Result};
use crate::ids::RecordingSid;
use crate::session::UserScope;

/// The only fields a user may change. Anything else in a patch is refused.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecordingPatch {
    #[specta(optional)]
    pub tags: Option<Vec<String>>,
    /// An empty string clears the category.
    #[specta(optional)]
    pub category: Option<String>,
    #[specta(optional)]
    pub priority: Option<Priority>,
    #[specta(optional)]
    pub starred: Option<bool>,
    #[specta(optional)]
    pub archived: Option<bool>,
    /// An empty string clears the notes.
    #[specta(optional)]
    pub notes: Option<String>,
}

const PATCH_FIELDS: &[&str] = &[
    "tags", "category", "priority", "starred", "archived", "notes",
];
pub const MAX_TAGS: usize = 20;
pub const MAX_TAG_CHARS: usize = 40;
pub const MAX_CATEGORY_CHARS: usize = 60;
pub const MAX_NOTES_CHARS: usize = 10_000;
/// A bulk request names at most this many recordings.
pub const MAX_BULK: usize = 5_000;

/// A patch as the UI sent it, checked against the allow-list before it is read.
#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(transparent)]
pub struct RecordingPatchInput(#[specta(type = RecordingPatch)] pub serde_json::Value);

impl RecordingPatchInput {
    pub fn into_patch(self) -> Result<RecordingPatch> {
        let object = self
            .0
            .as_object()
            .ok_or_else(|| Error::invalid("The changes must be a set of fields."))?;
        let refused: Vec<String> = object
            .keys()
            .filter(|k| !PATCH_FIELDS.contains(&k.as_str()))
            .map(|k| {
                k.chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .take(40)
                    .collect()
            })
            .collect();
        if !refused.is_empty() {
            return Err(Error::invalid(format!(
                "Only tags, category, priority, starred, archived and notes can be changed; not {}.",
                refused.join(", ")
            )));
        }
        serde_json::from_value(self.0).map_err(|_| {
            Error::invalid("A changed field has the wrong kind of value (tags are a list of words, starred and archived are yes/no).")
        })
    }
}

impl RecordingPatch {
    /// Trims and checks every field; tags are deduplicated, keeping their order.
    fn normalised(mut self) -> Result<Self> {
        if let Some(tags) = self.tags.take() {
            let mut seen = BTreeSet::new();
            let mut clean = Vec::new();
            for tag in tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
                if tag.chars().count() > MAX_TAG_CHARS || tag.chars().any(char::is_control) {
                    return Err(Error::invalid(format!(
                        "A tag can have at most {MAX_TAG_CHARS} characters."
                    )));
                }
                if seen.insert(tag.to_lowercase()) {
                    clean.push(tag.to_owned());
                }
            }
            if clean.len() > MAX_TAGS {
                return Err(Error::invalid(format!(
                    "A recording can have at most {MAX_TAGS} tags."
                )));
            }
            self.tags = Some(clean);
        }
        if let Some(category) = &self.category {
            let trimmed = category.trim();
            if trimmed.chars().count() > MAX_CATEGORY_CHARS || trimmed.chars().any(char::is_control)
            {
                return Err(Error::invalid(format!(
                    "A category can have at most {MAX_CATEGORY_CHARS} characters."
                )));
            }
            self.category = Some(trimmed.to_owned());
        }
        if self
            .notes
            .as_ref()
            .is_some_and(|n| n.chars().count() > MAX_NOTES_CHARS)
        {
            return Err(Error::invalid(format!(
                "Notes can have at most {MAX_NOTES_CHARS} characters."
            )));
        }
        Ok(self)
    }

    fn is_empty(&self) -> bool {
        *self == RecordingPatch::default()
    }
}

pub async fn update_recording(
    scope: &UserScope,
    id: &str,
    patch: RecordingPatch,
    now_ms: i64,
) -> Result<()> {
    let sids = vec![id.to_owned()];
    audited(scope, Operation::Update, &sids, now_ms, async {
        let sid = RecordingSid::parse(id)?;
        let patch = patch.normalised()?;
        if patch.is_empty() {
            return exists(scope, &sid).await;
        }
        let mut q: QueryBuilder<'_, Sqlite> =
            QueryBuilder::new("UPDATE recordings SET updated_at_ms = ");
        q.push_bind(now_ms);
        if let Some(tags) = &patch.tags {
            let json = serde_json::to_string(tags).map_err(|e| Error::Internal(e.to_string()))?;
            q.push(", tags = ").push_bind(json);
        }
        if let Some(category) = patch.category {
            q.push(", category = ")
                .push_bind((!category.is_empty()).then_some(category));
        }
        if let Some(priority) = patch.priority {
            q.push(", priority = ").push_bind(priority);
        }
        if let Some(starred) = patch.starred {
            q.push(", starred = ").push_bind(starred);
        }
        if let Some(archived) = patch.archived {
            q.push(", archived = ").push_bind(archived);
        }
        if let Some(notes) = patch.notes {
            q.push(", notes = ")
                .push_bind((!notes.trim().is_empty()).then_some(notes));
        }
        q.push(" WHERE user_id = ")
            .push_bind(scope.user_id().to_owned());
        q.push(" AND sid = ").push_bind(sid.as_str().to_owned());
        let changed = q.build().execute(scope.pool()).await?.rows_affected();
        if changed == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    })
    .await
}

pub async fn set_legal_hold(scope: &UserScope, id: &str, held: bool, now_ms: i64) -> Result<()> {
    let sids = vec![id.to_owned()];
    audited(scope, Operation::LegalHold, &sids, now_ms, async {
        let sid = RecordingSid::parse(id)?;
        let user_id = scope.user_id();
        let sid_str = sid.as_str();
        let changed = sqlx::query!(
            "UPDATE recordings SET legal_hold = ?1, updated_at_ms = ?2 WHERE user_id = ?3 AND sid = ?4",
            held,
            now_ms,
            user_id,
            sid_str,
        )
        .execute(scope.pool())
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    })
    .await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum BulkAction {
    Star,
    Unstar,
    Archive,
    Unarchive,
    Delete,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BulkResult {
    pub changed: u32,
}

/// Applies `action` to every named recording, or to none: if any id is missing, another
/// user's, or (for delete) on legal hold, nothing changes and the error says how many.
pub async fn bulk_update(
    scope: &UserScope,
    action: BulkAction,
    ids: &[String],
    now_ms: i64,
) -> Result<BulkResult> {
    let op = match action {
        BulkAction::Star => Operation::BulkStar,
        BulkAction::Unstar => Operation::BulkUnstar,
        BulkAction::Archive => Operation::BulkArchive,
        BulkAction::Unarchive => Operation::BulkUnarchive,
        BulkAction::Delete => Operation::BulkDelete,
    };
    audited(scope, op, ids, now_ms, async {
        let sids = owned_sids(ids)?;
        let mut tx = crate::library::db::begin_write(scope.pool()).await?;
        check_all_owned(&mut tx, scope, &sids, ids.len()).await?;
        let changed = match action {
            BulkAction::Delete => {
                let files = delete_rows(&mut tx, scope, &sids, now_ms).await?;
                tx.commit().await?;
                remove_files(scope, &files).await;
                forget_waveforms(scope, &sids).await;
                sids.len()
            }
            _ => {
                let (column, value) = match action {
                    BulkAction::Star => ("starred", true),
                    BulkAction::Unstar => ("starred", false),
                    BulkAction::Archive => ("archived", true),
                    _ => ("archived", false),
                };
                let mut q: QueryBuilder<'_, Sqlite> =
                    QueryBuilder::new(format!("UPDATE recordings SET {column} = "));
                q.push_bind(value)
                    .push(", updated_at_ms = ")
                    .push_bind(now_ms);
                q.push(" WHERE user_id = ")
                    .push_bind(scope.user_id().to_owned());
                push_sid_list(&mut q, &sids);
                q.build().execute(&mut *tx).await?;
                tx.commit().await?;
                sids.len()
            }
        };
        Ok(BulkResult {
            changed: u32::try_from(changed).unwrap_or(u32::MAX),
        })
    })
    .await
}

/// Deletes the recording and its local audio, and remembers its SID so no sync brings it back.
pub async fn delete_recording(scope: &UserScope, id: &str, now_ms: i64) -> Result<()> {
    let ids = vec![id.to_owned()];
    audited(scope, Operation::Delete, &ids, now_ms, async {
        let sids = owned_sids(&ids)?;
        let mut tx = crate::library::db::begin_write(scope.pool()).await?;
        check_all_owned(&mut tx, scope, &sids, 1)
            .await
            .map_err(|_| Error::NotFound)?;
        let files = delete_rows(&mut tx, scope, &sids, now_ms).await?;
        tx.commit().await?;
        remove_files(scope, &files).await;
        forget_waveforms(scope, &sids).await;
        Ok(())
    })
    .await
}

/// The recording's SID if the user may delete it: theirs, and not on legal hold.
/// Deleting at Twilio asks this first, so nothing leaves Twilio that could not go here.
pub async fn check_deletable(scope: &UserScope, id: &str) -> Result<RecordingSid> {
    let sid = RecordingSid::parse(id)?;
    let user_id = scope.user_id();
    let sid_str = sid.as_str();
    let held = sqlx::query_scalar!(
        r#"SELECT legal_hold AS "legal_hold: bool" FROM recordings WHERE user_id = ?1 AND sid = ?2"#,
        user_id,
        sid_str,
    )
    .fetch_optional(scope.pool())
    .await?;
    match held {
        None => Err(Error::NotFound),
        Some(true) => Err(Error::OnLegalHold { count: 1, asked: 1 }),
        Some(false) => Ok(sid),
    }
}

/// Parses and deduplicates; a malformed id counts as a missing recording.
fn owned_sids(ids: &[String]) -> Result<Vec<RecordingSid>> {
    if ids.is_empty() {
        return Err(Error::invalid("Choose at least one recording."));
    }
    if ids.len() > MAX_BULK {
        return Err(Error::invalid(format!(
            "At most {MAX_BULK} recordings can be changed at once."
        )));
    }
    let mut parsed = BTreeSet::new();
    let mut malformed = 0;
    for id in ids {
        match RecordingSid::parse(id) {
            Ok(sid) => {
                parsed.insert(sid);
            }
            Err(_) => malformed += 1,
        }
    }
    if malformed > 0 {
        return Err(Error::SomeNotFound {
            missing: malformed,
            asked: ids.len(),
        });
    }
    Ok(parsed.into_iter().collect())
}

fn push_sid_list(q: &mut QueryBuilder<'_, Sqlite>, sids: &[RecordingSid]) {
    q.push(" AND sid IN (");
    let mut list = q.separated(", ");
    for sid in sids {
        list.push_bind(sid.as_str().to_owned());
    }
    q.push(")");
}

async fn check_all_owned(
    conn: &mut SqliteConnection,
    scope: &UserScope,
    sids: &[RecordingSid],
    asked: usize,
) -> Result<()> {
    let mut q: QueryBuilder<'_, Sqlite> =
        QueryBuilder::new("SELECT count(*) FROM recordings WHERE user_id = ");
    q.push_bind(scope.user_id().to_owned());
    push_sid_list(&mut q, sids);
    let owned: i64 = q.build_query_scalar().fetch_one(&mut *conn).await?;
    let missing = sids
        .len()
        .saturating_sub(usize::try_from(owned).unwrap_or(0));
    if missing > 0 {
        return Err(Error::SomeNotFound {
            missing: missing.max(1),
            asked,
        });
    }
    Ok(())
}

/// Deletes the rows (refusing held ones) and writes tombstones. Returns the audio files to
/// remove once the transaction has committed.
async fn delete_rows(
    conn: &mut SqliteConnection,
    scope: &UserScope,
    sids: &[RecordingSid],
    now_ms: i64,
) -> Result<Vec<String>> {
    let mut q: QueryBuilder<'_, Sqlite> =
        QueryBuilder::new("SELECT count(*) FROM recordings WHERE legal_hold = 1 AND user_id = ");
    q.push_bind(scope.user_id().to_owned());
    push_sid_list(&mut q, sids);
    let held: i64 = q.build_query_scalar().fetch_one(&mut *conn).await?;
    if held > 0 {
        return Err(Error::OnLegalHold {
            count: usize::try_from(held).unwrap_or(1),
            asked: sids.len(),
        });
    }
    let mut q: QueryBuilder<'_, Sqlite> =
        QueryBuilder::new("DELETE FROM recordings WHERE user_id = ");
    q.push_bind(scope.user_id().to_owned());
    push_sid_list(&mut q, sids);
    q.push(" RETURNING local_file");
    let files: Vec<Option<String>> = q.build_query_scalar().fetch_all(&mut *conn).await?;
    let mut q: QueryBuilder<'_, Sqlite> =
        QueryBuilder::new("INSERT OR REPLACE INTO tombstones (user_id, sid, deleted_at_ms) ");
    q.push_values(sids, |mut row, sid| {
        row.push_bind(scope.user_id().to_owned())
            .push_bind(sid.as_str().to_owned())
            .push_bind(now_ms);
    });
    q.build().execute(&mut *conn).await?;
    Ok(files.into_iter().flatten().collect())
}

/// Removes audio files from the user's media folder. A file already gone is fine; any other
/// failure is logged, and the orphan stays harmless (no row points to it).
pub(crate) async fn remove_files(scope: &UserScope, names: &[String]) {
    for name in names {
        let Ok(path) = scope.paths().media_file(name) else {
            continue;
        };
        if let Err(error) = tokio::fs::remove_file(&path).await {
            if error.kind() != std::io::ErrorKind::NotFound {
                tracing::warn!(user_id = scope.user_id(), file = name, %error, "could not remove an audio file");
            }
        }
    }
}

/// Removes the waveform caches of deleted recordings, so nothing of them stays behind.
async fn forget_waveforms(scope: &UserScope, sids: &[RecordingSid]) {
    let names: Vec<&str> = sids.iter().map(RecordingSid::as_str).collect();
    crate::player::remove_waveform_caches(scope, &names).await;
}

/// `Ok` if the recording is the user's, `not_found` otherwise.
pub(crate) async fn exists(scope: &UserScope, sid: &RecordingSid) -> Result<()> {
    let user_id = scope.user_id();
    let sid_str = sid.as_str();
    let found = sqlx::query_scalar!(
        "SELECT id FROM recordings WHERE user_id = ?1 AND sid = ?2",
        user_id,
        sid_str,
    )
    .fetch_optional(scope.pool())
    .await?;
    found.map(|_| ()).ok_or(Error::NotFound)
}

/// Whether a SID was deleted by the user (a sync must skip it).
pub async fn is_tombstoned(scope: &UserScope, sid: &RecordingSid) -> Result<bool> {
    let user_id = scope.user_id();
    let sid_str = sid.as_str();
    let found = sqlx::query_scalar!(
        r#"SELECT 1 AS "found!: i64" FROM tombstones WHERE user_id = ?1 AND sid = ?2"#,
        user_id,
        sid_str,
    )
    .fetch_optional(scope.pool())
    .await?;
    Ok(found.is_some())
}
