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
