//! What a sync tells the person about what it could not use: counted while the pages are
//! read, written out at the end as sentences they can act on, at most [`MAX_ERRORS`].

use crate::twilio::model::RejectedRecording;

use super::MAX_ERRORS;

#[derive(Debug, Default)]
pub(super) struct Problems {
    /// Entries that are not recordings (no valid SID).
    without_sid: u64,
    /// Recordings beyond the page size asked for: not read.
    recordings_beyond: u64,
    /// Calls beyond the page size asked for: not read.
    calls_beyond: u64,
    /// One line per recording or call (a bad date, odd fields, a future date, a download).
    lines: Vec<String>,
    /// Lines past the limit, only counted.
    more: u64,
}

fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn listed(fields: &[&str]) -> String {
    match fields {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

impl Problems {
    pub(super) fn line(&mut self, line: String) {
        if self.lines.len() < MAX_ERRORS {
            self.lines.push(line);
        } else {
            self.more += 1;
        }
    }

    pub(super) fn rejected(&mut self, rejected: RejectedRecording) {
        match rejected {
            RejectedRecording::BadSid => self.without_sid += 1,
            RejectedRecording::BadDate { sid } => self.line(format!(
                "Recording {sid} has no valid date at Twilio, so it was skipped."
            )),
        }
    }

    pub(super) fn recordings_beyond(&mut self, n: u64) {
        self.recordings_beyond += n;
    }

    pub(super) fn calls_beyond(&mut self, n: u64) {
        self.calls_beyond += n;
    }

    pub(super) fn unknown_fields(&mut self, what: &str, sid: &str, fields: &[&str]) {
        if !fields.is_empty() {
            let shown = if fields.len() == 1 {
                "it is"
            } else {
                "they are"
            };
            self.line(format!(
                "{what} {sid}: Twilio sent its {} in a form CallDeck does not know, so {shown} shown as unknown.",
                listed(fields)
            ));
        }
    }

    pub(super) fn far_future(&mut self, sid: &str, created_ms: i64) {
        let day = chrono::DateTime::from_timestamp_millis(created_ms)
            .map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string());
        self.line(format!(
            "Recording {sid} is dated {day}, more than a day ahead of this computer's clock. It is kept with that date; the next sync still looks for newer recordings from today."
        ));
    }

    /// The sentences, counts first.
    pub(super) fn into_errors(self) -> Vec<String> {
        let mut out = Vec::new();
        if self.without_sid > 0 {
            out.push(format!(
                "Twilio listed {} without a valid recording SID; skipped and counted as failed.",
                plural(self.without_sid, "entry", "entries")
            ));
        }
        if self.recordings_beyond > 0 {
            out.push(format!(
                "Twilio sent more recordings on a page than asked for: the {} beyond the page size were not read, and are counted as failed.",
                self.recordings_beyond
            ));
        }
        if self.calls_beyond > 0 {
            out.push(format!(
                "Twilio sent more calls on a page than asked for: the {} beyond the page size were not read, so some recordings may show no number.",
                self.calls_beyond
            ));
        }
        out.extend(self.lines);
        if self.more > 0 {
            out.push(format!("…and {} more like these.", self.more));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_come_first_and_lines_are_bounded() {
        let mut p = Problems::default();
        for i in 0..(MAX_ERRORS + 3) {
            p.line(format!("line {i}"));
        }
        p.rejected(RejectedRecording::BadSid);
        p.rejected(RejectedRecording::BadSid);
        p.recordings_beyond(3);
        p.unknown_fields("Recording", "RE1", &["channels", "error_code"]);
        let errors = p.into_errors();
        assert!(errors[0].contains("2 entries"), "{errors:?}");
        assert!(errors[1].contains("the 3 beyond"), "{errors:?}");
        assert_eq!(errors.len(), 2 + MAX_ERRORS + 1, "{errors:?}");
        assert_eq!(
            errors.last().map(String::as_str),
            Some("…and 4 more like these.")
        );
    }

    #[test]
    fn odd_fields_are_named_in_plain_words() {
        let mut p = Problems::default();
        p.unknown_fields("Recording", "RE1", &["channels", "error_code", "price"]);
        assert_eq!(
            p.into_errors(),
            vec!["Recording RE1: Twilio sent its channels, error_code and price in a form CallDeck does not know, so they are shown as unknown.".to_owned()]
        );
    }
}
