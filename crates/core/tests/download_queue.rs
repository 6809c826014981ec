//! The download queue in the library: enqueued by policy, worked with bounded concurrency,
//! resumed after a restart, retried with backoff then failed (and retryable), paused and
//! resumed per user across restarts, skipping deleted recordings, one user's queue apart
//! from another's.

mod common;
mod support;

use std::sync::atomic::Ordering;
use std::time::Duration;

use calldeck_core::library;
use calldeck_core::session::VerifiedIdentity;
use calldeck_core::sync::queue::{
    enqueue_by_policy, queue_status, retry_failed, set_paused, work_queue, QueueOptions,
    QueueStatus,
};
use calldeck_core::sync::{self, DownloadPolicy, SyncOptions};
use calldeck_core::{UserScope, Workspace};
use tokio_util::sync::CancellationToken;

use common::{signed_in, NOW_MS};
use support::client;
use support::twilio_fake::{generate, media_bytes, recording_sid, FakeTwilio, DAY_MS};

/// Lists the fake's recordings into the library, downloading nothing.
async fn listed(scope: &UserScope, fake: &FakeTwilio) {
    let options = SyncOptions {
        now_ms: NOW_MS,
        ..SyncOptions::default()
    };
    support::sync_with(scope, &client(&fake.base_url), &options).await;
}

/// Retries at once, so a pass makes every attempt.
fn eager() -> QueueOptions {
    QueueOptions {
        concurrency: 4,
        max_attempts: 3,
        backoff_base: Duration::ZERO,
        backoff_max: Duration::ZERO,
    }
}

async fn work(
    scope: &UserScope,
    fake: &FakeTwilio,
    options: &QueueOptions,
) -> sync::queue::QueueTally {
    work_queue(
        scope,
        &client(&fake.base_url),
        options,
        &CancellationToken::new(),
        |_| {},
    )
    .await
    .expect("work")
}

fn on_disk(scope: &UserScope) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(scope.paths().media_dir())
        .expect("media")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn status(waiting: u32, failed: u32, done: u32, paused: bool) -> QueueStatus {
    QueueStatus {
        waiting,
        failed,
        done,
        running: 0,
        paused,
    }
}

#[tokio::test]
async fn the_policy_decides_what_is_queued_and_the_queue_follows_it() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|q-policy").await;
    let fake = FakeTwilio::start(generate(10, NOW_MS, DAY_MS)).await;
    listed(&scope, &fake).await;
    assert_eq!(
        queue_status(&scope).await.expect("status"),
        QueueStatus::default()
    );

    let starred = [recording_sid(2), recording_sid(9)];
    library::bulk_update(&scope, library::BulkAction::Star, &starred, NOW_MS)
        .await
        .expect("star");
    assert_eq!(
        enqueue_by_policy(&scope, DownloadPolicy::Starred, NOW_MS)
            .await
            .expect("enqueue"),
        2
    );
    assert_eq!(
        queue_status(&scope).await.expect("status"),
        status(2, 0, 0, false)
    );
    // Enqueued again: nothing twice.
    assert_eq!(
        enqueue_by_policy(&scope, DownloadPolicy::Starred, NOW_MS)
            .await
            .expect("enqueue"),
        0
    );
    // Days 0..=3 back: four recordings; the starred one nine days back is no longer wanted.
    enqueue_by_policy(&scope, DownloadPolicy::LastDays { days: 3 }, NOW_MS)
        .await
        .expect("enqueue");
    assert_eq!(queue_status(&scope).await.expect("status").waiting, 4);
    enqueue_by_policy(&scope, DownloadPolicy::None, NOW_MS)
        .await
        .expect("enqueue");
    assert_eq!(
        queue_status(&scope).await.expect("status").waiting,
        0,
        "policy none wants nothing queued"
    );
    assert_eq!(fake.state.media_requests.load(Ordering::SeqCst), 0);
}

/// A sync enqueues and works the queue; its result still says what it downloaded.
#[tokio::test]
async fn a_sync_downloads_through_the_queue_and_leaves_it_empty() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|q-sync").await;
    let fake = FakeTwilio::start(generate(12, NOW_MS, 60_000)).await;
    let options = SyncOptions {
        download: DownloadPolicy::All,
        now_ms: NOW_MS,
        ..SyncOptions::default()
    };
    let result = support::sync_with(&scope, &client(&fake.base_url), &options).await;
    assert_eq!((result.downloaded, result.download_failed), (12, 0));
    assert_eq!(on_disk(&scope).len(), 12);
    assert_eq!(
        queue_status(&scope).await.expect("status"),
        status(0, 0, 12, false),
        "12 of 12 done, nothing left"
    );
}

#[tokio::test]
async fn a_restart_resumes_the_remaining_items_and_a_pause_survives_it() {
    let dir = tempfile::tempdir().expect("dir");
    let fake = FakeTwilio::start(generate(10, NOW_MS, 60_000)).await;
    {
        let (_ws, scope) = signed_in(dir.path(), "auth0|q-restart").await;
        listed(&scope, &fake).await;
        enqueue_by_policy(&scope, DownloadPolicy::All, NOW_MS)
            .await
            .expect("enqueue");
        // Stopped after three downloads (as a quit would), one at a time.
        let cancel = CancellationToken::new();
        let one_by_one = QueueOptions {
            concurrency: 1,
            ..eager()
        };
        let stop = cancel.clone();
        let tally = work_queue(&scope, &client(&fake.base_url), &one_by_one, &cancel, |t| {
            if t.done == 3 {
                stop.cancel();
            }
        })
        .await
        .expect("work");
        assert_eq!(tally.done, 3);
        set_paused(&scope, true).await.expect("pause");
    }
    // Everything dropped; the workspace opens again.
    let (_ws, scope) = signed_in(dir.path(), "auth0|q-restart").await;
    assert_eq!(
        queue_status(&scope).await.expect("status"),
        status(7, 0, 3, true),
        "seven left, three done, still paused after the restart"
    );
    let before = fake.state.media_requests.load(Ordering::SeqCst);
    let paused = work(&scope, &fake, &eager()).await;
    assert_eq!(paused.done, 0, "a paused queue starts nothing");
    assert_eq!(fake.state.media_requests.load(Ordering::SeqCst), before);

    set_paused(&scope, false).await.expect("resume");
    let resumed = work(&scope, &fake, &eager()).await;
    assert_eq!(resumed.done, 7, "the rest, and only the rest");
    assert_eq!(fake.state.media_requests.load(Ordering::SeqCst), before + 7);
    assert_eq!(on_disk(&scope).len(), 10);
    assert_eq!(
        queue_status(&scope).await.expect("status"),
        status(0, 0, 10, false)
    );
}

#[tokio::test]
async fn failures_wait_for_their_backoff_then_fail_for_good_and_can_be_retried() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|q-fail").await;
    let fake = FakeTwilio::start(generate(1, NOW_MS, 60_000)).await;
    listed(&scope, &fake).await;
    enqueue_by_policy(&scope, DownloadPolicy::All, NOW_MS)
        .await
        .expect("enqueue");
    // Every body is cut half-way.
    fake.state
        .media_faults
        .cut_next
        .store(u32::MAX, Ordering::SeqCst);

    let slow = QueueOptions {
        backoff_base: Duration::from_secs(3600),
        backoff_max: Duration::from_secs(3600),
        ..eager()
    };
    let first = work(&scope, &fake, &slow).await;
    assert_eq!((first.done, first.failed, first.gave_up), (0, 1, 0));
    assert_eq!(
        queue_status(&scope).await.expect("status"),
        status(1, 0, 0, false),
        "one attempt failed: still queued, for later"
    );
    let requests = fake.state.media_requests.load(Ordering::SeqCst);
    let early = work(&scope, &fake, &slow).await;
    assert_eq!(early, Default::default(), "not due yet: nothing tried");
    assert_eq!(fake.state.media_requests.load(Ordering::SeqCst), requests);

    // An hour later (the wait moved back), with no wait after: the remaining attempts come
    // and the item is failed for good.
    sqlx::query("UPDATE download_queue SET next_attempt_at_ms = 0")
        .execute(scope.pool_for_tests())
        .await
        .expect("an hour passes");
    let last = work(&scope, &fake, &eager()).await;
    assert_eq!((last.failed, last.gave_up), (2, 1), "{last:?}");
    assert_eq!(
        queue_status(&scope).await.expect("status"),
        status(0, 1, 0, false)
    );
    let error: Option<String> = sqlx::query_scalar("SELECT last_error FROM download_queue")
        .fetch_one(scope.pool_for_tests())
        .await
        .expect("error");
    let error = error.expect("the failure says why");
    assert!(
        !error.contains("127.0.0.1") && !error.contains('/'),
        "a sentence for a person, no address or path: {error}"
    );
    assert_eq!(
        work(&scope, &fake, &eager()).await.done,
        0,
        "failed stays failed"
    );

    fake.state.media_faults.cut_next.store(0, Ordering::SeqCst);
    assert_eq!(
        retry_failed(&scope).await.expect("retry"),
        status(1, 0, 0, false)
    );
    assert_eq!(work(&scope, &fake, &eager()).await.done, 1);
    let sid = recording_sid(1);
    assert_eq!(
        std::fs::read(
            scope
                .paths()
                .media_dir()
                .join(format!("{sid}_{}.mp3", NOW_MS / 1000))
        )
        .expect("downloaded"),
        media_bytes(&sid, 4096)
    );
}

#[tokio::test]
async fn deleted_recordings_leave_the_queue_and_are_never_downloaded() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|q-deleted").await;
    let fake = FakeTwilio::start(generate(3, NOW_MS, 60_000)).await;
    listed(&scope, &fake).await;
    enqueue_by_policy(&scope, DownloadPolicy::All, NOW_MS)
        .await
        .expect("enqueue");
    library::delete_recording(&scope, &recording_sid(2), NOW_MS)
        .await
        .expect("delete");
    assert_eq!(queue_status(&scope).await.expect("status").waiting, 2);
    let tally = work(&scope, &fake, &eager()).await;
    assert_eq!(tally.done, 2);
    assert_eq!(fake.state.media_requests.load(Ordering::SeqCst), 2);
    assert!(
        on_disk(&scope)
            .iter()
            .all(|f| !f.starts_with(&recording_sid(2))),
        "the deleted one is not downloaded"
    );
    // The tombstone keeps it out of the next enqueue too.
    enqueue_by_policy(&scope, DownloadPolicy::All, NOW_MS)
        .await
        .expect("enqueue");
    assert_eq!(queue_status(&scope).await.expect("status").waiting, 0);
}

#[tokio::test]
async fn one_users_queue_and_pause_are_not_anothers() {
    let dir = tempfile::tempdir().expect("dir");
    let workspace = Workspace::new(dir.path());
    let fake = FakeTwilio::start(generate(3, NOW_MS, 60_000)).await;
    let alice = workspace
        .sign_in(VerifiedIdentity::for_tests("auth0|q-alice"), NOW_MS)
        .await
        .expect("alice");
    listed(&alice, &fake).await;
    enqueue_by_policy(&alice, DownloadPolicy::All, NOW_MS)
        .await
        .expect("enqueue");
    set_paused(&alice, true).await.expect("pause");

    let bob = workspace
        .sign_in(VerifiedIdentity::for_tests("auth0|q-bob"), NOW_MS)
        .await
        .expect("bob");
    assert_eq!(
        queue_status(&bob).await.expect("status"),
        QueueStatus::default(),
        "Alice's queue and pause are not Bob's"
    );
    assert_eq!(work(&bob, &fake, &eager()).await.done, 0);
    assert_eq!(fake.state.media_requests.load(Ordering::SeqCst), 0);
    assert_eq!(
        retry_failed(&bob).await.expect("retry").waiting,
        0,
        "Bob's retry touches nothing of Alice's"
    );

    let alice = workspace
        .sign_in(VerifiedIdentity::for_tests("auth0|q-alice"), NOW_MS)
        .await
        .expect("alice again");
    assert_eq!(
        queue_status(&alice).await.expect("status"),
        status(3, 0, 0, true)
    );
}

/// A queued recording fetched another way ("Download now", or streamed while played)
/// leaves the queue: it is not counted as waiting, nor fetched again.
#[tokio::test]
async fn a_recording_downloaded_now_leaves_the_queue() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|q-now").await;
    let fake = FakeTwilio::start(generate(2, NOW_MS, 60_000)).await;
    listed(&scope, &fake).await;
    enqueue_by_policy(&scope, DownloadPolicy::All, NOW_MS)
        .await
        .expect("enqueue");
    sync::download_recording(&scope, &client(&fake.base_url), &recording_sid(1))
        .await
        .expect("download now");
    assert_eq!(
        queue_status(&scope).await.expect("status"),
        status(1, 0, 0, false)
    );
    assert_eq!(work(&scope, &fake, &eager()).await.done, 1);
    assert_eq!(
        fake.state.media_requests.load(Ordering::SeqCst),
        2,
        "each recording fetched once"
    );
}
