//! The peer: the official `twilio` Python SDK listing the same recordings from the same
//! fake (`scripts/bench/twilio_peer.py`).

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use super::{log, twilio_fake, BoxError};

pub(crate) struct Peer {
    pub(crate) records_per_s: f64,
    /// The listing's wall seconds.
    pub(crate) seconds: f64,
    pub(crate) detail: Value,
}

/// The official Python SDK listing the same `expected` recordings from the same fake; the
/// best of `runs`. Its progress lines (long listings) go to our stderr.
pub(crate) fn run_peer(
    python: &Path,
    script: &Path,
    url: &str,
    expected: u64,
    runs: usize,
) -> Result<Peer, BoxError> {
    let mut best: Option<(f64, Value)> = None;
    for _ in 0..runs {
        let output = Command::new(python)
            .arg(script)
            .args([
                url,
                twilio_fake::ACCOUNT_SID,
                twilio_fake::AUTH_TOKEN,
                "1000",
            ])
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()?;
        if !output.status.success() {
            return Err(format!("the peer failed ({}), see above", output.status).into());
        }
        let report: Value = serde_json::from_slice(&output.stdout)?;
        let records = report["records"].as_u64().unwrap_or(0);
        if records != expected {
            return Err(format!("the peer listed {records} of {expected} recordings").into());
        }
        let rate = report["records_per_s"].as_f64().ok_or("peer: no rate")?;
        log(&format!("peer run: {rate:.0} recordings/s ({report})"));
        if best.as_ref().is_none_or(|(b, _)| rate > *b) {
            best = Some((rate, report));
        }
    }
    let (records_per_s, detail) = best.ok_or("no peer run")?;
    Ok(Peer {
        records_per_s,
        seconds: detail["seconds"].as_f64().ok_or("peer: no seconds")?,
        detail,
    })
}
