//! The last problems in the log (errors and warnings), for a support ticket. The lines
//! were masked when written; they are masked again here in case a file was written by an
//! older version or by hand.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::file::FILE_NAME;
use super::redact::redact;

/// How much of the end of each file is read: the last problems are near the end, and a
/// 5 MB file need not be read whole to find them.
const TAIL_BYTES: u64 = 512 * 1024;

/// At most `max` lines logged at ERROR or WARN, oldest first, from the current log file
/// and the newest old one. A line longer than 500 characters is cut there.
pub fn recent_problems(dir: &Path, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for name in [format!("{FILE_NAME}.1"), FILE_NAME.to_string()] {
        let Some(text) = tail(&dir.join(name)) else {
            continue;
        };
        lines.extend(
            text.lines()
                .filter(|line| is_problem(line))
                .map(|line| redact(&cut(line, 500)).into_owned()),
        );
    }
    let skip = lines.len().saturating_sub(max);
    lines.split_off(skip)
}

/// Whether a line of tracing's text format is at ERROR or WARN: the level is the second
/// field, after the time.
fn is_problem(line: &str) -> bool {
    let mut fields = line.split_whitespace();
    let _time = fields.next();
    matches!(fields.next(), Some("ERROR" | "WARN"))
}

fn cut(line: &str, max_chars: usize) -> String {
    match line.char_indices().nth(max_chars) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_string(),
    }
}

fn tail(path: &Path) -> Option<String> {
    let mut file = File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    let start = len.saturating_sub(TAIL_BYTES);
    file.seek(SeekFrom::Start(start)).ok()?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).ok()?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    // A read from the middle of a file starts mid-line: drop that part line.
    if start > 0 {
        return text.split_once('\n').map(|(_, rest)| rest.to_string());
    }
    Some(text)
}
