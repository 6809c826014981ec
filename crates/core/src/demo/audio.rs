//! Synthesised call audio for the demo workspace: alternating "turns" of voiced, syllable-
//! shaped tones with pauses, so it looks and sounds like a conversation on a waveform —
//! made here, never downloaded.

use std::f32::consts::TAU;
use std::io::Cursor;

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use crate::error::{Error, Result};

pub const SAMPLE_RATE: u32 = 8_000;

/// A WAV file (16-bit PCM, 8 kHz) of `seconds` of two speakers taking turns. With two
/// channels the agent is on the left and the caller on the right, as Twilio's dual-channel
/// recordings are.
pub fn conversation_wav(seed: u64, seconds: u32, channels: u16) -> Result<Vec<u8>> {
    let mut rng = SmallRng::seed_from_u64(seed);
    let total = (seconds * SAMPLE_RATE) as usize;
    let mut speakers = [vec![0f32; total], vec![0f32; total]];
    let mut at = (SAMPLE_RATE / 4) as usize;
    let mut speaker = 0;
    while at < total {
        let pitch = if speaker == 0 {
            rng.gen_range(105.0..135.0)
        } else {
            rng.gen_range(170.0..230.0)
        };
        let turn_end =
            (at + rng.gen_range(1.5..5.0f32).mul_add(SAMPLE_RATE as f32, 0.0) as usize).min(total);
        while at < turn_end {
            let len = (rng.gen_range(0.12..0.32f32) * SAMPLE_RATE as f32) as usize;
            let loudness = rng.gen_range(0.25..0.6f32);
            syllable(
                &mut speakers[speaker][at..(at + len).min(total)],
                pitch * rng.gen_range(0.9..1.15),
                loudness,
            );
            at += len + (rng.gen_range(0.03..0.12f32) * SAMPLE_RATE as f32) as usize;
        }
        at += (rng.gen_range(0.3..1.1f32) * SAMPLE_RATE as f32) as usize;
        speaker = 1 - speaker;
    }
    let [agent, caller] = speakers;
    encode(&agent, &caller, channels)
}

/// One voiced syllable: a fundamental with a few harmonics under a smooth envelope.
fn syllable(out: &mut [f32], pitch: f32, loudness: f32) {
    let n = out.len() as f32;
    for (i, sample) in out.iter_mut().enumerate() {
        let t = i as f32 / SAMPLE_RATE as f32;
        let envelope = (std::f32::consts::PI * i as f32 / n).sin().powf(0.7);
        let voiced = (TAU * pitch * t).sin()
            + 0.5 * (TAU * 2.0 * pitch * t).sin()
            + 0.3 * (TAU * 3.0 * pitch * t).sin()
            + 0.15 * (TAU * 5.0 * pitch * t).sin();
        *sample = loudness * envelope * voiced / 1.95;
    }
}

fn encode(agent: &[f32], caller: &[f32], channels: u16) -> Result<Vec<u8>> {
    let spec = hound::WavSpec {
        channels,
        sample_rate: SAMPLE_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut bytes = Cursor::new(Vec::new());
    let mut writer = hound::WavWriter::new(&mut bytes, spec).map_err(wav_error)?;
    let to_i16 = |s: f32| (s.clamp(-1.0, 1.0) * f32::from(i16::MAX)) as i16;
    for (&a, &c) in agent.iter().zip(caller) {
        if channels == 1 {
            writer.write_sample(to_i16(a + c)).map_err(wav_error)?;
        } else {
            writer.write_sample(to_i16(a)).map_err(wav_error)?;
            writer.write_sample(to_i16(c)).map_err(wav_error)?;
        }
    }
    writer.finalize().map_err(wav_error)?;
    Ok(bytes.into_inner())
}

fn wav_error(e: hound::Error) -> Error {
    Error::Internal(format!("could not synthesise demo audio: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthesised_calls_are_valid_wav_of_the_asked_length_with_sound_and_pauses() {
        let bytes = conversation_wav(7, 6, 2).expect("synthesise");
        let reader = hound::WavReader::new(Cursor::new(bytes)).expect("a valid WAV");
        assert_eq!(reader.spec().channels, 2);
        assert_eq!(
            reader.duration(),
            6 * SAMPLE_RATE,
            "duration in frames must match what was asked"
        );
        let samples: Vec<i16> = reader.into_samples().map(|s| s.expect("sample")).collect();
        let loud = samples.iter().filter(|s| s.unsigned_abs() > 2000).count();
        let silent = samples.iter().filter(|s| **s == 0).count();
        assert!(
            loud > samples.len() / 20,
            "there must be speech-like sound ({loud} loud samples)"
        );
        assert!(
            silent > samples.len() / 10,
            "there must be pauses ({silent} silent samples)"
        );
    }
}
