//! Waveform caches go with their recording: deleted, bulk deleted or cleaned up, nothing of
//! its peaks stays in the user's folder.

mod common;
mod fixtures;

use calldeck_core::library::{
    bulk_update, delete_recording, insert_recordings, run_cleanup, BulkAction, CleanupPolicy,
};
use calldeck_core::player::waveform;
use calldeck_core::UserScope;
use common::{signed_in, NOW_MS};
use fixtures::model::with_audio;
use fixtures::DAY_MS;

fn cached(scope: &UserScope) -> Vec<String> {
    let dir = scope.paths().root().join("cache").join("waveforms");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread")]
async fn a_recordings_waveform_cache_goes_with_it_on_delete_bulk_delete_and_cleanup() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|peaks").await;
    let audio = calldeck_core::demo::conversation_wav(9, 1, 1).expect("audio");
    // Ages in days: the last two are old enough for the clean-ups below.
    let ages = [1, 1, 1, 1, 40, 80];
    let mut recordings = Vec::new();
    for (n, age) in (1..).zip(ages) {
        recordings.push(with_audio(&scope, 30, n, NOW_MS - age * DAY_MS, &audio).await);
    }
    insert_recordings(&scope, &recordings, NOW_MS)
        .await
        .expect("insert");
    let ids: Vec<String> = recordings.iter().map(|r| r.sid.to_string()).collect();
    for id in &ids {
        waveform(&scope, id, 100).await.expect("waveform");
    }
    waveform(&scope, &ids[1], 400).await.expect("another size");
    assert_eq!(
        cached(&scope).len(),
        ids.len() + 1,
        "every waveform is cached"
    );

    delete_recording(&scope, &ids[1], NOW_MS)
        .await
        .expect("delete");
    bulk_update(&scope, BulkAction::Delete, &ids[2..4], NOW_MS)
        .await
        .expect("bulk delete");
    // The audio of the 80-day-old one only, then the 40-day-old one with its record.
    let audio_only = CleanupPolicy {
        older_than_days: 60,
        remove_records: false,
        include_starred: true,
    };
    run_cleanup(&scope, &audio_only, NOW_MS)
        .await
        .expect("cleanup of audio");
    let with_records = CleanupPolicy {
        older_than_days: 30,
        remove_records: true,
        include_starred: true,
    };
    run_cleanup(&scope, &with_records, NOW_MS)
        .await
        .expect("cleanup of records");

    assert_eq!(
        cached(&scope),
        vec![format!("{}-100.json", ids[0])],
        "only the recording still here keeps its peaks"
    );
}
