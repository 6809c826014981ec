//! Spoken demo calls: a short scripted dialogue said by espeak-ng (a Debian package the
//! bootstrap installs), agent on the first channel and customer on the second, so the demo
//! has calls the local transcription engine can really transcribe. Without espeak-ng the
//! demo keeps its synthesised tones.

use std::io::Cursor;
use std::process::{Command, Stdio};

use crate::transcripts::audio::resample;

const RATE: u32 = 16_000;
const GAP_SECS: f32 = 0.6;

/// Two scripts; their words are ones the en-us model hears well in espeak's voice.
const SCRIPTS: &[&[(usize, &str)]] = &[
    &[
        (0, "thank you for calling"),
        (1, "I would like a refund for my order"),
        (0, "let me check your account"),
        (1, "the delivery was late"),
        (0, "your refund is on its way"),
    ],
    &[
        (0, "hello how can I help you today"),
        (1, "I want to cancel my contract"),
        (0, "I can help you with that"),
        (1, "thank you very much"),
    ],
];

pub const SPOKEN_CALLS: usize = SCRIPTS.len();

fn say(text: &str) -> Option<Vec<f32>> {
    let out = Command::new("espeak-ng")
        .args(["-v", "en-us", "-s", "130", "-g", "8", "--stdout", text])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let mut reader = hound::WavReader::new(Cursor::new(out.stdout)).ok()?;
    let rate = reader.spec().sample_rate;
    // espeak-ng streams to stdout, so its header claims an endless data chunk: read until
    // the first error (the end of the bytes), not past it.
    let samples: Vec<f32> = reader
        .samples::<i16>()
        .map_while(std::result::Result::ok)
        .map(|s| f32::from(s) / 32_768.0)
        .collect();
    Some(resample(&samples, rate, RATE))
}

/// A 16 kHz WAV of script `n` with `channels` (1: both speakers mixed), and its length in
/// whole seconds; `None` when espeak-ng is not installed.
pub fn spoken_call_wav(n: usize, channels: u16) -> Option<(Vec<u8>, u32)> {
    let script = SCRIPTS.get(n % SCRIPTS.len())?;
    let gap = (GAP_SECS * RATE as f32) as usize;
    let mut tracks = [Vec::<f32>::new(), Vec::new()];
    let mut at = gap;
    for &(speaker, text) in *script {
        let voice = say(text)?;
        let end = at + voice.len();
        for track in &mut tracks {
            track.resize(end, 0.0);
        }
        tracks[speaker.min(1)][at..end].copy_from_slice(&voice);
        at = end + gap;
    }
    // Whole seconds, so the table's duration is exactly the file's.
    let at = at.div_ceil(RATE as usize) * RATE as usize;
    for track in &mut tracks {
        track.resize(at, 0.0);
    }
    let spec = hound::WavSpec {
        channels: channels.clamp(1, 2),
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut bytes = Vec::new();
    {
        let mut w = hound::WavWriter::new(Cursor::new(&mut bytes), spec).ok()?;
        let pcm = |x: f32| (x.clamp(-1.0, 1.0) * 32_767.0) as i16;
        for (&agent, &customer) in tracks[0].iter().zip(&tracks[1]) {
            if spec.channels == 1 {
                w.write_sample(pcm(agent + customer)).ok()?;
            } else {
                w.write_sample(pcm(agent)).ok()?;
                w.write_sample(pcm(customer)).ok()?;
            }
        }
        w.finalize().ok()?;
    }
    let secs = u32::try_from(at / RATE as usize).unwrap_or(u32::MAX);
    Some((bytes, secs))
}
