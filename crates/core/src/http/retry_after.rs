//! How long a server asks us to wait: OpenAI's `retry-after-ms`, then `Retry-After` as
//! seconds (whole or fractional) or as an HTTP date; never longer than the cap we honour.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// The wait the answer asks for, capped at `max`; `None` when it names none (or names one
/// that is not a wait: negative, not a number, not a date).
pub(crate) fn retry_after(headers: &HeaderMap, max: Duration) -> Option<Duration> {
    retry_after_at(headers, max, SystemTime::now())
}

/// [`retry_after`] with the clock given, for dates.
pub(crate) fn retry_after_at(
    headers: &HeaderMap,
    max: Duration,
    now: SystemTime,
) -> Option<Duration> {
    let text = |name: &str| headers.get(name)?.to_str().ok().map(str::trim);
    let wait = match text("retry-after-ms").and_then(seconds) {
        Some(ms) => ms / 1000,
        None => {
            let raw = text(RETRY_AFTER.as_str())?;
            match seconds(raw) {
                Some(secs) => secs,
                None => {
                    let at = httpdate::parse_http_date(raw).ok()?;
                    // A date already past means "now".
                    at.duration_since(now).unwrap_or(Duration::ZERO)
                }
            }
        }
    };
    Some(wait.min(max))
}

/// A non-negative decimal number as a duration of that many units (seconds here).
fn seconds(raw: &str) -> Option<Duration> {
    if !raw.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    Duration::try_from_secs_f64(raw.parse::<f64>().ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: Duration = Duration::from_secs(60);

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().expect("header value"));
        }
        h
    }

    fn wait(pairs: &[(&'static str, &str)]) -> Option<Duration> {
        retry_after(&headers(pairs), MAX)
    }

    #[test]
    fn seconds_whole_and_fractional() {
        assert_eq!(wait(&[("retry-after", "3")]), Some(Duration::from_secs(3)));
        assert_eq!(
            wait(&[("retry-after", " 0.25 ")]),
            Some(Duration::from_millis(250))
        );
        assert_eq!(wait(&[("retry-after", "0")]), Some(Duration::ZERO));
        assert_eq!(wait(&[]), None, "no header, no wait named");
        for odd in ["-1", "soon", "NaN", "inf", "", "1e999"] {
            assert_eq!(wait(&[("retry-after", odd)]), None, "{odd:?} is not a wait");
        }
    }

    #[test]
    fn retry_after_ms_comes_first() {
        assert_eq!(
            wait(&[("retry-after-ms", "1500"), ("retry-after", "9")]),
            Some(Duration::from_millis(1500)),
            "the finer header wins"
        );
        assert_eq!(
            wait(&[("retry-after-ms", "12.5")]),
            Some(Duration::from_micros(12_500))
        );
        assert_eq!(
            wait(&[("retry-after-ms", "later"), ("retry-after", "2")]),
            Some(Duration::from_secs(2)),
            "an unreadable retry-after-ms falls back to Retry-After"
        );
    }

    #[test]
    fn an_http_date_in_each_of_its_three_forms() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").expect("date");
        for later in [
            "Sun, 06 Nov 1994 08:49:47 GMT",
            "Sunday, 06-Nov-94 08:49:47 GMT",
            "Sun Nov  6 08:49:47 1994",
        ] {
            let h = headers(&[("retry-after", later)]);
            assert_eq!(
                retry_after_at(&h, MAX, now),
                Some(Duration::from_secs(10)),
                "{later}"
            );
        }
        let past = headers(&[("retry-after", "Sun, 06 Nov 1994 08:00:00 GMT")]);
        assert_eq!(retry_after_at(&past, MAX, now), Some(Duration::ZERO));
    }

    #[test]
    fn no_wait_is_longer_than_the_cap() {
        assert_eq!(wait(&[("retry-after", "86400")]), Some(MAX));
        assert_eq!(wait(&[("retry-after-ms", "999999999")]), Some(MAX));
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").expect("date");
        let h = headers(&[("retry-after", "Mon, 07 Nov 1994 08:49:37 GMT")]);
        assert_eq!(retry_after_at(&h, MAX, now), Some(MAX));
    }
}
