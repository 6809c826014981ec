//! The native player, with no sound card: the player's output is a rodio mixer that a
//! thread drains in real time into a capture buffer, so these tests hear exactly what a
//! speaker would have been given, at a speaker's pace.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use calldeck_core::ids::RecordingSid;
use calldeck_core::library::{
    get_recording, insert_recordings, Direction, NewRecording, Priority, RecordingStatus,
};
use calldeck_core::player::{
    decode_all, waveform, CacheWriter, Capture, OutputChoice, PlaybackStatus, PlayerHandle,
    RealtimeDrain,
};
use calldeck_core::{Error, ErrorCode, UserScope};
use common::{signed_in, NOW_MS};

const RATE: u32 = 8_000;

/// Deterministic noise: every window of it is unique, so a window of captured audio says
/// exactly where in the recording it came from.
fn noise(seed: u32, n: usize) -> Vec<f32> {
    let mut x = seed.wrapping_mul(2_654_435_761).max(1);
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x as f32 / u32::MAX as f32 - 0.5) * 0.6
        })
        .collect()
}

fn write_wav(path: &Path, channels: u16, seconds: f32) {
    let spec = hound::WavSpec {
        channels,
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let frames = (seconds * RATE as f32) as usize;
    let per_channel: Vec<Vec<f32>> = (0..channels)
        .map(|c| noise(7 + u32::from(c), frames))
        .collect();
    let mut w = hound::WavWriter::create(path, spec).expect("wav writer");
    for i in 0..frames {
        for ch in &per_channel {
            w.write_sample((ch[i] * 32_767.0) as i16).expect("sample");
        }
    }
    w.finalize().expect("finalise wav");
}

fn write_mp3(path: &Path, channels: u16, seconds: f32) {
    let wav = path.with_extension("src.wav");
    write_wav(&wav, channels, seconds);
    let mode = if channels == 1 { "m" } else { "j" };
    let status = std::process::Command::new("lame")
        .args(["--quiet", "-m", mode, "-b", "64", "--resample", "8"])
        .arg(&wav)
        .arg(path)
        .status()
        .expect("lame is installed (scripts/bootstrap.sh)");
    assert!(status.success(), "lame must encode the test MP3");
    std::fs::remove_file(wav).expect("remove source wav");
}

struct Rig {
    _dir: tempfile::TempDir,
    scope: UserScope,
    player: PlayerHandle,
    drain: RealtimeDrain,
    capture: Arc<Capture>,
    id: String,
    file: PathBuf,
}

async fn rig(ext: &str, channels: u16, seconds: f32) -> Rig {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_workspace, scope) = signed_in(dir.path(), "auth0|listener").await;
    let id = format!("RE{:032x}", u128::from(channels) * 1000 + ext.len() as u128);
    let name = format!("{id}.{ext}");
    let file = scope.paths().media_file(&name).expect("media path");
    if ext == "mp3" {
        write_mp3(&file, channels, seconds);
    } else {
        write_wav(&file, channels, seconds);
    }
    insert_recordings(
        &scope,
        &[recording(&id, Some(name), channels, seconds as u32)],
        NOW_MS,
    )
    .await
    .expect("insert recording");
    let drain = RealtimeDrain::start(channels, RATE, true);
    let capture = drain.capture().expect("recording drain");
    let player = PlayerHandle::spawn(OutputChoice::Mixer(drain.mixer().clone())).expect("player");
    Rig {
        _dir: dir,
        scope,
        player,
        drain,
        capture,
        id,
        file,
    }
}

fn recording(id: &str, local_file: Option<String>, channels: u16, secs: u32) -> NewRecording {
    NewRecording {
        sid: RecordingSid::parse(id).expect("sid"),
        call_sid: None,
        phone_number: "+15550100000".into(),
        contact_name: None,
        direction: Direction::Inbound,
        status: RecordingStatus::Ready,
        duration_secs: secs,
        channels: u32::from(channels),
        category: None,
        tags: Vec::new(),
        priority: Priority::Normal,
        starred: false,
        archived: false,
        local_file,
        local_file_bytes: None,
        recorded_at_ms: NOW_MS,
    }
}

async fn wait_for_status(player: &PlayerHandle, scope: &UserScope, want: PlaybackStatus) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while player.state_for(scope).status != want {
        assert!(
            Instant::now() < deadline,
            "player never reached {want:?}: {:?}",
            player.state_for(scope)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

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
