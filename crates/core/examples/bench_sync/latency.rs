//! `--latency`: the figures under the fake's latency model (`LatencyModel::REMOTE` in
//! `tests/support/twilio_fake/latency.rs`: list pages in 300 ms + 0.3 ms a record, media in
//! 200 ms then 2 MB/s, 429 above 16 requests in flight), each fake in a child process:
//! - `sync_100k_latency_s`: a first sync of 100,000 recordings and their calls; the peer is
//!   the official Python SDK listing the same recordings one page of 1000 after the other
//!   under the same latency, and the ratio is the SDK's seconds / ours (target ≥ 5);
//! - `downloads_10k_latency_s`: 10,000 files of 100 KB fetched by the download path, each
//!   read back and compared;
//! - `sync_1m_latency_s` and `sync_1m_peak_extra_mb`: a first sync of 1,000,000 (skipped
//!   with `--skip-1m`);
//! - `sync_429_responses`: the 429s the fakes answered over all of these (reported only
//!   where the fake has a concurrency cap).

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use calldeck_core::sync::{self, SyncOptions, SyncResult};
use calldeck_core::twilio::{ClientConfig, Secret, TwilioClient, TwilioCredentials};
use calldeck_core::UserScope;
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

use super::download_path::{corrupt_downloads, download_files};
use super::fake_process::{start_latency_fake, FakeServer, LATENCY_MEDIA_LEN};
use super::peer::run_peer;
use super::{fresh_user, log, round1, status_kb, twilio_fake, BoxError, MB, NOW_MS};

const SYNC_100K: u64 = 100_000;
const SYNC_1M: u64 = 1_000_000;
/// CallDeck's per-account budget in these runs: the fake's cap.
const BUDGET: usize = twilio_fake::latency::LatencyModel::REMOTE.max_in_flight as usize;
/// How often a long run says how far it is.
const PROGRESS_EVERY: Duration = Duration::from_secs(10);

/// The client the latency runs sync with.
fn budget_client(url: &str) -> Result<TwilioClient, BoxError> {
    let credentials = TwilioCredentials::auth_token(
        twilio_fake::ACCOUNT_SID,
        Secret::new(twilio_fake::AUTH_TOKEN),
    )?;
    let config = ClientConfig {
        base_url: url.into(),
        concurrency: BUDGET,
        ..ClientConfig::default()
    };
    Ok(TwilioClient::new(credentials, config)?)
}

pub(crate) fn options() -> SyncOptions {
    SyncOptions {
        now_ms: NOW_MS,
        download_concurrency: BUDGET,
        ..SyncOptions::default()
    }
}

/// A sync that logs how far it is every `PROGRESS_EVERY`, with its wall seconds.
pub(crate) async fn sync_logged(
    label: &str,
    scope: &UserScope,
    client: &TwilioClient,
    options: &SyncOptions,
) -> Result<(SyncResult, f64), BoxError> {
    let t = Instant::now();
    let last = Arc::new(Mutex::new(t));
    let label_owned = label.to_owned();
    let progress: sync::ProgressFn = Arc::new(move |p: &sync::SyncProgress| {
        let Ok(mut last) = last.lock() else { return };
        if last.elapsed() >= PROGRESS_EVERY {
            *last = Instant::now();
            log(&format!(
                "{label_owned}: {:.0} s, {:?}: {} call pages, {} recording pages, {} recordings, {}/{} downloads",
                t.elapsed().as_secs_f64(),
                p.phase,
                p.call_pages,
                p.pages,
                p.recordings,
                p.downloads_done,
                p.downloads_total
            ));
        }
    });
    let result = sync::sync_recordings(
        scope,
        client,
        options,
        &CancellationToken::new(),
        Some(progress),
    )
    .await?;
    Ok((result, t.elapsed().as_secs_f64()))
}

/// A first sync of the fake's `n` recordings into a fresh user's library, checked whole;
/// with its seconds and the peak memory it added (VmHWM reset before it, less VmRSS then).
async fn first_sync(
    work: &Path,
    fake: &FakeServer,
    n: u64,
) -> Result<(UserScope, SyncResult, f64, f64), BoxError> {
    let client = budget_client(&fake.url)?;
    let (_ws, scope) = fresh_user(work, &format!("bench|latency-{n}")).await?;
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let before = status_kb("VmRSS:").ok_or("no VmRSS")?;
    let (result, secs) = sync_logged(&format!("sync {n}"), &scope, &client, &options()).await?;
    let peak = status_kb("VmHWM:").ok_or("no VmHWM")?;
    if u64::from(result.new) != n || result.without_call != 0 || result.failed != 0 {
        return Err(format!("the first sync of {n} is incomplete: {result:?}").into());
    }
    let extra_mb = (peak - before).max(0.0) * 1024.0 / MB;
    log(&format!(
        "first sync of {n}: {secs:.1} s, {} pages, RSS {:.1} MB -> peak {:.1} MB{}",
        result.pages,
        before / 1024.0,
        peak / 1024.0,
        if reset { "" } else { " (peak not reset)" }
    ));
    Ok((scope, result, secs, extra_mb))
}

/// The 429s and peak in flight between two of the fake's counter snapshots.
fn cap_between(before: &Value, after: &Value) -> Option<(u64, u64)> {
    let answered = after["answered_429"].as_u64()? - before["answered_429"].as_u64()?;
    Some((answered, after["peak_in_flight"].as_u64()?))
}

pub(crate) async fn run(
    work: &Path,
    peer: Option<&(std::path::PathBuf, std::path::PathBuf)>,
    skip_1m: bool,
) -> Result<Vec<Value>, BoxError> {
    let model = twilio_fake::latency::LatencyModel::REMOTE;
    log(&format!(
        "latency model: {model:?}; CallDeck's budget {BUDGET}"
    ));
    let mut entries = Vec::new();
    let mut caps: Vec<(&str, Option<(u64, u64)>)> = Vec::new();

    let mut fake = start_latency_fake(SYNC_100K)?;
    let s0 = fake.stats()?;
    let (scope, result, secs, extra_mb) = first_sync(work, &fake, SYNC_100K).await?;
    let s1 = fake.stats()?;
    caps.push(("sync_100k", cap_between(&s0, &s1)));

    let client = budget_client(&fake.url)?;
    let t = Instant::now();
    let (downloaded, failed) = download_files(&scope, &client).await?;
    let dl_secs = t.elapsed().as_secs_f64();
    let s2 = fake.stats()?;
    caps.push(("downloads_10k", cap_between(&s1, &s2)));
    let corrupt = corrupt_downloads(&scope).await?;
    log(&format!(
        "downloads: {downloaded} files in {dl_secs:.1} s, {failed} failed, {corrupt} corrupt or missing"
    ));

    let sdk = match peer {
        Some((python, script)) => {
            log("the twilio SDK lists the same 100,000 recordings (about a minute)");
            match run_peer(python, script, &fake.url, SYNC_100K, 1) {
                Ok(p) => Some(p),
                Err(e) => {
                    log(&format!("the peer could not run: {e}"));
                    None
                }
            }
        }
        None => None,
    };
    let s3 = fake.stats()?;
    caps.push(("peer", cap_between(&s2, &s3)));
    let fake_mb = fake.memory_mb();
    drop(fake);
    let (peer_s, ratio) = match &sdk {
        Some(p) => (json!(round1(p.seconds)), json!(round1(p.seconds / secs))),
        None => (Value::Null, Value::Null),
    };
    log(&format!(
        "sync of 100k: {secs:.1} s; the SDK's listing: {peer_s} s; ratio {ratio}"
    ));
    entries.push(json!({
        "name": "sync_100k_latency_s",
        "value": round1(secs),
        "unit": "s",
        "target": "ratio ≥ 5",
        "peer": peer_s,
        "ratio": ratio,
        "detail": {
            "recordings": SYNC_100K,
            "pages": result.pages,
            "peak_extra_mb": round1(extra_mb),
            "budget": BUDGET,
            "fake_peak_rss_mb": fake_mb.map(|(_, hwm)| hwm.round()),
            "fake_requests": s1["api_requests"].as_u64().zip(s0["api_requests"].as_u64()).map(|(a, b)| a - b),
            "peer": sdk.as_ref().map(|p| p.detail.clone()),
            "method": "first sync (recordings + calls, download policy none) of 100,000 recordings \
                       spread over three years, from the fake under its latency model, into an \
                       empty library, one run; peer: the official twilio Python SDK listing the \
                       same recordings one page of 1000 after the other under the same latency; \
                       ratio = the SDK's seconds / ours",
        }
    }));
    entries.push(json!({
        "name": "downloads_10k_latency_s",
        "value": round1(dl_secs),
        "unit": "s",
        "target": null,
        "detail": {
            "files": downloaded,
            "failed": failed,
            "corrupt": corrupt,
            "bytes_each": LATENCY_MEDIA_LEN,
            "method": "the newest 10,000 recordings of the 100k library starred, then fetched by \
                       the download path (a sync with the starred policy, its short incremental \
                       listing included) under the latency model; every file read back and compared",
        }
    }));

    if skip_1m {
        log("the 1M sync is skipped (BENCH_SKIP_SYNC_1M=1)");
    } else {
        let mut fake = start_latency_fake(SYNC_1M)?;
        let s0 = fake.stats()?;
        let (_scope, result, secs, extra_mb) = first_sync(work, &fake, SYNC_1M).await?;
        let s1 = fake.stats()?;
        caps.push(("sync_1m", cap_between(&s0, &s1)));
        let fake_mb = fake.memory_mb();
        drop(fake);
        entries.push(json!({
            "name": "sync_1m_latency_s",
            "value": round1(secs),
            "unit": "s",
            "target": 120,
            "detail": {
                "recordings": SYNC_1M,
                "pages": result.pages,
                "budget": BUDGET,
                "fake_peak_rss_mb": fake_mb.map(|(_, hwm)| hwm.round()),
                "method": "first sync (recordings + calls, download policy none) of 1,000,000 \
                           recordings spread over three years, under the latency model, one run",
            }
        }));
        entries.push(json!({
            "name": "sync_1m_peak_extra_mb",
            "value": round1(extra_mb),
            "unit": "MB",
            "target": 100,
            "detail": { "method": "VmHWM during the 1M latency sync (reset via clear_refs) less VmRSS before it" }
        }));
    }

    let total_429: Option<u64> = caps.iter().map(|(_, c)| c.map(|(n, _)| n)).sum();
    let runs: serde_json::Map<String, Value> = caps
        .iter()
        .map(|(run, c)| {
            let (answered, peak) = c.unwrap_or_default();
            let counts = json!({ "answered_429": answered, "peak_in_flight": peak });
            ((*run).to_owned(), counts)
        })
        .collect();
    match total_429 {
        Some(total) => entries.push(json!({
            "name": "sync_429_responses",
            "value": total,
            "unit": "responses",
            "target": null,
            "detail": {
                "runs": runs,
                "method": "429s the fakes' concurrency cap answered during each latency run (their \
                           counters, read over the fake's control channel); peak_in_flight is the \
                           fake's highest so far",
            },
        })),
        None => {
            log("the fake has no concurrency cap in this build: sync_429_responses is not reported")
        }
    }
    Ok(entries)
}
