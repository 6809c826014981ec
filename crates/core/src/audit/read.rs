//! The user's audit trail as the Audit view pages it and as the CSV exports it. Reading the
//! trail is not itself recorded (the view refreshes on a timer).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::library::from_ms;
use crate::session::UserScope;

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: u32,
    pub at: chrono::DateTime<chrono::Utc>,
    /// What was done: one of the `Operation` names.
    pub operation: String,
    pub recordings: Vec<String>,
    /// How it ended: one of the `Outcome` names.
    pub outcome: String,
    /// A few words: who started a sync and what it did, where audio came from, or the
    /// error code when the operation failed.
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

/// A page of the view: the user's entries before an id, newest first. The view repeats it on
/// a timer, so it must walk an index rather than sort the whole trail (a test pins its plan).
#[cfg(test)]
pub(super) const PAGE_SQL: &str = include_str!("page.sql");

/// The newest entries first, 100 at most per call.
pub async fn list_audit(scope: &UserScope, request: &AuditRequest) -> Result<Vec<AuditEntry>> {
    let limit = i64::from(request.limit.unwrap_or(100).clamp(1, 100));
    let before = request.before.map_or(i64::MAX, i64::from);
    let user_id = scope.user_id();
    let rows = sqlx::query_file_as!(AuditRow, "src/audit/page.sql", user_id, before, limit)
        .fetch_all(scope.pool())
        .await?;
    Ok(rows.into_iter().map(AuditEntry::from).collect())
}

/// The whole audit log of the user as CSV, oldest first.
pub async fn audit_csv(scope: &UserScope) -> Result<String> {
    let user_id = scope.user_id();
    let rows = sqlx::query_as!(
        AuditRow,
        r#"SELECT id AS "id!", at_ms, operation, recordings, outcome, detail FROM audit_log WHERE user_id = ?1 ORDER BY id"#,
        user_id,
    )
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
