//! Two-channel recordings stay two-channel: Twilio mixes them down to mono unless the media
//! request asks `RequestedChannels=2`, and refuses that parameter on a mono recording
//! (16113). The fake does the same, so these tests see which bytes each request got.

mod common;
mod support;

use std::sync::atomic::Ordering;
use std::time::Duration;

use calldeck_core::ids::RecordingSid;
use calldeck_core::player::{OutputChoice, PlayerHandle, RealtimeDrain};
use calldeck_core::sync::{self, play_from_twilio, DownloadPolicy, SyncOptions};
use calldeck_core::transcripts::audio::channels_16k;
use calldeck_core::UserScope;

use common::{signed_in, NOW_MS};
use support::client;
use support::twilio_fake::{generate, media_bytes, mixed_media_bytes, FakeRecording, FakeTwilio};

/// Four recordings a minute apart; the second and the fourth have two channels.
fn mixed_account() -> Vec<FakeRecording> {
    let mut recs = generate(4, NOW_MS, 60_000);
    recs[1].channels = 2;
    recs[3].channels = 2;
    recs
}

fn options(download: DownloadPolicy) -> SyncOptions {
    SyncOptions {
        download,
        now_ms: NOW_MS,
        ..SyncOptions::default()
    }
}

fn local_file(scope: &UserScope, rec: &FakeRecording) -> std::path::PathBuf {
    let sid = RecordingSid::parse(&rec.sid).expect("sid");
    scope
        .paths()
        .media_dir()
        .join(sync::media_file_name(&sid, rec.created_ms))
}

fn asked_two(fake: &FakeTwilio) -> Vec<String> {
    let mut asked = fake.state.channels.asked_two.lock().expect("lock").clone();
    asked.sort();
    asked
}

#[tokio::test]
async fn a_sync_downloads_two_channel_recordings_with_both_channels_and_mono_ones_plainly() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|dual-sync").await;
    let recs = mixed_account();
    let fake = FakeTwilio::start(recs.clone()).await;
    let result = support::sync_with(
        &scope,
        &client(&fake.base_url),
        &options(DownloadPolicy::All),
    )
    .await;
    assert_eq!(
        (result.downloaded, result.download_failed),
        (4, 0),
        "{result:?}"
    );
    for rec in &recs {
        let got = std::fs::read(local_file(&scope, rec)).expect("downloaded");
        assert!(
            got == media_bytes(&rec.sid, 4096) && got != mixed_media_bytes(&rec.sid, 4096),
            "{} ({} channel(s)) must be downloaded as Twilio keeps it, not as a mono mix",
            rec.sid,
            rec.channels
        );
    }
    let mut two: Vec<String> = vec![recs[1].sid.clone(), recs[3].sid.clone()];
    two.sort();
    assert_eq!(
        asked_two(&fake),
        two,
        "RequestedChannels=2 exactly for the two-channel recordings"
    );
    assert_eq!(
        fake.state.channels.refused_mono.load(Ordering::SeqCst),
        0,
        "a mono recording is never asked for two channels"
    );
}

#[tokio::test]
async fn download_now_and_a_redirected_download_keep_both_channels() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|dual-now").await;
    let recs = mixed_account();
    let fake = FakeTwilio::start(recs.clone()).await;
    let c = client(&fake.base_url);
    support::sync_with(&scope, &c, &options(DownloadPolicy::None)).await;
    sync::download_recording(&scope, &c, &recs[1].sid)
        .await
        .expect("download now");
    assert!(
        std::fs::read(local_file(&scope, &recs[1])).expect("read")
            == media_bytes(&recs[1].sid, 4096),
        "\"Download now\" of a two-channel recording gets both channels"
    );
    // Through Twilio's redirect to its media host, the request keeps asking for both.
    fake.state.redirect_media.store(true, Ordering::SeqCst);
    sync::download_recording(&scope, &c, &recs[3].sid)
        .await
        .expect("download now via a redirect");
    assert!(
        std::fs::read(local_file(&scope, &recs[3])).expect("read")
            == media_bytes(&recs[3].sid, 4096),
        "the redirected request still asks for both channels"
    );
    sync::download_recording(&scope, &c, &recs[0].sid)
        .await
        .expect("download now of a mono recording");
    assert_eq!(
        fake.state.channels.refused_mono.load(Ordering::SeqCst),
        0,
        "a mono recording is never asked for two channels"
    );
}

#[tokio::test]
async fn a_recording_twilio_holds_as_mono_is_fetched_again_without_the_parameter() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|dual-stale").await;
    let mut recs = generate(1, NOW_MS, 60_000);
    // The listing says two channels; the media is mono (Twilio answers 16113 to the ask).
    recs[0].raw.insert("channels".into(), serde_json::json!(2));
    let fake = FakeTwilio::start(recs.clone()).await;
    let result = support::sync_with(
        &scope,
        &client(&fake.base_url),
        &options(DownloadPolicy::All),
    )
    .await;
    assert_eq!(
        (result.downloaded, result.download_failed),
        (1, 0),
        "{result:?}"
    );
    assert_eq!(
        fake.state.channels.refused_mono.load(Ordering::SeqCst),
        1,
        "asked once for two channels, refused with 16113"
    );
    assert!(
        std::fs::read(local_file(&scope, &recs[0])).expect("read")
            == media_bytes(&recs[0].sid, 4096),
        "then downloaded as the mono recording it is"
    );
}

/// Real audio: the two-channel WAV when asked, its mono mix otherwise. The streamed copy is
/// the two-channel one, and the transcription's decoder finds two channels in it (the
/// Agent/Customer split), which differ from each other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamed_two_channel_recording_is_cached_with_both_channels_for_transcripts() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|dual-stream").await;
    let mut recs = generate(1, NOW_MS, 60_000);
    recs[0].channels = 2;
    let fake = FakeTwilio::start(recs.clone()).await;
    let c = client(&fake.base_url);
    support::sync_with(&scope, &c, &options(DownloadPolicy::None)).await;
    let stereo = calldeck_core::demo::conversation_wav(5, 2, 2).expect("two-channel audio");
    let mono = calldeck_core::demo::conversation_wav(5, 2, 1).expect("mono mix");
    *fake.state.channels.two_channel_body.lock().expect("lock") = Some(stereo.clone());
    *fake.state.media_body.lock().expect("lock") = Some(mono);

    let drain = RealtimeDrain::start(1, 8_000, true);
    let player = PlayerHandle::spawn(OutputChoice::Mixer(drain.mixer().clone())).expect("player");
    let (cached_tx, cached_rx) = std::sync::mpsc::channel();
    let on_cached = Box::new(move || cached_tx.send(()).expect("send"));
    play_from_twilio(&scope, &c, &player, &recs[0].sid, on_cached)
        .await
        .expect("streamed play starts");
    cached_rx
        .recv_timeout(Duration::from_secs(20))
        .expect("the stream is cached");
    let _ = player.stop(&scope).await;

    let path = local_file(&scope, &recs[0]);
    assert!(
        std::fs::read(&path).expect("read") == stereo,
        "the streamed copy is the two-channel file"
    );
    let channels = tokio::task::spawn_blocking(move || channels_16k(&path))
        .await
        .expect("join")
        .expect("decoded");
    assert_eq!(
        channels.len(),
        2,
        "Agent and Customer come from two channels"
    );
    assert!(
        channels[0] != channels[1],
        "each channel holds its own speaker, not a copy of the mix"
    );
}
