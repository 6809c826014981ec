//! Tenant isolation, as a property: twenty users share one data folder (each with a
//! workspace, a folder and a database of their own, and each database also holding rows of
//! another user, as a second wall to get past). Random sequences of every command, aimed at
//! other users' ids, planted rows, malicious ids, hostile search text and forged cursors,
//! never return or change anything foreign, answer `not_found` for foreign ids, never panic,
//! and never touch a file outside the acting user's own folder.

mod common;
mod fixtures;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use calldeck_core::audit::{audit_csv, list_audit, AuditRequest};
use calldeck_core::library::{
    add_note, bulk_update, count_recordings, delete_note, delete_recording, edit_note,
    export_recording, export_recordings, get_recording, insert_recordings, list_notes,
    list_recordings, list_recordings_after, preview_cleanup, recording_stats, run_cleanup,
    set_legal_hold, suggested_export_name, update_recording, BulkAction, CleanupPolicy,
    ListRecordingsRequest, RecordingFilter, RecordingPatch, RecordingPatchInput,
    RecordingSliceRequest, SortBy, SortOrder,
};
use calldeck_core::{ErrorCode, UserScope, Workspace};
use common::{signed_in, NOW_MS};
use fixtures::{recording, sid, tree, DAY_MS};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

const USERS: usize = 20;
const OWN: u32 = 8;

struct World {
    root: PathBuf,
    users: Vec<(Workspace, UserScope)>,
}

fn subject(u: usize) -> String {
    format!("auth0|tenant-{u:02}")
}

async fn build(root: &Path) -> World {
    let data = root.join("data");
    let mut users = Vec::new();
    for u in 0..USERS {
        let (ws, scope) = signed_in(&data, &subject(u)).await;
        let owner = u32::try_from(u).expect("small");
        let mut rows = Vec::new();
        for n in 0..OWN {
            let mut r = recording(
                &sid(owner, n),
                &format!("+1555{owner:03}{n:04}"),
                Some(&format!("Tenant {u} contact {n}")),
                NOW_MS - i64::from(n) * 60 * DAY_MS,
            );
            if n < 3 {
                let name = format!("{}.wav", sid(owner, n));
                std::fs::write(scope.paths().media_dir().join(&name), b"audio").expect("audio");
                r.local_file = Some(name);
                r.local_file_bytes = Some(5);
            }
            r.starred = n == 4;
            rows.push(r);
        }
        insert_recordings(&scope, &rows, NOW_MS)
            .await
            .expect("insert");
        set_legal_hold(&scope, &sid(owner, 5), true, NOW_MS)
            .await
            .expect("hold");
        add_note(&scope, &sid(owner, 0), 1000, "own note", NOW_MS)
            .await
            .expect("note");
        // The second wall: rows of the next user, with that user's real SIDs and a file of
        // theirs, planted in this database. They must stay invisible and untouched.
        let victim = (u + 1) % USERS;
        let pool = scope.pool_for_tests();
        sqlx::query(
            "INSERT INTO users (id, display_name, created_at_ms) VALUES (?1, 'planted', 0)",
        )
        .bind(subject(victim))
        .execute(pool)
        .await
        .expect("planted user");
        for n in 0..3u32 {
            let planted_sid = sid(u32::try_from(victim).expect("small"), n);
            let file = format!("planted-{n}.wav");
            std::fs::write(scope.paths().media_dir().join(&file), b"planted")
                .expect("planted file");
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO recordings (user_id, sid, phone_number, phone_digits, contact_name,
                    direction, status, local_file, local_file_bytes, recorded_at_ms, updated_at_ms)
                 VALUES (?1, ?2, '+15550000000', '15550000000', 'Tenant planted', 'inbound', 'ready',
                    ?3, 7, ?4, 0) RETURNING id",
            )
            .bind(subject(victim))
            .bind(&planted_sid)
            .bind(file)
            .bind(NOW_MS - 400 * DAY_MS)
            .fetch_one(pool)
            .await
            .expect("planted row");
            sqlx::query(
                "INSERT INTO recording_notes (user_id, recording_id, position_ms, body, created_at_ms, updated_at_ms)
                 VALUES (?1, ?2, 0, 'planted note', 0, 0)",
            )
            .bind(subject(victim))
            .bind(id)
            .execute(pool)
            .await
            .expect("planted note");
        }
        users.push((ws, scope));
    }
    World {
        root: root.to_path_buf(),
        users,
    }
}

/// Everything in a user's database, except (when `except` names one) that user's own rows.
async fn dump(scope: &UserScope, except: &str) -> Vec<String> {
    let pool = scope.pool_for_tests();
    let mut out = Vec::new();
    for sql in [
        "SELECT json_array(id, user_id, sid, call_sid, phone_number, phone_digits, contact_name, direction,
            status, duration_secs, channels, category, tags, priority, starred, archived, legal_hold, notes,
            local_file, local_file_bytes, play_count, download_count, last_played_at_ms,
            last_downloaded_at_ms, recorded_at_ms, updated_at_ms) FROM recordings WHERE user_id != ?1 ORDER BY id",
        "SELECT json_array(id, user_id, recording_id, position_ms, body, created_at_ms, updated_at_ms)
            FROM recording_notes WHERE user_id != ?1 ORDER BY id",
        "SELECT json_array(user_id, sid, deleted_at_ms) FROM tombstones WHERE user_id != ?1 ORDER BY 1",
        "SELECT json_array(user_id, status, direction, category, starred, archived, legal_hold, recordings,
            duration_secs, local_files, local_bytes) FROM recording_totals WHERE user_id != ?1 ORDER BY 1",
        "SELECT json_array(id, user_id, at_ms, operation, recordings, outcome, detail) FROM audit_log
            WHERE user_id != ?1 ORDER BY id",
    ] {
        let rows: Vec<String> = sqlx::query_scalar(sql)
            .bind(except)
            .fetch_all(pool)
            .await
            .expect("dump");
        out.extend(rows);
    }
    out
}

/// The acting user's own rows (recordings, notes, tombstones, totals), without the audit log.
async fn own_rows(scope: &UserScope) -> Vec<String> {
    let pool = scope.pool_for_tests();
    let mut out = Vec::new();
    for sql in [
        "SELECT json_array(id, sid, category, tags, priority, starred, archived, legal_hold, notes,
            local_file, download_count) FROM recordings WHERE user_id = ?1 ORDER BY id",
        "SELECT json_array(id, recording_id, position_ms, body) FROM recording_notes WHERE user_id = ?1 ORDER BY id",
        "SELECT json_array(sid) FROM tombstones WHERE user_id = ?1 ORDER BY 1",
    ] {
        let rows: Vec<String> = sqlx::query_scalar(sql)
            .bind(scope.user_id())
            .fetch_all(pool)
            .await
            .expect("dump");
        out.extend(rows);
    }
    out
}

#[derive(Debug, Clone)]
enum Target {
    /// One of another user's SIDs (which also sits, planted, in the next user's database).
    Foreign(usize, u32),
    /// One of the actor's own.
    Own(u32),
    /// Something that is not a SID at all.
    Malicious(usize),
}

#[derive(Debug, Clone)]
enum Op {
    Get(Target),
    Update(Target, usize),
    Hold(Target, bool),
    AddNote(Target),
    ListNotes(Target),
    EditNote(u32),
    DeleteNote(u32),
    Delete(Target),
    Bulk(usize, Vec<Target>),
    Export(Target),
    ExportMany(Vec<Target>),
    SuggestName(Target),
    List(String, usize, u32),
    Slice(String, usize, String),
    Count(String),
    Stats,
    Preview(u32, bool, bool),
    Cleanup(u32, bool, bool),
    Audit,
}

fn malicious(i: usize, world: &World, actor: usize) -> String {
    let victim = &world.users[(actor + 1) % USERS].1;
    let list = [
        "../x".to_owned(),
        "../../library.db".to_owned(),
        "/etc/passwd".to_owned(),
        victim.paths().database().to_string_lossy().into_owned(),
        victim
            .paths()
            .media_dir()
            .join(format!("{}.wav", sid(0, 0)))
            .to_string_lossy()
            .into_owned(),
        format!("{}\0", &sid(0, 0)[..33]),
        format!("{}/..", sid(0, 0)),
        "RE".repeat(20_000),
        "x".repeat(100_000),
        "RE' OR '1'='1".to_owned(),
        "RE%".to_owned(),
        String::new(),
        "..".to_owned(),
        sid(0, 0).to_lowercase(),
        subject((actor + 1) % USERS),
        format!("{}.wav", sid(0, 0)),
    ];
    list[i % list.len()].clone()
}

fn id_of(t: &Target, world: &World, actor: usize) -> String {
    match t {
        Target::Foreign(v, n) => {
            let victim = if *v % USERS == actor {
                (actor + 1) % USERS
            } else {
                *v % USERS
            };
            sid(u32::try_from(victim).expect("small"), *n)
        }
        Target::Own(n) => sid(u32::try_from(actor).expect("small"), *n),
        Target::Malicious(i) => malicious(*i, world, actor),
    }
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        (0..USERS, 0..OWN).prop_map(|(v, n)| Target::Foreign(v, n)),
        (0..OWN + 2).prop_map(Target::Own),
        (0usize..16).prop_map(Target::Malicious),
    ]
}

fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "a OR b",
            "NEAR(",
            "NEAR(tenant contact)",
            "*",
            "\"",
            "\"\"",
            "'",
            "%",
            "_",
            "%_%",
            "contact_name:tenant",
            "phone_digits : 555",
            "{contact_name}: x",
            "tenant*",
            "^tenant",
            "'; DELETE FROM recordings; --",
            "\\",
            "555",
            "+1 555",
            "(555) 0",
            "tenant",
            "Tenant 3",
            "planted",
            "contact",
            "1",
            "55",
            "\0",
            "",
        ])
        .prop_map(str::to_owned),
        ".{0,40}",
    ]
}

fn forged_cursor() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("recorded_at_ms.DESC.9999999999999.99999999".to_owned()),
        Just("recorded_at_ms.DESC.0.0 OR 1=1".to_owned()),
        Just("phone_digits.ASC.d1' OR '1'='1.5".to_owned()),
        Just("duration_secs.ASC.-1.-1".to_owned()),
        Just("recorded_at_ms.DESC.-9223372036854775808.1".to_owned()),
        ".{0,60}",
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        target().prop_map(Op::Get),
        (target(), 0usize..4).prop_map(|(t, p)| Op::Update(t, p)),
        (target(), any::<bool>()).prop_map(|(t, h)| Op::Hold(t, h)),
        target().prop_map(Op::AddNote),
        target().prop_map(Op::ListNotes),
        (0u32..80).prop_map(Op::EditNote),
        (0u32..80).prop_map(Op::DeleteNote),
        target().prop_map(Op::Delete),
        (0usize..5, prop::collection::vec(target(), 1..5)).prop_map(|(a, t)| Op::Bulk(a, t)),
        target().prop_map(Op::Export),
        prop::collection::vec(target(), 1..4).prop_map(Op::ExportMany),
        target().prop_map(Op::SuggestName),
        (hostile_text(), 0usize..3, 0u32..4).prop_map(|(s, b, p)| Op::List(s, b, p)),
        (hostile_text(), 0usize..3, forged_cursor()).prop_map(|(s, b, c)| Op::Slice(s, b, c)),
        hostile_text().prop_map(Op::Count),
        Just(Op::Stats),
        (1u32..800, any::<bool>(), any::<bool>()).prop_map(|(d, r, s)| Op::Preview(d, r, s)),
        (1u32..800, any::<bool>(), any::<bool>()).prop_map(|(d, r, s)| Op::Cleanup(d, r, s)),
        Just(Op::Audit),
    ]
}

fn is_own(t: &Target) -> bool {
    matches!(t, Target::Own(n) if *n < OWN)
}

/// Runs one command as `actor`. Returns the error code (if any), whether the command named
/// something that is not the actor's (so it must answer not_found), and every recording id
/// that came back.
async fn run(world: &World, actor: usize, op: &Op) -> (Option<ErrorCode>, bool, Vec<String>) {
    let scope = &world.users[actor].1;
    let now = NOW_MS + 1;
    let id = |t: &Target| id_of(t, world, actor);
    let exports = world.root.join("exports").join(actor.to_string());
    std::fs::create_dir_all(&exports).expect("exports");
    let code = |r: Result<(), calldeck_core::Error>| r.err().map(|e| e.code());
    let by = [SortBy::CreatedAt, SortBy::Duration, SortBy::Phone];
    match op {
        Op::Get(t) => {
            let r = get_recording(scope, &id(t)).await;
            let ids = r
                .as_ref()
                .map(|d| vec![d.summary.id.clone()])
                .unwrap_or_default();
            (r.err().map(|e| e.code()), !is_own(t), ids)
        }
        Op::Update(t, p) => {
            let patch = match p {
                0 => RecordingPatch {
                    starred: Some(true),
                    ..Default::default()
                },
                1 => RecordingPatch {
                    tags: Some(vec!["x".into()]),
                    category: Some("c".into()),
                    ..Default::default()
                },
                2 => RecordingPatch {
                    notes: Some("n".into()),
                    archived: Some(true),
                    ..Default::default()
                },
                _ => RecordingPatch::default(),
            };
            let forged =
                RecordingPatchInput(serde_json::json!({"userId": subject(0), "sid": id(t)}))
                    .into_patch();
            assert!(
                forged.is_err(),
                "a patch naming the owner or SID is refused"
            );
            (
                code(update_recording(scope, &id(t), patch, now).await),
                !is_own(t),
                vec![],
            )
        }
        Op::Hold(t, h) => (
            code(set_legal_hold(scope, &id(t), *h, now).await),
            !is_own(t),
            vec![],
        ),
        Op::AddNote(t) => {
            let r = add_note(scope, &id(t), 0, "note", now).await;
            (r.err().map(|e| e.code()), !is_own(t), vec![])
        }
        Op::ListNotes(t) => {
            let r = list_notes(scope, &id(t)).await;
            if let Ok(notes) = &r {
                assert!(
                    notes.iter().all(|n| n.body != "planted note"),
                    "a planted note must never be listed"
                );
            }
            (r.err().map(|e| e.code()), !is_own(t), vec![])
        }
        Op::EditNote(n) => (
            edit_note(scope, *n, 0, "edited", now)
                .await
                .err()
                .map(|e| e.code()),
            false,
            vec![],
        ),
        Op::DeleteNote(n) => (code(delete_note(scope, *n, now).await), false, vec![]),
        Op::Delete(t) => (
            code(delete_recording(scope, &id(t), now).await),
            !is_own(t),
            vec![],
        ),
        Op::Bulk(a, ts) => {
            let action = [
                BulkAction::Star,
                BulkAction::Unstar,
                BulkAction::Archive,
                BulkAction::Unarchive,
                BulkAction::Delete,
            ][*a];
            let ids: Vec<String> = ts.iter().map(id).collect();
            let r = bulk_update(scope, action, &ids, now).await;
            (r.err().map(|e| e.code()), !ts.iter().all(is_own), vec![])
        }
        Op::Export(t) => {
            let r = export_recording(scope, &id(t), &exports.join("one.wav"), now).await;
            (r.err().map(|e| e.code()), !is_own(t), vec![])
        }
        Op::ExportMany(ts) => {
            let ids: Vec<String> = ts.iter().map(id).collect();
            let r = export_recordings(scope, &ids, &exports, now).await;
            let back = r
                .as_ref()
                .map(|x| x.without_audio.clone())
                .unwrap_or_default();
            (r.err().map(|e| e.code()), !ts.iter().all(is_own), back)
        }
        Op::SuggestName(t) => {
            let r = suggested_export_name(scope, &id(t)).await;
            (r.err().map(|e| e.code()), !is_own(t), vec![])
        }
        Op::List(s, b, page) => {
            let r = list_recordings(
                scope,
                &ListRecordingsRequest {
                    filter: RecordingFilter {
                        search: Some(s.clone()),
                        ..Default::default()
                    },
                    sort_by: Some(by[*b]),
                    sort_order: Some(SortOrder::Asc),
                    page: Some(*page),
                    limit: Some(5),
                },
            )
            .await;
            if let Ok(p) = &r {
                assert!(
                    p.total <= OWN,
                    "a total counts only the actor's own rows: {}",
                    p.total
                );
            }
            let ids = r
                .as_ref()
                .map(|p| p.items.iter().map(|i| i.id.clone()).collect())
                .unwrap_or_default();
            (r.err().map(|e| e.code()), false, ids)
        }
        Op::Slice(s, b, cursor) => {
            let r = list_recordings_after(
                scope,
                &RecordingSliceRequest {
                    filter: RecordingFilter {
                        search: Some(s.clone()),
                        ..Default::default()
                    },
                    sort_by: Some(by[*b]),
                    sort_order: None,
                    after: Some(cursor.clone()),
                    limit: Some(50),
                },
            )
            .await;
            let ids = r
                .as_ref()
                .map(|p| p.items.iter().map(|i| i.id.clone()).collect())
                .unwrap_or_default();
            let code = r.err().map(|e| e.code());
            assert!(
                matches!(code, None | Some(ErrorCode::InvalidInput)),
                "a forged cursor is refused as invalid input, never anything worse: {code:?}"
            );
            (code, false, ids)
        }
        Op::Count(s) => {
            let r = count_recordings(
                scope,
                &RecordingFilter {
                    search: Some(s.clone()),
                    ..Default::default()
                },
            )
            .await;
            if let Ok(n) = r {
                assert!(n <= OWN, "a count covers only the actor's own rows: {n}");
            }
            (r.err().map(|e| e.code()), false, vec![])
        }
        Op::Stats => {
            let s = recording_stats(scope).await.expect("stats");
            assert!(s.total <= OWN, "stats cover only the actor's own rows");
            let bytes = s.local_bytes;
            assert!(
                bytes <= f64::from(OWN) * 5.0,
                "local bytes are the actor's only: {bytes}"
            );
            (None, false, vec![])
        }
        Op::Preview(d, r, s) => {
            let p = preview_cleanup(
                scope,
                &CleanupPolicy {
                    older_than_days: *d,
                    remove_records: *r,
                    include_starred: *s,
                },
                now,
            )
            .await
            .expect("preview");
            // Earlier cases may have held or deleted own recordings, so the bound is what the
            // actor's own SIDs hold now, counted without trusting the user_id column.
            let (own, own_held): (u32, u32) = sqlx::query_as(
                "SELECT count(*), coalesce(sum(legal_hold), 0) FROM recordings WHERE sid LIKE ?1",
            )
            .bind(format!("RE{actor:08x}%"))
            .fetch_one(scope.pool_for_tests())
            .await
            .expect("own counts");
            assert!(
                p.recordings <= own && p.skipped_held <= own_held,
                "the preview counts only the actor's rows: {p:?}"
            );
            (None, false, vec![])
        }
        Op::Cleanup(d, r, s) => {
            let res = run_cleanup(
                scope,
                &CleanupPolicy {
                    older_than_days: *d,
                    remove_records: *r,
                    include_starred: *s,
                },
                now,
            )
            .await
            .expect("cleanup");
            assert!(
                res.records_removed <= OWN && res.files_removed <= 3,
                "cleanup touches only the actor's rows: {res:?}"
            );
            (None, false, vec![])
        }
        Op::Audit => {
            let entries = list_audit(
                scope,
                &AuditRequest {
                    before: None,
                    limit: Some(100),
                },
            )
            .await
            .expect("audit");
            let csv = audit_csv(scope).await.expect("csv");
            assert!(
                !csv.contains("planted"),
                "the audit shows only the actor's entries"
            );
            assert!(entries.len() <= 100, "at most a page of entries");
            // The audit keeps what the actor asked for (foreign SIDs included), so no ids here.
            (None, false, vec![])
        }
    }
}

fn files_outside(world: &World, actor: usize) -> BTreeMap<String, u64> {
    let own = world.users[actor].1.paths().root().to_path_buf();
    let own_exports = world.root.join("exports").join(actor.to_string());
    tree(&world.root)
        .into_iter()
        .map(|rel| world.root.join(rel))
        .filter(|p| !p.starts_with(&own) && !p.starts_with(&own_exports))
        // The databases of other users are compared row by row (WAL files change on reads).
        .filter(|p| !p.to_string_lossy().contains("library.db"))
        .map(|p| {
            let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
            (p.to_string_lossy().into_owned(), len)
        })
        .collect()
}

#[test]
fn no_sequence_of_commands_reaches_another_users_data() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let root = tempfile::tempdir().expect("temp dir");
    let world = runtime.block_on(build(root.path()));
    let mut runner = TestRunner::new(Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = prop::collection::vec((0..USERS, op()), 1..10);
    runner
        .run(&strategy, |ops| {
            runtime.block_on(async {
                for (actor, op) in &ops {
                    let actor = *actor;
                    let mut before = Vec::new();
                    for (u, (_, scope)) in world.users.iter().enumerate() {
                        let except = if u == actor { scope.user_id().to_owned() } else { String::new() };
                        before.push(dump(scope, &except).await);
                    }
                    let own_before = own_rows(&world.users[actor].1).await;
                    let files_before = files_outside(&world, actor);

                    let (code, foreign, ids) = run(&world, actor, op).await;

                    if foreign {
                        prop_assert_eq!(code, Some(ErrorCode::NotFound), "{:?} by user {} must answer not_found", op, actor);
                    }
                    prop_assert!(
                        !matches!(code, Some(ErrorCode::Storage | ErrorCode::Internal)),
                        "{:?} by user {} failed inside: {:?}", op, actor, code
                    );
                    let own_prefix = format!("RE{actor:08x}");
                    for id in &ids {
                        prop_assert!(id.starts_with(&own_prefix), "{:?} by user {} returned a foreign recording {}", op, actor, id);
                    }
                    for (u, (_, scope)) in world.users.iter().enumerate() {
                        let except = if u == actor { scope.user_id().to_owned() } else { String::new() };
                        let after = dump(scope, &except).await;
                        prop_assert!(
                            after == before[u],
                            "{:?} by user {} changed data of another user (in database {})", op, actor, u
                        );
                    }
                    if foreign && matches!(op, Op::Bulk(..)) {
                        prop_assert!(
                            own_rows(&world.users[actor].1).await == own_before,
                            "a refused bulk action {:?} changed nothing, not even the actor's own rows", op
                        );
                    }
                    prop_assert_eq!(files_outside(&world, actor), files_before, "{:?} by user {} touched a file outside their folder", op, actor);
                }
                Ok::<(), TestCaseError>(())
            })
        })
        .expect("isolation holds for every sequence");
    // The planted files in every user's media folder are still there.
    for (u, (_, scope)) in world.users.iter().enumerate() {
        for n in 0..3 {
            assert!(
                scope
                    .paths()
                    .media_dir()
                    .join(format!("planted-{n}.wav"))
                    .exists(),
                "user {u}'s cleanup must not remove another user's planted file {n}"
            );
        }
    }
}
