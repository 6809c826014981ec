//! When the latency figures' recordings were made: a contact centre's three years, not an
//! even drizzle, so that listing by time windows meets busy and quiet stretches.
//!
//! - 1,096 whole days, the newest ending at midnight before "now" (nothing in the future);
//! - weekdays busy, Saturdays at 30 %, Sundays at 10 %;
//! - the account grows: a day three years ago has half the weight of a day last week;
//! - within a day, recordings are spread evenly over 08:00–20:00 UTC.
//!
//! At 1,000,000 recordings that is about 1,580 on a recent weekday (one every 27 s) and 80
//! on a Sunday three years ago; at 100,000, a tenth of that. Deterministic: the same `n`
//! always gives the same account.

use chrono::{DateTime, Datelike, Weekday};

use super::twilio_fake::{self, FakeRecording, DAY_MS};

const DAYS: i64 = 1_096;
const OPEN_MS: i64 = 8 * 3_600_000;
const BUSINESS_MS: i64 = 12 * 3_600_000;

/// A day's weight: weekday and growth (`age` 0 = the newest day).
fn weight(day_start_ms: i64, age: i64) -> f64 {
    let weekday =
        DateTime::from_timestamp_millis(day_start_ms).map_or(Weekday::Mon, |d| d.weekday());
    let by_weekday = match weekday {
        Weekday::Sat => 0.3,
        Weekday::Sun => 0.1,
        _ => 1.0,
    };
    let growth = 1.0 - 0.5 * age as f64 / (DAYS - 1) as f64;
    by_weekday * growth
}

/// How many recordings each day gets, newest day first, summing to `n` exactly (largest
/// remainders get the leftovers).
fn per_day(n: u64, newest_day_ms: i64) -> Vec<u64> {
    let weights: Vec<f64> = (0..DAYS)
        .map(|age| weight(newest_day_ms - age * DAY_MS, age))
        .collect();
    let total: f64 = weights.iter().sum();
    let shares: Vec<f64> = weights.iter().map(|w| w / total * n as f64).collect();
    let mut counts: Vec<u64> = shares.iter().map(|s| s.floor() as u64).collect();
    let left = n - counts.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by(|&a, &b| {
        (shares[b] - shares[b].floor()).total_cmp(&(shares[a] - shares[a].floor()))
    });
    for &day in order
        .iter()
        .take(usize::try_from(left).unwrap_or(usize::MAX))
    {
        counts[day] += 1;
    }
    counts
}

/// `n` recordings with their calls (as `twilio_fake::generate` makes them), newest first,
/// dated over the three years before `now_ms`.
pub(crate) fn three_years(n: u64, now_ms: i64) -> Vec<FakeRecording> {
    let newest_day_ms = now_ms.div_euclid(DAY_MS) * DAY_MS - DAY_MS;
    let mut recordings = twilio_fake::generate(n, now_ms, 1);
    let mut next = recordings.iter_mut();
    for (age, count) in per_day(n, newest_day_ms).into_iter().enumerate() {
        let day = newest_day_ms - age as i64 * DAY_MS;
        let count = i64::try_from(count).unwrap_or(i64::MAX);
        // The day's latest first, as the list is newest first.
        for k in (0..count).rev() {
            if let Some(r) = next.next() {
                r.created_ms = day + OPEN_MS + (2 * k + 1) * BUSINESS_MS / (2 * count);
            }
        }
    }
    recordings
}
