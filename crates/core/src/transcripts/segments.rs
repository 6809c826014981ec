//! Words into the lines the transcript panel shows, a service's timed segments onto the
//! recording's timeline, and the channels of a call into one conversation. Shared by both
//! engines so that their transcripts read alike.

use std::ops::Range;

use serde::Deserialize;

use super::{Segment, Speaker, Word};

/// A pause this long starts a new line: shorter ones are breaths within a sentence.
pub const PAUSE_MS: u32 = 700;
/// Lines longer than this are split, so that a monologue stays readable and seekable.
pub const MAX_WORDS: usize = 16;

/// Groups one channel's words (in time order) into segments.
pub fn group_words(words: Vec<Word>, channel: u8, channels: u8) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut line: Vec<Word> = Vec::new();
    for word in words {
        let split = line.last().is_some_and(|last| {
            word.start_ms.saturating_sub(last.end_ms) >= PAUSE_MS || line.len() >= MAX_WORDS
        });
        if split {
            segments.push(segment(std::mem::take(&mut line), channel, channels));
        }
        line.push(word);
    }
    if !line.is_empty() {
        segments.push(segment(line, channel, channels));
    }
    segments
}

/// One segment from words that belong together.
pub fn segment(words: Vec<Word>, channel: u8, channels: u8) -> Segment {
    let start_ms = words.first().map_or(0, |w| w.start_ms);
    let end_ms = words.iter().map(|w| w.end_ms).max().unwrap_or(start_ms);
    Segment {
        start_ms,
        end_ms,
        channel,
        speaker: Speaker::for_channel(channel, channels),
        text: join_words(&words),
        words,
    }
}

/// The words as a line of text.
pub fn join_words(words: &[Word]) -> String {
    words
        .iter()
        .map(|w| w.text.trim())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The channels of one recording as a single conversation, in time order; at the same
/// instant the lower channel comes first, so the order is the same every time.
pub fn merge_channels(per_channel: Vec<Vec<Segment>>) -> Vec<Segment> {
    let mut all: Vec<Segment> = per_channel.into_iter().flatten().collect();
    all.sort_by_key(|s| (s.start_ms, s.channel, s.end_ms));
    all
}

/// Gives each word to the segment its middle falls in, or the nearest one (services differ
/// at the edges); segments without text take their words' text, and empty ones go.
pub fn attach_words(mut segments: Vec<Segment>, words: Vec<Word>) -> Vec<Segment> {
    for word in words {
        let mid = word.start_ms / 2 + word.end_ms / 2;
        let distance = |s: &Segment| {
            s.start_ms
                .saturating_sub(mid)
                .max(mid.saturating_sub(s.end_ms))
        };
        if let Some(i) = (0..segments.len()).min_by_key(|&i| distance(&segments[i])) {
            segments[i].words.push(word);
        }
    }
    for s in &mut segments {
        if s.text.is_empty() {
            s.text = join_words(&s.words);
        }
    }
    segments.retain(|s| !s.text.is_empty());
    segments
}

/// The parts of OpenAI's `verbose_json` a transcript needs; any of them may be missing.
#[derive(Debug, Deserialize)]
pub struct VerboseJson {
    pub text: Option<String>,
    pub segments: Option<Vec<TimedText>>,
    pub words: Option<Vec<TimedWord>>,
}

#[derive(Debug, Deserialize)]
pub struct TimedText {
    pub start: f64,
    pub end: f64,
    #[serde(default)]
    pub text: String,
}

#[derive(Debug, Deserialize)]
pub struct TimedWord {
    pub word: String,
    pub start: f64,
    pub end: f64,
}

/// A service's answer for the audio at `span` (milliseconds into the recording) as
/// segments on the recording's timeline: its segments with their words; without segments,
/// the words grouped here; with text only, one segment over the whole span.
pub fn from_verbose_json(
    answer: VerboseJson,
    span: Range<u32>,
    channel: u8,
    channels: u8,
) -> Vec<Segment> {
    let shift = |s: f64| seconds_to_ms(s).saturating_add(span.start);
    let words: Vec<Word> = (answer.words.unwrap_or_default().into_iter())
        .filter(|w| !w.word.trim().is_empty())
        .map(|w| Word {
            start_ms: shift(w.start),
            end_ms: shift(w.end.max(w.start)),
            text: w.word.trim().to_owned(),
        })
        .collect();
    let mut segments: Vec<Segment> = (answer.segments.unwrap_or_default().into_iter())
        .map(|s| Segment {
            start_ms: shift(s.start),
            end_ms: shift(s.end.max(s.start)),
            channel,
            speaker: Speaker::for_channel(channel, channels),
            text: s.text.trim().to_owned(),
            words: Vec::new(),
        })
        .collect();
    segments.sort_by_key(|s| s.start_ms);
    let text = answer.text.unwrap_or_default();
    if !segments.is_empty() {
        return attach_words(segments, words);
    }
    if !words.is_empty() || text.trim().is_empty() {
        return group_words(words, channel, channels);
    }
    vec![Segment {
        start_ms: span.start,
        end_ms: span.end,
        channel,
        speaker: Speaker::for_channel(channel, channels),
        text: text.trim().to_owned(),
        words,
    }]
}

/// Seconds as engines report them to whole milliseconds; nonsense (negative, NaN) is 0.
pub fn seconds_to_ms(seconds: f64) -> u32 {
    if seconds.is_finite() && seconds > 0.0 {
        (seconds * 1000.0).round().min(f64::from(u32::MAX)) as u32
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str, start_ms: u32, end_ms: u32) -> Word {
        Word {
            start_ms,
            end_ms,
            text: text.into(),
        }
    }

    #[test]
    fn a_long_pause_starts_a_new_line() {
        let words = vec![w("hi", 0, 200), w("there", 300, 600), w("so", 1300, 1500)];
        let segs = group_words(words, 1, 2);
        assert_eq!(segs.len(), 2);
        assert_eq!(segs[0].text, "hi there");
        assert_eq!((segs[0].start_ms, segs[0].end_ms), (0, 600));
        assert_eq!(segs[1].text, "so");
        assert_eq!(segs[1].speaker, Speaker::Customer);
        assert_eq!(segs[1].words.len(), 1);
    }

    #[test]
    fn long_lines_are_split() {
        let words: Vec<Word> = (0..40).map(|i| w("la", i * 100, i * 100 + 90)).collect();
        let segs = group_words(words, 0, 1);
        assert_eq!(
            segs.iter().map(|s| s.words.len()).collect::<Vec<_>>(),
            [16, 16, 8]
        );
        assert!(segs.iter().all(|s| s.speaker == Speaker::Mixed));
    }

    #[test]
    fn channels_merge_in_time_order() {
        let a = group_words(vec![w("one", 0, 100), w("three", 2000, 2100)], 0, 2);
        let b = group_words(vec![w("two", 1000, 1100)], 1, 2);
        let merged = merge_channels(vec![a, b]);
        let texts: Vec<&str> = merged.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["one", "two", "three"]);
    }

    #[test]
    fn words_go_to_the_segment_they_fall_in() {
        let seg = |start_ms, end_ms| Segment {
            start_ms,
            end_ms,
            channel: 0,
            speaker: Speaker::Mixed,
            text: String::new(),
            words: Vec::new(),
        };
        let words = vec![w("a", 0, 300), w("b", 950, 1100), w("c", 2000, 2200)];
        let segs = attach_words(vec![seg(0, 1000), seg(1000, 1900), seg(5000, 6000)], words);
        let texts: Vec<&str> = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            ["a", "b c"],
            "b's middle is past 1000; c is nearest the second"
        );
    }

    #[test]
    fn seconds_become_milliseconds() {
        assert_eq!(seconds_to_ms(0.4604), 460);
        assert_eq!(seconds_to_ms(-1.0), 0);
        assert_eq!(seconds_to_ms(f64::NAN), 0);
    }
}
