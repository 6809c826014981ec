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

#[path = "isolation_property/ops.rs"]
mod ops;
#[path = "isolation_property/run.rs"]
mod run;
#[path = "isolation_property/world.rs"]
mod world;

use ops::*;
use run::*;
use world::*;

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
