//! Transcriptions under way, by recording, so the UI can cancel one. A user switch cancels
//! them all (their results would land in a library nobody is looking at).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio_util::sync::CancellationToken;

#[derive(Default)]
struct Running {
    /// Each recording's job: its serial number and its token.
    by_recording: HashMap<String, (u64, CancellationToken)>,
    next_serial: u64,
}

/// The registry of running transcriptions, one per recording at most.
#[derive(Default, Clone)]
pub struct TranscriptionJobs {
    running: Arc<Mutex<Running>>,
}

/// One transcription while it runs. Dropping it takes its token out of the registry, but
/// only its own: a newer job on the same recording keeps its token, so Cancel still
/// reaches it.
pub struct TranscriptionJob {
    running: Arc<Mutex<Running>>,
    recording: String,
    serial: u64,
    token: CancellationToken,
}

fn lock(running: &Mutex<Running>) -> MutexGuard<'_, Running> {
    running.lock().unwrap_or_else(|p| p.into_inner())
}

impl TranscriptionJobs {
    /// A new job on `id`; one already running on it is cancelled (its result would be
    /// replaced anyway).
    pub fn start(&self, id: &str) -> TranscriptionJob {
        let token = CancellationToken::new();
        let mut running = lock(&self.running);
        running.next_serial += 1;
        let serial = running.next_serial;
        if let Some((_, old)) = running
            .by_recording
            .insert(id.to_owned(), (serial, token.clone()))
        {
            old.cancel();
        }
        TranscriptionJob {
            running: Arc::clone(&self.running),
            recording: id.to_owned(),
            serial,
            token,
        }
    }

    pub fn cancel(&self, id: &str) {
        if let Some((_, token)) = lock(&self.running).by_recording.remove(id) {
            token.cancel();
        }
    }

    pub fn cancel_all(&self) {
        for (_, (_, token)) in lock(&self.running).by_recording.drain() {
            token.cancel();
        }
    }
}

impl TranscriptionJob {
    pub fn token(&self) -> &CancellationToken {
        &self.token
    }
}

impl Drop for TranscriptionJob {
    fn drop(&mut self) {
        let mut running = lock(&self.running);
        if running
            .by_recording
            .get(&self.recording)
            .is_some_and(|(serial, _)| *serial == self.serial)
        {
            running.by_recording.remove(&self.recording);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_of_a_replaced_job_leaves_the_newer_one_cancellable() {
        let jobs = TranscriptionJobs::default();
        let first = jobs.start("RE1");
        let second = jobs.start("RE1");
        assert!(
            first.token().is_cancelled(),
            "a new job on a recording replaces the old one"
        );
        // The first job now ends (it saw its cancel), after the second one started.
        drop(first);
        jobs.cancel("RE1");
        assert!(
            second.token().is_cancelled(),
            "Cancel still reaches the job that is running"
        );
    }

    #[test]
    fn a_job_that_ended_is_no_longer_listed_and_others_are_untouched() {
        let jobs = TranscriptionJobs::default();
        let one = jobs.start("RE1");
        let other = jobs.start("RE2");
        let token = one.token().clone();
        drop(one);
        jobs.cancel("RE1");
        assert!(!token.is_cancelled(), "an ended job is not cancelled later");
        assert!(!other.token().is_cancelled());
        jobs.cancel_all();
        assert!(other.token().is_cancelled(), "a switch cancels every job");
    }
}
