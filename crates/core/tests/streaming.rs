//! Playing a recording that is not downloaded: streamed from (the loopback fake of) Twilio
//! into the player while it is cached in the user's media folder.

mod common;
mod support;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use calldeck_core::library;
use calldeck_core::player::{OutputChoice, PlaybackStatus, PlayerHandle, RealtimeDrain};
use calldeck_core::sync::{self, play_from_twilio, SyncOptions};
use tokio_util::sync::CancellationToken;

use common::{signed_in, NOW_MS};
use support::client;
use support::twilio_fake::{generate, recording_sid, FakeTwilio};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recording_not_downloaded_plays_before_its_download_ends_and_is_then_offline() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|streamer").await;
    let fake = FakeTwilio::start(generate(1, NOW_MS, 60_000)).await;
    let c = client(&fake.base_url);
    let options = SyncOptions {
        now_ms: NOW_MS,
        ..SyncOptions::default()
    };
    sync::sync_recordings(&scope, &c, &options, &CancellationToken::new(), None)
        .await
        .expect("sync");
    let id = recording_sid(1);
    assert!(
        !library::get_recording(&scope, &id)
            .await
            .expect("details")
            .summary
            .available_offline
    );

    // Four seconds of real audio, sent in four pieces half a second apart.
    let audio = calldeck_core::demo::conversation_wav(3, 4, 1).expect("audio");
    *fake.state.media_body.lock().expect("lock") = Some(audio.clone());
    fake.state.media_chunk_delay_ms.store(500, Ordering::SeqCst);

    let drain = RealtimeDrain::start(1, 8_000, true);
    let capture = drain.capture().expect("capture");
    let player = PlayerHandle::spawn(OutputChoice::Mixer(drain.mixer().clone())).expect("player");
    let started = Instant::now();
    let (cached_tx, cached_rx) = std::sync::mpsc::channel();
    let on_cached = Box::new(move || cached_tx.send(()).expect("send"));
    play_from_twilio(&scope, &c, &player, &id, on_cached)
        .await
        .expect("streamed play starts");

    let heard_at = loop {
        if let Some(at) = capture.first_sound() {
            break at;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "sound must start while streaming"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    let offline_at = loop {
        if library::get_recording(&scope, &id)
            .await
            .expect("details")
            .summary
            .available_offline
        {
            break Instant::now();
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the download must finish"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(
        heard_at < offline_at,
        "playback starts before the file has fully arrived"
    );

    cached_rx
        .recv_timeout(Duration::from_secs(5))
        .expect("the shell is told once the audio is cached");
    let details = library::get_recording(&scope, &id).await.expect("details");
    assert_eq!(
        details.local_file_bytes,
        Some(audio.len() as f64),
        "the cached size is the whole file"
    );
    let cached: Vec<_> = std::fs::read_dir(scope.paths().media_dir())
        .expect("media")
        .flatten()
        .collect();
    assert_eq!(
        cached.len(),
        1,
        "one cached file and no partial left: {cached:?}"
    );
    assert_eq!(
        std::fs::read(cached[0].path()).expect("read"),
        audio,
        "the cached file is identical"
    );
    assert_eq!(details.play_count, 1, "a streamed play counts once");
    let state = player.state_for(&scope);
    assert!(
        matches!(
            state.status,
            PlaybackStatus::Playing | PlaybackStatus::Buffering | PlaybackStatus::Ended
        ),
        "the player is playing the stream: {state:?}"
    );
    player.stop(&scope).await.expect("stop");
}

/// A sync starting while a call streams must leave the stream's file alone: its start-up
/// clean-up removes only leftovers no download owns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_playing_while_a_sync_starts_ends_cached() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|stream-and-sync").await;
    let fake = FakeTwilio::start(generate(1, NOW_MS, 60_000)).await;
    let c = client(&fake.base_url);
    let options = SyncOptions {
        now_ms: NOW_MS,
        ..SyncOptions::default()
    };
    sync::sync_recordings(&scope, &c, &options, &CancellationToken::new(), None)
        .await
        .expect("sync");
    let id = recording_sid(1);
    let audio = calldeck_core::demo::conversation_wav(4, 2, 1).expect("audio");
    *fake.state.media_body.lock().expect("lock") = Some(audio.clone());
    fake.state.media_chunk_delay_ms.store(300, Ordering::SeqCst);

    let drain = RealtimeDrain::start(1, 8_000, true);
    let player = PlayerHandle::spawn(OutputChoice::Mixer(drain.mixer().clone())).expect("player");
    let (cached_tx, cached_rx) = std::sync::mpsc::channel();
    let on_cached = Box::new(move || cached_tx.send(()).expect("send"));
    play_from_twilio(&scope, &c, &player, &id, on_cached)
        .await
        .expect("streamed play starts");
    // Playing, with the rest of the file still to come: a sync starts now.
    sync::sync_recordings(&scope, &c, &options, &CancellationToken::new(), None)
        .await
        .expect("a sync during the stream");

    cached_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the stream's file is cached although a sync started meanwhile");
    let details = library::get_recording(&scope, &id).await.expect("details");
    assert!(details.summary.available_offline);
    let name = sync::media_file_name(
        &calldeck_core::ids::RecordingSid::parse(&id).expect("sid"),
        NOW_MS,
    );
    assert_eq!(
        std::fs::read(scope.paths().media_dir().join(name)).expect("read"),
        audio,
        "the cached file is the whole stream"
    );
    let _ = player.stop(&scope).await;
}

/// With no `Content-Length`, a streamed body is still held to the size limit: it is
/// refused once it passes it, and nothing of it is kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamed_body_without_a_length_stops_at_the_size_limit() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|endless").await;
    let fake = FakeTwilio::start(generate(1, NOW_MS, 60_000)).await;
    let limit: u64 = 16 * 1024;
    let c = calldeck_core::twilio::TwilioClient::new(
        support::credentials(),
        calldeck_core::twilio::ClientConfig {
            max_media_bytes: limit,
            ..support::config(&fake.base_url)
        },
    )
    .expect("client");
    let options = SyncOptions {
        now_ms: NOW_MS,
        ..SyncOptions::default()
    };
    sync::sync_recordings(&scope, &c, &options, &CancellationToken::new(), None)
        .await
        .expect("sync");
    let id = recording_sid(1);
    // Four seconds of audio: 64 kB, four times the limit, sent without its length.
    let audio = calldeck_core::demo::conversation_wav(6, 4, 1).expect("audio");
    assert!(audio.len() as u64 > 2 * limit);
    *fake.state.media_body.lock().expect("lock") = Some(audio);
    fake.state
        .media_faults
        .without_length
        .store(true, Ordering::SeqCst);

    let drain = RealtimeDrain::start(1, 8_000, true);
    let player = PlayerHandle::spawn(OutputChoice::Mixer(drain.mixer().clone())).expect("player");
    let _ = play_from_twilio(&scope, &c, &player, &id, Box::new(|| {})).await;
    let started = Instant::now();
    let outcome = loop {
        let ended: Option<(String, Option<String>)> = sqlx::query_as(
            "SELECT outcome, detail FROM audit_log WHERE operation = 'download' ORDER BY id DESC",
        )
        .fetch_optional(scope.pool_for_tests())
        .await
        .expect("audit");
        if let Some(ended) = ended {
            break ended;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the streamed download must end"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(
        outcome.0, "error",
        "a body past the limit is refused: {outcome:?}"
    );
    assert!(
        !library::get_recording(&scope, &id)
            .await
            .expect("details")
            .summary
            .available_offline,
        "nothing of it is kept"
    );
    let left: Vec<_> = std::fs::read_dir(scope.paths().media_dir())
        .expect("media")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(left.is_empty(), "no file and no temporary: {left:?}");

    let downloaded = sync::download_recording(&scope, &c, &id).await;
    assert!(
        downloaded.is_err(),
        "\"Download now\" refuses it too: {downloaded:?}"
    );
    let _ = player.stop(&scope).await;
}
