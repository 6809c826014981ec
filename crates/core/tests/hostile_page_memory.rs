//! A 32 MB page of `{}` from Twilio, and what it costs the sync's process in memory. Alone in
//! its test binary, so no other test's allocations land in the measured peak.

mod common;
mod support;

use calldeck_core::sync::{self, SyncOptions};
use tokio_util::sync::CancellationToken;

use common::{signed_in, NOW_MS};
use support::client;
use support::twilio_fake::{empty_objects_page, generate, FakeTwilio};

const MB: u64 = 1024 * 1024;

/// A `kB` line of /proc/self/status, in bytes.
fn status_bytes(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.trim().strip_suffix("kB"))
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .unwrap_or_else(|| panic!("{key} in /proc/self/status"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_32_mb_page_of_empty_objects_keeps_the_sync_under_64_mb_more() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|bigpage").await;
    // No recordings besides the hostile page: the sync lists several windows at once, and
    // whichever asks first gets that page, so any real ones would be found or not by chance.
    let fake = FakeTwilio::start(generate(0, NOW_MS, 60_000)).await;
    let page = empty_objects_page(32_000_000);
    let entries = page.matches("{}").count() as u32;
    *fake.state.hostile_body.lock().expect("lock") = Some(page);

    // The peak is reset to what is resident now (the fake's page included), so what is
    // measured is what the sync adds.
    std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak RSS");
    let before = status_bytes("VmRSS");
    let result = sync::sync_recordings(
        &scope,
        &client(&fake.base_url),
        &SyncOptions {
            now_ms: NOW_MS,
            ..SyncOptions::default()
        },
        &CancellationToken::new(),
        None,
    )
    .await;
    let extra = status_bytes("VmHWM").saturating_sub(before);
    eprintln!(
        "32 MB page of {entries} empty objects: peak RSS +{:.1} MB",
        extra as f64 / MB as f64
    );
    assert!(
        extra < 64 * MB,
        "the sync took {:.1} MB more for one hostile page",
        extra as f64 / MB as f64
    );
    let result = result.expect("the page is read, its entries counted");
    assert_eq!(
        (result.new, result.failed),
        (0, entries),
        "none of them is a recording: {:?}",
        result.errors
    );
}
