//! The fake's lists: Twilio's date filters, with both readings of an upper bound, over an
//! index sorted once per change of the data (newest first). A page then costs a binary
//! search and the page itself, so the fake keeps up with a sync of a million recordings.

use std::collections::HashMap;

use super::{FakeRecording, DAY_MS};

/// How the fake reads an upper bound `X<=D` (`DateCreated<`, `StartTime<`). Twilio's own
/// documentation reads both ways ("on or before midnight of this date", "before this
/// date"); CallDeck must be right under each, so tests run under both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum EdgeReading {
    /// `X<=D` includes the whole of day D (through 23:59:59.999).
    #[default]
    WholeDay,
    /// `X<=D` includes day D's first instant only (00:00:00.000).
    Midnight,
}

/// A list request's date filter as a half-open range of milliseconds, and the query tail
/// every page link of it carries.
#[derive(Debug, Clone, Default)]
pub(super) struct Filter {
    pub lo: Option<i64>,
    pub hi: Option<i64>,
    pub link_tail: String,
}

fn day_start_ms(raw: &str) -> Option<i64> {
    let day = chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()?;
    Some(day.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis())
}

fn encode(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The filter of a request to `Recordings.json` (`DateCreated`) or `Calls.json`
/// (`StartTime`): `X=D` (on day D), `X>=D` (from D's midnight on), `X<=D` (per `reading`).
/// `Err` for a date Twilio would refuse.
pub(super) fn parse_filter(
    q: &HashMap<String, String>,
    is_calls: bool,
    reading: EdgeReading,
) -> Result<Filter, ()> {
    let name = if is_calls { "StartTime" } else { "DateCreated" };
    let mut f = Filter::default();
    let narrow_lo = |f: &mut Filter, v: i64| f.lo = Some(f.lo.map_or(v, |l| l.max(v)));
    let narrow_hi = |f: &mut Filter, v: i64| f.hi = Some(f.hi.map_or(v, |h| h.min(v)));
    for (suffix, kind) in [("", 0), (">", 1), ("<", 2)] {
        let key = format!("{name}{suffix}");
        let Some(raw) = q.get(&key) else { continue };
        let day = day_start_ms(raw).ok_or(())?;
        match kind {
            0 => {
                narrow_lo(&mut f, day);
                narrow_hi(&mut f, day + DAY_MS);
            }
            1 => narrow_lo(&mut f, day),
            _ => narrow_hi(
                &mut f,
                match reading {
                    EdgeReading::WholeDay => day + DAY_MS,
                    EdgeReading::Midnight => day + 1,
                },
            ),
        }
        f.link_tail
            .push_str(&format!("&{}={}", encode(&key), encode(raw)));
    }
    Ok(f)
}

/// Every recording and every call, newest first (by creation, by start), as positions in
/// the recordings vector with their time; built once per generation of the data.
pub(super) struct ListIndex {
    pub generation: u64,
    recordings: Vec<(i64, u32)>,
    calls: Vec<(i64, u32)>,
}

impl ListIndex {
    pub fn build(recs: &[FakeRecording], generation: u64) -> Self {
        let sorted = |time: &dyn Fn(&FakeRecording) -> i64| {
            let mut v: Vec<(i64, u32)> = recs
                .iter()
                .enumerate()
                .map(|(i, r)| (time(r), u32::try_from(i).expect("index")))
                .collect();
            v.sort_by(|a, b| {
                b.0.cmp(&a.0)
                    .then_with(|| recs[b.1 as usize].sid.cmp(&recs[a.1 as usize].sid))
            });
            v
        };
        Self {
            generation,
            recordings: sorted(&|r| r.created_ms),
            calls: sorted(&|r| r.call_start_ms()),
        }
    }

    /// The entries the filter selects, newest first.
    pub fn range(&self, is_calls: bool, f: &Filter) -> &[(i64, u32)] {
        let all = if is_calls {
            &self.calls
        } else {
            &self.recordings
        };
        let start = f.hi.map_or(0, |hi| all.partition_point(|e| e.0 >= hi));
        let end =
            f.lo.map_or(all.len(), |lo| all.partition_point(|e| e.0 >= lo));
        all.get(start..end.max(start)).unwrap_or_default()
    }
}
