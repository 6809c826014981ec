//! What the player tests share: recordings written on the fly (noise, so any window of
//! audio says where it came from), a signed-in user with one of them, and a player whose
//! output a real-time drain captures.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use calldeck_core::ids::RecordingSid;
use calldeck_core::library::{
    insert_recordings, Direction, NewRecording, Priority, RecordingStatus,
};
use calldeck_core::player::{Capture, OutputChoice, PlaybackStatus, PlayerHandle, RealtimeDrain};
use calldeck_core::UserScope;

use super::common::{signed_in, NOW_MS};

pub const RATE: u32 = 8_000;

/// Deterministic noise: every window of it is unique, so a window of captured audio says
/// exactly where in the recording it came from.
pub fn noise(seed: u32, n: usize) -> Vec<f32> {
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

pub fn write_wav(path: &Path, channels: u16, seconds: f32) {
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

pub fn write_mp3(path: &Path, channels: u16, seconds: f32) {
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

pub struct Rig {
    pub _dir: tempfile::TempDir,
    pub scope: UserScope,
    pub player: PlayerHandle,
    pub drain: RealtimeDrain,
    pub capture: Arc<Capture>,
    pub id: String,
    pub file: PathBuf,
}

pub async fn rig(ext: &str, channels: u16, seconds: f32) -> Rig {
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

pub fn recording(id: &str, local_file: Option<String>, channels: u16, secs: u32) -> NewRecording {
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

pub async fn wait_for_status(player: &PlayerHandle, scope: &UserScope, want: PlaybackStatus) {
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
