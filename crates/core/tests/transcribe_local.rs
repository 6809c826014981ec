//! The offline engine (Debian's pocketsphinx) on its own test recording, "go forward ten
//! meters": as a 16 kHz WAV, and as the customer's side of an 8 kHz two-channel call,
//! which proves decoding, resampling and per-channel transcription end to end.
//!
//! Needs the packages pocketsphinx, pocketsphinx-en-us and pocketsphinx-testdata (the
//! bootstrap installs them). Without them the tests fail, saying what to install, unless
//! CALLDECK_ALLOW_NO_POCKETSPHINX is set.

use std::path::{Path, PathBuf};
use std::time::Duration;

use calldeck_core::transcripts::audio::{channels_16k, resample};
use calldeck_core::transcripts::{merge_channels, LocalEngine, Segment, Speaker};
use calldeck_core::Error;
use tokio_util::sync::CancellationToken;

const SPEECH: &str = "/usr/share/pocketsphinx/test/data/goforward.raw";
const MODEL: &str = "/usr/share/pocketsphinx/model/en-us/en-us";
const EXPECTED: [&str; 4] = ["go", "forward", "ten", "meters"];

/// The tests run one at a time, so that "no engine process is left" can be checked by
/// looking at this process's children.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The engine and the test sentence (16 kHz mono), or a failure naming the package.
fn setup() -> Option<(LocalEngine, Vec<i16>)> {
    let missing = |what: &str| {
        if std::env::var_os("CALLDECK_ALLOW_NO_POCKETSPHINX").is_some() {
            eprintln!("skipped (CALLDECK_ALLOW_NO_POCKETSPHINX is set): {what}");
            return None;
        }
        panic!("{what} (or set CALLDECK_ALLOW_NO_POCKETSPHINX=1 to skip these tests)");
    };
    let Some(engine) = LocalEngine::find() else {
        return missing("pocketsphinx_continuous was not found (PATH, or CALLDECK_POCKETSPHINX): apt-get install pocketsphinx");
    };
    if !Path::new(MODEL).is_dir() {
        return missing("the en-us model is missing: apt-get install pocketsphinx-en-us");
    }
    let Ok(raw) = std::fs::read(SPEECH) else {
        return missing("goforward.raw is missing: apt-get install pocketsphinx-testdata");
    };
    let samples = raw
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect();
    Some((engine, samples))
}

fn write_wav(path: &Path, rate: u32, channels: &[Vec<i16>]) {
    let spec = hound::WavSpec {
        channels: channels.len() as u16,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(path, spec).expect("create WAV");
    for i in 0..channels[0].len() {
        for channel in channels {
            writer.write_sample(channel[i]).expect("write sample");
        }
    }
    writer.finalize().expect("finish WAV");
}

fn words(segments: &[Segment]) -> Vec<(String, u32)> {
    segments
        .iter()
        .flat_map(|s| s.words.iter().map(|w| (w.text.clone(), w.start_ms)))
        .collect()
}

/// The sentence in order, each word later than the one before, near where it is spoken
/// (0.46 s to 2.11 s into the 16 kHz original).
fn assert_go_forward(segments: &[Segment], speaker: Speaker) {
    let found = words(segments);
    let texts: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(texts, EXPECTED, "{segments:#?}");
    assert!(found.windows(2).all(|w| w[0].1 < w[1].1), "{found:?}");
    assert!(
        (300..=650).contains(&found[0].1),
        "'go' at {} ms",
        found[0].1
    );
    let last = segments.last().map_or(0, |s| s.end_ms);
    assert!((1900..=2400).contains(&last), "'meters' ends at {last} ms");
    assert!(
        segments.iter().all(|s| s.speaker == speaker),
        "{segments:#?}"
    );
}

#[tokio::test]
async fn a_16k_recording_says_go_forward_ten_meters() {
    let _one = SERIAL.lock().await;
    let Some((engine, speech)) = setup() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("mono.wav");
    write_wav(&path, 16_000, std::slice::from_ref(&speech));

    let channels = channels_16k(&path).expect("decoded");
    assert_eq!(channels.len(), 1);
    assert_eq!(channels[0].len(), speech.len(), "16 kHz in, 16 kHz out");
    let segments = engine
        .transcribe(&channels[0], 0, 1, &CancellationToken::new())
        .await
        .expect("transcribed");
    assert_go_forward(&segments, Speaker::Mixed);
    assert_eq!(segments[0].text, "go forward ten meters");
}

#[tokio::test]
async fn an_8k_two_channel_call_is_transcribed_per_channel() {
    let _one = SERIAL.lock().await;
    let Some((engine, speech)) = setup() else {
        return;
    };
    let as_f32: Vec<f32> = speech.iter().map(|&s| f32::from(s) / 32768.0).collect();
    let narrow: Vec<i16> = resample(&as_f32, 16_000, 8_000)
        .iter()
        .map(|s| (s * 32767.0).round() as i16)
        .collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("call.wav");
    // The agent (channel 0) is silent; the customer (channel 1) speaks.
    write_wav(&path, 8_000, &[vec![0; narrow.len()], narrow.clone()]);

    let channels = channels_16k(&path).expect("decoded");
    assert_eq!(channels.len(), 2);
    assert!(
        channels.iter().all(|c| c.len() == narrow.len() * 2),
        "resampled to 16 kHz"
    );
    let cancel = CancellationToken::new();
    let mut per_channel = Vec::new();
    for (i, samples) in channels.iter().enumerate() {
        let segments = engine
            .transcribe(samples, i as u8, 2, &cancel)
            .await
            .expect("transcribed");
        per_channel.push(segments);
    }
    assert!(
        words(&per_channel[0]).is_empty(),
        "silence has no words: {:?}",
        per_channel[0]
    );
    assert_go_forward(&per_channel[1], Speaker::Customer);
    let merged = merge_channels(per_channel);
    assert_go_forward(&merged, Speaker::Customer);
}

#[tokio::test]
async fn times_count_from_the_start_of_the_recording_across_utterances() {
    let _one = SERIAL.lock().await;
    let Some((engine, speech)) = setup() else {
        return;
    };
    // The sentence, two seconds of silence, the sentence again: two utterances to the engine.
    let mut samples = speech.clone();
    samples.extend(std::iter::repeat_n(0, 32_000));
    samples.extend(&speech);
    let segments = engine
        .transcribe(&samples, 0, 1, &CancellationToken::new())
        .await
        .expect("transcribed");
    let found = words(&segments);
    let texts: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(texts, [EXPECTED, EXPECTED].concat(), "{segments:#?}");
    let second_go = found[4].1;
    let offset = (speech.len() as u32 + 32_000) / 16;
    assert!(
        (offset + 300..=offset + 650).contains(&second_go),
        "the second 'go' at {second_go} ms, its utterance starts at {offset} ms"
    );
    assert_eq!(
        segments.len(),
        2,
        "the pause splits the lines: {segments:#?}"
    );
}

#[tokio::test]
async fn cancelled_before_it_starts() {
    let _one = SERIAL.lock().await;
    let Some((engine, speech)) = setup() else {
        return;
    };
    let cancel = CancellationToken::new();
    cancel.cancel();
    let err = engine
        .transcribe(&speech, 0, 1, &cancel)
        .await
        .expect_err("cancelled");
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    assert!(engines_running().is_empty());
}

/// A minute of speech keeps the engine busy for a few seconds.
fn long_audio(speech: &[i16]) -> Vec<i16> {
    let mut samples = Vec::new();
    for _ in 0..12 {
        samples.extend_from_slice(speech);
        samples.extend(std::iter::repeat_n(0, 32_000));
    }
    samples
}

#[tokio::test]
async fn cancel_kills_the_running_engine_and_removes_its_files() {
    let _one = SERIAL.lock().await;
    let Some((engine, speech)) = setup() else {
        return;
    };
    let samples = long_audio(&speech);
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    let watcher = tokio::spawn(async move {
        // Cancel once the engine is seen running.
        let seen = wait_for(|| !engines_running().is_empty()).await;
        trigger.cancel();
        seen
    });
    let err = engine
        .transcribe(&samples, 0, 1, &cancel)
        .await
        .expect_err("cancelled");
    assert!(watcher.await.expect("watcher"), "the engine never started");
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    assert!(engines_running().is_empty(), "no engine process is left");
    assert!(
        work_dirs().is_empty(),
        "the temporary audio is removed: {:?}",
        work_dirs()
    );
}

#[tokio::test]
async fn dropping_the_transcription_kills_the_engine() {
    let _one = SERIAL.lock().await;
    let Some((engine, speech)) = setup() else {
        return;
    };
    let samples = long_audio(&speech);
    let cancel = CancellationToken::new();
    let mut run = Box::pin(engine.transcribe(&samples, 0, 1, &cancel));
    let seen = tokio::select! {
        _ = &mut run => false,
        seen = wait_for(|| !engines_running().is_empty()) => seen,
    };
    assert!(seen, "the engine was expected to be running");
    drop(run);
    assert!(engines_running().is_empty(), "no engine process is left");
    assert!(
        work_dirs().is_empty(),
        "the temporary audio is removed: {:?}",
        work_dirs()
    );
}

async fn wait_for(mut condition: impl FnMut() -> bool) -> bool {
    for _ in 0..500 {
        if condition() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    false
}

/// This process's pocketsphinx children, zombies included (a killed child must be reaped).
fn engines_running() -> Vec<u32> {
    let me = std::process::id().to_string();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| {
            let pid: u32 = e.ok()?.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let (comm, rest) = stat.split_once(" (")?.1.rsplit_once(") ")?;
            let ppid = rest.split_whitespace().nth(1)?;
            (comm.starts_with("pocketsphinx") && ppid == me).then_some(pid)
        })
        .collect()
}

/// Temporary directories this process's runs left behind.
fn work_dirs() -> Vec<PathBuf> {
    let prefix = format!("calldeck-asr-{}-", std::process::id());
    std::fs::read_dir(std::env::temp_dir())
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(&prefix))
                })
                .collect()
        })
        .unwrap_or_default()
}
