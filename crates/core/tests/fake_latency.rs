//! The Twilio fake's latency mode (`make bench`'s latency figures) only slows the fake down:
//! a sync through it stores every recording and downloads every file whole, as without it.
//! Its timing is what the benchmark measures; nothing here asserts a duration.

mod common;
mod support;

use std::sync::atomic::Ordering;

use calldeck_core::sync::{DownloadPolicy, SyncOptions};

use common::{signed_in, NOW_MS};
use support::client;
use support::twilio_fake::latency::LatencyModel;
use support::twilio_fake::{generate, media_bytes, FakeTwilio};

const RECORDINGS: u64 = 25;
const MEDIA_LEN: usize = 100_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_through_the_latency_mode_stores_every_recording_and_every_file_whole() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|latency").await;
    let fake = FakeTwilio::start(generate(RECORDINGS, NOW_MS, 3_600_000)).await;
    fake.state
        .media_len
        .store(MEDIA_LEN as u64, Ordering::SeqCst);
    LatencyModel::REMOTE.install(&fake.state);
    let options = SyncOptions {
        now_ms: NOW_MS,
        // Several pages of each list, the last one short: the delay counts what a page holds.
        page_size: 10,
        download: DownloadPolicy::All,
        ..SyncOptions::default()
    };
    let result = support::sync_with(&scope, &client(&fake.base_url), &options).await;
    assert_eq!(
        (u64::from(result.new), result.without_call, result.failed),
        (RECORDINGS, 0, 0),
        "every recording arrives with its call under the latency model: {result:?}"
    );
    assert_eq!(
        u64::from(result.downloaded),
        RECORDINGS,
        "every file is downloaded: {result:?}"
    );

    // Paced bodies arrive whole: every file is byte for byte what the fake serves.
    let files: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT sid, local_file FROM recordings")
            .fetch_all(scope.pool_for_tests())
            .await
            .expect("files");
    let media = scope.paths().media_dir();
    for (sid, file) in &files {
        let bytes = file
            .as_deref()
            .and_then(|f| std::fs::read(media.join(f)).ok());
        assert!(
            bytes.is_some_and(|b| b == media_bytes(sid, MEDIA_LEN)),
            "{sid}'s file is missing or differs from the fake's {MEDIA_LEN} bytes"
        );
    }
}
