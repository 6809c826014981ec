//! The clustered 20,000-recording account the window tests list.

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use super::common::NOW_MS;
use super::support::twilio_fake::{call_sid, recording_sid, FakeRecording, DAY_MS};

pub const TOTAL: u64 = 20_000;

pub fn at(y: i32, m: u32, d: u32) -> i64 {
    chrono::NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("date")
        .and_utc()
        .timestamp_millis()
}

pub fn made(i: u64, created_ms: i64, call_lead_ms: i64) -> FakeRecording {
    let inbound = i.is_multiple_of(2);
    FakeRecording {
        sid: recording_sid(i),
        call_sid: call_sid(i),
        created_ms,
        status: "completed".into(),
        duration: (i % 300 + 1).to_string(),
        from: format!("+1555{:07}", i),
        to: "+15559990000".into(),
        direction: if inbound { "inbound" } else { "outbound-dial" }.into(),
        caller_name: inbound.then(|| format!("Caller {i}")),
        channels: 1,
        call_lead_ms,
        // Dates printed in three offsets: the day that counts is the UTC one.
        offset_min: [0, 60, -420][(i % 3) as usize],
        raw: serde_json::Map::new(),
    }
}

/// The account: created 2025-01-02; quiet (a few a week) through 2025, a busy day
/// 2026-06-15 of 5,000 (its first at 00:00:00.000 and its last at 23:59:59.999), 300
/// recordings at exact UTC midnights (some with a call that started the evening before),
/// 200 at 23:59:59.999, and the rest spread over 2026 up to "now".
pub fn account() -> Vec<FakeRecording> {
    let mut rng = SmallRng::seed_from_u64(0xC1_0C4);
    let mut out = Vec::new();
    let next = |created: i64, lead: i64, out: &mut Vec<FakeRecording>| {
        let i = out.len() as u64 + 1;
        out.push(made(i, created, lead));
    };
    let busy = at(2026, 6, 15);
    for k in 0..5_000i64 {
        // Spread over the day, first and last on its edges.
        let t = busy + k * (DAY_MS - 1) / 4_999;
        next(t, 60_000, &mut out);
    }
    let quiet_from = at(2025, 1, 2);
    for _ in 0..150 {
        let t = quiet_from + rng.gen_range(0..(at(2026, 1, 1) - quiet_from));
        next(t, 30_000, &mut out);
    }
    for k in 0..300i64 {
        let day = at(2026, 1, 1) + (k % 320) * DAY_MS;
        // Every third starts its call 90 s before midnight: the call is on the day before.
        let lead = if k % 3 == 0 { 90_000 } else { 0 };
        next(day, lead, &mut out);
    }
    for k in 0..200i64 {
        next(at(2026, 1, 2) + (k % 318) * DAY_MS - 1, 45_000, &mut out);
    }
    let spread_from = at(2026, 1, 1);
    while (out.len() as u64) < TOTAL {
        let t = spread_from + rng.gen_range(0..(NOW_MS - spread_from));
        // Some recordings just after midnight whose call started before it.
        let lead = if out.len() % 7 == 0 {
            (t % DAY_MS) + 1_000
        } else {
            20_000
        };
        next(t, lead.min(DAY_MS / 2), &mut out);
    }
    out
}
