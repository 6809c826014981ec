//! `record`, the entry point the session code calls for sign-in, sign-out, switch and
//! offline opening: what it writes, where, and what it refuses to keep.

use super::*;
use crate::session::{VerifiedIdentity, Workspace};

const NOW_MS: i64 = 1_795_176_000_000;

async fn user(dir: &std::path::Path, subject: &str) -> (Workspace, UserScope) {
    let ws = Workspace::new(dir);
    let scope = ws
        .sign_in(VerifiedIdentity::for_tests(subject), NOW_MS)
        .await
        .expect("sign in");
    (ws, scope)
}

fn seen(entries: &[AuditEntry]) -> Vec<(&str, &str, Option<&str>)> {
    entries
        .iter()
        .map(|e| {
            (
                e.operation.as_str(),
                e.outcome.as_str(),
                e.detail.as_deref(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_recorded_sign_in_shows_in_the_view_and_the_csv_of_that_user_only() {
    let dir = tempfile::tempdir().expect("dir");
    let (_wa, alice) = user(dir.path(), "auth0|alice").await;
    let (_wb, bob) = user(dir.path(), "auth0|bob").await;

    record(&alice, Operation::SignIn, &[], Outcome::Ok, None, NOW_MS).await;
    record(
        &alice,
        Operation::OfflineOpen,
        &[],
        Outcome::Ok,
        Some("last confirmed 3 days ago"),
        NOW_MS + 1,
    )
    .await;
    record(
        &alice,
        Operation::SwitchAway,
        &[],
        Outcome::Ok,
        None,
        NOW_MS + 2,
    )
    .await;
    record(
        &bob,
        Operation::SwitchAccount,
        &[],
        Outcome::Ok,
        None,
        NOW_MS + 2,
    )
    .await;
    record(
        &alice,
        Operation::SignOut,
        &[],
        Outcome::Ok,
        None,
        NOW_MS + 3,
    )
    .await;

    let entries = list_audit(&alice, &AuditRequest::default())
        .await
        .expect("view");
    assert_eq!(
        seen(&entries),
        vec![
            ("sign_out", "ok", None),
            ("switch_away", "ok", None),
            ("offline_open", "ok", Some("last confirmed 3 days ago")),
            ("sign_in", "ok", None),
        ],
        "the view lists Alice's session events, newest first"
    );
    assert!(
        entries.iter().all(|e| e.recordings.is_empty()),
        "session events name no recording"
    );
    assert_eq!(
        entries[3].at.timestamp_millis(),
        NOW_MS,
        "at the given time"
    );
    let csv = audit_csv(&alice).await.expect("csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 5, "a header and one line per entry: {csv}");
    assert!(
        lines[1].contains(&format!(",{},sign_in,,ok,", alice.user_id())),
        "the CSV says who signed in (their account's key), and how it ended: {csv}"
    );
    assert!(
        !csv.contains("switch_account"),
        "Bob's switch is not in Alice's CSV"
    );

    let bobs = list_audit(&bob, &AuditRequest::default())
        .await
        .expect("view");
    assert_eq!(
        seen(&bobs),
        vec![("switch_account", "ok", None)],
        "Bob's trail holds only his own entry"
    );
}

#[tokio::test]
async fn a_detail_that_could_hold_a_secret_url_or_path_is_not_kept() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = user(dir.path(), "auth0|careless").await;
    let home = dir.path().to_string_lossy().into_owned();
    let long = "a".repeat(MAX_DETAIL + 1);
    let refused = [
        "https://user:pass@example.com/?token=abc",
        home.as_str(),
        "C:\\Users\\someone",
        "token=eyJhbGciOiJSUzI1NiJ9",
        "someone@example.com",
        "'; DROP TABLE audit_log; --",
        long.as_str(),
        "caf\u{e9}",
    ];
    for detail in refused {
        record(
            &scope,
            Operation::SignIn,
            &[],
            Outcome::Error,
            Some(detail),
            NOW_MS,
        )
        .await;
    }
    let ids = ["../../etc/passwd".to_owned()];
    record(
        &scope,
        Operation::Play,
        &ids,
        Outcome::Ok,
        Some("  "),
        NOW_MS,
    )
    .await;

    let entries = list_audit(&scope, &AuditRequest::default())
        .await
        .expect("view");
    assert_eq!(
        entries.len(),
        refused.len() + 1,
        "every event is still recorded"
    );
    assert!(
        entries.iter().all(|e| e.detail.is_none()),
        "none of those details is kept: {entries:?}"
    );
    assert_eq!(
        entries[0].recordings,
        vec![INVALID_ID.to_owned()],
        "an id that is not a SID is a placeholder"
    );
    let csv = audit_csv(&scope).await.expect("csv");
    for part in ["pass", "example", "Users", "eyJ", "DROP", "etc", &home] {
        assert!(!csv.contains(part), "{part:?} reached the CSV: {csv}");
    }
}

#[tokio::test]
async fn a_result_is_recorded_as_ok_cancelled_or_its_error_code() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = user(dir.path(), "auth0|results").await;
    let ok: Result<()> = Ok(());
    let cancelled: Result<()> = Err(Error::Cancelled);
    let failed: Result<()> = Err(Error::Internal("at /home/someone/x.db: disk I/O".into()));
    for result in [&ok, &cancelled, &failed] {
        record_result(&scope, Operation::Sync, &[], result, Some("manual"), NOW_MS).await;
    }
    record_result(&scope, Operation::Transcribe, &[], &failed, None, NOW_MS).await;
    let mut entries = list_audit(&scope, &AuditRequest::default())
        .await
        .expect("view");
    entries.reverse();
    assert_eq!(
        seen(&entries),
        vec![
            ("sync", "ok", Some("manual")),
            ("sync", "cancelled", Some("manual")),
            ("sync", "error", Some("manual: Internal")),
            ("transcribe", "error", Some("Internal")),
        ],
        "the outcome follows the result; a failure keeps its code, never its text"
    );
}

#[tokio::test]
async fn a_trail_written_before_access_was_audited_is_kept_and_can_then_say_cancelled() {
    // A library as the previous version left it: every migration before this one.
    let dir = tempfile::tempdir().expect("dir");
    let all = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    let old = dir.path().join("old-migrations");
    std::fs::create_dir(&old).expect("dir");
    for file in std::fs::read_dir(&all).expect("migrations").flatten() {
        let name = file.file_name().to_string_lossy().into_owned();
        if name.as_str() < "20261129000008" {
            std::fs::copy(file.path(), old.join(&name)).expect("copy");
        }
    }
    let path = dir.path().join("library.db");
    let url = format!("sqlite://{}?mode=rwc", path.to_string_lossy());
    let pool = sqlx::SqlitePool::connect(&url).await.expect("open");
    sqlx::migrate::Migrator::new(old.as_path())
        .await
        .expect("migrations")
        .run(&pool)
        .await
        .expect("the previous schema");
    sqlx::query("INSERT INTO users (id, display_name, created_at_ms) VALUES ('u', 'U', 0)")
        .execute(&pool)
        .await
        .expect("user");
    let insert = |outcome: &'static str| {
        sqlx::query(
            "INSERT INTO audit_log (user_id, at_ms, operation, recordings, outcome, detail)
             VALUES ('u', 5, 'export', '[]', ?1, 'NotFound')",
        )
        .bind(outcome)
    };
    insert("error").execute(&pool).await.expect("old row");
    assert!(
        insert("cancelled").execute(&pool).await.is_err(),
        "the previous schema refuses a cancelled outcome"
    );
    pool.close().await;

    let pool = crate::library::db::open(&path).await.expect("migrated");
    let rows: Vec<(i64, i64, String, String, Option<String>)> =
        sqlx::query_as("SELECT id, at_ms, operation, outcome, detail FROM audit_log")
            .fetch_all(&pool)
            .await
            .expect("rows");
    assert_eq!(
        rows,
        vec![(
            1,
            5,
            "export".into(),
            "error".into(),
            Some("NotFound".into())
        )],
        "the old entry is kept as it was, with its id"
    );
    insert("cancelled")
        .execute(&pool)
        .await
        .expect("a cancelled outcome is allowed now");
    assert!(
        insert("maybe").execute(&pool).await.is_err(),
        "and nothing else"
    );
}

#[tokio::test]
async fn a_page_of_the_view_walks_an_index_without_sorting_the_trail() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = user(dir.path(), "auth0|long-trail").await;
    for n in 0..50 {
        record(&scope, Operation::Play, &[], Outcome::Ok, None, NOW_MS + n).await;
    }
    let steps: Vec<(i64, i64, i64, String)> =
        sqlx::query_as(&format!("EXPLAIN QUERY PLAN {}", read::PAGE_SQL))
            .bind(scope.user_id())
            .bind(i64::MAX)
            .bind(100)
            .fetch_all(scope.pool())
            .await
            .expect("plan");
    let plan: Vec<&str> = steps.iter().map(|s| s.3.as_str()).collect();
    assert_eq!(
        plan,
        vec!["SEARCH audit_log USING INDEX audit_log_by_user (user_id=? AND id<?)"],
        "plays and background syncs make the trail long; the view must not sort all of it"
    );
}
