//! Twilio's wire types mapped to the library's domain types, at the edge.

use chrono::{DateTime, FixedOffset};

use super::wire::{CallWire, RecordingWire};
use crate::ids::RecordingSid;
use crate::library::{Direction, RecordingStatus};

/// RFC 2822 with any offset (`+0000`, `+0100`, `-0700`, `GMT`).
pub fn parse_rfc2822(raw: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc2822(raw.trim()).ok()
}

/// Twilio's recording status as the library knows it. The raw value is kept beside it.
pub fn map_status(raw: Option<&str>) -> RecordingStatus {
    match raw.map(str::trim) {
        Some("completed") => RecordingStatus::Ready,
        Some("failed" | "absent" | "deleted") => RecordingStatus::Error,
        // processing, in-progress, paused, stopped, absent from the response, or a status
        // Twilio adds later: not ready yet, and not an error we know of.
        _ => RecordingStatus::Processing,
    }
}

/// Duration as Twilio sends it: a string of whole seconds (sometimes `"-1"` while recording).
pub fn parse_duration(raw: Option<&str>) -> u32 {
    let Some(raw) = raw.map(str::trim) else {
        return 0;
    };
    if let Ok(secs) = raw.parse::<u32>() {
        return secs;
    }
    match raw.parse::<f64>() {
        Ok(f) if f.is_finite() && f > 0.0 => {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let secs = f.min(f64::from(u32::MAX)) as u32;
            secs
        }
        _ => 0,
    }
}

/// A recording from Twilio, validated: a well-formed SID and a date.
#[derive(Debug, Clone)]
pub struct RemoteRecording {
    pub sid: RecordingSid,
    pub call_sid: Option<String>,
    pub status: RecordingStatus,
    /// Twilio's status string, kept as received (bounded), so unknown values are not lost.
    pub twilio_status: Option<String>,
    pub duration_secs: u32,
    pub channels: u32,
    pub price: Option<String>,
    pub price_unit: Option<String>,
    pub created_at_ms: i64,
    /// Fields Twilio sent with the wrong type, left unknown (the sync warns of them).
    pub unknown_fields: Vec<&'static str>,
}

/// Why a recording from Twilio could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RejectedRecording {
    BadSid,
    BadDate { sid: String },
}

impl std::fmt::Display for RejectedRecording {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RejectedRecording::BadSid => f.write_str("a recording without a valid SID was skipped"),
            RejectedRecording::BadDate { sid } => {
                write!(
                    f,
                    "recording {sid} has no valid creation date and was skipped"
                )
            }
        }
    }
}

fn bounded(raw: Option<String>, max: usize) -> Option<String> {
    raw.map(|s| s.chars().filter(|c| !c.is_control()).take(max).collect())
}

fn sid_like(raw: Option<String>, prefix: &str) -> Option<String> {
    raw.filter(|s| {
        s.len() == 34 && s.starts_with(prefix) && s.bytes().skip(2).all(|b| b.is_ascii_hexdigit())
    })
}

impl TryFrom<RecordingWire> for RemoteRecording {
    type Error = RejectedRecording;

    fn try_from(w: RecordingWire) -> Result<Self, RejectedRecording> {
        let unknown_fields = w.wrong_types();
        let sid = w
            .sid
            .value()
            .and_then(|s| RecordingSid::parse(s).ok())
            .ok_or(RejectedRecording::BadSid)?;
        let created = w
            .date_created
            .value()
            .and_then(|d| parse_rfc2822(d))
            .or_else(|| w.start_time.value().and_then(|d| parse_rfc2822(d)))
            .ok_or_else(|| RejectedRecording::BadDate {
                sid: sid.to_string(),
            })?;
        let channels = w
            .channels
            .value()
            .and_then(|c| u32::try_from(*c).ok())
            .filter(|c| (1..=8).contains(c))
            .unwrap_or(1);
        Ok(RemoteRecording {
            status: map_status(w.status.value().map(String::as_str)),
            twilio_status: bounded(w.status.into_value(), 40),
            duration_secs: parse_duration(w.duration.value().map(String::as_str)),
            channels,
            price: bounded(w.price.into_value(), 40),
            price_unit: bounded(w.price_unit.into_value(), 10),
            call_sid: sid_like(w.call_sid.into_value(), "CA"),
            created_at_ms: created.timestamp_millis(),
            sid,
            unknown_fields,
        })
    }
}

/// The other party of a call, its direction and (when known) their name: what a recording
/// takes from its call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallParty {
    pub phone_number: String,
    pub contact_name: Option<String>,
    pub direction: Direction,
}

/// Twilio's direction values: `inbound`, `outbound-api`, `outbound-dial`,
/// `trunking-originating`, `trunking-terminating`. The contact is the caller on inbound
/// calls and the called party on outbound ones.
pub fn call_party(w: &CallWire) -> CallParty {
    let raw = w.direction.value().map_or("", |d| d.trim());
    let direction = if raw.starts_with("outbound") || raw == "trunking-originating" {
        Direction::Outbound
    } else {
        Direction::Inbound
    };
    let (number, name) = match direction {
        Direction::Inbound => (w.from.value().cloned(), w.caller_name.value().cloned()),
        Direction::Outbound => (w.to.value().cloned(), None),
    };
    CallParty {
        phone_number: bounded(number, 64).unwrap_or_default(),
        contact_name: bounded(name, 200).filter(|n| !n.trim().is_empty()),
        direction,
    }
}

/// A call SID if it is well formed.
pub fn call_sid(w: &CallWire) -> Option<String> {
    sid_like(w.sid.value().cloned(), "CA")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::twilio::wire::Field;

    #[test]
    fn dates_parse_with_any_offset() {
        let utc = parse_rfc2822("Fri, 14 Oct 2016 21:56:34 +0000").expect("utc");
        let plus = parse_rfc2822("Fri, 14 Oct 2016 22:56:34 +0100").expect("+0100");
        let gmt = parse_rfc2822("Fri, 14 Oct 2016 21:56:34 GMT").expect("GMT");
        assert_eq!(
            utc, plus,
            "the same instant in two offsets must compare equal"
        );
        assert_eq!(utc, gmt, "GMT is an offset too");
        assert!(
            parse_rfc2822("2016-10-14T21:56:34Z").is_none(),
            "ISO is not RFC 2822"
        );
    }

    #[test]
    fn statuses_map_and_unknown_ones_are_not_fatal() {
        assert_eq!(map_status(Some("completed")), RecordingStatus::Ready);
        assert_eq!(map_status(Some("processing")), RecordingStatus::Processing);
        assert_eq!(map_status(Some("in-progress")), RecordingStatus::Processing);
        for e in ["failed", "absent", "deleted"] {
            assert_eq!(map_status(Some(e)), RecordingStatus::Error, "{e}");
        }
        assert_eq!(map_status(Some("teleported")), RecordingStatus::Processing);
        assert_eq!(map_status(None), RecordingStatus::Processing);
    }

    #[test]
    fn durations_are_strings_and_bad_ones_are_zero() {
        assert_eq!(parse_duration(Some("42")), 42);
        assert_eq!(parse_duration(Some("-1")), 0);
        assert_eq!(parse_duration(Some("7.9")), 7);
        assert_eq!(parse_duration(Some("NaN")), 0);
        assert_eq!(parse_duration(None), 0);
    }

    #[test]
    fn the_contact_is_the_other_party() {
        let call = CallWire {
            from: Field::Value("+15550001111".into()),
            to: Field::Value("+15550002222".into()),
            caller_name: Field::Value("Ana".into()),
            direction: Field::Value("inbound".into()),
            ..Default::default()
        };
        let p = call_party(&call);
        assert_eq!(
            (p.phone_number.as_str(), p.direction),
            ("+15550001111", Direction::Inbound)
        );
        assert_eq!(p.contact_name.as_deref(), Some("Ana"));
        let out = CallWire {
            direction: Field::Value("outbound-api".into()),
            ..call
        };
        let p = call_party(&out);
        assert_eq!(
            (p.phone_number.as_str(), p.direction),
            ("+15550002222", Direction::Outbound)
        );
    }
}
