//! Crash safety of sync and downloads: a child process (this test binary, re-run as the
//! ignored `crash_child` test) syncs with downloads from a loopback Twilio fake that runs
//! in this process, and is killed with SIGKILL at seeded random points — some at a random
//! time, some while recording pages are being committed, some while audio is being
//! written. The sync lists several windows of days at once (the fake's 2,000 recordings
//! split into windows as they are found), so kills land with windows part-way. After every
//! kill: the database passes `integrity_check`, no page is half-written, there is no
//! duplicate, no window's resume point points past its committed pages, no call and
//! recording stored apart are left unjoined, and no partial or corrupt file is visible in
//! the media folder. Then an
//! uninterrupted run completes with exactly the fake's recordings, and a rerun changes
//! nothing.

mod common;
mod support;

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;
use std::process::Stdio;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use calldeck_core::storage::DataFolderLock;
use calldeck_core::sync::{self, DownloadPolicy, SyncOptions, SyncPhase, SyncProgress};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio_util::sync::CancellationToken;

use common::{signed_in, NOW_MS};
use support::client;
use support::twilio_fake::{generate, FakeTwilio};

#[path = "crash_safety/consistency.rs"]
mod consistency;
use consistency::{check, row_dump};

const SUBJECT: &str = "auth0|crash";
const CHILD_DIR: &str = "CALLDECK_CRASH_CHILD_DIR";
const CHILD_URL: &str = "CALLDECK_CRASH_CHILD_URL";
/// Set: the child also edits its library all through the sync, as a person would while a
/// sync runs (the busy-database load), and reports any edit that fails.
const CHILD_EDITS: &str = "CALLDECK_CRASH_CHILD_EDITS";
const RECORDINGS: u64 = 2_000;
const PAGE_SIZE: u32 = 50;
const MEDIA_LEN: usize = 2_048;
const KILLS: usize = 12;
const SEED: u64 = 0x5EED_CA11_DECC;

fn child_options() -> SyncOptions {
    SyncOptions {
        download: DownloadPolicy::All,
        download_concurrency: 4,
        page_size: PAGE_SIZE,
        now_ms: NOW_MS,
        ..SyncOptions::default()
    }
}

fn phase_name(phase: SyncPhase) -> &'static str {
    match phase {
        SyncPhase::Calls => "calls",
        SyncPhase::Recordings => "recordings",
        SyncPhase::Downloads => "downloads",
        SyncPhase::Done => "done",
    }
}

/// The child: signs in the test user in the given data dir and runs one sync with
/// downloads against the fake, reporting progress on stdout. A no-op in a normal run.
#[test]
#[ignore = "the child process of the crash test; crash_safety runs it"]
fn crash_child() {
    let (Some(dir), Ok(url)) = (std::env::var_os(CHILD_DIR), std::env::var(CHILD_URL)) else {
        return;
    };
    // As the app does before it opens anything: the data folder is this process's, or it
    // says another has it and stops.
    let _instance = match DataFolderLock::acquire(Path::new(&dir)) {
        Ok(lock) => lock,
        Err(refused) => {
            let mut out = std::io::stdout().lock();
            // On a line of its own: the test harness has written the test's name before it.
            let _ = writeln!(out, "\nREFUSED {refused}");
            let _ = out.flush();
            return;
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let (_ws, scope) = signed_in(Path::new(&dir), SUBJECT).await;
        let edits = std::env::var_os(CHILD_EDITS)
            .is_some()
            .then(|| tokio::spawn(edit_all_along(scope.clone())));
        let progress = Arc::new(|p: &SyncProgress| {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(
                out,
                "PROGRESS {} {} {}",
                phase_name(p.phase),
                p.pages,
                p.downloads_done
            );
            let _ = out.flush();
        });
        let result = sync::sync_recordings(
            &scope,
            &client(&url),
            &child_options(),
            &CancellationToken::new(),
            Some(progress),
        )
        .await
        .expect("sync");
        if let Some(edits) = edits {
            edits.abort();
        }
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "RESULT {}",
            serde_json::to_string(&result).expect("json")
        );
        let _ = out.flush();
    });
}

/// Stars, unstars and annotates the first recordings again and again while the sync
/// writes. A recording not synced yet is `not_found`, which is fine; anything else (a
/// storage error, SQLITE_BUSY) is reported as `EDIT_ERROR`, and every 20 edits `EDITS n`.
async fn edit_all_along(scope: calldeck_core::UserScope) {
    use calldeck_core::library::{bulk_update, update_recording, BulkAction, RecordingPatch};
    use calldeck_core::Error;
    let mut done = 0u64;
    let mut reported = 0u64;
    for n in 0u64.. {
        let sid = support::twilio_fake::recording_sid(1 + n % 40);
        let patch = RecordingPatch {
            notes: Some(format!("edit {n}")),
            ..RecordingPatch::default()
        };
        let action = if n.is_multiple_of(2) {
            BulkAction::Star
        } else {
            BulkAction::Unstar
        };
        let outcomes = [
            update_recording(&scope, &sid, patch, NOW_MS).await,
            bulk_update(&scope, action, std::slice::from_ref(&sid), NOW_MS)
                .await
                .map(|_| ()),
        ];
        for outcome in outcomes {
            match outcome {
                Ok(()) => done += 1,
                // Not synced yet.
                Err(Error::NotFound | Error::SomeNotFound { .. }) => {}
                Err(e) => {
                    let mut out = std::io::stdout().lock();
                    let _ = writeln!(out, "EDIT_ERROR {e:?}");
                    let _ = out.flush();
                }
            }
        }
        // Each turn adds 0, 1 or 2 (a recording can arrive between its two edits), so a
        // report is due whenever `done` passes a multiple of 20, not only when it lands on one.
        if done / 20 > reported {
            reported = done / 20;
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "EDITS {done}");
            let _ = out.flush();
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

#[derive(Debug, Clone, Default)]
struct Seen {
    phase: String,
    pages: u32,
    downloads_done: u32,
    result: Option<serde_json::Value>,
    /// Why the child did not run: another process held the data folder.
    refused: Option<String>,
    /// Edits the child made while it synced, and the ones that failed.
    edits: u64,
    edit_errors: Vec<String>,
}

fn parse_line(line: &str, seen: &mut Seen) {
    if let Some(rest) = line.strip_prefix("REFUSED ") {
        seen.refused = Some(rest.to_owned());
    }
    if let Some(rest) = line.strip_prefix("EDITS ") {
        seen.edits = rest.parse().unwrap_or(seen.edits);
    }
    if let Some(rest) = line.strip_prefix("EDIT_ERROR ") {
        seen.edit_errors.push(rest.to_owned());
    }
    if let Some(rest) = line.strip_prefix("PROGRESS ") {
        let parts: Vec<&str> = rest.split(' ').collect();
        if let [phase, pages, done] = parts.as_slice() {
            seen.phase = (*phase).to_owned();
            seen.pages = pages.parse().unwrap_or(0);
            seen.downloads_done = done.parse().unwrap_or(0);
        }
    } else if let Some(rest) = line.strip_prefix("RESULT ") {
        seen.result = Some(serde_json::from_str(rest).expect("result json"));
    }
}

/// When to kill a child.
#[derive(Debug, Clone, Copy)]
enum KillAt {
    /// After this long, whatever it is doing.
    Time(Duration),
    /// This long after it committed this many recording pages.
    Pages(u32, Duration),
    /// This long after this many downloads finished.
    Downloads(u32, Duration),
}

fn child_command(data_dir: &Path, url: &str) -> tokio::process::Command {
    let mut cmd =
        tokio::process::Command::new(std::env::current_exe().expect("the test executable"));
    cmd.args([
        "crash_child",
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(CHILD_DIR, data_dir)
    .env(CHILD_URL, url)
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .kill_on_drop(true);
    cmd
}

/// Runs a child until the kill point, then SIGKILLs it (`Child::kill` sends SIGKILL on
/// Unix). Returns what it reported and whether it was still running when killed.
async fn run_and_kill(data_dir: &Path, url: &str, at: KillAt) -> (Seen, bool) {
    let mut child = child_command(data_dir, url)
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn child");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let started = tokio::time::Instant::now();
    let give_up = started + Duration::from_secs(20);
    let mut seen = Seen::default();
    let mut kill_at = match at {
        KillAt::Time(d) => started + d,
        _ => give_up,
    };
    loop {
        tokio::select! {
            () = tokio::time::sleep_until(kill_at) => break,
            line = lines.next_line() => match line.expect("read child") {
                None => break,
                Some(line) => {
                    parse_line(&line, &mut seen);
                    let reached = match at {
                        KillAt::Time(_) => None,
                        KillAt::Pages(n, jitter) => ((seen.phase == "recordings" && seen.pages >= n)
                            || seen.phase == "downloads")
                            .then_some(jitter),
                        KillAt::Downloads(n, jitter) => {
                            (seen.phase == "downloads" && seen.downloads_done >= n).then_some(jitter)
                        }
                    };
                    if let Some(jitter) = reached {
                        if kill_at == give_up {
                            kill_at = tokio::time::Instant::now() + jitter;
                        }
                    }
                }
            },
        }
    }
    let running = child.try_wait().expect("try_wait").is_none();
    child.kill().await.expect("SIGKILL the child");
    // Drain what it wrote before dying.
    while let Ok(Some(line)) = lines.next_line().await {
        parse_line(&line, &mut seen);
    }
    (seen, running)
}

/// Runs a child to completion and returns its result.
async fn run_to_end(data_dir: &Path, url: &str) -> serde_json::Value {
    let seen = run_child(data_dir, url).await;
    assert_eq!(seen.refused, None, "the data folder was free");
    seen.result.expect("the child reported a result")
}

/// Runs a child to completion and returns what it reported.
async fn run_child(data_dir: &Path, url: &str) -> Seen {
    let child = child_command(data_dir, url)
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn child");
    let output = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("the uninterrupted run finishes in time")
        .expect("child output");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the uninterrupted run failed: {}\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let mut seen = Seen::default();
    for line in stdout.lines() {
        parse_line(line, &mut seen);
    }
    seen
}

/// What a check found, for the log and the coverage assertions.
fn json_u64(v: &serde_json::Value, key: &str) -> u64 {
    v.get(key)
        .and_then(serde_json::Value::as_u64)
        .unwrap_or_else(|| panic!("result without {key}: {v}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_sync_and_downloads_leaves_a_consistent_library() {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("dir");
    // Create the user (and run the migrations) once, then let go of the database.
    let paths = {
        let (_ws, scope) = signed_in(dir.path(), SUBJECT).await;
        scope.paths().clone()
    };
    let expected = generate(RECORDINGS, NOW_MS, 10 * 60_000);
    let fake = FakeTwilio::start(expected.clone()).await;
    fake.state
        .media_len
        .store(MEDIA_LEN as u64, Ordering::SeqCst);
    // Pages 60 ms each: the sync lists eight windows at once and ahead of its commits, so
    // a kill a few milliseconds after page n must still find pages left to commit, and a
    // kill at a random time must often land while windows are part-way.
    fake.state.page_delay_ms.store(60, Ordering::SeqCst);
    fake.state.media_chunk_delay_ms.store(1, Ordering::SeqCst);
    let url = fake.base_url.clone();

    let mut rng = SmallRng::seed_from_u64(SEED);
    let mut killed_in: Vec<String> = Vec::new();
    let mut saw_partials = 0;
    let mut saw_midway_pages = 0;
    for i in 0..KILLS {
        let jitter = Duration::from_millis(rng.gen_range(0..15));
        let at = match i % 3 {
            0 => KillAt::Time(Duration::from_millis(rng.gen_range(20..600))),
            1 => KillAt::Pages(rng.gen_range(1..6), jitter),
            _ => KillAt::Downloads(rng.gen_range(0..120), jitter),
        };
        let (seen, running) = run_and_kill(dir.path(), &url, at).await;
        let context = format!("kill {i} ({at:?}, last progress {seen:?})");
        assert_eq!(
            seen.refused, None,
            "{context}: a killed app leaves no lock on the data folder behind"
        );
        let snap = check(&paths, &expected, &context).await;
        eprintln!(
            "crash_safety: kill {i:>2} {at:?}: {} in {}/{} pages {} downloads {}; rows {} \
             midway windows {} completed {} files {} partials {} unadopted {}",
            if running { "killed" } else { "finished" },
            seen.phase,
            seen.pages,
            seen.downloads_done,
            seen.result.is_some(),
            snap.rows,
            snap.midway_windows,
            snap.completed,
            snap.with_file,
            snap.partials,
            snap.unadopted
        );
        if running {
            killed_in.push(seen.phase.clone());
        }
        saw_partials += usize::from(snap.partials > 0);
        saw_midway_pages += usize::from(!snap.completed && snap.midway_windows > 0);
    }
    assert!(
        killed_in.iter().any(|p| p == "recordings") && killed_in.iter().any(|p| p == "downloads"),
        "kills must land both while pages are committed and while audio is written: {killed_in:?}"
    );
    assert!(
        saw_midway_pages > 0,
        "at least one kill must leave a run half-way through its pages"
    );
    assert!(
        saw_partials > 0,
        "at least one kill must land while a download was being written"
    );

    // The next run completes and the library is exactly Twilio's (full speed now: the
    // slowness was only there for the kills to land mid-way).
    fake.state.page_delay_ms.store(0, Ordering::SeqCst);
    fake.state.media_chunk_delay_ms.store(0, Ordering::SeqCst);
    let kills_took = started.elapsed();
    let result = run_to_end(dir.path(), &url).await;
    assert_eq!(json_u64(&result, "failed"), 0, "{result}");
    let snap = check(&paths, &expected, "after the uninterrupted run").await;
    assert!(snap.completed && snap.midway_windows == 0, "{snap:?}");
    assert_eq!(snap.rows, expected.len());
    assert_eq!(snap.with_file, expected.len(), "every recording is on disk");
    assert_eq!((snap.partials, snap.unadopted), (0, 0), "{snap:?}");
    let dump = row_dump(&paths).await;
    let stored: HashSet<&str> = dump.iter().map(|r| r.0.as_str()).collect();
    let wanted: HashSet<&str> = expected.iter().map(|r| r.sid.as_str()).collect();
    assert_eq!(stored, wanted, "the library equals the fake's recordings");

    // And a rerun changes nothing.
    let rerun = run_to_end(dir.path(), &url).await;
    assert_eq!(
        (
            json_u64(&rerun, "new"),
            json_u64(&rerun, "updated"),
            json_u64(&rerun, "downloaded"),
            json_u64(&rerun, "failed")
        ),
        (0, 0, 0, 0),
        "{rerun}"
    );
    assert_eq!(row_dump(&paths).await, dump, "a rerun changes 0 rows");
    eprintln!(
        "crash_safety: {KILLS} kills ({killed_in:?}) in {:.1} s, then complete and idempotent, \
         in {:.1} s",
        kills_took.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}

/// The app's second instance during a sync: a second process with the same data folder is
/// refused with a sentence and touches nothing while the first syncs; once the first is
/// killed mid-sync, the folder is free at once and the next run completes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_instance_is_refused_during_a_sync_and_a_killed_one_leaves_the_folder_free() {
    let dir = tempfile::tempdir().expect("dir");
    let paths = {
        let (_ws, scope) = signed_in(dir.path(), SUBJECT).await;
        scope.paths().clone()
    };
    let expected = generate(RECORDINGS, NOW_MS, 10 * 60_000);
    let fake = FakeTwilio::start(expected.clone()).await;
    fake.state
        .media_len
        .store(MEDIA_LEN as u64, Ordering::SeqCst);
    // Slow enough that the first is still committing pages while the second starts and
    // while its edits run (it lists eight windows at once, and splits them as it goes).
    fake.state.page_delay_ms.store(2_000, Ordering::SeqCst);
    let url = fake.base_url.clone();

    // The first also edits its library all through its sync (the busy-database load).
    let mut first = child_command(dir.path(), &url)
        .env(CHILD_EDITS, "1")
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn the first");
    let mut lines = BufReader::new(first.stdout.take().expect("stdout")).lines();
    let mut seen = Seen::default();
    while seen.phase != "recordings" || seen.pages < 1 {
        let line = lines
            .next_line()
            .await
            .expect("read the first")
            .unwrap_or_else(|| panic!("the first ended before its first page: {seen:?}"));
        parse_line(&line, &mut seen);
    }
    assert_eq!(seen.refused, None, "the first has the folder");

    let second = run_child(dir.path(), &url).await;
    let refused = second
        .refused
        .clone()
        .unwrap_or_else(|| panic!("the second instance ran beside the first: {second:?}"));
    assert!(
        refused.starts_with("CallDeck is already running"),
        "it says so in a sentence: {refused}"
    );
    assert!(
        second.phase.is_empty() && second.result.is_none(),
        "the second synced nothing: {second:?}"
    );
    assert!(
        first.try_wait().expect("try_wait").is_none(),
        "the first still runs"
    );

    // Let its edits run beside the page commits for a while.
    while seen.edits < 100 {
        let line = lines
            .next_line()
            .await
            .expect("read the first")
            .unwrap_or_else(|| panic!("the first ended before 100 edits: {seen:?}"));
        parse_line(&line, &mut seen);
    }
    first.kill().await.expect("SIGKILL the first");
    while let Ok(Some(line)) = lines.next_line().await {
        parse_line(&line, &mut seen);
    }
    assert!(
        seen.edit_errors.is_empty(),
        "edits during the sync never fail: {} failed, first {:?}",
        seen.edit_errors.len(),
        seen.edit_errors.first()
    );
    check(&paths, &expected, "after the second instance and the kill").await;

    fake.state.page_delay_ms.store(0, Ordering::SeqCst);
    let result = run_to_end(dir.path(), &url).await;
    assert_eq!(json_u64(&result, "failed"), 0, "{result}");
    let snap = check(&paths, &expected, "after the run that followed the kill").await;
    assert!(snap.completed && snap.rows == expected.len(), "{snap:?}");
}
