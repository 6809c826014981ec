//! The background sync schedule under a controlled clock: tokio's time is paused and held
//! still (see `hold_the_clock`), and moved on a minute at a time, so each of the schedule's
//! checks happens at a known instant and the test reads what it decided. It runs only while
//! someone is signed in and online, never during a manual sync, keeps each user's timing
//! across switches, and stops at sign-out. Syncs are real ones, against the loopback fake.

mod common;
mod support;
mod sync_owner;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use calldeck_core::connection::{save_settings, SyncSettings};
use calldeck_core::sync::{run_background, Check, SyncRunner, SyncTrigger, Tick, CHECK_EVERY};
use calldeck_core::{Error, UserScope, Workspace};
use tokio::sync::mpsc;
use tokio::time::Instant;

use common::NOW_MS;
use support::twilio_fake::{generate, FakeTwilio};
use sync_owner::{connect, runner, sign_in, Recorder, Sent};

const EVERY_MINUTES: u32 = 5;

/// Keeps the paused clock from moving by itself. A paused runtime with nothing to do jumps
/// to its next timer ("auto-advance"), and waiting for SQLite (which runs on threads of its
/// own) or for a socket looks like nothing to do. While a blocking task is in flight tokio
/// does not auto-advance (documented under `tokio::time::pause`), so one waits here until
/// the guard is dropped, and time moves only by `tokio::time::advance`.
fn hold_the_clock() -> std::sync::mpsc::Sender<()> {
    let (release, held) = std::sync::mpsc::channel::<()>();
    tokio::task::spawn_blocking(move || {
        let _ = held.recv();
    });
    release
}

/// What a check decided, in a word, for comparing sequences.
fn word(tick: &Tick) -> &'static str {
    match tick {
        Tick::NobodySignedIn => "nobody",
        Tick::Offline => "offline",
        Tick::Off => "off",
        Tick::NotDue => "not due",
        Tick::Busy => "busy",
        Tick::NotConnected => "not connected",
        Tick::Ran { result, .. } if result.cancelled => "ran, cancelled",
        Tick::Ran { .. } => "ran",
        Tick::Failed(Error::Cancelled) => "cancelled",
        Tick::Failed(_) => "failed",
    }
}

struct Schedule {
    _dir: tempfile::TempDir,
    fake: FakeTwilio,
    workspace: Arc<Workspace>,
    runner: Arc<SyncRunner>,
    recorder: Arc<Recorder>,
    online: Arc<AtomicBool>,
    checks: mpsc::UnboundedReceiver<Check>,
    start: Instant,
    _clock: std::sync::mpsc::Sender<()>,
}

impl Schedule {
    /// `subjects` signed in one after the other (the last stays signed in), each connected
    /// to the fake with background sync every five minutes; then the schedule starts.
    async fn start(subjects: &[&str], online: bool) -> (Self, Vec<UserScope>) {
        let clock = hold_the_clock();
        let dir = tempfile::tempdir().expect("dir");
        let fake = FakeTwilio::start(generate(20, NOW_MS, 60_000)).await;
        let (runner, recorder) = runner(&fake.base_url);
        let workspace = Arc::new(Workspace::new(dir.path()));
        let mut scopes = Vec::new();
        for subject in subjects {
            let scope = sign_in(&workspace, subject).await;
            connect(&runner, &scope).await;
            let settings = SyncSettings {
                background_minutes: Some(EVERY_MINUTES),
                ..SyncSettings::default()
            };
            save_settings(&scope, &settings, NOW_MS)
                .await
                .expect("settings");
            scopes.push(scope);
        }
        let online = Arc::new(AtomicBool::new(online));
        let (tx, checks) = mpsc::unbounded_channel();
        let start = Instant::now();
        tokio::spawn(run_background(
            Arc::clone(&runner),
            {
                let workspace = Arc::clone(&workspace);
                move || workspace.current().ok()
            },
            {
                let online = Arc::clone(&online);
                move || online.load(Ordering::SeqCst)
            },
            move |check| {
                let _ = tx.send(check);
            },
        ));
        let schedule = Self {
            _dir: dir,
            fake,
            workspace,
            runner,
            recorder,
            online,
            checks,
            start,
            _clock: clock,
        };
        (schedule, scopes)
    }

    /// The next check: its minute since the start, whose it was, and what it decided.
    async fn next(&mut self) -> (u64, Option<String>, &'static str) {
        let check = self.checks.recv().await.expect("the schedule runs");
        let since = check.at.duration_since(self.start);
        assert_eq!(
            since.as_secs() % 60,
            0,
            "checks fall on whole minutes: {since:?}"
        );
        (since.as_secs() / 60, check.user, word(&check.tick))
    }

    /// Moves time on to the next check and returns it.
    async fn minute(&mut self) -> (u64, Option<String>, &'static str) {
        tokio::time::advance(CHECK_EVERY).await;
        self.next().await
    }

    fn delay_pages(&self, by: Duration) {
        let ms = u64::try_from(by.as_millis()).expect("ms");
        self.fake.state.page_delay_ms.store(ms, Ordering::SeqCst);
    }

    fn requests(&self) -> u32 {
        self.fake
            .state
            .recording_list_requests
            .load(Ordering::SeqCst)
    }
}

fn who(scope: &UserScope) -> Option<String> {
    Some(scope.user_id().to_owned())
}

#[tokio::test(start_paused = true)]
async fn background_sync_keeps_its_interval_and_never_runs_during_a_manual_sync() {
    let (mut s, scopes) = Schedule::start(&["auth0|schedule-interval"], true).await;
    let alice = &scopes[0];
    assert_eq!(
        s.next().await,
        (0, who(alice), "ran"),
        "the first check syncs a user who has not synced since the app started"
    );

    // A manual sync at minute 0 that takes six and a half minutes (the fake's pages).
    s.delay_pages(Duration::from_secs(390));
    let asked = s.fake.state.api_requests.load(Ordering::SeqCst);
    let manual = {
        let (runner, alice) = (Arc::clone(&s.runner), alice.clone());
        tokio::spawn(async move { runner.run(&alice, SyncTrigger::Manual).await })
    };
    // Its two listings (calls, recordings) have reached the fake, which holds them from now.
    while s.fake.state.api_requests.load(Ordering::SeqCst) < asked + 2 {
        tokio::task::yield_now().await;
    }
    let mut seen = Vec::new();
    for _ in 1..=6 {
        seen.push(s.minute().await);
    }
    assert_eq!(
        seen.iter().map(|c| (c.0, c.2)).collect::<Vec<_>>(),
        vec![
            (1, "not due"),
            (2, "not due"),
            (3, "not due"),
            (4, "not due"),
            (5, "busy"),
            (6, "busy"),
        ],
        "the manual sync counts as the last sync, and while it runs nothing else starts"
    );
    tokio::time::advance(Duration::from_secs(30)).await;
    let manual = manual.await.expect("join").expect("the manual sync");
    assert!(!manual.cancelled, "{manual:?}");
    s.delay_pages(Duration::ZERO);
    assert_eq!(s.minute().await, (7, who(alice), "ran"), "due, and free");
    for minute in 8..=11 {
        assert_eq!(s.minute().await, (minute, who(alice), "not due"));
    }
    assert_eq!(s.minute().await, (12, who(alice), "ran"), "five minutes on");
}

#[tokio::test(start_paused = true)]
async fn each_user_keeps_their_own_timing_across_switches() {
    let (mut s, scopes) =
        Schedule::start(&["auth0|schedule-bob", "auth0|schedule-alice"], true).await;
    let alice = &scopes[1];
    assert_eq!(s.next().await, (0, who(alice), "ran"));
    assert_eq!(s.minute().await, (1, who(alice), "not due"));

    // Bob takes over at minute 1: he has not synced since the app started.
    let bob = sign_in(&s.workspace, "auth0|schedule-bob").await;
    assert_eq!(s.minute().await, (2, who(&bob), "ran"));
    assert_eq!(s.minute().await, (3, who(&bob), "not due"));

    // Alice is back at minute 3: her own five minutes from minute 0, not Bob's.
    let alice = sign_in(&s.workspace, "auth0|schedule-alice").await;
    assert_eq!(s.minute().await, (4, who(&alice), "not due"));
    assert_eq!(s.minute().await, (5, who(&alice), "ran"));
    let bob = sign_in(&s.workspace, "auth0|schedule-bob").await;
    assert_eq!(s.minute().await, (6, who(&bob), "not due"));
    assert_eq!(
        s.minute().await,
        (7, who(&bob), "ran"),
        "Bob's five minutes from minute 2"
    );
}

#[tokio::test(start_paused = true)]
async fn background_sync_waits_while_offline_and_stops_at_sign_out() {
    let (mut s, scopes) = Schedule::start(&["auth0|schedule-offline"], false).await;
    let alice = &scopes[0];
    assert_eq!(s.next().await, (0, who(alice), "offline"));
    for minute in 1..=7 {
        assert_eq!(s.minute().await, (minute, who(alice), "offline"));
    }
    assert_eq!(s.requests(), 0, "nothing was asked of Twilio while offline");
    s.online.store(true, Ordering::SeqCst);
    assert_eq!(
        s.minute().await,
        (8, who(alice), "ran"),
        "back online, the sync that was due runs"
    );

    // A background sync that takes ten minutes starts at minute 13.
    s.delay_pages(Duration::from_secs(600));
    for minute in 9..=12 {
        assert_eq!(s.minute().await, (minute, who(alice), "not due"));
    }
    let mark = s.recorder.len();
    tokio::time::advance(CHECK_EVERY).await;
    let owner = alice.user_id().to_owned();
    let recorder = Arc::clone(&s.recorder);
    recorder
        .wait_for(mark, |e| matches!(e, Sent::Progress(o, _) if *o == owner))
        .await;
    assert!(
        s.recorder.len() > mark,
        "the background sync reports progress"
    );

    // Alice signs out while it runs: it stops, and nothing runs again until someone signs in.
    s.runner.stop().await;
    s.workspace.sign_out().await;
    let (minute, user, what) = s.next().await;
    assert_eq!(
        (minute, user, what),
        (13, who(alice), "ran, cancelled"),
        "sign-out stopped the running background sync"
    );
    let mark = s.recorder.len();
    let before = s.requests();
    for minute in 14..=30 {
        assert_eq!(s.minute().await, (minute, None, "nobody"));
    }
    assert_eq!(
        s.requests(),
        before,
        "nothing asked of Twilio after sign-out"
    );
    assert_eq!(s.recorder.len(), mark, "nothing sent after sign-out");
}
