//! One recording fetched several ways at once (a sync, "Download now", a stream), with
//! connections breaking: the media folder ends with one whole file and nothing else.

mod common;
mod support;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use calldeck_core::player::{OutputChoice, PlayerHandle, RealtimeDrain};
use calldeck_core::sync::{self, play_from_twilio, DownloadPolicy, SyncOptions};
use calldeck_core::UserScope;
use sha2::{Digest, Sha256};
use tokio_util::sync::CancellationToken;

use common::{signed_in, NOW_MS};
use support::client;
use support::twilio_fake::{generate, recording_sid, FakeTwilio};

const ROUNDS: usize = 50;

fn media_names(scope: &UserScope) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(scope.paths().media_dir())
        .expect("media folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Audit entries of streamed downloads so far: each stream writes one when its download
/// has ended, however it ended.
async fn streams_ended(scope: &UserScope) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE operation = 'download' AND detail LIKE 'streamed%'",
    )
    .fetch_one(scope.pool_for_tests())
    .await
    .expect("audit count")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_recording_downloaded_three_ways_at_once_with_a_cut_ends_as_one_whole_file() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|racer").await;
    let fake = FakeTwilio::start(generate(1, NOW_MS, 60_000)).await;
    let c = client(&fake.base_url);
    let listed_only = SyncOptions {
        now_ms: NOW_MS,
        ..SyncOptions::default()
    };
    sync::sync_recordings(&scope, &c, &listed_only, &CancellationToken::new(), None)
        .await
        .expect("first sync");
    let id = recording_sid(1);
    let name = sync::media_file_name(
        &calldeck_core::ids::RecordingSid::parse(&id).expect("sid"),
        NOW_MS,
    );
    let served = calldeck_core::demo::conversation_wav(5, 1, 1).expect("audio");
    let served_sum = hex::encode(Sha256::digest(&served));
    *fake.state.media_body.lock().expect("lock") = Some(served.clone());
    // Slow enough for the three to overlap: each body comes in four pieces 3 ms apart.
    fake.state.media_chunk_delay_ms.store(3, Ordering::SeqCst);

    let drain = RealtimeDrain::start(1, 8_000, true);
    let player = PlayerHandle::spawn(OutputChoice::Mixer(drain.mixer().clone())).expect("player");
    let with_downloads = SyncOptions {
        download: DownloadPolicy::All,
        download_concurrency: 4,
        now_ms: NOW_MS,
        ..SyncOptions::default()
    };
    let mut streams_cached = 0;
    for round in 0..ROUNDS {
        // Not on this computer yet, and one of the three answers breaks half-way.
        let _ = std::fs::remove_file(scope.paths().media_dir().join(&name));
        sqlx::query("UPDATE recordings SET local_file = NULL, local_file_bytes = NULL")
            .execute(scope.pool_for_tests())
            .await
            .expect("reset");
        fake.state.media_faults.cut_next.store(1, Ordering::SeqCst);

        let (cached_tx, cached_rx) = std::sync::mpsc::channel();
        let on_cached = Box::new(move || {
            let _ = cached_tx.send(());
        });
        let cancel = CancellationToken::new();
        let (synced, now, _streamed) = tokio::join!(
            sync::sync_recordings(&scope, &c, &with_downloads, &cancel, None),
            sync::download_recording(&scope, &c, &id),
            play_from_twilio(&scope, &c, &player, &id, on_cached),
        );
        let synced = synced.expect("the sync runs");
        assert_eq!(
            synced.download_failed, 0,
            "round {round}: the sync's download retries a cut: {synced:?}"
        );
        now.unwrap_or_else(|e| panic!("round {round}: Download now fails: {e:?}"));

        // The stream's download ends on its own (cached, or failed where it was cut).
        let waiting = Instant::now();
        while streams_ended(&scope).await < (round + 1) as i64 {
            assert!(
                waiting.elapsed() < Duration::from_secs(30),
                "round {round}: the stream's download never ended"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        streams_cached += usize::from(cached_rx.try_recv().is_ok());

        assert_eq!(
            media_names(&scope),
            vec![name.clone()],
            "round {round}: one file and no temporary left"
        );
        let on_disk = std::fs::read(scope.paths().media_dir().join(&name)).expect("read");
        assert_eq!(
            hex::encode(Sha256::digest(&on_disk)),
            served_sum,
            "round {round}: the file is exactly what was served"
        );
        let row: (Option<String>, Option<i64>) =
            sqlx::query_as("SELECT local_file, local_file_bytes FROM recordings WHERE sid = ?1")
                .bind(&id)
                .fetch_one(scope.pool_for_tests())
                .await
                .expect("row");
        assert_eq!(
            row,
            (Some(name.clone()), Some(served.len() as i64)),
            "round {round}: the library points to the whole file"
        );
    }
    let _ = player.stop(&scope).await;
    eprintln!(
        "download_races: {ROUNDS} rounds, {} media requests, {streams_cached} streams cached \
         their file (the others were the one cut)",
        fake.state.media_requests.load(Ordering::SeqCst)
    );
}
