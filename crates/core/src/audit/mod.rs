//! The audit trail: who (the session's user id) did what, to which recordings, when, and how
//! it ended — to the log and to the user's audit table. It covers access as well as edits:
//! signing in and out, switching accounts, opening offline, Twilio connect and disconnect,
//! sync runs, plays, downloads, exports, transcriptions and analyses. Never a secret, a
//! token, a URL, a path or SQL.
//! Reads that the UI repeats on a timer (list, count, stats, status) go to the log only, so
//! the table keeps what a person did rather than what a poll did.

mod read;

use std::future::Future;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::ids::RecordingSid;
use crate::session::UserScope;

pub use read::{audit_csv, list_audit, AuditEntry, AuditRequest};

/// What was done. Its snake_case name is what the table, the view and the CSV hold.
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
    /// A sign-in that opened this user's library (the browser flow, or a kept session).
    SignIn,
    SignOut,
    /// Recorded in the arriving user's trail: "switched to this account".
    SwitchAccount,
    /// Recorded in the leaving user's trail: "switched to another account" (never which).
    SwitchAway,
    /// The library opened without the provider confirming the session (offline start).
    OfflineOpen,
    TwilioConnect,
    TwilioDisconnect,
    /// One entry per sync run: who started it (manual or background) and what it did.
    Sync,
    /// A play start (not a resume).
    Play,
    /// "Download now", or audio streamed from Twilio and cached.
    Download,
    Transcribe,
    AnalyseAudio,
    AnalyseAi,
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
            Operation::SignIn => "sign_in",
            Operation::SignOut => "sign_out",
            Operation::SwitchAccount => "switch_account",
            Operation::SwitchAway => "switch_away",
            Operation::OfflineOpen => "offline_open",
            Operation::TwilioConnect => "twilio_connect",
            Operation::TwilioDisconnect => "twilio_disconnect",
            Operation::Sync => "sync",
            Operation::Play => "play",
            Operation::Download => "download",
            Operation::Transcribe => "transcribe",
            Operation::AnalyseAudio => "analyse_audio",
            Operation::AnalyseAi => "analyse_ai",
        }
    }
}

/// How an operation ended. On `error` (a failure) the entry's detail names the error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Ok,
    Error,
    /// Stopped on request (Cancel, a sign-out, a switch).
    Cancelled,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Error => "error",
            Outcome::Cancelled => "cancelled",
        }
    }

    pub(crate) fn of<T>(result: &Result<T>) -> Self {
        match result {
            Ok(_) => Outcome::Ok,
            Err(e) if e.code() == ErrorCode::Cancelled => Outcome::Cancelled,
            Err(_) => Outcome::Error,
        }
    }
}

/// At most this many ids are kept per entry (a bulk request names at most 5,000).
const MAX_AUDITED_IDS: usize = 5_000;
/// What stands in the log for an id that is not a recording SID.
pub const INVALID_ID: &str = "(invalid id)";
/// A detail is a few words or counts, never more.
const MAX_DETAIL: usize = 120;

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

/// The detail as the trail may keep it: at most 120 characters of ASCII letters, digits,
/// spaces and `,.;:()+-_`. That shape holds words, counts and error codes, and not a URL or
/// a path (no `/` or `\`), an e-mail address (no `@`), a query or a padded token (no `=`) or
/// quoted SQL (no quotes); a detail of any other shape is dropped, and the log says so
/// without its text. A safety net only: callers still never pass a secret.
fn safe_detail(detail: Option<&str>) -> Option<&str> {
    let detail = detail?.trim();
    let allowed = |c: char| c.is_ascii_alphanumeric() || " ,.;:()+-_".contains(c);
    if detail.is_empty() {
        None
    } else if detail.len() <= MAX_DETAIL && detail.chars().all(allowed) {
        Some(detail)
    } else {
        tracing::warn!(
            len = detail.len(),
            "an audit detail of an unexpected shape was not kept"
        );
        None
    }
}

/// Records one entry in the user's audit trail (their audit table, shown in the Audit view
/// and its CSV) and in the log: `op` by `scope`'s user at `now_ms`, naming `recordings`
/// (recording SIDs; empty for session events), ending with `outcome`, with an optional short
/// `detail` ("manual: 3 synced, 3 new", "auth token", an error code).
///
/// The entry goes to `scope`'s own database only, so it is in that user's trail and no
/// other. The detail is kept only if it is plain words and counts (see [`safe_detail`]):
/// never pass a token, a URL, a path, SQL, or the name of another account (a switch says
/// only "switched away", not to whom). Ids that are not recording SIDs are kept as
/// [`INVALID_ID`]. A failure to write is logged, never returned: the audit must not undo
/// or fail what it records. Call it while `scope` is open — for a sign-out, before the
/// scope's database is closed.
pub(crate) async fn record(
    scope: &UserScope,
    op: Operation,
    recordings: &[String],
    outcome: Outcome,
    detail: Option<&str>,
    now_ms: i64,
) {
    write(scope, op, recordings, outcome, detail, None, now_ms).await;
}

/// Records how `result` ended: ok with `context` as the detail; an error with its code
/// (`"context: NotFound"`, or the code alone); cancelled with `context`. The error itself
/// goes to the log only.
pub(crate) async fn record_result<T>(
    scope: &UserScope,
    op: Operation,
    recordings: &[String],
    result: &Result<T>,
    context: Option<&str>,
    now_ms: i64,
) {
    let outcome = Outcome::of(result);
    let (detail, error) = match result {
        Err(e) if outcome == Outcome::Error => (
            Some(match context {
                Some(context) => format!("{context}: {:?}", e.code()),
                None => format!("{:?}", e.code()),
            }),
            Some(e),
        ),
        _ => (context.map(str::to_owned), None),
    };
    write(
        scope,
        op,
        recordings,
        outcome,
        detail.as_deref(),
        error,
        now_ms,
    )
    .await;
}

async fn write(
    scope: &UserScope,
    op: Operation,
    recordings: &[String],
    outcome: Outcome,
    detail: Option<&str>,
    error: Option<&Error>,
    now_ms: i64,
) {
    let recordings = audit_ids(recordings);
    let detail = safe_detail(detail);
    let (user_id, operation) = (scope.user_id(), op.as_str());
    match (outcome, error) {
        (Outcome::Error, Some(error)) => {
            tracing::warn!(user_id, operation, ?recordings, outcome = "error", detail, %error, "audit")
        }
        (Outcome::Error, None) => {
            tracing::warn!(
                user_id,
                operation,
                ?recordings,
                outcome = "error",
                detail,
                "audit"
            )
        }
        _ => {
            tracing::info!(
                user_id,
                operation,
                ?recordings,
                outcome = outcome.as_str(),
                detail,
                "audit"
            )
        }
    }
    let ids = serde_json::to_string(&recordings).unwrap_or_else(|_| "[]".into());
    let outcome = outcome.as_str();
    let written = sqlx::query!(
        "INSERT INTO audit_log (user_id, at_ms, operation, recordings, outcome, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        user_id,
        now_ms,
        operation,
        ids,
        outcome,
        detail,
    )
    .execute(scope.pool())
    .await;
    if let Err(error) = written {
        tracing::error!(user_id, operation, %error, "could not write the audit log");
    }
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
    record_result(scope, op, recordings, &result, None, now_ms).await;
    result
}

#[cfg(test)]
mod tests;
