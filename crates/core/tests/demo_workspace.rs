//! The demo workspace is a tenant like any other, seeded once with believable calls and audio.

mod common;

use std::collections::HashSet;

use calldeck_core::demo::{self, DEMO_AUDIO_FILES, DEMO_RECORDING_COUNT};
use calldeck_core::library::{
    get_recording, list_recordings, ListRecordingsRequest, RecordingStatus,
};
use calldeck_core::{session::Provider, Workspace};
use common::NOW_MS;

async fn all_pages(
    scope: &calldeck_core::UserScope,
) -> Vec<calldeck_core::library::RecordingSummary> {
    let mut all = Vec::new();
    for page in 1.. {
        let got = list_recordings(
            scope,
            &ListRecordingsRequest {
                page: Some(page),
                limit: Some(50),
                ..Default::default()
            },
        )
        .await
        .expect("list");
        if got.items.is_empty() {
            break;
        }
        all.extend(got.items);
    }
    all
}

#[tokio::test]
async fn demo_library_holds_two_hundred_varied_realistic_recordings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let workspace = Workspace::new(dir.path());
    let scope = demo::open(&workspace, NOW_MS).await.expect("open demo");
    assert_eq!(scope.provider(), Provider::Demo);
    let all = all_pages(&scope).await;
    assert_eq!(
        all.len(),
        DEMO_RECORDING_COUNT,
        "every seeded recording is listed exactly once"
    );
    let ids: HashSet<_> = all.iter().map(|r| r.id.clone()).collect();
    assert_eq!(ids.len(), DEMO_RECORDING_COUNT, "recording ids are unique");

    let ninety_days_ago = NOW_MS - 90 * 24 * 3600 * 1000;
    for r in &all {
        assert!(
            r.phone_number.starts_with('+')
                && r.phone_number[1..].chars().all(|c| c.is_ascii_digit()),
            "{} must be E.164",
            r.phone_number
        );
        assert!(
            (5..=2400).contains(&r.duration_secs),
            "duration {} must be 5 s–40 min",
            r.duration_secs
        );
        let at = r.recorded_at.timestamp_millis();
        assert!(
            at > ninety_days_ago && at < NOW_MS,
            "dates fall within the last 90 days"
        );
    }
    for status in [
        RecordingStatus::Ready,
        RecordingStatus::Processing,
        RecordingStatus::Error,
    ] {
        assert!(
            all.iter().any(|r| r.status == status),
            "the demo shows a {status:?} recording"
        );
    }
    assert!(
        all.iter().any(|r| r.starred) && all.iter().any(|r| !r.starred),
        "some starred, some not"
    );
    assert!(all.iter().any(|r| r.duration_secs > 600), "some long calls");
    assert!(
        all.iter().any(|r| r.contact_name.is_none()),
        "some callers have no name"
    );
}

#[tokio::test]
async fn demo_audio_files_are_real_wav_matching_their_recorded_duration() {
    let dir = tempfile::tempdir().expect("temp dir");
    let workspace = Workspace::new(dir.path());
    let scope = demo::open(&workspace, NOW_MS).await.expect("open demo");
    let offline: Vec<_> = all_pages(&scope)
        .await
        .into_iter()
        .filter(|r| r.available_offline)
        .collect();
    assert_eq!(
        offline.len(),
        DEMO_AUDIO_FILES,
        "the chosen recordings are available offline"
    );
    let files: Vec<_> = std::fs::read_dir(scope.paths().media_dir())
        .expect("media dir")
        .collect();
    assert_eq!(
        files.len(),
        DEMO_AUDIO_FILES,
        "one audio file each, and no leftovers"
    );
    for r in offline.iter().take(5) {
        let details = get_recording(&scope, &r.id).await.expect("details");
        let name = format!("{}_{}.wav", r.id, r.recorded_at.timestamp());
        let reader = hound::WavReader::open(scope.paths().media_file(&name).expect("name"))
            .expect("valid WAV");
        let secs = reader.duration() / reader.spec().sample_rate;
        assert_eq!(secs, r.duration_secs, "the table's duration is the file's");
        assert_eq!(
            u32::from(reader.spec().channels),
            details.channels,
            "channel count matches the record"
        );
        assert!(
            details.local_file_bytes.is_some_and(|b| b > 0.0),
            "file size is recorded"
        );
    }
}

#[tokio::test]
async fn reopening_the_demo_keeps_its_library_and_does_not_seed_twice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = demo::open(&Workspace::new(dir.path()), NOW_MS)
        .await
        .expect("open");
    let ids: Vec<_> = all_pages(&first).await.into_iter().map(|r| r.id).collect();
    let second = demo::open(&Workspace::new(dir.path()), NOW_MS + 86_400_000)
        .await
        .expect("reopen");
    let again: Vec<_> = all_pages(&second).await.into_iter().map(|r| r.id).collect();
    assert_eq!(
        ids, again,
        "a reopened demo shows the same library, not a second seed"
    );
}

#[tokio::test]
async fn the_last_demo_session_is_restored_at_start_until_signed_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    let before = Workspace::new(dir.path());
    assert!(
        demo::restore(&before, NOW_MS)
            .await
            .expect("restore")
            .is_none(),
        "nobody to restore yet"
    );
    demo::open(&before, NOW_MS).await.expect("open");

    let restarted = Workspace::new(dir.path());
    let restored = demo::restore(&restarted, NOW_MS).await.expect("restore");
    assert!(
        restored.is_some(),
        "the demo opened last time reopens at start"
    );
    assert!(
        restarted.current().is_ok(),
        "and becomes the signed-in session"
    );

    restarted.sign_out().await;
    let after = Workspace::new(dir.path());
    assert!(
        demo::restore(&after, NOW_MS)
            .await
            .expect("restore")
            .is_none(),
        "sign-out is remembered"
    );
    assert!(
        after.current().is_err(),
        "nobody is signed in after a sign-out and restart"
    );
}
