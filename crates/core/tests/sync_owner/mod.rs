//! What the sync runner tests share: a recorder of the runner's events (as the shell would
//! forward them to the window), and a signed-in user connected to the loopback Twilio fake.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use calldeck_core::connection::TwilioCredentialsInput;
use calldeck_core::session::VerifiedIdentity;
use calldeck_core::sync::{SyncEvents, SyncProgress, SyncResult, SyncRunner};
use calldeck_core::twilio::ClientConfig;
use calldeck_core::{UserScope, Workspace};
use tokio::sync::Notify;

use crate::common::NOW_MS;
use crate::support::twilio_fake::{ACCOUNT_SID, AUTH_TOKEN};

/// One event the runner sent, with its owner (the account key of the user whose sync it is).
#[derive(Debug, Clone)]
pub enum Sent {
    Progress(String, SyncProgress),
    Finished(String, SyncResult),
}

impl Sent {
    pub fn owner(&self) -> &str {
        match self {
            Sent::Progress(owner, _) | Sent::Finished(owner, _) => owner,
        }
    }
}

/// Every event the runner sent, in order.
#[derive(Default)]
pub struct Recorder {
    sent: Mutex<Vec<Sent>>,
    changed: Notify,
}

impl Recorder {
    pub fn sent(&self) -> Vec<Sent> {
        self.sent.lock().expect("events").clone()
    }

    pub fn len(&self) -> usize {
        self.sent.lock().expect("events").len()
    }

    /// Waits until an event sent since the first `from` satisfies `what`.
    pub async fn wait_for(&self, from: usize, what: impl Fn(&Sent) -> bool) {
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            let seen = self
                .sent
                .lock()
                .expect("events")
                .iter()
                .skip(from)
                .any(&what);
            if seen {
                return;
            }
            changed.await;
        }
    }

    fn push(&self, sent: Sent) {
        self.sent.lock().expect("events").push(sent);
        self.changed.notify_waiters();
    }
}

impl SyncEvents for Recorder {
    fn progress(&self, owner: &str, progress: &SyncProgress) {
        self.push(Sent::Progress(owner.to_owned(), progress.clone()));
    }

    fn finished(&self, owner: &str, result: &SyncResult) {
        self.push(Sent::Finished(owner.to_owned(), result.clone()));
    }
}

/// The Twilio client's settings for the fake. Timeouts are far beyond anything a test waits:
/// under a paused clock a request in flight must not time out while the test moves time on.
pub fn patient_config(base_url: &str) -> ClientConfig {
    ClientConfig {
        base_url: base_url.into(),
        request_timeout: Duration::from_secs(24 * 3600),
        media_timeout: Duration::from_secs(24 * 3600),
        backoff_base: Duration::from_millis(1),
        backoff_max: Duration::from_millis(20),
        ..ClientConfig::default()
    }
}

pub fn runner(base_url: &str) -> (Arc<SyncRunner>, Arc<Recorder>) {
    let recorder = Arc::new(Recorder::default());
    let events: Arc<dyn SyncEvents> = recorder.clone();
    (
        Arc::new(SyncRunner::new(patient_config(base_url), events)),
        recorder,
    )
}

/// Signs `subject` in to `workspace` (whoever was signed in before is signed out).
pub async fn sign_in(workspace: &Workspace, subject: &str) -> UserScope {
    workspace
        .sign_in(VerifiedIdentity::for_tests(subject), NOW_MS)
        .await
        .expect("sign in")
}

/// Saves the fake's credentials for the user, checked with the fake as the settings page does.
pub async fn connect(runner: &SyncRunner, scope: &UserScope) {
    runner
        .connection(scope)
        .await
        .expect("credential store")
        .connect(
            scope,
            TwilioCredentialsInput::AuthToken {
                account_sid: ACCOUNT_SID.into(),
                auth_token: AUTH_TOKEN.into(),
            },
        )
        .await
        .expect("connect Twilio");
}
