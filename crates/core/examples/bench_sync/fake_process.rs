//! The loopback Twilio fake in a process of its own (so its memory is not the sync's, and
//! the peer lists from the very same server), and its own share of the time.

use std::io::{BufRead, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::Ordering;
use std::time::Instant;

use calldeck_core::twilio::TwilioClient;

use super::{twilio_fake, BoxError, MEDIA_LEN, NOW_MS, RECORDINGS, SPACING_MS};

/// `--serve-fake`: runs the fake until stdin closes; prints its URL on stdout.
pub(crate) fn serve_fake() -> Result<(), BoxError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let fake =
            twilio_fake::FakeTwilio::start(twilio_fake::generate(RECORDINGS, NOW_MS, SPACING_MS))
                .await;
        fake.state
            .media_len
            .store(MEDIA_LEN as u64, Ordering::SeqCst);
        {
            let mut out = std::io::stdout().lock();
            writeln!(out, "URL {}", fake.base_url)?;
            out.flush()?;
        }
        // Until the parent closes our stdin (or dies).
        tokio::task::spawn_blocking(|| {
            let mut sink = String::new();
            while std::io::stdin()
                .lock()
                .read_line(&mut sink)
                .is_ok_and(|n| n > 0)
            {
                sink.clear();
            }
        })
        .await?;
        drop(fake);
        Ok(())
    })
}

/// The fake in a child process; killed when dropped.
pub(crate) struct FakeServer {
    child: std::process::Child,
    pub(crate) url: String,
}

impl FakeServer {
    pub(crate) fn start() -> Result<Self, BoxError> {
        let mut child = Command::new(std::env::current_exe()?)
            .arg("--serve-fake")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut line = String::new();
        std::io::BufReader::new(stdout).read_line(&mut line)?;
        let url = line
            .trim()
            .strip_prefix("URL ")
            .ok_or_else(|| format!("the fake did not start: {line:?}"))?
            .to_owned();
        Ok(Self { child, url })
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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
