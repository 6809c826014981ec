//! Sync and downloads against the loopback Twilio fake: `make bench` runs this (release
//! build) through `scripts/bench/sync.mjs`.
//!
//!   cargo run --release -p calldeck-core --example bench_sync --features test-support -- \
//!       [--out target/bench/sync.json] [--peer-python PYTHON --peer-script twilio_peer.py] \
//!       [--latency [--skip-1m]]
//!
//! Without `--latency`, the zero-latency figures below; with it, the latency figures of
//! `latency.rs` instead (a fake that answers like a remote API; 100k and 1M recordings).
//!
//! The fake (`tests/support/twilio_fake/`) runs in a child process (this binary with
//! `--serve-fake`), so that its memory is not counted in the sync's, and so that the peer —
//! the official `twilio` Python SDK (`scripts/bench/twilio_peer.py`) — lists the very same
//! 10,000 recordings from the same server in the same run. Figures:
//! - `sync_10k_records_per_s`: a first sync of 10,000 recordings and their 10,000 calls
//!   (download policy none) into an empty library: recordings / wall seconds, median of 3
//!   fresh users; `peer` is the SDK's recordings/s listing the same recordings (best of 2,
//!   page size 1000 for both), `ratio` = ours / peer;
//! - `sync_rerun_changed_rows`: a second sync with nothing new: rows inserted or updated;
//! - `sync_peak_extra_mb`: peak RSS during the first sync (VmHWM, reset through
//!   /proc/self/clear_refs) less the RSS before it;
//! - `downloads_files_per_s`: 500 starred recordings' audio (16 KiB each) downloaded by a
//!   sync with the "starred" policy at the default concurrency; every file is then read
//!   back and compared byte for byte (`downloads_corrupt_files`, target 0).
//!
//! The figures are written as a JSON list of `{name, value, unit, target, peer, ratio,
//! detail}`.

#[allow(dead_code, clippy::all)]
#[path = "../../tests/support/twilio_fake/mod.rs"]
mod twilio_fake;

mod download_path;
mod fake_process;
mod floor;
mod latency;
mod peer;
mod spread;

use fake_process::{fake_floor, serve_fake, FakeServer, FakeSpec};
use peer::run_peer;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use calldeck_core::session::VerifiedIdentity;
use calldeck_core::sync::{self, DownloadPolicy, SyncOptions, SyncResult};
use calldeck_core::twilio::{ClientConfig, Secret, TwilioClient, TwilioCredentials};
use calldeck_core::{UserScope, Workspace};
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

type BoxError = Box<dyn std::error::Error>;

/// 2026-11-20T12:00:00Z, as in the other benchmarks.
const NOW_MS: i64 = 1_795_176_000_000;
const RECORDINGS: u64 = 10_000;
/// One recording every 2.4 hours: 10 a day, 1,000 days.
const SPACING_MS: i64 = 8_640_000;
const DOWNLOADS: usize = 500;
const MEDIA_LEN: usize = 16 * 1024;
const SYNC_RUNS: usize = 3;
const PEER_RUNS: usize = 2;
const MB: f64 = 1024.0 * 1024.0;

fn log(message: &str) {
    let _ = writeln!(std::io::stderr(), "bench_sync: {message}");
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn client(url: &str) -> Result<TwilioClient, BoxError> {
    let credentials = TwilioCredentials::auth_token(
        twilio_fake::ACCOUNT_SID,
        Secret::new(twilio_fake::AUTH_TOKEN),
    )?;
    Ok(TwilioClient::new(
        credentials,
        ClientConfig {
            base_url: url.into(),
            ..ClientConfig::default()
        },
    )?)
}

fn status_kb(key: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

async fn fresh_user(data_dir: &Path, subject: &str) -> Result<(Workspace, UserScope), BoxError> {
    let workspace = Workspace::new(data_dir);
    let scope = workspace
        .sign_in(VerifiedIdentity::for_tests(subject), NOW_MS)
        .await?;
    Ok((workspace, scope))
}

async fn sync_once(
    scope: &UserScope,
    client: &TwilioClient,
    options: &SyncOptions,
) -> Result<(SyncResult, f64), BoxError> {
    let (result, secs, _) = sync_timed(scope, client, options).await?;
    Ok((result, secs))
}

/// A sync, with the seconds it took and those it spent listing calls (before the first
/// recordings page).
async fn sync_timed(
    scope: &UserScope,
    client: &TwilioClient,
    options: &SyncOptions,
) -> Result<(SyncResult, f64, f64), BoxError> {
    let t = Instant::now();
    let calls_done: Arc<Mutex<Option<Instant>>> = Arc::default();
    let mark = Arc::clone(&calls_done);
    let progress: sync::ProgressFn = Arc::new(move |p: &sync::SyncProgress| {
        if p.phase != sync::SyncPhase::Calls {
            if let Ok(mut at) = mark.lock() {
                at.get_or_insert_with(Instant::now);
            }
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
    let secs = t.elapsed().as_secs_f64();
    let calls_secs = calls_done
        .lock()
        .ok()
        .and_then(|at| *at)
        .map_or(0.0, |at| at.duration_since(t).as_secs_f64());
    Ok((result, secs, calls_secs))
}

async fn run(work: &Path, peer: Option<&(PathBuf, PathBuf)>) -> Result<Vec<Value>, BoxError> {
    let fake = FakeServer::start(FakeSpec::Instant)?;
    log(&format!(
        "fake Twilio with {RECORDINGS} recordings at {}",
        fake.url
    ));
    let client = client(&fake.url)?;
    let options = SyncOptions {
        now_ms: NOW_MS,
        ..SyncOptions::default()
    };

    // First syncs: SYNC_RUNS fresh users; the first one's peak memory.
    let mut rates = Vec::new();
    let mut first: Option<(Workspace, UserScope)> = None;
    let mut peak_extra_mb = 0.0;
    let mut pages = 0;
    let mut calls_share = 0.0;
    // One untimed sync first, so the fake has rendered (and cached) the pages every run
    // then asks for, as it has for the peer's runs.
    let (_warm_ws, warm_scope) = fresh_user(work, "bench|warm-up").await?;
    sync_once(&warm_scope, &client, &options).await?;
    let floor = fake_floor(&client).await?;
    log(&format!(
        "the fake alone serves the 20 pages of 1000 in {floor:.3} s (one after the other)"
    ));
    for run in 0..SYNC_RUNS {
        let (ws, scope) = fresh_user(work, &format!("bench|sync{run}")).await?;
        let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
        let before = status_kb("VmRSS:").ok_or("no VmRSS")?;
        let (result, secs, calls_secs) = sync_timed(&scope, &client, &options).await?;
        let peak = status_kb("VmHWM:").ok_or("no VmHWM")?;
        if u64::from(result.new) != RECORDINGS || result.without_call != 0 || result.failed != 0 {
            return Err(format!("sync {run} is incomplete: {result:?}").into());
        }
        let rate = RECORDINGS as f64 / secs;
        log(&format!(
            "first sync {run}: {secs:.3} s ({calls_secs:.3} s listing calls), {rate:.0} recordings/s, {} pages, RSS {:.1} MB -> peak {:.1} MB{}",
            result.pages,
            before / 1024.0,
            peak / 1024.0,
            if reset { "" } else { " (peak not reset)" }
        ));
        if run == 0 {
            peak_extra_mb = (peak - before).max(0.0) * 1024.0 / MB;
            pages = result.pages;
            calls_share = calls_secs;
            first = Some((ws, scope));
        }
        rates.push(rate);
    }
    rates.sort_by(f64::total_cmp);
    let rate = rates[rates.len() / 2];
    let (_ws, scope) = first.ok_or("no first run")?;

    // The write floor: best of 3, so it is the least, not a typical, figure.
    let mut bare_s = f64::INFINITY;
    for _ in 0..3 {
        bare_s = bare_s.min(floor::bare_write_seconds(&scope, work).await?);
    }
    log(&format!(
        "the same rows written into a bare table (no index, constraint or trigger): {bare_s:.3} s, {:.0} rows/s",
        RECORDINGS as f64 / bare_s
    ));

    // A rerun with nothing new.
    let rerun_now = NOW_MS + 60_000;
    let (rerun, rerun_secs) = sync_once(
        &scope,
        &client,
        &SyncOptions {
            now_ms: rerun_now,
            ..options.clone()
        },
    )
    .await?;
    let touched: i64 =
        sqlx::query_scalar("SELECT count(*) FROM recordings WHERE updated_at_ms >= ?1")
            .bind(rerun_now)
            .fetch_one(scope.pool_for_tests())
            .await?;
    let changed = (i64::from(rerun.new) + i64::from(rerun.updated)).max(touched);
    log(&format!(
        "rerun: {rerun_secs:.3} s, {} listed, {changed} rows changed",
        rerun.synced
    ));

    // Downloads: the newest DOWNLOADS recordings starred, then a sync with that policy.
    sqlx::query(
        "UPDATE recordings SET starred = 1 WHERE id IN
         (SELECT id FROM recordings ORDER BY recorded_at_ms DESC LIMIT ?1)",
    )
    .bind(i64::try_from(DOWNLOADS)?)
    .execute(scope.pool_for_tests())
    .await?;
    let (dl, dl_secs) = sync_once(
        &scope,
        &client,
        &SyncOptions {
            download: DownloadPolicy::Starred,
            now_ms: rerun_now + 60_000,
            ..options.clone()
        },
    )
    .await?;
    let files: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT sid, local_file FROM recordings WHERE starred = 1")
            .fetch_all(scope.pool_for_tests())
            .await?;
    let media = scope.paths().media_dir();
    let mut corrupt = 0;
    for (sid, file) in &files {
        let ok = file
            .as_deref()
            .and_then(|f| std::fs::read(media.join(f)).ok())
            .is_some_and(|bytes| bytes == twilio_fake::media_bytes(sid, MEDIA_LEN));
        corrupt += usize::from(!ok);
    }
    let files_per_s = f64::from(dl.downloaded) / dl_secs;
    log(&format!(
        "downloads: {} files in {dl_secs:.3} s ({files_per_s:.0}/s), {} failed, {corrupt} corrupt or missing",
        dl.downloaded, dl.download_failed
    ));

    let peer = match peer {
        Some((python, script)) => {
            match run_peer(python, script, &fake.url, RECORDINGS, PEER_RUNS) {
                Ok(p) => Some(p),
                Err(e) => {
                    log(&format!("the peer could not run: {e}"));
                    None
                }
            }
        }
        None => {
            log("no --peer-python: the peer is skipped");
            None
        }
    };
    drop(fake);

    let (peer_rate, ratio, peer_detail) = match &peer {
        Some(p) => (
            json!(p.records_per_s.round()),
            json!(round1(rate / p.records_per_s)),
            p.detail.clone(),
        ),
        None => (Value::Null, Value::Null, Value::Null),
    };
    let bare_rate = RECORDINGS as f64 / bare_s;
    if let Some(p) = &peer {
        log(&format!(
            "sync {rate:.0}/s vs. the twilio SDK {:.0}/s: ratio {:.1}; writing the rows alone, \
             with nothing listed, joined or indexed, would reach {:.1}",
            p.records_per_s,
            rate / p.records_per_s,
            bare_rate / p.records_per_s
        ));
    }
    let ceiling = peer
        .as_ref()
        .map_or(Value::Null, |p| json!(round1(bare_rate / p.records_per_s)));
    let entries = vec![
        json!({
            "name": "sync_10k_records_per_s",
            "value": rate.round(),
            "unit": "records/s",
            "target": 20_000,
            "peer": peer_rate,
            "ratio": ratio,
            "detail": {
                "recordings": RECORDINGS,
                "pages": pages,
                "first_run_calls_s": (calls_share * 1000.0).round() / 1000.0,
                "fake_alone_s": (floor * 1000.0).round() / 1000.0,
                "bare_table_write_s": (bare_s * 1000.0).round() / 1000.0,
                "ratio_ceiling_write_only": ceiling,
                "runs": rates.iter().map(|r| r.round()).collect::<Vec<_>>(),
                "peer": peer_detail,
                "method": "first sync (recordings + calls, download policy none) from the loopback \
                           fake into an empty library, median of 3 fresh users; peer: the official \
                           twilio Python SDK listing the same recordings (page size 1000), best of 2; \
                           the fake keeps its rendered pages (warmed by one untimed sync); \
                           bare_table_write_s: the same rows, a transaction a page, into a table \
                           with no index, constraint or trigger (best of 3), and \
                           ratio_ceiling_write_only the ratio that write alone would reach",
            }
        }),
        json!({
            "name": "sync_rerun_changed_rows",
            "value": changed,
            "unit": "rows",
            "target": 0,
            "detail": { "listed": rerun.synced, "seconds": round1(rerun_secs * 1000.0) / 1000.0,
                        "method": "a second sync with nothing new: rows inserted or updated" }
        }),
        json!({
            "name": "sync_peak_extra_mb",
            "value": round1(peak_extra_mb),
            "unit": "MB",
            "target": 30,
            "detail": { "method": "VmHWM during the first 10k sync (reset via clear_refs) less VmRSS before it" }
        }),
        json!({
            "name": "downloads_files_per_s",
            "value": files_per_s.round(),
            "unit": "files/s",
            "target": 100,
            "detail": {
                "files": dl.downloaded,
                "failed": dl.download_failed,
                "corrupt": corrupt,
                "bytes_each": MEDIA_LEN,
                "concurrency": sync::DEFAULT_CONCURRENCY,
                "method": "a sync with the starred policy: temp file, fsync, rename, row update",
            }
        }),
        json!({
            "name": "downloads_corrupt_files",
            "value": corrupt,
            "unit": "files",
            "target": 0,
            "detail": { "checked": files.len(), "method": "every downloaded file read back and compared byte for byte" }
        }),
    ];
    Ok(entries)
}

fn write_figures(out: &Path, entries: &[Value]) -> Result<(), BoxError> {
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(out, serde_json::to_string_pretty(entries)?)?;
    log(&format!("wrote {}", out.display()));
    Ok(())
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
        PathBuf::from,
    )
}

fn main() -> Result<(), BoxError> {
    let mut out = target_dir().join("bench").join("sync.json");
    let mut python = None;
    let mut script = None;
    let (mut latency, mut skip_1m) = (false, false);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--serve-fake" => return serve_fake(FakeSpec::Instant),
            "--latency" => {
                latency = true;
                continue;
            }
            "--skip-1m" => {
                skip_1m = true;
                continue;
            }
            _ => {}
        }
        match (arg.as_str(), args.next()) {
            ("--serve-fake-latency", Some(n)) => return serve_fake(FakeSpec::Latency(n.parse()?)),
            ("--out", Some(path)) => out = PathBuf::from(path),
            ("--peer-python", Some(path)) => python = Some(PathBuf::from(path)),
            ("--peer-script", Some(path)) => script = Some(PathBuf::from(path)),
            _ => {
                return Err(format!(
                "usage: bench_sync [--out FILE] [--peer-python PYTHON --peer-script FILE] [--latency [--skip-1m]] ({arg}?)"
            )
                .into())
            }
        }
    }
    let peer = match (python, script) {
        (Some(p), Some(s)) => Some((p, s)),
        (None, None) => None,
        _ => return Err("--peer-python and --peer-script go together".into()),
    };
    let work = target_dir().join("bench").join("sync-work");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(async {
            if latency {
                latency::run(&work, peer.as_ref(), skip_1m).await
            } else {
                run(&work, peer.as_ref()).await
            }
        });
    let _ = std::fs::remove_dir_all(&work);
    write_figures(&out, &result?)
}
