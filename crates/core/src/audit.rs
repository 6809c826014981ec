//! The audit trail: who (the session's user id) did what, to which recordings, when, and how
//! it ended — to the log and to the user's audit table. Never a secret or a token.
//! Reads that the UI repeats on a timer (list, count, stats) go to the log only, so the table
//! keeps what a person did rather than what a poll did.

use std::future::Future;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ids::RecordingSid;
use crate::library::from_ms;
use crate::session::UserScope;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    Update,
    AddNote,
    EditNote,
    DeleteNote,
    LegalHold,
    BulkStar,
    BulkUnstar,
    BulkArchive,
    BulkUnarchive,
    BulkDelete,
    Delete,
    DeleteAtTwilio,
    Export,
    Cleanup,
}

impl Operation {
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Update => "update",
            Operation::AddNote => "add_note",
            Operation::EditNote => "edit_note",
            Operation::DeleteNote => "delete_note",
            Operation::LegalHold => "legal_hold",
            Operation::BulkStar => "bulk_star",
            Operation::BulkUnstar => "bulk_unstar",
            Operation::BulkArchive => "bulk_archive",
            Operation::BulkUnarchive => "bulk_unarchive",
            Operation::BulkDelete => "bulk_delete",
            Operation::Delete => "delete",
            Operation::DeleteAtTwilio => "delete_at_twilio",
            Operation::Export => "export",
            Operation::Cleanup => "cleanup",
        }
    }
}

/// At most this many ids are kept per entry (a bulk request names at most 5,000).
const MAX_AUDITED_IDS: usize = 5_000;
/// What stands in the log for an id that is not a recording SID.
pub const INVALID_ID: &str = "(invalid id)";

/// The ids as the audit keeps them: well-formed SIDs as they are; anything else (a path, a
/// NUL, megabytes of text) only as a placeholder, so hostile input never reaches the log.
fn audit_ids(ids: &[String]) -> Vec<String> {
    let mut kept: Vec<String> = ids
        .iter()
        .take(MAX_AUDITED_IDS)
        .map(|id| match RecordingSid::parse(id) {
            Ok(sid) => sid.as_str().to_owned(),
            Err(_) => INVALID_ID.to_owned(),
        })
        .collect();
    if ids.len() > MAX_AUDITED_IDS {
        kept.push(format!("(+{} more)", ids.len() - MAX_AUDITED_IDS));
    }
    kept
}

/// Runs `work`, then records the operation and its outcome. The error is passed on unchanged.
pub(crate) async fn audited<T, F>(
    scope: &UserScope,
    op: Operation,
    recordings: &[String],
    now_ms: i64,
    work: F,
) -> Result<T>
where
    F: Future<Output = Result<T>>,
{
    let result = work.await;
    let recordings = audit_ids(recordings);
    let (outcome, detail) = match &result {
        Ok(_) => ("ok", None),
        Err(e) => ("error", Some(format!("{:?}", e.code()))),
    };
    match &result {
        Ok(_) => tracing::info!(
            user_id = scope.user_id(),
            operation = op.as_str(),
            ?recordings,
            outcome,
            "audit"
        ),
        Err(e) => {
            tracing::warn!(user_id = scope.user_id(), operation = op.as_str(), ?recordings, outcome, error = %e, "audit")
        }
    }
    let ids = serde_json::to_string(&recordings).unwrap_or_else(|_| "[]".into());
    let write = sqlx::query(
        "INSERT INTO audit_log (user_id, at_ms, operation, recordings, outcome, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .bind(scope.user_id())
    .bind(now_ms)
    .bind(op.as_str())
    .bind(ids)
    .bind(outcome)
    .bind(detail)
    .execute(scope.pool())
    .await;
    if let Err(error) = write {
        tracing::error!(user_id = scope.user_id(), operation = op.as_str(), %error, "could not write the audit log");
    }
    result
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: u32,
    pub at: chrono::DateTime<chrono::Utc>,
    pub operation: String,
    pub recordings: Vec<String>,
    pub outcome: String,
    /// The error code when the operation failed.
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AuditRequest {
    /// Entries older than this id (the last id of the previous page).
    #[specta(optional)]
    pub before: Option<u32>,
    #[specta(optional)]
    pub limit: Option<u32>,
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at_ms: i64,
    operation: String,
    recordings: String,
    outcome: String,
    detail: Option<String>,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        AuditEntry {
            id: u32::try_from(r.id).unwrap_or(u32::MAX),
            at: from_ms(r.at_ms),
            operation: r.operation,
            recordings: serde_json::from_str(&r.recordings).unwrap_or_default(),
            outcome: r.outcome,
            detail: r.detail,
        }
    }
}

/// The newest entries first, 100 at most per call.
pub async fn list_audit(scope: &UserScope, request: &AuditRequest) -> Result<Vec<AuditEntry>> {
    let limit = i64::from(request.limit.unwrap_or(100).clamp(1, 100));
    let before = request.before.map_or(i64::MAX, i64::from);
    let rows: Vec<AuditRow> = sqlx::query_as(
        "SELECT id, at_ms, operation, recordings, outcome, detail FROM audit_log
         WHERE user_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3",
    )
    .bind(scope.user_id())
    .bind(before)
    .bind(limit)
    .fetch_all(scope.pool())
    .await?;
    Ok(rows.into_iter().map(AuditEntry::from).collect())
}

/// The whole audit log of the user as CSV, oldest first.
pub async fn audit_csv(scope: &UserScope) -> Result<String> {
    let rows: Vec<AuditRow> = sqlx::query_as(
        "SELECT id, at_ms, operation, recordings, outcome, detail FROM audit_log WHERE user_id = ?1 ORDER BY id",
    )
    .bind(scope.user_id())
    .fetch_all(scope.pool())
    .await?;
    let mut csv = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| Error::Internal(format!("audit CSV: {e}"));
    csv.write_record([
        "time",
        "user",
        "operation",
        "recordings",
        "outcome",
        "detail",
    ])
    .map_err(fail)?;
    for row in rows {
        let entry = AuditEntry::from(row);
        csv.write_record([
            entry.at.to_rfc3339(),
            scope.user_id().to_owned(),
            entry.operation,
            entry.recordings.join(" "),
            entry.outcome,
            entry.detail.unwrap_or_default(),
        ])
        .map_err(fail)?;
    }
    let bytes = csv
        .into_inner()
        .map_err(|e| Error::Internal(format!("audit CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::Internal(e.to_string()))
}
