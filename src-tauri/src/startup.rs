//! The start-up trace: named moments of one start, from `run()` to the first paint, logged in
//! one line with the first-paint report so that `make bench` (and anyone reading the log) sees
//! where a start spent its time. The shell marks its own moments here; the page sends its
//! marks (wall-clock times) with the report.

use std::sync::{Mutex, OnceLock};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::Deserialize;

struct Started {
    at: Instant,
    epoch_ms: f64,
    /// Moments marked by the shell: (name, ms since `at`).
    marks: Mutex<Vec<(&'static str, f64)>>,
}

static STARTED: OnceLock<Started> = OnceLock::new();

fn epoch_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// Called first thing in `run()`: start-up figures count from here.
pub fn begin() {
    let _ = STARTED.set(Started {
        at: Instant::now(),
        epoch_ms: epoch_ms(),
        marks: Mutex::new(Vec::new()),
    });
}

/// Milliseconds since `begin()`, if it was called.
pub fn since_start_ms() -> Option<u128> {
    STARTED.get().map(|s| s.at.elapsed().as_millis())
}

/// A moment of the shell's start; only the first of each name counts.
pub fn mark(name: &'static str) {
    if let Some(started) = STARTED.get() {
        let ms = started.at.elapsed().as_secs_f64() * 1000.0;
        if let Ok(mut marks) = started.marks.lock() {
            if !marks.iter().any(|(n, _)| *n == name) {
                marks.push((name, ms));
            }
        }
    }
}

/// A moment of the page's start, as its clock saw it (ms since the epoch).
#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StartupMark {
    pub name: String,
    pub epoch_ms: f64,
}

/// Every moment so far, the shell's and the page's, in order, as `name=+ms` words.
pub fn trace(page: &[StartupMark]) -> String {
    let Some(started) = STARTED.get() else {
        return String::new();
    };
    let mut all: Vec<(String, f64)> = started
        .marks
        .lock()
        .map(|marks| marks.iter().map(|(n, ms)| ((*n).to_owned(), *ms)).collect())
        .unwrap_or_default();
    all.extend(
        page.iter()
            .filter(|m| m.epoch_ms.is_finite() && m.epoch_ms > 0.0)
            .map(|m| (sanitise(&m.name), m.epoch_ms - started.epoch_ms)),
    );
    all.sort_by(|a, b| a.1.total_cmp(&b.1));
    all.iter()
        .map(|(name, ms)| format!("{name}=+{ms:.0}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The page names its marks; only word characters reach the log.
fn sanitise(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(40)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trace_orders_shell_and_page_moments_and_keeps_only_word_characters() {
        begin();
        mark("setup");
        let base = STARTED.get().map_or(0.0, |s| s.epoch_ms);
        let page = [
            StartupMark {
                name: "rows <b>".into(),
                epoch_ms: base + 5_000.0,
            },
            StartupMark {
                name: "script_start".into(),
                epoch_ms: base + 4_000.0,
            },
            StartupMark {
                name: "bogus".into(),
                epoch_ms: f64::NAN,
            },
        ];
        let line = trace(&page);
        let words: Vec<&str> = line.split(' ').collect();
        assert_eq!(words.len(), 3, "{line}");
        assert!(words[0].starts_with("setup=+"), "{line}");
        assert_eq!(words[1], "script_start=+4000");
        assert_eq!(words[2], "rowsb=+5000");
    }
}
