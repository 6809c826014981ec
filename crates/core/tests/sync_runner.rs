//! The app's sync runner owns the sync's whole life: one sync at a time, a second refused
//! without touching the first, and Cancel, sign-out and a switch of user always reaching the
//! sync that runs; its progress carries its owner and none of it reaches the next user.
//! Against the loopback Twilio fake, with its pages slowed so the first sync is still running.

mod common;
mod support;
mod sync_owner;

use std::sync::atomic::Ordering;
use std::sync::Arc;

use calldeck_core::audit::{list_audit, AuditRequest};
use calldeck_core::sync::{SyncResult, SyncRunner, SyncTrigger};
use calldeck_core::{Error, Result, UserScope, Workspace};

use common::NOW_MS;
use support::twilio_fake::{generate, FakeTwilio};
use sync_owner::{connect, runner, sign_in, Recorder, Sent};

const RECORDINGS: u64 = 30;

/// A workspace with one user signed in and connected, the fake slowed to 400 ms a page, and a
/// background sync of that user started and reporting progress.
struct Running {
    _dir: tempfile::TempDir,
    fake: FakeTwilio,
    workspace: Arc<Workspace>,
    scope: UserScope,
    runner: Arc<SyncRunner>,
    recorder: Arc<Recorder>,
    first: tokio::task::JoinHandle<Result<SyncResult>>,
}

async fn background_sync_running(subject: &str) -> Running {
    let dir = tempfile::tempdir().expect("dir");
    let fake = FakeTwilio::start(generate(RECORDINGS, NOW_MS, 60_000)).await;
    let (runner, recorder) = runner(&fake.base_url);
    let workspace = Arc::new(Workspace::new(dir.path()));
    let scope = sign_in(&workspace, subject).await;
    connect(&runner, &scope).await;
    fake.state.page_delay_ms.store(400, Ordering::SeqCst);
    let first = {
        let (runner, scope) = (Arc::clone(&runner), scope.clone());
        tokio::spawn(async move { runner.run(&scope, SyncTrigger::Background).await })
    };
    let owner = scope.user_id().to_owned();
    recorder
        .wait_for(0, |e| matches!(e, Sent::Progress(o, _) if *o == owner))
        .await;
    Running {
        _dir: dir,
        fake,
        workspace,
        scope,
        runner,
        recorder,
        first,
    }
}

/// "Sync now" while the background sync runs: refused, and the first is left as it was.
async fn refused_sync_now(r: &Running) {
    let second = r.runner.run(&r.scope, SyncTrigger::Manual).await;
    assert!(
        matches!(second, Err(Error::SyncInProgress)),
        "a second sync is refused while one runs: {second:?}"
    );
}

async fn sync_outcomes(scope: &UserScope) -> Vec<(String, Option<String>)> {
    list_audit(scope, &AuditRequest::default())
        .await
        .expect("audit")
        .into_iter()
        .filter(|e| e.operation == "sync")
        .map(|e| (e.outcome, e.detail))
        .collect()
}

#[tokio::test]
async fn cancel_after_a_refused_sync_now_stops_the_running_sync() {
    let r = background_sync_running("auth0|runner-cancel").await;
    refused_sync_now(&r).await;
    r.runner.cancel();
    let first = r.first.await.expect("join").expect("stopped, not failed");
    assert!(
        first.cancelled,
        "Cancel reached the sync that was running: {first:?}"
    );
    assert!(
        first.synced < RECORDINGS as u32,
        "it stopped before the end: {first:?}"
    );

    // The slot is free again: the next sync runs to the end.
    r.fake.state.page_delay_ms.store(0, Ordering::SeqCst);
    let next = r
        .runner
        .run(&r.scope, SyncTrigger::Manual)
        .await
        .expect("the next sync");
    assert!(!next.cancelled, "{next:?}");
    let outcomes = sync_outcomes(&r.scope).await;
    assert_eq!(
        outcomes.len(),
        2,
        "two runs in the trail, the refused one is not a run: {outcomes:?}"
    );
    assert!(
        outcomes
            .iter()
            .any(|(outcome, detail)| outcome == "cancelled"
                && detail
                    .as_deref()
                    .is_some_and(|d| d.starts_with("background"))),
        "the background run is in the trail as cancelled: {outcomes:?}"
    );
}

#[tokio::test]
async fn sign_out_after_a_refused_sync_now_stops_the_running_sync() {
    let r = background_sync_running("auth0|runner-sign-out").await;
    refused_sync_now(&r).await;
    // What signing out does: the user's sync stops, then the user is signed out.
    r.runner.stop().await;
    r.workspace.sign_out().await;
    let mark = r.recorder.len();
    let first = r.first.await.expect("join").expect("stopped, not failed");
    assert!(first.cancelled, "sign-out stopped the sync: {first:?}");
    assert_eq!(
        r.recorder.len(),
        mark,
        "nothing is sent once the user has signed out: {:?}",
        &r.recorder.sent()[mark..]
    );
}

#[tokio::test]
async fn a_switch_of_user_alone_stops_the_sync_and_none_of_its_progress_reaches_the_next() {
    let r = background_sync_running("auth0|runner-alice").await;
    refused_sync_now(&r).await;
    let alice = r.scope.user_id().to_owned();
    // Bob signs in with nothing else done first: the runner must see the change itself.
    let bob = sign_in(&r.workspace, "auth0|runner-bob").await;
    let mark = r.recorder.len();
    let first = r.first.await.expect("join");
    assert!(
        matches!(first, Err(Error::Cancelled)),
        "Alice's sync ended as cancelled when she was no longer signed in, and gives Bob \
         none of her counts: {first:?}"
    );
    let after: Vec<Sent> = r.recorder.sent()[mark..].to_vec();
    assert!(
        after.iter().all(|e| e.owner() != alice),
        "none of Alice's progress reaches the window after the switch: {after:?}"
    );

    // Bob's own sync runs, and its events carry him as their owner.
    connect(&r.runner, &bob).await;
    r.fake.state.page_delay_ms.store(0, Ordering::SeqCst);
    let done = r
        .runner
        .run(&bob, SyncTrigger::Manual)
        .await
        .expect("Bob's sync");
    assert_eq!(done.new, RECORDINGS as u32, "{done:?}");
    let his: Vec<Sent> = r.recorder.sent()[mark..].to_vec();
    assert!(
        his.iter()
            .any(|e| matches!(e, Sent::Finished(o, _) if *o == bob.user_id())),
        "Bob's run is reported as his: {his:?}"
    );
    assert!(his.iter().all(|e| e.owner() == bob.user_id()), "{his:?}");
}

#[tokio::test]
async fn a_sync_of_a_user_no_longer_signed_in_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let fake = FakeTwilio::start(generate(3, NOW_MS, 60_000)).await;
    let (runner, _recorder) = runner(&fake.base_url);
    let workspace = Workspace::new(dir.path());
    let alice = sign_in(&workspace, "auth0|runner-gone").await;
    connect(&runner, &alice).await;
    workspace.sign_out().await;
    let late = runner.run(&alice, SyncTrigger::Background).await;
    assert!(
        matches!(late, Err(Error::NotSignedIn)),
        "a run asked for with a scope that has ended never starts: {late:?}"
    );
}
