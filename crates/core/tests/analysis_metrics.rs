//! Local audio metrics on synthesized recordings whose talk, silences and levels are known.

use std::path::{Path, PathBuf};
use std::process::Command;

use calldeck_core::analysis::{audio_metrics, AudioMetrics, DB_FLOOR};
use calldeck_core::ErrorCode;

const RATE: u32 = 16_000;
/// Speech level of the synthesized talk, RMS in dBFS.
const SPEECH_DB: f32 = -20.0;
/// Line noise under everything, as on a real call.
const NOISE_DB: f32 = -65.0;

/// A deterministic uniform noise source in [-1, 1].
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> f32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
    }
}

fn amplitude(rms_db: f32) -> f32 {
    10f32.powf(rms_db / 20.0)
}

/// One channel: `talk` spans (seconds) filled with speech-like sound at [`SPEECH_DB`] RMS
/// (a 180 Hz tone or noise), over line noise at [`NOISE_DB`]. Each span has 100 ms pauses
/// every 500 ms, like the gaps between words, which must not count as silence.
fn channel(total_s: f32, talk: &[(f32, f32)], tone: bool, seed: u64) -> Vec<f32> {
    let n = (total_s * RATE as f32) as usize;
    let mut noise = Noise(seed);
    let floor = amplitude(NOISE_DB) * 3f32.sqrt(); // uniform noise: RMS = peak / √3
    (0..n)
        .map(|i| {
            let t = i as f32 / RATE as f32;
            let in_span = talk.iter().any(|&(a, b)| t >= a && t < b);
            let in_word = talk
                .iter()
                .any(|&(a, b)| t >= a && t < b && ((t - a) % 0.5 < 0.4 || b - t < 0.1));
            let speech = if in_span && in_word {
                if tone {
                    amplitude(SPEECH_DB) * 2f32.sqrt() * (t * 180.0 * std::f32::consts::TAU).sin()
                } else {
                    amplitude(SPEECH_DB) * 3f32.sqrt() * noise.next()
                }
            } else {
                0.0
            };
            speech + floor * noise.next()
        })
        .collect()
}

fn write_wav(path: &Path, channels: &[Vec<f32>]) {
    let spec = hound::WavSpec {
        channels: channels.len() as u16,
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).expect("wav writer");
    for i in 0..channels[0].len() {
        for ch in channels {
            w.write_sample((ch[i] * f32::from(i16::MAX)).round() as i16)
                .expect("sample");
        }
    }
    w.finalize().expect("finalize");
}

fn assert_near(what: &str, got: f32, want: f32, tolerance: f32) {
    assert!(
        (got - want).abs() <= tolerance,
        "{what}: got {got}, want {want} ± {tolerance}"
    );
}

fn assert_consistent(m: &AudioMetrics) {
    assert_near("talk + silence", m.talk_ratio + m.silence_ratio, 1.0, 1e-6);
    assert!((0.0..=1.0).contains(&m.talk_ratio), "{m:?}");
}

/// Agent talks 0-2 s, a 1.5 s silence, the customer talks 3.5-6.5 s, a short tail.
fn call(dir: &Path) -> PathBuf {
    let path = dir.join("call.wav");
    let agent = channel(6.7, &[(0.0, 2.0)], true, 1);
    let customer = channel(6.7, &[(3.5, 6.5)], false, 2);
    write_wav(&path, &[agent, customer]);
    path
}

/// `duration_ms` differs for MP3 (encoder padding); talk and silences are held to ±100 ms.
fn check_call(m: &AudioMetrics, duration_ms: f32, peak_tolerance_db: f32) {
    let timing_tolerance_ms = 100.0;
    assert_consistent(m);
    assert_near("duration", m.duration_ms as f32, duration_ms, 20.0);
    assert_eq!(m.channels.len(), 2);
    assert_eq!((m.channels[0].channel, m.channels[1].channel), (0, 1));
    assert_near(
        "agent talk",
        m.channels[0].talk_ms as f32,
        2000.0,
        timing_tolerance_ms,
    );
    assert_near(
        "customer talk",
        m.channels[1].talk_ms as f32,
        3000.0,
        timing_tolerance_ms,
    );
    assert_near(
        "longest silence",
        m.longest_silence_ms as f32,
        1500.0,
        timing_tolerance_ms,
    );
    assert_near("talk ratio", m.talk_ratio, 5.0 / 6.7, 0.03);
    for ch in &m.channels {
        assert_near("channel loudness", ch.loudness_dbfs, SPEECH_DB, 1.0);
    }
    assert_near("loudness", m.loudness_dbfs, SPEECH_DB, 1.0);
    // The tone's peak is √2 over its RMS (+3 dB); the noise's is √3 (+4.8 dB).
    assert_near("peak", m.peak_dbfs, SPEECH_DB + 4.8, peak_tolerance_db);
}

#[test]
fn a_two_channel_call_gives_talk_per_channel_silence_and_loudness() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = audio_metrics(&call(dir.path())).expect("metrics");
    check_call(&m, 6700.0, 1.0);
}

#[test]
fn a_mono_call_measures_the_mixed_channel() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("mono.wav");
    write_wav(&path, &[channel(6.7, &[(0.0, 2.0), (3.5, 6.5)], false, 3)]);
    let m = audio_metrics(&path).expect("metrics");
    assert_consistent(&m);
    assert_eq!(m.channels.len(), 1);
    assert_near("talk", m.channels[0].talk_ms as f32, 5000.0, 100.0);
    assert_near(
        "longest silence",
        m.longest_silence_ms as f32,
        1500.0,
        100.0,
    );
    assert_near("talk ratio", m.talk_ratio, 5.0 / 6.7, 0.02);
    assert_near("loudness", m.loudness_dbfs, SPEECH_DB, 1.0);
    assert_near(
        "channel loudness",
        m.channels[0].loudness_dbfs,
        SPEECH_DB,
        1.0,
    );
}

#[test]
fn a_silent_recording_has_no_talk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("silent.wav");
    write_wav(
        &path,
        &[vec![0.0; 3 * RATE as usize], vec![0.0; 3 * RATE as usize]],
    );
    let m = audio_metrics(&path).expect("metrics");
    assert_consistent(&m);
    assert_eq!(m.talk_ratio, 0.0);
    assert_eq!(m.silence_ratio, 1.0);
    assert_eq!(m.longest_silence_ms, 3000);
    assert_eq!(m.loudness_dbfs, DB_FLOOR);
    assert_eq!(m.peak_dbfs, DB_FLOOR);
    assert!(m.channels.iter().all(|c| c.talk_ms == 0));

    // Line noise alone is not talk either.
    write_wav(&path, &[channel(3.0, &[], false, 4)]);
    let m = audio_metrics(&path).expect("metrics");
    assert_eq!(m.talk_ratio, 0.0, "{m:?}");
}

#[test]
fn talking_without_a_pause_counts_as_talk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("steady.wav");
    let steady: Vec<f32> = (0..2 * RATE)
        .map(|i| 0.1 * (i as f32 / RATE as f32 * 300.0 * std::f32::consts::TAU).sin())
        .collect();
    write_wav(&path, &[steady]);
    let m = audio_metrics(&path).expect("metrics");
    assert_near("talk ratio", m.talk_ratio, 1.0, 0.02);
    assert_eq!(m.longest_silence_ms, 0);
}

#[test]
fn an_mp3_of_the_call_gives_the_same_metrics() {
    let lame = Command::new("lame").arg("--version").output();
    assert!(
        lame.is_ok_and(|o| o.status.success()),
        "this test encodes an MP3 with `lame`, which is not installed (apt-get install lame)"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let wav = call(dir.path());
    let mp3 = dir.path().join("call.mp3");
    // Plain stereo (not joint), so each leg stays on its own channel as in Twilio's files.
    let status = Command::new("lame")
        .args(["--quiet", "-m", "s", "-b", "64"])
        .arg(&wav)
        .arg(&mp3)
        .status()
        .expect("run lame");
    assert!(status.success(), "lame failed");
    let m = audio_metrics(&mp3).expect("metrics");
    // The encoder pads the start and the last frame (about 100 ms at 16 kHz), so the
    // duration grows a little; the talk and the silences must not. Lossy coding of noise
    // overshoots its peaks by several dB, while its RMS (the loudness) stays put.
    check_call(&m, 6804.0, 6.0);
}

#[test]
fn metrics_serialise_in_camel_case_and_unreadable_files_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = audio_metrics(&call(dir.path())).expect("metrics");
    let json = serde_json::to_value(&m).expect("serialises");
    for key in [
        "durationMs",
        "talkRatio",
        "silenceRatio",
        "longestSilenceMs",
        "loudnessDbfs",
        "peakDbfs",
    ] {
        assert!(json.get(key).is_some(), "{key} missing from {json}");
    }
    assert!(json["channels"][0].get("talkMs").is_some());

    let junk = dir.path().join("junk.mp3");
    std::fs::write(&junk, b"this is not audio at all").expect("write");
    let err = audio_metrics(&junk).expect_err("unreadable");
    assert_eq!(err.code(), ErrorCode::AudioUnreadable);
}
