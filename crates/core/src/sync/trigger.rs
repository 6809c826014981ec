//! Who started a sync run, and the one audit entry each run leaves in the user's trail.

use super::{SyncOptions, SyncResult};
use crate::audit::{self, Operation, Outcome};
use crate::error::{ErrorCode, Result};
use crate::session::UserScope;

/// Who started a sync run: the person (the sync button) or the background timer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SyncTrigger {
    #[default]
    Manual,
    Background,
}

impl SyncTrigger {
    fn as_str(self) -> &'static str {
        match self {
            SyncTrigger::Manual => "manual",
            SyncTrigger::Background => "background",
        }
    }
}

/// The run's audit entry: ok, cancelled or error, with who started it and its counts
/// ("manual: 120 synced, 14 new, 0 failed, 3 downloaded") or the error code.
pub(super) async fn audit_run(
    scope: &UserScope,
    options: &SyncOptions,
    result: &Result<SyncResult>,
) {
    let by = options.started_by.as_str();
    let (outcome, detail) = match result {
        Ok(r) => (
            if r.cancelled {
                Outcome::Cancelled
            } else {
                Outcome::Ok
            },
            format!(
                "{by}: {} synced, {} new, {} failed, {} downloaded",
                r.synced, r.new, r.failed, r.downloaded
            ),
        ),
        Err(e) if e.code() == ErrorCode::Cancelled => (Outcome::Cancelled, by.to_owned()),
        Err(e) => (Outcome::Error, format!("{by}: {:?}", e.code())),
    };
    audit::record(
        scope,
        Operation::Sync,
        &[],
        outcome,
        Some(&detail),
        options.now_ms,
    )
    .await;
}
