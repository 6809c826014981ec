//! The native player, with no sound card: the player's output is a rodio mixer that a
//! thread drains in real time into a capture buffer, so these tests hear exactly what a
//! speaker would have been given, at a speaker's pace. Playing while a download arrives is
//! in `player_streaming.rs`.

mod common;
mod player_rig;

use std::time::{Duration, Instant};

use calldeck_core::library::{get_recording, insert_recordings};
use calldeck_core::player::{decode_all, waveform, PlaybackStatus};
use calldeck_core::{Error, ErrorCode};
use common::{signed_in, NOW_MS};
use player_rig::{recording, rig, wait_for_status, RATE};

fn first_sound(samples: &[f32], from: usize) -> Option<usize> {
    samples[from..]
        .iter()
        .position(|s| s.abs() > 1e-4)
        .map(|i| i + from)
}

/// Everything that was played, from the first sound on, must be the file's decoded audio,
/// sample for sample, followed by nothing but silence.
async fn plays_whole_file(ext: &str, channels: u16) {
    let rig = rig(ext, channels, 1.5).await;
    let (file_channels, rate, reference) = decode_all(&rig.file).expect("decode reference");
    assert_eq!(
        (file_channels, rate),
        (channels, RATE),
        "the test file is what we asked for"
    );
    rig.player.play(&rig.scope, &rig.id).await.expect("play");
    wait_for_status(&rig.player, &rig.scope, PlaybackStatus::Ended).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let heard = rig.capture.samples();
    let start = first_sound(&heard, 0).expect("some audio must have flowed");
    // The reference may start with silence (MP3 encoder delay): align on its first sound.
    let ref_start = first_sound(&reference, 0).expect("reference has sound");
    let expected = &reference[ref_start..];
    assert!(
        heard.len() >= start + expected.len(),
        "{ext}/{channels}ch: only {} of {} samples played",
        heard.len() - start,
        expected.len()
    );
    let played = &heard[start..start + expected.len()];
    let worst = played
        .iter()
        .zip(expected)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0f32, f32::max);
    assert!(
        worst < 1e-3,
        "{ext}/{channels}ch: played samples must be the file's, worst difference {worst}"
    );
    assert!(
        heard[start + expected.len()..]
            .iter()
            .all(|s| s.abs() < 1e-4),
        "{ext}/{channels}ch: after the file ends only silence may follow (exact sample count)"
    );
    let details = get_recording(&rig.scope, &rig.id).await.expect("details");
    assert_eq!(details.play_count, 1, "one play start counts once");
    assert!(details.last_played_at.is_some(), "last played is recorded");
    drop(rig.drain);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mono_wav_plays_every_sample_in_order() {
    plays_whole_file("wav", 1).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stereo_wav_plays_every_sample_on_the_right_channel() {
    plays_whole_file("wav", 2).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mono_mp3_plays_every_decoded_sample() {
    plays_whole_file("mp3", 1).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stereo_mp3_plays_every_decoded_sample() {
    plays_whole_file("mp3", 2).await;
}

/// Where in the reference the audio heard from `at` came from: walks back from a matched
/// window to the first sample of the continuous run, so the result is where playback
/// (re)started.
fn run_start_in_reference(heard: &[f32], at: usize, reference: &[f32], channels: usize) -> usize {
    const W: usize = 256;
    let window = &heard[at..at + W];
    let mut best = (f32::MAX, 0usize);
    for p in (0..reference.len().saturating_sub(W)).step_by(channels) {
        let d: f32 = window
            .iter()
            .zip(&reference[p..p + W])
            .map(|(a, b)| (a - b).abs())
            .sum();
        if d < best.0 {
            best = (d, p);
        }
    }
    assert!(
        best.0 / (W as f32) < 0.02,
        "the heard window at {at} must come from the file (mean difference {})",
        best.0 / (W as f32)
    );
    let (mut h, mut r) = (at, best.1);
    while h >= channels && r >= channels {
        let close = (0..channels)
            .all(|c| (heard[h - channels + c] - reference[r - channels + c]).abs() < 0.05);
        if !close {
            break;
        }
        h -= channels;
        r -= channels;
    }
    r
}

async fn seek_lands_on_time(ext: &str, channels: u16) {
    let rig = rig(ext, channels, 4.0).await;
    let (_, _, reference) = decode_all(&rig.file).expect("decode reference");
    rig.player.play(&rig.scope, &rig.id).await.expect("play");
    tokio::time::sleep(Duration::from_millis(400)).await;
    let asked_ms = 2_500u32;
    rig.player.seek(&rig.scope, asked_ms).await.expect("seek");
    // Wait until 300 ms have played past the asked position, however loaded the machine is,
    // so that the last samples heard are surely from after the seek; a fixed sleep raced it.
    let deadline = Instant::now() + Duration::from_secs(15);
    while rig.player.state_for(&rig.scope).position_ms < asked_ms + 300 {
        assert!(
            Instant::now() < deadline,
            "{ext}/{channels}ch: the position never followed the seek: {:?}",
            rig.player.state_for(&rig.scope)
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(30)).await;
    let heard = rig.capture.samples();
    let tail = (RATE as usize * usize::from(channels)) / 20 + 256; // 50 ms + one window
                                                                   // On a frame boundary: the drain pulls any number of samples, not whole frames.
    let at = (heard.len() - tail) / usize::from(channels) * usize::from(channels);
    let landed = run_start_in_reference(&heard, at, &reference, usize::from(channels));
    let landed_ms = (landed / usize::from(channels)) as f64 * 1000.0 / f64::from(RATE);
    // The MP3 reference starts with the encoder delay; the decoder's timeline includes it.
    assert!(
        (landed_ms - f64::from(asked_ms)).abs() <= 50.0,
        "{ext}/{channels}ch: seek to {asked_ms} ms must land within 50 ms, landed at {landed_ms:.1} ms"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn seeking_a_wav_lands_within_50_ms() {
    seek_lands_on_time("wav", 1).await;
    seek_lands_on_time("wav", 2).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn seeking_an_mp3_lands_within_50_ms() {
    seek_lands_on_time("mp3", 1).await;
    seek_lands_on_time("mp3", 2).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pause_stops_the_flow_and_resume_continues_where_it_was() {
    let rig = rig("wav", 1, 4.0).await;
    rig.player.play(&rig.scope, &rig.id).await.expect("play");
    tokio::time::sleep(Duration::from_millis(500)).await;
    rig.player.pause(&rig.scope).await.expect("pause");
    tokio::time::sleep(Duration::from_millis(50)).await;
    let paused_at = rig.player.state_for(&rig.scope);
    let from = rig.capture.len();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let heard = rig.capture.samples();
    assert!(
        heard.len() - from > RATE as usize / 4,
        "the output clock keeps running"
    );
    assert!(
        heard[from..].iter().all(|s| s.abs() < 1e-4),
        "nothing but silence may flow while paused"
    );
    let still = rig.player.state_for(&rig.scope);
    assert_eq!(still.status, PlaybackStatus::Paused, "state says paused");
    assert_eq!(
        still.position_ms, paused_at.position_ms,
        "the position must not move while paused"
    );
    rig.player.resume(&rig.scope).await.expect("resume");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let moving = rig.player.state_for(&rig.scope);
    assert!(
        moving.position_ms > paused_at.position_ms + 150,
        "resume continues: {} -> {}",
        paused_at.position_ms,
        moving.position_ms
    );
    let details = get_recording(&rig.scope, &rig.id).await.expect("details");
    assert_eq!(details.play_count, 1, "resume is not a new play start");
}

#[tokio::test(flavor = "multi_thread")]
async fn speed_changes_how_fast_the_position_moves_and_volume_scales_samples() {
    let rig = rig("wav", 1, 4.0).await;
    rig.player.set_speed(&rig.scope, 2.0).await.expect("speed");
    assert!(
        matches!(
            rig.player.set_speed(&rig.scope, 3.0).await,
            Err(Error::InvalidInput(_))
        ),
        "speeds beyond 2x are refused"
    );
    rig.player.play(&rig.scope, &rig.id).await.expect("play");
    tokio::time::sleep(Duration::from_millis(200)).await;
    // Measured against the time that really passed, not the time asked to sleep: on a busy
    // machine a wake-up can come late.
    let (a, t0) = (rig.player.state_for(&rig.scope).position_ms, Instant::now());
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (b, t1) = (rig.player.state_for(&rig.scope).position_ms, Instant::now());
    let rate = f64::from(b - a) / (t1 - t0).as_secs_f64() / 1000.0;
    assert!(
        (1.6..=2.4).contains(&rate),
        "at 2x the position must move ~2 ms per ms of wall time, moved {rate:.2}"
    );
    rig.player
        .skip(&rig.scope, -10_000)
        .await
        .expect("skip back");
    assert!(
        rig.player.state_for(&rig.scope).position_ms < 200,
        "skipping back past the start lands at the start"
    );
    rig.player.set_volume(&rig.scope, 0.0).await.expect("mute");
    tokio::time::sleep(Duration::from_millis(100)).await;
    let from = rig.capture.len();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        rig.capture.samples()[from..].iter().all(|s| s.abs() < 1e-4),
        "volume 0 gives silence"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn another_users_recording_cannot_be_played_and_missing_audio_is_not_available_offline() {
    let rig = rig("wav", 1, 1.0).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let (_w, other) = signed_in(dir.path(), "auth0|someone-else").await;
    assert!(
        matches!(rig.player.play(&other, &rig.id).await, Err(Error::NotFound)),
        "another user's recording answers not_found"
    );
    assert!(
        matches!(
            rig.player.play(&rig.scope, "../../etc/passwd").await,
            Err(Error::NotFound)
        ),
        "a malformed id answers not_found"
    );
    let remote = "RE0000000000000000000000000000beef";
    insert_recordings(&rig.scope, &[recording(remote, None, 1, 5)], NOW_MS)
        .await
        .expect("insert");
    let err = rig
        .player
        .play(&rig.scope, remote)
        .await
        .expect_err("not downloaded, no stream");
    assert_eq!(
        err.code(),
        ErrorCode::NotAvailableOffline,
        "clear offline error"
    );
    rig.player.play(&rig.scope, &rig.id).await.expect("play");
    assert_eq!(
        rig.player.state_for(&other).recording_id,
        None,
        "another user never sees what this user plays"
    );
    rig.player.forget().await.expect("forget");
    assert_eq!(
        rig.player.state_for(&rig.scope).recording_id,
        None,
        "signing out stops and forgets playback"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn waveform_peaks_come_from_the_audio_per_channel_and_are_cached() {
    let rig = rig("wav", 2, 1.0).await;
    let wave = waveform(&rig.scope, &rig.id, 100).await.expect("waveform");
    assert_eq!(wave.channels.len(), 2, "one row per channel");
    assert_eq!(wave.channels[0].min.len(), 100, "as many buckets as asked");
    assert!(
        (990..=1010).contains(&wave.duration_ms),
        "duration from the audio"
    );
    let (_, _, samples) = decode_all(&rig.file).expect("decode");
    let left_max = samples.iter().step_by(2).fold(f32::MIN, |a, &b| a.max(b));
    let peak = wave.channels[0].max.iter().fold(f32::MIN, |a, &b| a.max(b));
    assert!(
        (peak - left_max).abs() < 1e-6,
        "the loudest bucket is the loudest sample"
    );
    let cache = rig.scope.paths().root().join("cache/waveforms");
    assert!(
        std::fs::read_dir(&cache).expect("cache dir").count() == 1,
        "peaks are cached per recording"
    );
    let again = waveform(&rig.scope, &rig.id, 100)
        .await
        .expect("cached waveform");
    assert_eq!(again, wave, "the cached peaks are the computed ones");
    let dir = tempfile::tempdir().expect("temp dir");
    let (_w, other) = signed_in(dir.path(), "auth0|someone-else").await;
    assert!(
        matches!(waveform(&other, &rig.id, 100).await, Err(Error::NotFound)),
        "another user's waveform is not_found"
    );
}
