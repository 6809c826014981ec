//! Audio downloads during a sync: policy, atomic files, leftovers, redirects.

mod common;
mod support;

use std::sync::atomic::Ordering;

use calldeck_core::sync::{self, DownloadPolicy, SyncOptions};
use tokio_util::sync::CancellationToken;

use common::{signed_in, NOW_MS};
use support::client;
use support::twilio_fake::{generate, media_bytes, FakeTwilio, DAY_MS};

fn options(download: DownloadPolicy) -> SyncOptions {
    SyncOptions {
        download,
        download_concurrency: 4,
        now_ms: NOW_MS,
        ..SyncOptions::default()
    }
}

fn names(dir: &std::path::Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    n.sort();
    n
}

#[tokio::test]
async fn all_policy_downloads_every_ready_recording_atomically_via_a_redirect() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|dl").await;
    let fake = FakeTwilio::start(generate(12, NOW_MS, 60_000)).await;
    fake.state.redirect_media.store(true, Ordering::SeqCst);
    let media = scope.paths().media_dir();
    // A leftover of a crashed download must be cleaned at start.
    std::fs::write(
        media.join(".RE00000000000000000000000000000001_1.mp3.partial"),
        b"half",
    )
    .expect("write");
    let result = sync::sync_recordings(
        &scope,
        &client(&fake.base_url),
        &options(DownloadPolicy::All),
        &CancellationToken::new(),
        None,
    )
    .await
    .expect("sync");
    assert_eq!(
        (result.downloaded, result.download_failed),
        (12, 0),
        "{result:?}"
    );
    let files = names(&media);
    assert_eq!(
        files.len(),
        12,
        "one file per recording and no partial left: {files:?}"
    );
    assert!(
        files
            .iter()
            .all(|f| f.ends_with(".mp3") && !f.starts_with('.')),
        "{files:?}"
    );
    let sid = support::twilio_fake::recording_sid(1);
    let expected_name = format!("{sid}_{}.mp3", NOW_MS / 1000);
    assert!(
        files.contains(&expected_name),
        "{{RecordingSid}}_{{timestamp}}.mp3: {files:?}"
    );
    assert_eq!(
        std::fs::read(media.join(&expected_name)).expect("read"),
        media_bytes(&sid, 4096)
    );
    let offline: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM recordings WHERE local_file IS NOT NULL AND local_file_bytes = 4096",
    )
    .fetch_one(scope.pool_for_tests())
    .await
    .expect("q");
    assert_eq!(offline, 12, "the library knows they are available offline");
    assert_eq!(
        fake.state.media_host_auth_seen.load(Ordering::SeqCst),
        0,
        "no credentials on the redirect"
    );

    let again = sync::sync_recordings(
        &scope,
        &client(&fake.base_url),
        &options(DownloadPolicy::All),
        &CancellationToken::new(),
        None,
    )
    .await
    .expect("rerun");
    assert_eq!(again.downloaded, 0, "nothing is downloaded twice");
}

#[tokio::test]
async fn policies_choose_what_is_downloaded() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|policy").await;
    let fake = FakeTwilio::start(generate(10, NOW_MS, DAY_MS)).await;
    let c = client(&fake.base_url);
    let none = sync::sync_recordings(
        &scope,
        &c,
        &options(DownloadPolicy::None),
        &CancellationToken::new(),
        None,
    )
    .await
    .expect("sync");
    assert_eq!(none.downloaded, 0);
    assert_eq!(
        fake.state.media_requests.load(Ordering::SeqCst),
        0,
        "policy none downloads nothing"
    );
    let sid = support::twilio_fake::recording_sid(7);
    calldeck_core::library::bulk_update(
        &scope,
        calldeck_core::library::BulkAction::Star,
        std::slice::from_ref(&sid),
        NOW_MS,
    )
    .await
    .expect("star");
    let starred = sync::sync_recordings(
        &scope,
        &c,
        &options(DownloadPolicy::Starred),
        &CancellationToken::new(),
        None,
    )
    .await
    .expect("sync");
    assert_eq!(starred.downloaded, 1, "only the starred one: {starred:?}");
    let recent = sync::sync_recordings(
        &scope,
        &c,
        &options(DownloadPolicy::LastDays { days: 3 }),
        &CancellationToken::new(),
        None,
    )
    .await
    .expect("sync");
    assert_eq!(recent.downloaded, 4, "days 0..=3 back: {recent:?}");
}

#[tokio::test]
async fn a_complete_file_whose_row_was_not_updated_is_adopted_and_strays_removed() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|adopt").await;
    let fake = FakeTwilio::start(generate(2, NOW_MS, 60_000)).await;
    let c = client(&fake.base_url);
    sync::sync_recordings(
        &scope,
        &c,
        &options(DownloadPolicy::None),
        &CancellationToken::new(),
        None,
    )
    .await
    .expect("sync");
    let media = scope.paths().media_dir();
    let sid = support::twilio_fake::recording_sid(1);
    let name = format!("{sid}_{}.mp3", NOW_MS / 1000);
    std::fs::write(media.join(&name), media_bytes(&sid, 100)).expect("write");
    let stray = format!("{}_{}.mp3", support::twilio_fake::recording_sid(99), 1);
    std::fs::write(media.join(&stray), b"x").expect("write");
    let (removed, adopted) = sync::recover_media(&scope).await.expect("recover");
    assert_eq!((removed, adopted), (1, 1));
    assert_eq!(names(&media), vec![name], "no file without its row");
}
