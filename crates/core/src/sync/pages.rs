//! One listed page of recordings made ready for the library: each entry validated on its
//! own (a bad one is skipped and counted, never the page), its odd fields and far-future
//! date noted, and the page's high date capped at "now". Its calls are joined in the
//! database (see `upsert`).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::problems::Problems;
use super::upsert::Joined;
use crate::twilio::model::RemoteRecording;
use crate::twilio::wire::RecordingWire;

const DAY_MS: i64 = 86_400_000;

/// A recording whose call Twilio did not list, for the person to look at: its number,
/// direction and contact name are unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CallNotFound {
    /// The recording's id (its SID).
    pub id: String,
    pub recorded_at: DateTime<Utc>,
}

impl CallNotFound {
    pub(super) fn new(id: String, recorded_at_ms: i64) -> Self {
        Self {
            id,
            recorded_at: DateTime::from_timestamp_millis(recorded_at_ms).unwrap_or_default(),
        }
    }
}

/// The page's usable recordings.
pub(super) struct Accepted {
    pub joined: Vec<Joined>,
    /// The newest date on the page, but never later than `now_ms`: that is as far as the
    /// next incremental run may start.
    pub high_ms: Option<i64>,
    /// Entries that were not usable recordings.
    pub rejected: u32,
}

pub(super) fn accept(wires: Vec<RecordingWire>, now_ms: i64, problems: &mut Problems) -> Accepted {
    let mut accepted = Accepted {
        joined: Vec::with_capacity(wires.len()),
        high_ms: None,
        rejected: 0,
    };
    for wire in wires {
        let recording = match RemoteRecording::try_from(wire) {
            Ok(recording) => recording,
            Err(rejected) => {
                accepted.rejected += 1;
                problems.rejected(rejected);
                continue;
            }
        };
        problems.unknown_fields(
            "Recording",
            recording.sid.as_str(),
            &recording.unknown_fields,
        );
        if recording.created_at_ms > now_ms.saturating_add(DAY_MS) {
            problems.far_future(recording.sid.as_str(), recording.created_at_ms);
        }
        let at = recording.created_at_ms.min(now_ms);
        accepted.high_ms = Some(accepted.high_ms.map_or(at, |h| h.max(at)));
        accepted.joined.push(Joined {
            recording,
            party: None,
        });
    }
    accepted
}
