//! Windows of days, and how they are cut. Twilio's lists are strictly sequential (each page
//! names the next), so the only way to list a large account in parallel is to ask for
//! several date ranges at once. Twilio filters by whole UTC days, so a window is a
//! half-open range of days; it is listed with a request that returns at least its days
//! (see `TwilioClient::window_url`), and keeps only what falls inside by its true time,
//! which makes every item belong to exactly one window however Twilio reads the edges.
//!
//! Every request costs about the same fixed wait whatever it returns, so the fewest requests
//! are full pages: a window is best listed to its end, page after page. Windows are split
//! only to keep the account's budget busy: when fewer windows are open than requests may be
//! in flight, a window that has more to list hands its older days to new windows at its next
//! page (it keeps the newest days that page reached), as many as there are idle places,
//! sized by the density that page showed. How large a window is is unknown until it is
//! listed (a contact centre's history is quiet for months and then has a day of thousands),
//! so this happens as the run goes: at the start (one window for a long catch-up) and at the
//! end (the few busy windows left). No page is fetched twice for it.

pub(super) mod plan;
pub(super) mod task;

use chrono::{Days, NaiveDate};

use crate::twilio::Listing;

/// The smallest window a split makes, in pages of items. A window sized at a whole page holds
/// a little more about half the time (days are not all alike), and its second page is a
/// whole request for a few items; aimed a fifth below, most such windows take one request.
const AIM: f64 = 0.8;

/// Where a first sync starts when Twilio does not say when the account was created: the
/// year Twilio's API opened.
pub(super) fn twilio_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(2008, 1, 1).unwrap_or_default()
}

/// A window of one listing: the days `[from, to)` (`to: None`: no end, so recordings dated
/// ahead of this computer's clock are listed too), listed from its start or from `link`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Window {
    pub id: i64,
    pub listing: Listing,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    /// Twilio's relative link to the page this window goes on from; `None`: its start.
    pub link: Option<String>,
}

impl Window {
    /// More than one day: it can still be split.
    pub fn splittable(&self) -> bool {
        self.to.is_none_or(|to| days_between(self.from, to) > 1)
    }
}

pub(super) fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// `[from, to)` cut into at most `n` windows of whole days, oldest first, each at least a
/// day; the last one open-ended when `to` is `None` (then the cut is up to `open_after`).
pub(super) fn cut(
    from: NaiveDate,
    to: Option<NaiveDate>,
    open_after: NaiveDate,
    n: i64,
) -> Vec<(NaiveDate, Option<NaiveDate>)> {
    let end = to
        .unwrap_or(open_after)
        .max(from.succ_opt().unwrap_or(from));
    let days = days_between(from, end).max(1);
    let k = n.clamp(1, days);
    let mut out = Vec::new();
    let mut start = from;
    for i in 1..=k {
        let offset = u64::try_from(days * i / k).unwrap_or(0);
        let stop = from.checked_add_days(Days::new(offset)).unwrap_or(end);
        let stop = if i == k { to } else { Some(stop) };
        out.push((start, stop));
        if let Some(stop) = stop {
            start = stop;
        }
    }
    out
}

/// The windows the days `[from, d)` are cut into, `pieces` at most, when a page of `kept`
/// items over the days `d..=newest` (at `page_size` a page) showed how dense the listing is
/// there. Equal spans of days, but none holding less than about a page at that density (nor
/// shorter than a day): next to `d`, `pieces - 1` such windows, and the older rest in one,
/// which splits itself in turn if places are still idle when its own page shows its density.
/// One page is a guess about the days just before it, not about years of history. Oldest
/// first.
pub(super) fn split(
    from: NaiveDate,
    d: NaiveDate,
    newest: NaiveDate,
    kept: usize,
    page_size: u32,
    pieces: usize,
) -> Vec<(NaiveDate, Option<NaiveDate>)> {
    let span = (days_between(d, newest) + 1).max(1);
    let per_day = (kept.max(1) as f64) / span as f64;
    let remaining = days_between(from, d).max(1) as f64;
    let pieces = pieces.max(1);
    #[allow(clippy::cast_possible_truncation)]
    let days = (AIM * f64::from(page_size.max(1)) / per_day)
        .floor()
        .max((remaining / pieces as f64).ceil())
        .clamp(1.0, 36_500.0) as u64;
    let mut out = Vec::new();
    let mut end = d;
    for _ in 1..pieces {
        if end <= from {
            break;
        }
        let start = end
            .checked_sub_days(Days::new(days))
            .unwrap_or(from)
            .max(from);
        out.push((start, Some(end)));
        end = start;
    }
    if end > from {
        out.push((from, Some(end)));
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day")
    }

    #[test]
    fn cuts_cover_the_days_once_and_are_never_shorter_than_a_day() {
        let w = cut(
            day("2026-01-01"),
            Some(day("2026-01-04")),
            day("2026-01-04"),
            8,
        );
        assert_eq!(
            w,
            vec![
                (day("2026-01-01"), Some(day("2026-01-02"))),
                (day("2026-01-02"), Some(day("2026-01-03"))),
                (day("2026-01-03"), Some(day("2026-01-04"))),
            ],
            "three days make three windows, not eight"
        );
        let open = cut(day("2020-01-01"), None, day("2026-11-21"), 8);
        assert_eq!(open.len(), 8);
        assert_eq!(open[0].0, day("2020-01-01"));
        assert_eq!(open[7].1, None, "the newest window has no end");
        for pair in open.windows(2) {
            assert_eq!(pair[0].1, Some(pair[1].0), "adjacent, no gap, no overlap");
        }
        let single = cut(day("2026-11-20"), None, day("2026-11-20"), 8);
        assert_eq!(single, vec![(day("2026-11-20"), None)]);
    }

    #[test]
    fn a_split_fills_the_idle_places_with_equal_spans_of_at_least_a_page() {
        // 100 days left and nine places: eight spans of 12 days next to 2026-04-11 (50 items
        // over 5 days at 50 a page would allow 4), and the older rest in one.
        let w = split(
            day("2026-01-01"),
            day("2026-04-11"),
            day("2026-04-15"),
            50,
            50,
            9,
        );
        assert_eq!(w.len(), 9);
        assert_eq!(
            w[0],
            (day("2026-01-01"), Some(day("2026-01-05"))),
            "the older rest"
        );
        assert_eq!(w[1], (day("2026-01-05"), Some(day("2026-01-17"))));
        assert_eq!(w[8], (day("2026-03-30"), Some(day("2026-04-11"))));
        // 20 days left and nine places, but 10 items a day: no window under four days
        // (aimed at 40 items), so five windows, not nine of a page's fraction each.
        let w = split(
            day("2026-03-22"),
            day("2026-04-11"),
            day("2026-04-15"),
            50,
            50,
            9,
        );
        assert_eq!(
            w,
            vec![
                (day("2026-03-22"), Some(day("2026-03-26"))),
                (day("2026-03-26"), Some(day("2026-03-30"))),
                (day("2026-03-30"), Some(day("2026-04-03"))),
                (day("2026-04-03"), Some(day("2026-04-07"))),
                (day("2026-04-07"), Some(day("2026-04-11"))),
            ]
        );
        // A dense page: one-day windows.
        let w = split(
            day("2026-01-01"),
            day("2026-01-05"),
            day("2026-01-05"),
            1000,
            1000,
            9,
        );
        assert_eq!(
            w,
            (1..5)
                .map(|i| (
                    day(&format!("2026-01-0{i}")),
                    Some(day(&format!("2026-01-0{}", i + 1)))
                ))
                .collect::<Vec<_>>()
        );
        // A sparse page, or a single idle place: one window for everything before it.
        let w = split(
            day("2026-01-01"),
            day("2026-01-10"),
            day("2026-03-01"),
            3,
            50,
            9,
        );
        assert_eq!(w, vec![(day("2026-01-01"), Some(day("2026-01-10")))]);
        let w = split(
            day("2026-01-01"),
            day("2026-04-11"),
            day("2026-04-11"),
            1000,
            1000,
            1,
        );
        assert_eq!(w, vec![(day("2026-01-01"), Some(day("2026-04-11")))]);
    }
}
