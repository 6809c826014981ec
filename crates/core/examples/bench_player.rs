//! The native player's latency: `make bench` runs this (release build) through
//! `scripts/bench/player.mjs`.
//!
//!   cargo run --release -p calldeck-core --example bench_player --features test-support -- \
//!       [--out target/bench/player.json] [--runs 20]
//!
//! No sound card is needed: the player's output is a rodio mixer that a thread drains at
//! the real-time rate of a 48 kHz stereo device (`RealtimeDrain`, the same stand-in the
//! player tests use), and the capture notes when the first non-silent sample came out.
//! Every figure runs through the same `PlayerHandle` the Tauri commands call:
//! - `time_to_first_audio_ms_local`: `play` of a downloaded WAV → first audible sample;
//! - `time_to_first_audio_ms_streamed`: the HTTP request for a recording that is not on disk
//!   (a 127.0.0.1 server sending it at 512 kB/s, 4 Mbit/s) → first audible sample, while the
//!   file is still arriving and being cached (`CacheWriter` + `play_streamed`);
//! - `seek_ms`: `seek` from a silent stretch of the recording into a loud one → first
//!   sample from the new position (the first audible one).
//!
//! Each figure is the p95 of `--runs` runs after two warm-ups (the median is in `detail`),
//! written as a JSON list of `{name, value, unit, target, detail}`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use calldeck_core::ids::RecordingSid;
use calldeck_core::library::{
    insert_recordings, Direction, NewRecording, Priority, RecordingStatus,
};
use calldeck_core::player::{CacheWriter, Capture, OutputChoice, PlayerHandle, RealtimeDrain};
use calldeck_core::session::VerifiedIdentity;
use calldeck_core::{UserScope, Workspace};
use serde_json::json;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The recordings: 8 kHz mono 16-bit WAV, as Twilio stores calls.
const RATE: u32 = 8_000;
const SECONDS: u32 = 30;
/// Loud from the start (first audio), silent from `QUIET_FROM` to `LOUD_FROM` (the seek's
/// starting point), loud again from `LOUD_FROM` (the seek's target).
const QUIET_FROM_S: u32 = 2;
const LOUD_FROM_S: u32 = 15;
/// The device the drain stands in for.
const DEVICE_CHANNELS: u16 = 2;
const DEVICE_RATE: u32 = 48_000;
/// The streaming server's pace: 8 kB every 16 ms, 512 kB/s.
const PIECE: usize = 8 * 1024;
const PIECE_EVERY: Duration = Duration::from_millis(16);
const WARM_UP: usize = 2;
const NOW_MS: i64 = 1_795_176_000_000;

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
        PathBuf::from,
    )
}

/// Deterministic noise at about -10 dBFS, with silence between the two marks.
fn write_wav(path: &Path) -> Result<(), BoxError> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec)?;
    let mut x: u32 = 0x9E37_79B9;
    for i in 0..RATE * SECONDS {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let second = i / RATE;
        let quiet = (QUIET_FROM_S..LOUD_FROM_S).contains(&second);
        let sample = if quiet {
            0
        } else {
            // Never near zero, so the first sample is already audible.
            let magnitude = 1_500 + ((x >> 19) % 7_500) as i16;
            if x & 1 == 0 {
                magnitude
            } else {
                -magnitude
            }
        };
        w.write_sample(sample)?;
    }
    w.finalize()?;
    Ok(())
}

fn sid(n: u32) -> String {
    format!("RE{n:032x}")
}

fn recording(id: &str, local_file: Option<String>) -> Result<NewRecording, BoxError> {
    Ok(NewRecording {
        sid: RecordingSid::parse(id)?,
        call_sid: None,
        phone_number: "+15550100000".into(),
        contact_name: None,
        direction: Direction::Inbound,
        status: RecordingStatus::Ready,
        duration_secs: SECONDS,
        channels: 1,
        category: None,
        tags: Vec::new(),
        priority: Priority::Normal,
        starred: false,
        archived: false,
        local_file,
        local_file_bytes: None,
        recorded_at_ms: NOW_MS,
    })
}

/// Waits for the capture's first audible sample; the time from `since`, in ms.
async fn first_sound_after(capture: &Capture, since: Instant) -> Result<f64, BoxError> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(at) = capture.first_sound() {
            return Ok(at.saturating_duration_since(since).as_secs_f64() * 1000.0);
        }
        if Instant::now() > deadline {
            return Err("no audio came out within 10 s".into());
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

/// Lets what is in flight drain away, then forgets the first sound.
async fn settle(capture: &Capture) {
    tokio::time::sleep(Duration::from_millis(120)).await;
    capture.reset_first_sound();
}

/// A one-shot loopback HTTP server sending `body` at the streaming pace.
async fn slow_server(body: Arc<Vec<u8>>) -> Result<String, BoxError> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let Ok((mut sock, _)) = listener.accept().await else {
            return;
        };
        let mut request = [0u8; 4096];
        let _ = sock.read(&mut request).await;
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: audio/wav\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        if sock.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let mut next = tokio::time::Instant::now();
        for chunk in body.chunks(PIECE) {
            if sock.write_all(chunk).await.is_err() || sock.flush().await.is_err() {
                return;
            }
            next += PIECE_EVERY;
            tokio::time::sleep_until(next).await;
        }
    });
    Ok(format!("http://{addr}/recording.wav"))
}

/// One streamed play: request → cache writer → `play_streamed` → first audible sample.
/// Returns the latency and whether the download was still running when audio started.
async fn streamed_once(
    rig: &Rig,
    id: &str,
    body: Arc<Vec<u8>>,
    client: &reqwest::Client,
) -> Result<(f64, bool), BoxError> {
    let url = slow_server(body).await?;
    let dest = rig.scope.paths().media_file(&format!("{id}.wav"))?;
    let asked = Instant::now();
    let mut response = client.get(&url).send().await?.error_for_status()?;
    let mut writer = CacheWriter::create(dest.clone(), response.content_length()).await?;
    let stream = writer.stream();
    if let Some(first) = response.chunk().await? {
        writer.write_chunk(&first).await?;
    }
    let downloading = tokio::spawn(async move {
        while let Some(bytes) = response.chunk().await? {
            writer.write_chunk(&bytes).await?;
        }
        writer.finish().await?;
        Ok::<Instant, BoxError>(Instant::now())
    });
    rig.player
        .play_streamed(&rig.scope, id, dest, stream)
        .await?;
    let ms = first_sound_after(&rig.capture, asked).await?;
    let sounded = rig.capture.first_sound().unwrap_or_else(Instant::now);
    let arrived = downloading.await??;
    Ok((ms, sounded < arrived))
}

struct Rig {
    scope: UserScope,
    player: PlayerHandle,
    capture: Arc<Capture>,
    _drain: RealtimeDrain,
}

fn stats(mut v: Vec<f64>) -> (f64, f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.95), v[0], v[v.len() - 1])
}

fn entry(name: &str, target: f64, samples: Vec<f64>, method: &str) -> serde_json::Value {
    let runs = samples.len();
    let (median, p95, min, max) = stats(samples);
    let round = |x: f64| (x * 10.0).round() / 10.0;
    json!({
        "name": name, "value": round(p95), "unit": "ms", "target": target,
        "detail": { "statistic": "p95", "median": round(median), "min": round(min),
                    "max": round(max), "runs": runs, "method": method },
    })
}

async fn run(runs: usize) -> Result<Vec<serde_json::Value>, BoxError> {
    let dir = tempfile::tempdir()?;
    let workspace = Workspace::new(dir.path());
    let scope = workspace
        .sign_in(VerifiedIdentity::for_tests("bench|player"), NOW_MS)
        .await?;
    let local = sid(1);
    let name = format!("{local}.wav");
    let file = scope.paths().media_file(&name)?;
    write_wav(&file)?;
    let body = Arc::new(std::fs::read(&file)?);
    let total = runs + WARM_UP;
    let mut rows = vec![recording(&local, Some(name))?];
    for n in 0..total {
        rows.push(recording(&sid(1000 + n as u32), None)?);
    }
    insert_recordings(&scope, &rows, NOW_MS).await?;

    let drain = RealtimeDrain::start(DEVICE_CHANNELS, DEVICE_RATE, true);
    let capture = drain.capture().ok_or("the drain records")?;
    let player = PlayerHandle::spawn(OutputChoice::Mixer(drain.mixer().clone()))?;
    let rig = Rig {
        scope,
        player,
        capture,
        _drain: drain,
    };

    let mut local_ms = Vec::new();
    for i in 0..total {
        settle(&rig.capture).await;
        let asked = Instant::now();
        rig.player.play(&rig.scope, &local).await?;
        let ms = first_sound_after(&rig.capture, asked).await?;
        if i >= WARM_UP {
            local_ms.push(ms);
        }
        rig.player.stop(&rig.scope).await?;
    }

    let mut seek_ms = Vec::new();
    rig.player.play(&rig.scope, &local).await?;
    let quiet_ms = (QUIET_FROM_S + 1) * 1000;
    for i in 0..total {
        rig.player.seek(&rig.scope, quiet_ms).await?;
        settle(&rig.capture).await;
        // A different spot in the loud part each time.
        let to = LOUD_FROM_S * 1000 + 37 * (i as u32 % 50);
        let asked = Instant::now();
        rig.player.seek(&rig.scope, to).await?;
        let ms = first_sound_after(&rig.capture, asked).await?;
        if i >= WARM_UP {
            seek_ms.push(ms);
        }
    }
    rig.player.stop(&rig.scope).await?;

    let client = reqwest::Client::new();
    let mut streamed_ms = Vec::new();
    let mut before_download_ended = 0;
    for i in 0..total {
        settle(&rig.capture).await;
        let (ms, early) = streamed_once(&rig, &sid(1000 + i as u32), body.clone(), &client).await?;
        rig.player.stop(&rig.scope).await?;
        if i >= WARM_UP {
            streamed_ms.push(ms);
            before_download_ended += usize::from(early);
        }
    }
    eprintln!(
        "bench_player: streamed audio started before the download ended in {before_download_ended} of {runs} runs"
    );

    let mut streamed = entry(
        "time_to_first_audio_ms_streamed",
        400.0,
        streamed_ms,
        "HTTP request to 127.0.0.1 (512 kB/s) -> CacheWriter -> PlayerHandle::play_streamed -> first audible sample in a real-time 48 kHz drain",
    );
    streamed["detail"]["started_before_download_ended"] = json!(before_download_ended);
    Ok(vec![
        entry(
            "time_to_first_audio_ms_local",
            100.0,
            local_ms,
            "PlayerHandle::play of a downloaded 8 kHz WAV -> first audible sample in a real-time 48 kHz drain",
        ),
        streamed,
        entry(
            "seek_ms",
            50.0,
            seek_ms,
            "PlayerHandle::seek from silence into sound -> first sample from the new position",
        ),
    ])
}

fn main() -> Result<(), BoxError> {
    let mut out = target_dir().join("bench").join("player.json");
    let mut runs = 20usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--out", Some(path)) => out = PathBuf::from(path),
            ("--runs", Some(n)) => runs = n.parse::<usize>()?.max(1),
            _ => {
                return Err(format!("usage: bench_player [--out FILE] [--runs N] ({arg}?)").into())
            }
        }
    }
    let entries = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run(runs))?;
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&out, serde_json::to_string_pretty(&entries)? + "\n")?;
    for e in &entries {
        eprintln!(
            "bench_player: {} = {} ms (target <= {} ms; median {} ms)",
            e["name"], e["value"], e["target"], e["detail"]["median"]
        );
    }
    Ok(())
}
