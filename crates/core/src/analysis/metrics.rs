//! Local audio metrics: talk time, silences and loudness, from the decoded samples alone, so
//! they work offline and cost nothing per call.
//!
//! The method, and why:
//! - 20 ms frames per channel: short enough to resolve the gaps between words, long enough
//!   for a frame's RMS to be a stable energy estimate (the usual frame size of speech VADs).
//! - dBFS here is `20·log10(RMS)` against a full scale of 1.0: a full-scale square wave
//!   reads 0 dBFS and a full-scale sine -3 dBFS.
//! - Each channel gets its own threshold: the two legs of a call have their own line noise
//!   and gain, so one threshold for both would misjudge the quieter leg.
//! - Threshold = max(noise floor + 10 dB, -50 dBFS). The noise floor is the 10th percentile
//!   of the frame levels, ignoring digital silence (below -90 dBFS: what VoIP recordings hold
//!   while a leg is muted or between packets), which would otherwise drag the floor to
//!   nothing and let line hiss count as speech. Speech stands 20-40 dB above a phone line's
//!   noise, so 10 dB over the floor catches it with margin; -50 dBFS keeps faint hiss on an
//!   otherwise clean recording from counting. The threshold also stays 6 dB under the
//!   loudest frame, so a channel that is loud throughout (no pauses for the percentile to
//!   find) still counts as speaking.
//! - Gaps of up to 200 ms between speech frames are filled (the hangover): pauses between
//!   words are not silence. Only gaps *between* speech are filled, rather than extending
//!   every burst, so talk time is not inflated by 200 ms per utterance.
//! - Speech runs shorter than 60 ms after that are dropped: clicks and line pops are not talk.
//! - Silence is a frame where no channel speaks, so talk_ratio + silence_ratio = 1.
//! - Loudness is the mean energy of the frames above the threshold (before the hangover, so
//!   filled pauses do not dilute it): how loud people spoke, not the file's average level.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

const FRAME_MS: usize = 20;
const HANGOVER_FRAMES: usize = 200 / FRAME_MS;
const MIN_SPEECH_FRAMES: usize = 60 / FRAME_MS;
const FLOOR_PERCENTILE: f64 = 0.10;
const ABOVE_FLOOR_DB: f64 = 10.0;
const MIN_THRESHOLD_DB: f64 = -50.0;
const BELOW_LOUDEST_DB: f64 = 6.0;
const DIGITAL_SILENCE_DB: f64 = -90.0;

/// What a level reads when there is nothing to measure (no speech, or digital silence), so
/// the numbers stay finite and serialisable.
pub const DB_FLOOR: f32 = -120.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AudioMetrics {
    pub duration_ms: u32,
    /// Share of the recording (0..1) in which any channel speaks.
    pub talk_ratio: f32,
    /// `1 - talk_ratio`: nobody speaks.
    pub silence_ratio: f32,
    pub longest_silence_ms: u32,
    /// RMS over the speech frames of every channel, in dBFS; [`DB_FLOOR`] without speech.
    pub loudness_dbfs: f32,
    pub peak_dbfs: f32,
    pub channels: Vec<ChannelMetrics>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ChannelMetrics {
    /// 0-based; in two-channel call recordings 0 is the agent and 1 the customer.
    pub channel: u8,
    pub talk_ms: u32,
    /// RMS over this channel's speech frames, in dBFS; [`DB_FLOOR`] without speech.
    pub loudness_dbfs: f32,
}

/// Decodes the recording (WAV or MP3) and measures it. CPU-bound and synchronous: run it
/// on a blocking thread.
pub fn audio_metrics(path: &Path) -> Result<AudioMetrics> {
    let (channels, rate, samples) = crate::player::decode_all(path)?;
    if channels == 0 || rate == 0 {
        return Err(Error::AudioUnreadable(
            "no channels or no sample rate".into(),
        ));
    }
    Ok(measure(channels, rate, &samples))
}

/// Measures interleaved samples (what [`crate::player::decode_all`] returns).
pub fn measure(channels: u16, sample_rate: u32, samples: &[f32]) -> AudioMetrics {
    let nch = usize::from(channels.max(1));
    let rate = sample_rate.max(1) as usize;
    let frame_len = (rate * FRAME_MS / 1000).max(1);
    let per_channel = samples.len() / nch;
    let n_frames = per_channel.div_ceil(frame_len);
    // The last frame may be short; every duration below is summed from real frame lengths.
    let lens: Vec<usize> = (0..n_frames)
        .map(|f| frame_len.min(per_channel - f * frame_len))
        .collect();

    let mut energy = vec![vec![0f64; n_frames]; nch];
    let mut peak = 0f32;
    for (i, group) in samples.chunks_exact(nch).enumerate() {
        let f = i / frame_len;
        for (ch, &s) in group.iter().enumerate() {
            energy[ch][f] += f64::from(s) * f64::from(s);
            peak = peak.max(s.abs());
        }
    }
    for ch in &mut energy {
        for (e, &len) in ch.iter_mut().zip(&lens) {
            *e /= len as f64;
        }
    }

    let raw: Vec<Vec<bool>> = energy.iter().map(|e| above_threshold(e)).collect();
    let talk: Vec<Vec<bool>> = raw.iter().map(|r| smooth(r)).collect();
    let ms = |n: usize| u32::try_from(n as u64 * 1000 / rate as u64).unwrap_or(u32::MAX);

    let mut all_energy = 0f64;
    let mut all_len = 0usize;
    let channels = (0..nch)
        .map(|ch| {
            let talk_samples = sum_where(&lens, &talk[ch], |_| 1.0) as usize;
            let e = sum_where(&lens, &raw[ch], |f| energy[ch][f]);
            let len = sum_where(&lens, &raw[ch], |_| 1.0) as usize;
            all_energy += e;
            all_len += len;
            ChannelMetrics {
                channel: u8::try_from(ch).unwrap_or(u8::MAX),
                talk_ms: ms(talk_samples),
                loudness_dbfs: mean_db(e, len),
            }
        })
        .collect();

    let mut talk_samples = 0usize;
    let mut silence_run = 0usize;
    let mut longest_silence = 0usize;
    for (f, &len) in lens.iter().enumerate() {
        if talk.iter().any(|t| t[f]) {
            talk_samples += len;
            silence_run = 0;
        } else {
            silence_run += len;
            longest_silence = longest_silence.max(silence_run);
        }
    }
    let talk_ratio = if per_channel == 0 {
        0.0
    } else {
        (talk_samples as f64 / per_channel as f64) as f32
    };

    AudioMetrics {
        duration_ms: ms(per_channel),
        talk_ratio,
        silence_ratio: 1.0 - talk_ratio,
        longest_silence_ms: ms(longest_silence),
        loudness_dbfs: mean_db(all_energy, all_len),
        peak_dbfs: to_db(f64::from(peak) * f64::from(peak)),
        channels,
    }
}

/// Sums `value(frame) × frame length` over the frames where `mask` is set.
fn sum_where(lens: &[usize], mask: &[bool], value: impl Fn(usize) -> f64) -> f64 {
    lens.iter()
        .zip(mask)
        .enumerate()
        .filter(|(_, (_, &on))| on)
        .map(|(f, (&len, _))| value(f) * len as f64)
        .sum()
}

fn mean_db(energy_times_len: f64, len: usize) -> f32 {
    if len == 0 {
        DB_FLOOR
    } else {
        to_db(energy_times_len / len as f64)
    }
}

/// dBFS of a mean square, floored at [`DB_FLOOR`].
fn to_db(mean_square: f64) -> f32 {
    if mean_square <= 0.0 {
        return DB_FLOOR;
    }
    ((10.0 * mean_square.log10()) as f32).max(DB_FLOOR)
}

/// The frames of one channel above its adaptive threshold (see the module comment).
fn above_threshold(energy: &[f64]) -> Vec<bool> {
    let db: Vec<f64> = energy.iter().map(|&e| f64::from(to_db(e))).collect();
    let mut audible: Vec<f64> = db
        .iter()
        .copied()
        .filter(|&d| d >= DIGITAL_SILENCE_DB)
        .collect();
    if audible.is_empty() {
        return vec![false; db.len()];
    }
    audible.sort_by(f64::total_cmp);
    let floor = audible[((audible.len() - 1) as f64 * FLOOR_PERCENTILE) as usize];
    let loudest = audible[audible.len() - 1];
    let threshold = (floor + ABOVE_FLOOR_DB)
        .min(loudest - BELOW_LOUDEST_DB)
        .max(MIN_THRESHOLD_DB);
    db.iter().map(|&d| d > threshold).collect()
}

/// Fills short gaps between speech frames, then drops speech runs too short to be talk.
fn smooth(raw: &[bool]) -> Vec<bool> {
    let mut out = raw.to_vec();
    let mut last_speech: Option<usize> = None;
    for (i, &on) in raw.iter().enumerate() {
        if !on {
            continue;
        }
        if let Some(prev) = last_speech {
            if i - prev - 1 <= HANGOVER_FRAMES {
                out[prev + 1..i].fill(true);
            }
        }
        last_speech = Some(i);
    }
    let mut start = 0;
    while start < out.len() {
        let value = out[start];
        let end = out[start..]
            .iter()
            .position(|&v| v != value)
            .map_or(out.len(), |n| start + n);
        if value && end - start < MIN_SPEECH_FRAMES {
            out[start..end].fill(false);
        }
        start = end;
    }
    out
}
