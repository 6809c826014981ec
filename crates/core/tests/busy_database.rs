//! Edits made while a sync writes wait for it, never fail: every write transaction takes the
//! write lock when it begins (BEGIN IMMEDIATE), so one that reads first cannot meet a
//! snapshot that another connection's commit made stale (SQLITE_BUSY at once under WAL).

mod common;
mod fixtures;
mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use calldeck_core::library::{
    bulk_update, get_recording, insert_recordings, update_recording, BulkAction, RecordingPatch,
};
use calldeck_core::sync::{self, SyncOptions};
use tokio_util::sync::CancellationToken;

use common::{signed_in, NOW_MS};
use fixtures::{recording, sid};
use support::client;
use support::twilio_fake::{generate, FakeTwilio};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn edits_during_a_sync_of_ten_thousand_recordings_all_land() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|busy").await;
    let mine: Vec<String> = (0..20).map(|n| sid(7, n)).collect();
    let rows: Vec<_> = mine
        .iter()
        .map(|s| recording(s, "+15550001", None, NOW_MS))
        .collect();
    insert_recordings(&scope, &rows, NOW_MS)
        .await
        .expect("insert");
    let fake = FakeTwilio::start(generate(10_000, NOW_MS, 60_000)).await;

    let done = Arc::new(AtomicBool::new(false));
    let syncing = {
        let (scope, done) = (scope.clone(), Arc::clone(&done));
        let client = client(&fake.base_url);
        tokio::spawn(async move {
            let options = SyncOptions {
                page_size: 100,
                now_ms: NOW_MS,
                ..SyncOptions::default()
            };
            let result =
                sync::sync_recordings(&scope, &client, &options, &CancellationToken::new(), None)
                    .await;
            done.store(true, Ordering::SeqCst);
            result
        })
    };
    let mut errors = Vec::new();
    let mut round = 0u32;
    while !done.load(Ordering::SeqCst) || round < 5 {
        round += 1;
        let action = if round.is_multiple_of(2) {
            BulkAction::Star
        } else {
            BulkAction::Unstar
        };
        if let Err(e) = bulk_update(&scope, action, &mine, NOW_MS).await {
            errors.push(format!("bulk: {e:?}"));
        }
        let target = &mine[round as usize % mine.len()];
        let patch = RecordingPatch {
            notes: Some(format!("edit {round}")),
            ..RecordingPatch::default()
        };
        if let Err(e) = update_recording(&scope, target, patch, NOW_MS).await {
            errors.push(format!("update: {e:?}"));
        }
    }
    let result = syncing.await.expect("join").expect("the sync succeeds");
    assert_eq!(result.new, 10_000, "{result:?}");
    assert!(
        errors.is_empty(),
        "{} edits failed: {:?}",
        errors.len(),
        &errors[..errors.len().min(3)]
    );
    let last = &mine[round as usize % mine.len()];
    assert_eq!(
        get_recording(&scope, last).await.expect("get").notes,
        Some(format!("edit {round}")),
        "the last edit is there"
    );
    let starred = round.is_multiple_of(2);
    for s in &mine {
        assert_eq!(
            get_recording(&scope, s).await.expect("get").summary.starred,
            starred,
            "the last bulk change is there"
        );
    }
}
