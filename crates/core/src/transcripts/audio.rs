//! Recordings turned into what speech engines take: 16 kHz, 16-bit, one channel at a time,
//! so that the agent and the customer of a two-channel call are transcribed apart.
//!
//! The resampler is ours rather than a crate such as `rubato`: engines only need speech
//! band audio, and one measured detail decides the design. Call audio is 8 kHz, and the
//! pocketsphinx en-us model is wideband: upsampled with sox's band-limited filter, the
//! test sentence "go forward ten meters" came back as "the harvard and reread", while
//! linear interpolation, whose soft images above 4 kHz the model tolerates, recognised it.
//! So upsampling is linear; downsampling low-passes first (windowed sinc) so that content
//! above the new Nyquist does not fold back into the speech band.

use std::borrow::Cow;
use std::f64::consts::PI;
use std::io::Cursor;
use std::ops::Range;
use std::path::Path;

use crate::error::{Error, Result};

/// The sample rate every engine gets.
pub const ENGINE_RATE: u32 = 16_000;

/// Zero crossings of the sinc on each side of the low-pass: enough for a transition band of
/// about a tenth of the source rate, which keeps aliases out of the band engines listen to.
const ZERO_CROSSINGS: f64 = 10.0;
/// The low-pass corner as a share of the new Nyquist, so the transition ends near it.
const CUTOFF: f64 = 0.9;
/// A WAV's data size is a 32-bit field.
const MAX_WAV_SAMPLES: usize = (u32::MAX as usize - 64) / 2;

/// Decodes a recording (WAV or MP3) and returns each channel at 16 kHz. Blocking: decodes
/// the whole file, so call it from `spawn_blocking`.
pub fn channels_16k(path: &Path) -> Result<Vec<Vec<i16>>> {
    let (channels, rate, interleaved) = crate::player::decode_all(path)?;
    if channels == 0 || rate == 0 {
        return Err(Error::AudioUnreadable(
            "no channels or no sample rate".into(),
        ));
    }
    let n = usize::from(channels);
    Ok((0..n)
        .map(|c| {
            let channel: Vec<f32> = interleaved.iter().skip(c).step_by(n).copied().collect();
            to_i16(&resample(&channel, rate, ENGINE_RATE))
        })
        .collect())
}

/// Resamples one channel from `from_hz` to `to_hz`.
pub fn resample(input: &[f32], from_hz: u32, to_hz: u32) -> Vec<f32> {
    if from_hz == to_hz || from_hz == 0 || to_hz == 0 || input.is_empty() {
        return input.to_vec();
    }
    // Input samples per output sample.
    let step = f64::from(from_hz) / f64::from(to_hz);
    let source = if step > 1.0 {
        Cow::Owned(low_pass(input, CUTOFF * 0.5 / step))
    } else {
        Cow::Borrowed(input)
    };
    let out_len = (input.len() as u64 * u64::from(to_hz) / u64::from(from_hz)) as usize;
    let last = source.len() - 1;
    (0..out_len)
        .map(|i| {
            let pos = i as f64 * step;
            let a = (pos.floor() as usize).min(last);
            let frac = (pos - a as f64) as f32;
            let (x0, x1) = (source[a], source[(a + 1).min(last)]);
            x0 + (x1 - x0) * frac
        })
        .collect()
}

/// A Blackman-windowed sinc low-pass with its corner at `cutoff` cycles per sample.
fn low_pass(input: &[f32], cutoff: f64) -> Vec<f32> {
    let half = (ZERO_CROSSINGS / (2.0 * cutoff)).ceil() as usize;
    let len = 2 * half + 1;
    let mut taps: Vec<f64> = (0..len)
        .map(|j| {
            let t = j as f64 - half as f64;
            let sinc = if t == 0.0 {
                2.0 * cutoff
            } else {
                (2.0 * PI * cutoff * t).sin() / (PI * t)
            };
            let w = 2.0 * PI * j as f64 / (len - 1) as f64;
            sinc * (0.42 - 0.5 * w.cos() + 0.08 * (2.0 * w).cos())
        })
        .collect();
    // Unity gain at DC, so speech keeps its level.
    let sum: f64 = taps.iter().sum();
    taps.iter_mut().for_each(|t| *t /= sum);
    let taps: Vec<f32> = taps.into_iter().map(|t| t as f32).collect();
    (0..input.len())
        .map(|k| {
            // Outside the recording counts as silence.
            let from = k.saturating_sub(half);
            let to = (k + half + 1).min(input.len());
            input[from..to]
                .iter()
                .zip(&taps[from + half - k..])
                .map(|(x, t)| x * t)
                .sum()
        })
        .collect()
}

fn to_i16(samples: &[f32]) -> Vec<i16> {
    samples
        .iter()
        .map(|s| (s * 32767.0).round().clamp(-32768.0, 32767.0) as i16)
        .collect()
}

/// A 16 kHz mono 16-bit PCM WAV file, for engines that take a file.
pub fn wav_bytes_16k(samples: &[i16]) -> Vec<u8> {
    // Past ~37 hours the tail is dropped, so the one way hound could fail here cannot happen.
    let samples = &samples[..samples.len().min(MAX_WAV_SAMPLES)];
    write_wav(samples).unwrap_or_else(|e| {
        tracing::error!(error = %e, "could not write a WAV to memory");
        Vec::new()
    })
}

fn write_wav(samples: &[i16]) -> std::result::Result<Vec<u8>, hound::Error> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: ENGINE_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut cursor = Cursor::new(Vec::with_capacity(44 + samples.len() * 2));
    let mut writer = hound::WavWriter::new(&mut cursor, spec)?;
    let mut fast = writer.get_i16_writer(samples.len() as u32);
    samples.iter().for_each(|&s| fast.write_sample(s));
    fast.flush()?;
    writer.finalize()?;
    Ok(cursor.into_inner())
}

/// Splits audio into pieces of at most `max_len` samples, each cut at the quietest tenth of
/// a second within the last `search` samples before the limit, so that words are rarely
/// cut in two. Services cap uploads (OpenAI at 25 MB, about 13 minutes of 16 kHz WAV).
pub fn split_at_pauses(samples: &[i16], max_len: usize, search: usize) -> Vec<Range<usize>> {
    let frame = (ENGINE_RATE / 10) as usize;
    let max_len = max_len.max(frame * 2);
    let search = search.min(max_len / 2);
    let mut pieces = Vec::new();
    let mut start = 0;
    while samples.len() - start > max_len {
        let limit = start + max_len;
        let mut best = (u64::MAX, limit);
        let mut at = limit.saturating_sub(search).max(start + frame);
        while at + frame <= limit {
            let energy = samples[at..at + frame]
                .iter()
                .map(|&s| u64::from(s.unsigned_abs()))
                .sum::<u64>();
            if energy < best.0 {
                best = (energy, at + frame / 2);
            }
            at += frame / 2;
        }
        pieces.push(start..best.1);
        start = best.1;
    }
    if start < samples.len() || pieces.is_empty() {
        pieces.push(start..samples.len());
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(hz: f64, rate: u32, secs: f64) -> Vec<f32> {
        let n = (f64::from(rate) * secs) as usize;
        (0..n)
            .map(|i| (2.0 * PI * hz * i as f64 / f64::from(rate)).sin() as f32 * 0.5)
            .collect()
    }

    fn rms(x: &[f32]) -> f32 {
        let mid = &x[x.len() / 4..x.len() * 3 / 4];
        (mid.iter().map(|s| s * s).sum::<f32>() / mid.len() as f32).sqrt()
    }

    #[test]
    fn downsampling_keeps_speech_and_removes_what_would_alias() {
        let speech = resample(&tone(1000.0, 48_000, 1.0), 48_000, ENGINE_RATE);
        assert_eq!(speech.len(), 16_000);
        assert!((rms(&speech) - 0.354).abs() < 0.02, "{}", rms(&speech));
        // 12 kHz would fold to 4 kHz at 16 kHz without the low-pass.
        let high = resample(&tone(12_000.0, 48_000, 1.0), 48_000, ENGINE_RATE);
        assert!(rms(&high) < 0.01, "{}", rms(&high));
    }

    #[test]
    fn upsampling_keeps_length_and_level() {
        let up = resample(&tone(500.0, 8_000, 1.0), 8_000, ENGINE_RATE);
        assert_eq!(up.len(), 16_000);
        assert!((rms(&up) - 0.354).abs() < 0.02, "{}", rms(&up));
    }

    #[test]
    fn wav_bytes_read_back() {
        let samples: Vec<i16> = (0..1000).map(|i| (i * 7) as i16).collect();
        let bytes = wav_bytes_16k(&samples);
        let mut reader = hound::WavReader::new(Cursor::new(bytes)).expect("a WAV");
        assert_eq!(reader.spec().sample_rate, ENGINE_RATE);
        assert_eq!(reader.spec().channels, 1);
        let back: Vec<i16> = reader
            .samples::<i16>()
            .map(|s| s.expect("sample"))
            .collect();
        assert_eq!(back, samples);
    }

    #[test]
    fn splits_fall_in_the_quiet_and_cover_everything() {
        let mut samples = vec![1000i16; 16_000 * 25];
        samples[16_000 * 8..16_000 * 8 + 3200].fill(0); // a pause at 8 s
        let pieces = split_at_pauses(&samples, 16_000 * 10, 16_000 * 5);
        assert_eq!(pieces.first().map(|r| r.start), Some(0));
        assert_eq!(pieces.last().map(|r| r.end), Some(samples.len()));
        assert!(pieces.windows(2).all(|w| w[0].end == w[1].start));
        assert!(pieces.iter().all(|r| r.len() <= 16_000 * 10));
        let cut = pieces[0].end;
        assert!(cut > 16_000 * 8 && cut < 16_000 * 8 + 3200, "cut at {cut}");
        assert_eq!(split_at_pauses(&[], 100, 10), vec![0..0]);
    }
}
