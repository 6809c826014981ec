//! Tenant isolation, as a property: twenty users share one data folder (each with a
//! workspace, a folder and a database of their own, and each database also holding rows of
//! another user, as a second wall to get past), one player, and a Twilio account each on a
//! loopback fake. Random sequences of every command — the library's, the player's, sync and
//! downloads, transcripts, analysis and waveforms — aimed at other users' ids, planted rows,
//! malicious ids, hostile search text and forged cursors, never return or change anything
//! foreign, answer `not_found` for foreign ids, never panic, never touch a file outside the
//! acting user's own folder, and never let one user see or steer another's playback.
//!
//! 1,000 cases by default (`PROPTEST_CASES` for more), each up to 20 commands.

mod common;
mod fixtures;
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use calldeck_core::analysis::{analyse_audio, audio_metrics, get_analysis};
use calldeck_core::audit::{audit_csv, list_audit, AuditRequest};
use calldeck_core::library::{
    add_note, bulk_update, count_recordings, delete_note, delete_recording, edit_note,
    export_recording, export_recordings, get_recording, insert_recordings, list_notes,
    list_recordings, list_recordings_after, preview_cleanup, recording_stats, run_cleanup,
    set_legal_hold, suggested_export_name, update_recording, BulkAction, CleanupPolicy,
    ListRecordingsRequest, RecordingFilter, RecordingPatch, RecordingPatchInput,
    RecordingSliceRequest, RecordingSummary, SortBy, SortOrder,
};
use calldeck_core::player::{
    waveform, OutputChoice, PlaybackStatus, PlayerHandle, PlayerState, PlayerStates,
};
use calldeck_core::sync::{
    download_recording, play_from_twilio, queue, sync_recordings, SyncOptions,
};
use calldeck_core::transcripts::{get_transcript, save_transcript, Engine, Segment, Speaker};
use calldeck_core::twilio::TwilioClient;
use calldeck_core::{ErrorCode, UserScope, Workspace};
use common::{signed_in, NOW_MS};
use fixtures::{recording, sid, DAY_MS};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use support::twilio_fake::{generate, FakeTwilio};
use tokio_util::sync::CancellationToken;

#[path = "isolation_property/ops.rs"]
mod ops;
#[path = "isolation_property/player_check.rs"]
mod player_check;
#[path = "isolation_property/run.rs"]
mod run;
#[path = "isolation_property/run_media.rs"]
mod run_media;
#[path = "isolation_property/seed.rs"]
mod seed;
#[path = "isolation_property/snapshot.rs"]
mod snapshot;
#[path = "isolation_property/world.rs"]
mod world;

use ops::*;
use run::*;
use run_media::*;
use seed::*;
use snapshot::*;
use world::*;

/// Cases run by default; `PROPTEST_CASES` asks for more (or fewer).
const CASES: u32 = 1_000;

#[test]
fn no_sequence_of_commands_reaches_another_users_data() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let root = tempfile::tempdir().expect("temp dir");
    let world = runtime.block_on(build(root.path()));
    let known = tokio::sync::Mutex::new(runtime.block_on(Known::take(&world)));
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(CASES);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    // A case: maybe someone's playback loaded first, then up to 20 commands by any users.
    let strategy = (
        prop::option::of((0..USERS, 0..WITH_AUDIO)),
        prop::collection::vec((0..USERS, op()), 1..=20),
    );
    runner
        .run(&strategy, |(playing, ops)| {
            runtime.block_on(async {
                let mut known = known.lock().await;
                start_case(&world, &mut known, playing).await;
                for (actor, op) in &ops {
                    one_command(&world, &mut known, *actor, op).await?;
                }
                end_case(&world, &mut known).await
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

/// Puts back what the last case changed of its actors' own data, empties the player, and
/// loads `playing` (a user and one of their recordings) if the case starts with one.
async fn start_case(world: &World, known: &mut Known, playing: Option<(usize, u32)>) {
    world.player.forget().await.expect("forget");
    let mut changed = std::mem::take(&mut known.dirty);
    for &u in &changed {
        known.put_back(world, u).await;
    }
    if let Some((u, n)) = playing {
        let scope = &world.users[u].1;
        world
            .player
            .play(scope, &sid(small(u), n))
            .await
            .expect("the case's first play");
        changed.insert(u);
        known.dirty.insert(u);
    }
    for u in changed {
        known.dumps[u] = dump(&world.users[u].1).await;
        known.take_files_of(world, u);
    }
    // States sent before this case are no one's business now.
    let mut states = world.states.lock().await;
    let anyone = &world.users[0].0;
    while let Some(Some(_)) = now_or_never(states.next(anyone)).await {}
}

/// The whole data folder against what is known: only the actors' own folders changed
/// (what is known of those was taken after each of their commands).
async fn end_case(world: &World, known: &mut Known) -> Result<(), TestCaseError> {
    let now = Files::take(world);
    let changed = (0..USERS)
        .flat_map(|v| changed_paths(&known.files.users[v], &now.users[v]))
        .chain(changed_paths(&known.files.rest, &now.rest));
    for path in changed {
        let Some(v) = database_of(world, path) else {
            return Err(TestCaseError::fail(format!(
                "the case changed {}, outside the actors' folders",
                path.display()
            )));
        };
        prop_assert!(
            dump(&world.users[v].1).await == known.dumps[v],
            "the case changed the database of user {}",
            v
        );
    }
    known.files = now;
    Ok(())
}

/// Runs one command and checks that it reached nothing of anyone else's.
async fn one_command(
    world: &World,
    known: &mut Known,
    actor: usize,
    op: &Op,
) -> Result<(), TestCaseError> {
    // Nobody changed the actor's folder since their last command (or the case's start).
    area_unchanged(world, known, actor, || {
        format!("before {op:?} by user {actor}")
    })
    .await?;
    let player_before = player_check::observe(world)?;
    // The other users this command names (by id, or by path): their folders are compared
    // file by file after it; everyone else's at the end of the case.
    let named: BTreeSet<usize> = named_users(op, actor);
    let (code, foreign, ids) = run(world, actor, op).await;
    known.dirty.insert(actor);

    if foreign {
        prop_assert_eq!(
            code,
            Some(ErrorCode::NotFound),
            "{:?} by user {} must answer not_found",
            op,
            actor
        );
    }
    prop_assert!(
        !matches!(code, Some(ErrorCode::Storage | ErrorCode::Internal)),
        "{:?} by user {} failed inside: {:?}",
        op,
        actor,
        code
    );
    for id in &ids {
        prop_assert!(
            id.starts_with(&prefix(actor)),
            "{:?} by user {} returned a foreign recording {}",
            op,
            actor,
            id
        );
    }
    player_check::check(world, actor, op, code, &player_before)?;
    player_check::check_stream(world, actor).await?;

    // The actor's database: nothing but their own rows changed (the planted ones stayed).
    let after = dump(&world.users[actor].1).await;
    prop_assert!(
        others_rows(&after) == others_rows(&known.dumps[actor]),
        "{:?} by user {} changed another user's rows in the actor's own database",
        op,
        actor
    );
    if code.is_some() && matches!(op, Op::Bulk(..)) {
        prop_assert!(
            own_rows(&after) == own_rows(&known.dumps[actor]),
            "a refused bulk action {:?} changed nothing, not even the actor's own rows",
            op
        );
    }
    known.dumps[actor] = after;

    for v in named {
        area_unchanged(world, known, v, || format!("{op:?} by user {actor}")).await?;
    }
    known.take_files_of(world, actor);
    Ok(())
}

/// User `v`'s folders are as known; a database that looks touched is read again, and must
/// hold exactly what it held.
async fn area_unchanged(
    world: &World,
    known: &Known,
    v: usize,
    what: impl Fn() -> String,
) -> Result<(), TestCaseError> {
    let is = files_of(world, v);
    for path in changed_paths(&known.files.users[v], &is) {
        prop_assert!(
            database_of(world, path) == Some(v),
            "{} touched {}",
            what(),
            path.display()
        );
        prop_assert!(
            dump(&world.users[v].1).await == known.dumps[v],
            "{} changed the database of user {}",
            what(),
            v
        );
    }
    Ok(())
}

/// Polls a future once: its output if it is ready now.
async fn now_or_never<F: std::future::Future>(future: F) -> Option<F::Output> {
    let mut future = std::pin::pin!(future);
    std::future::poll_fn(|cx| {
        std::task::Poll::Ready(match future.as_mut().poll(cx) {
            std::task::Poll::Ready(out) => Some(out),
            std::task::Poll::Pending => None,
        })
    })
    .await
}
