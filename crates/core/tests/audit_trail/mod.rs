//! Reading a user's audit trail in the access tests: what each entry says, and the checks
//! every test repeats (nothing secret in it, nothing in another user's trail).
#![allow(dead_code)]

use calldeck_core::audit::{audit_csv, list_audit, AuditRequest};
use calldeck_core::UserScope;

/// One entry as the tests compare it: operation, outcome, recordings, detail.
pub type Entry = (String, String, Vec<String>, Option<String>);

/// The user's whole trail, oldest first.
pub async fn trail(scope: &UserScope) -> Vec<Entry> {
    let mut entries = list_audit(
        scope,
        &AuditRequest {
            before: None,
            limit: Some(100),
        },
    )
    .await
    .expect("the audit view reads");
    entries.reverse();
    entries
        .into_iter()
        .map(|e| (e.operation, e.outcome, e.recordings, e.detail))
        .collect()
}

pub fn entry(op: &str, outcome: &str, recordings: &[&str], detail: Option<&str>) -> Entry {
    (
        op.to_owned(),
        outcome.to_owned(),
        recordings.iter().map(|r| (*r).to_owned()).collect(),
        detail.map(str::to_owned),
    )
}

/// Neither the audit view nor its CSV holds any of `secrets` (tokens, keys, URLs, paths).
pub async fn assert_holds_none(scope: &UserScope, secrets: &[&str]) {
    let csv = audit_csv(scope).await.expect("csv");
    let view = format!("{:?}", trail(scope).await);
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        assert!(
            !csv.contains(secret) && !view.contains(secret),
            "the audit trail must not hold {secret:?}: {csv}"
        );
    }
    for shape in ["://", "SELECT", "INSERT"] {
        assert!(
            !csv.contains(shape),
            "no URL or SQL in the audit trail: {csv}"
        );
    }
}
