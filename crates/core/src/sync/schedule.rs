//! The background sync. Every minute the schedule looks at whoever is signed in: when they
//! are online, asked for background sync, and their interval has passed since their last
//! sync started (by the button or by the schedule, timed per user, so a switch of user
//! neither resets nor lends anyone's timing), it runs one through the runner. It never runs
//! beside another sync, and nothing runs while nobody is signed in. Time is tokio's, so
//! tests move it with a paused clock.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::{Instant, MissedTickBehavior};

use super::{SyncResult, SyncRunner, SyncTrigger};
use crate::connection::{load_settings, new_recordings_notice};
use crate::{Error, UserScope};

/// How often the schedule looks whether a sync is due.
pub const CHECK_EVERY: Duration = Duration::from_secs(60);

/// What one look decided.
#[derive(Debug)]
pub enum Tick {
    NobodySignedIn,
    Offline,
    /// The user has background sync off.
    Off,
    NotDue,
    /// Another sync runs.
    Busy,
    NotConnected,
    /// A background sync ran; `notice` is the desktop notification to show, if any.
    Ran {
        result: SyncResult,
        notice: Option<(String, String)>,
    },
    Failed(Error),
}

/// One look: when (the schedule's own instant), whose turn it was, and what it decided.
#[derive(Debug)]
pub struct Check {
    pub at: Instant,
    /// The signed-in user's account key.
    pub user: Option<String>,
    pub tick: Tick,
}

/// Runs the schedule for as long as the app runs. `current` says who is signed in, `online`
/// whether the network is there, and `on_check` gets every look (the shell logs them and
/// shows the notifications).
pub async fn run_background(
    runner: Arc<SyncRunner>,
    current: impl Fn() -> Option<UserScope>,
    online: impl Fn() -> bool,
    mut on_check: impl FnMut(Check),
) {
    let mut ticks = tokio::time::interval(CHECK_EVERY);
    // After a long sync, the next look falls on the minute grid again, not in a burst.
    ticks.set_missed_tick_behavior(MissedTickBehavior::Skip);
    loop {
        let at = ticks.tick().await;
        let scope = current();
        let tick = match &scope {
            None => Tick::NobodySignedIn,
            Some(_) if !online() => Tick::Offline,
            Some(scope) => look(&runner, scope, at).await,
        };
        on_check(Check {
            at,
            user: scope.map(|s| s.user_id().to_owned()),
            tick,
        });
    }
}

async fn look(runner: &SyncRunner, scope: &UserScope, at: Instant) -> Tick {
    let settings = match load_settings(scope).await {
        Ok(settings) => settings,
        Err(error) => return Tick::Failed(error),
    };
    let Some(minutes) = settings.background_minutes else {
        return Tick::Off;
    };
    let every = Duration::from_secs(u64::from(minutes) * 60);
    let due = runner
        .last_started(scope.user_id())
        .is_none_or(|last| at.saturating_duration_since(last) >= every);
    if !due {
        return Tick::NotDue;
    }
    if runner.is_running() {
        return Tick::Busy;
    }
    match runner.run_at(scope, SyncTrigger::Background, at).await {
        Ok(result) => {
            let notice = new_recordings_notice(&result, &settings);
            Tick::Ran { result, notice }
        }
        Err(Error::SyncInProgress) => Tick::Busy,
        Err(Error::TwilioNotConnected) => Tick::NotConnected,
        Err(error) => Tick::Failed(error),
    }
}
