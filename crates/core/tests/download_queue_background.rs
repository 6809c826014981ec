//! The app's background download worker: after a restart it goes on with the queue a
//! previous run left (here: paused then), starts when the user resumes it, and tells its
//! owner how far it got; a switch of user stops it with the rest left queued.

mod common;
mod support;
mod sync_owner;

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use calldeck_core::sync::queue::{
    enqueue_by_policy, queue_status, set_paused, DownloadQueue, QueueEvents, QueueOptions,
    QueueStatus,
};
use calldeck_core::sync::{DownloadPolicy, SyncOptions};
use calldeck_core::{UserScope, Workspace};
use tokio::sync::Notify;

use common::NOW_MS;
use support::client;
use support::twilio_fake::{generate, FakeTwilio};
use sync_owner::{connect, runner, sign_in};

#[derive(Default)]
struct Heard {
    sent: Mutex<Vec<(String, QueueStatus, bool)>>,
    changed: Notify,
}

impl Heard {
    async fn wait_for(&self, what: impl Fn(&(String, QueueStatus, bool)) -> bool) {
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if self.sent.lock().expect("heard").iter().any(&what) {
                return;
            }
            changed.await;
        }
    }

    fn push(&self, owner: &str, status: &QueueStatus, worked: bool) {
        self.sent
            .lock()
            .expect("heard")
            .push((owner.to_owned(), *status, worked));
        self.changed.notify_waiters();
    }
}

impl QueueEvents for Heard {
    fn changed(&self, owner: &str, status: &QueueStatus) {
        self.push(owner, status, false);
    }

    fn worked(&self, owner: &str, status: &QueueStatus) {
        self.push(owner, status, true);
    }
}

async fn listed(scope: &UserScope, fake: &FakeTwilio) {
    let options = SyncOptions {
        now_ms: NOW_MS,
        ..SyncOptions::default()
    };
    support::sync_with(scope, &client(&fake.base_url), &options).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_restart_the_worker_goes_on_once_resumed_and_a_switch_stops_it() {
    let dir = tempfile::tempdir().expect("dir");
    let fake = FakeTwilio::start(generate(6, NOW_MS, 60_000)).await;
    // A previous run of the app queued six downloads and was paused, then quit.
    {
        let workspace = Workspace::new(dir.path());
        let scope = sign_in(&workspace, "auth0|bg-alice").await;
        listed(&scope, &fake).await;
        enqueue_by_policy(&scope, DownloadPolicy::All, NOW_MS)
            .await
            .expect("enqueue");
        set_paused(&scope, true).await.expect("pause");
    }

    let (runner, _) = runner(&fake.base_url);
    let workspace = Arc::new(Workspace::new(dir.path()));
    let alice = sign_in(&workspace, "auth0|bg-alice").await;
    connect(&runner, &alice).await;
    let heard = Arc::new(Heard::default());
    let queue = Arc::new(DownloadQueue::new(
        heard.clone(),
        QueueOptions {
            concurrency: 1,
            ..QueueOptions::default()
        },
    ));
    let worker = {
        let (queue, runner, workspace) = (Arc::clone(&queue), runner.clone(), workspace.clone());
        tokio::spawn(queue.run(runner, move || workspace.current().ok(), || true))
    };

    // Resuming wakes it; it downloads, one at a time, and says so to Alice alone.
    fake.state.media_chunk_delay_ms.store(40, Ordering::SeqCst);
    let owner = alice.user_id().to_owned();
    queue.set_paused(&alice, false).await.expect("resume");
    heard
        .wait_for(|(o, s, _)| *o == owner && s.done >= 2 && !s.paused)
        .await;

    // Bob signs in: Alice's downloads stop, the rest stays queued for her.
    queue.stop().await;
    let bob = sign_in(&workspace, "auth0|bg-bob").await;
    let seen = heard.sent.lock().expect("heard").len();
    assert_eq!(
        queue_status(&bob).await.expect("bob"),
        QueueStatus::default(),
        "Bob has no queue of Alice's"
    );
    let alice = sign_in(&workspace, "auth0|bg-alice").await;
    let left = queue_status(&alice).await.expect("alice");
    assert!(
        left.waiting > 0 && left.done >= 2 && left.done + left.waiting == 6,
        "stopped half-way, nothing lost: {left:?}"
    );
    assert!(
        heard.sent.lock().expect("heard")[..seen]
            .iter()
            .all(|(o, _, _)| *o == owner),
        "nothing of Alice's queue was told as another's"
    );

    let trail = calldeck_core::audit::list_audit(&alice, &Default::default())
        .await
        .expect("audit");
    assert!(
        trail.iter().any(|e| e.operation == "download"
            && e.outcome == "cancelled"
            && e.detail
                .as_deref()
                .is_some_and(|d| d.starts_with("queue: "))),
        "the stopped pass is in Alice's trail, as hers: {trail:?}"
    );

    // Back for Alice: the worker finishes her queue.
    queue.wake();
    heard
        .wait_for(|(o, s, worked)| *o == owner && *worked && s.waiting == 0 && s.done == 6)
        .await;
    let files = std::fs::read_dir(alice.paths().media_dir())
        .expect("media")
        .count();
    assert_eq!(files, 6, "every recording once, no partial file");
    worker.abort();
}

/// Choosing another download policy in the settings changes the queue at once: a policy of
/// none empties it, so the background worker stops downloading what nobody wants now.
#[tokio::test]
async fn a_new_download_policy_is_followed_at_once() {
    let dir = tempfile::tempdir().expect("dir");
    let fake = FakeTwilio::start(generate(4, NOW_MS, 60_000)).await;
    let workspace = Workspace::new(dir.path());
    let scope = sign_in(&workspace, "auth0|bg-policy").await;
    listed(&scope, &fake).await;
    let heard = Arc::new(Heard::default());
    let queue = DownloadQueue::new(heard.clone(), QueueOptions::default());
    let all = queue
        .follow_policy(&scope, DownloadPolicy::All)
        .await
        .expect("all");
    assert_eq!(all.waiting, 4);
    let none = queue
        .follow_policy(&scope, DownloadPolicy::None)
        .await
        .expect("none");
    assert_eq!(none, QueueStatus::default(), "nothing left to download");
    assert_eq!(
        heard.sent.lock().expect("heard").last().map(|(_, s, _)| *s),
        Some(QueueStatus::default()),
        "the window hears of it"
    );
}
