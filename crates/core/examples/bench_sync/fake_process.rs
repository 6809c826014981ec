//! The loopback Twilio fake in a process of its own (so its memory is not the sync's, and
//! the peer lists from the very same server), its control channel, and its own share of the
//! time.
//!
//! The child is this binary with `--serve-fake` (10,000 recordings, answering at once) or
//! `--serve-fake-latency N` (N recordings spread over three years, under the fake's latency
//! model). It prints `URL <base>` on stdout, then answers each `STATS` line on its stdin
//! with one JSON line of its counters, until stdin closes.

use std::io::{BufRead, BufReader, Write};
use std::process::{ChildStdout, Command, Stdio};
use std::sync::atomic::Ordering;
use std::time::Instant;

use calldeck_core::twilio::TwilioClient;
use serde_json::{json, Value};

use super::{log, spread, twilio_fake, BoxError, MEDIA_LEN, NOW_MS, RECORDINGS, SPACING_MS};

/// Media bytes each recording has under the latency model (`downloads_10k_latency_s`).
pub(crate) const LATENCY_MEDIA_LEN: usize = 100_000;

/// Which fake to run.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FakeSpec {
    /// The zero-latency figures' account: `RECORDINGS`, evenly spaced, answered at once.
    Instant,
    /// This many recordings spread over three years (`spread.rs`), under
    /// `LatencyModel::REMOTE`.
    Latency(u64),
}

/// `--serve-fake` / `--serve-fake-latency N`: runs the fake until stdin closes.
/// How long before its first recording the benchmark's account was opened.
const ACCOUNT_AGE_MS: i64 = 365 * 86_400_000;

pub(crate) fn serve_fake(spec: FakeSpec) -> Result<(), BoxError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let (recordings, media_len) = match spec {
            FakeSpec::Instant => (
                twilio_fake::generate(RECORDINGS, NOW_MS, SPACING_MS),
                MEDIA_LEN,
            ),
            FakeSpec::Latency(n) => (spread::three_years(n, NOW_MS), LATENCY_MEDIA_LEN),
        };
        // A real account was opened some time before its first call was recorded; the
        // fake's default (1970) would have every sync list decades of empty days first.
        let oldest = recordings
            .iter()
            .map(|r| r.created_ms)
            .min()
            .unwrap_or(NOW_MS);
        let fake = twilio_fake::FakeTwilio::start(recordings).await;
        *fake.state.account_created_ms.lock().expect("lock") = Some(oldest - ACCOUNT_AGE_MS);
        fake.state
            .media_len
            .store(media_len as u64, Ordering::SeqCst);
        if let FakeSpec::Latency(_) = spec {
            twilio_fake::latency::LatencyModel::REMOTE.install(&fake.state);
        }
        {
            let mut out = std::io::stdout().lock();
            writeln!(out, "URL {}", fake.base_url)?;
            out.flush()?;
        }
        // Until the parent closes our stdin (or dies): each line asks for the counters.
        let state = std::sync::Arc::clone(&fake.state);
        tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            let mut line = String::new();
            while std::io::stdin().lock().read_line(&mut line)? > 0 {
                if line.trim() == "STATS" {
                    let mut out = std::io::stdout().lock();
                    writeln!(out, "{}", stats(&state))?;
                    out.flush()?;
                }
                line.clear();
            }
            Ok(())
        })
        .await??;
        drop(fake);
        Ok(())
    })
}

/// The fake's counters as one JSON object.
fn stats(state: &twilio_fake::FakeState) -> Value {
    let cap = twilio_fake::latency::cap_counters(state);
    json!({
        "api_requests": state.api_requests.load(Ordering::SeqCst),
        "recording_list_requests": state.recording_list_requests.load(Ordering::SeqCst),
        "call_list_requests": state.call_list_requests.load(Ordering::SeqCst),
        "media_requests": state.media_requests.load(Ordering::SeqCst),
        "peak_in_flight": cap.map(|c| c.peak_in_flight),
        "answered_429": cap.map(|c| c.answered_429),
    })
}

/// The fake in a child process; killed when dropped.
pub(crate) struct FakeServer {
    child: std::process::Child,
    stdout: BufReader<ChildStdout>,
    pub(crate) url: String,
}

impl FakeServer {
    pub(crate) fn start(spec: FakeSpec) -> Result<Self, BoxError> {
        let mut command = Command::new(std::env::current_exe()?);
        match spec {
            FakeSpec::Instant => command.arg("--serve-fake"),
            FakeSpec::Latency(n) => command.args(["--serve-fake-latency", &n.to_string()]),
        };
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let mut stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
        let mut line = String::new();
        stdout.read_line(&mut line)?;
        let url = line
            .trim()
            .strip_prefix("URL ")
            .ok_or_else(|| format!("the fake did not start: {line:?}"))?
            .to_owned();
        Ok(Self { child, stdout, url })
    }

    /// The fake's counters (requests by kind; the concurrency cap's peak and 429s, `null`
    /// where the fake has no cap), asked over its control channel.
    pub(crate) fn stats(&mut self) -> Result<Value, BoxError> {
        let stdin = self
            .child
            .stdin
            .as_mut()
            .ok_or("the fake's stdin is closed")?;
        stdin.write_all(b"STATS\n")?;
        stdin.flush()?;
        let mut line = String::new();
        self.stdout.read_line(&mut line)?;
        Ok(serde_json::from_str(&line)?)
    }

    /// The child's resident memory now and at its peak, in MB.
    pub(crate) fn memory_mb(&self) -> Option<(f64, f64)> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let kb = |key: &str| -> Option<f64> {
            status
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        };
        Some((kb("VmRSS:")? / 1024.0, kb("VmHWM:")? / 1024.0))
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the latency fake of `n` recordings, saying how long the child took to build them.
pub(crate) fn start_latency_fake(n: u64) -> Result<FakeServer, BoxError> {
    log(&format!("starting the latency fake with {n} recordings"));
    let t = Instant::now();
    let fake = FakeServer::start(FakeSpec::Latency(n))?;
    let memory = fake
        .memory_mb()
        .map_or_else(String::new, |(rss, _)| format!(", RSS {rss:.0} MB"));
    log(&format!(
        "the fake is up at {} after {:.1} s{memory}",
        fake.url,
        t.elapsed().as_secs_f64()
    ));
    Ok(fake)
}

/// The fake's own share: every page of both lists fetched as raw bytes, one after the other,
/// from the same first URLs as a sync and following the same `next_page_uri` links.
pub(crate) async fn fake_floor(client: &TwilioClient) -> Result<f64, BoxError> {
    let http = reqwest::Client::new();
    let t = Instant::now();
    for first in [
        client.recordings_url(None, 1000),
        client.calls_url(None, 1000),
    ] {
        let mut url = Some(first);
        while let Some(current) = url.take() {
            let bytes = http
                .get(current)
                .basic_auth(twilio_fake::ACCOUNT_SID, Some(twilio_fake::AUTH_TOKEN))
                .send()
                .await?
                .error_for_status()?
                .bytes()
                .await?;
            if let Some(link) = next_link(&bytes) {
                url = Some(client.resolve_page_link(&link)?);
            }
        }
    }
    Ok(t.elapsed().as_secs_f64())
}

/// The page's `next_page_uri`, found in the fake's compact JSON without parsing the page.
fn next_link(page: &[u8]) -> Option<String> {
    let key = b"\"next_page_uri\":\"";
    let at = page.windows(key.len()).position(|w| w == key)? + key.len();
    let len = page[at..].iter().position(|&b| b == b'"')?;
    String::from_utf8(page[at..at + len].to_vec()).ok()
}
