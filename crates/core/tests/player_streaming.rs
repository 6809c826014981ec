//! Playing a recording while its download arrives: playback starts before the last byte,
//! the file is cached whole, and a download that ends before the player opens it (or a
//! replay long after) still plays.

mod common;
mod player_rig;

use std::time::{Duration, Instant};

use calldeck_core::library::insert_recordings;
use calldeck_core::player::{decode_all, CacheWriter, PlaybackStatus};
use common::NOW_MS;
use player_rig::{recording, rig, wait_for_status};

/// A loopback HTTP server that sends `body` in small pieces with pauses between them.
async fn slow_server(body: Vec<u8>, piece: usize, pause: Duration) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.expect("accept");
        let mut request = [0u8; 4096];
        let _ = sock.read(&mut request).await;
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: audio/wav\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        sock.write_all(head.as_bytes()).await.expect("head");
        for chunk in body.chunks(piece) {
            sock.write_all(chunk).await.expect("chunk");
            sock.flush().await.expect("flush");
            tokio::time::sleep(pause).await;
        }
    });
    format!("http://{addr}/recording.wav")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_streamed_recording_starts_before_it_has_arrived_and_is_cached_whole() {
    let rig = rig("wav", 2, 3.0).await;
    let body = std::fs::read(&rig.file).expect("source bytes");
    let streamed_id = "RE00000000000000000000000000005eed";
    insert_recordings(&rig.scope, &[recording(streamed_id, None, 2, 3)], NOW_MS)
        .await
        .expect("insert");
    // 96 kB at 12 kB every 150 ms: about 1.2 s to arrive.
    let url = slow_server(body.clone(), 12_000, Duration::from_millis(150)).await;
    let dest = rig
        .scope
        .paths()
        .media_file(&format!("{streamed_id}.wav"))
        .expect("dest");
    let client = reqwest::Client::new();
    let mut response = client.get(&url).send().await.expect("request");
    let mut writer = CacheWriter::create(dest.clone(), response.content_length())
        .await
        .expect("cache writer");
    let stream = writer.stream();
    let first = response.chunk().await.expect("chunk").expect("first bytes");
    writer.write_chunk(&first).await.expect("write");
    let downloading = tokio::spawn(async move {
        while let Some(bytes) = response.chunk().await.expect("chunk") {
            writer.write_chunk(&bytes).await.expect("write");
        }
        let size = writer.finish().await.expect("finish");
        (size, Instant::now())
    });
    let asked = Instant::now();
    rig.player
        .play_streamed(&rig.scope, streamed_id, dest.clone(), stream)
        .await
        .expect("play streamed");
    let deadline = Instant::now() + Duration::from_secs(5);
    while rig.capture.first_sound().is_none() {
        assert!(Instant::now() < deadline, "streamed audio must start");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let sounded = rig.capture.first_sound().expect("sound");
    let (size, arrived) = downloading.await.expect("download task");
    assert!(
        sounded < arrived,
        "playback must start before the download ends (first audio after {:?}, download took {:?})",
        sounded - asked,
        arrived - asked
    );
    wait_for_status(&rig.player, &rig.scope, PlaybackStatus::Ended).await;
    assert_eq!(size, body.len() as u64, "the whole file arrived");
    assert_eq!(
        std::fs::read(&dest).expect("cached file"),
        body,
        "the cached file is identical to what was served"
    );
    let partials = std::fs::read_dir(rig.scope.paths().media_dir())
        .expect("media dir")
        .filter(|e| {
            e.as_ref()
                .map(|e| e.file_name().to_string_lossy().ends_with(".partial"))
                .unwrap_or(false)
        })
        .count();
    assert_eq!(partials, 0, "no partial file is left behind");
    let (_, _, reference) = decode_all(&dest).expect("decode");
    // Buffering may insert silence while bytes are late; apart from that, every sample of
    // the file must have been played, in order.
    let audible = |v: &[f32]| {
        v.iter()
            .copied()
            .filter(|s| s.abs() > 1e-4)
            .collect::<Vec<_>>()
    };
    let heard = audible(&rig.capture.samples());
    let expected = audible(&reference);
    assert!(heard.len() >= expected.len(), "every sample was played");
    let same = heard
        .iter()
        .zip(&expected)
        .all(|(a, b)| (a - b).abs() < 1e-3);
    assert!(
        same,
        "the streamed playback is the file's audio, every sample"
    );
}

/// The download can finish, and its temporary file be renamed to the final name, before
/// the player gets to open it (a short recording on a fast link), and a stopped stream is
/// replayed from the same source after the download has long finished. Both must play.
#[tokio::test(flavor = "multi_thread")]
async fn a_stream_that_finished_before_the_player_opened_it_still_plays_and_replays() {
    let rig = rig("wav", 1, 0.5).await;
    let body = std::fs::read(&rig.file).expect("source bytes");
    let streamed_id = "RE0000000000000000000000000000fa57";
    insert_recordings(&rig.scope, &[recording(streamed_id, None, 1, 1)], NOW_MS)
        .await
        .expect("insert");
    let dest = rig
        .scope
        .paths()
        .media_file(&format!("{streamed_id}.wav"))
        .expect("dest");
    let mut writer = CacheWriter::create(dest.clone(), Some(body.len() as u64))
        .await
        .expect("cache writer");
    let stream = writer.stream();
    writer.write_chunk(&body).await.expect("write");
    writer.finish().await.expect("finish");

    rig.player
        .play_streamed(&rig.scope, streamed_id, dest.clone(), stream)
        .await
        .expect("a stream whose download already finished plays");
    wait_for_status(&rig.player, &rig.scope, PlaybackStatus::Ended).await;
    rig.player.stop(&rig.scope).await.expect("stop");
    rig.player.resume(&rig.scope).await.expect("resume");
    let state = rig.player.state_for(&rig.scope);
    assert!(
        state.error.is_none(),
        "a replay after the download finished must open its audio: {state:?}"
    );
    wait_for_status(&rig.player, &rig.scope, PlaybackStatus::Ended).await;
}
