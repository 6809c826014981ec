//! Transcriptions under way, by recording, so the UI can cancel one. A user switch cancels
//! them all (their results would land in a library nobody is looking at).

use std::collections::HashMap;
use std::sync::Mutex;

use tokio_util::sync::CancellationToken;

#[derive(Default)]
pub struct Jobs {
    running: Mutex<HashMap<String, CancellationToken>>,
}

impl Jobs {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, CancellationToken>> {
        self.running.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A token for a new job on `id`; one already running on it is cancelled.
    pub fn start(&self, id: &str) -> CancellationToken {
        let token = CancellationToken::new();
        if let Some(old) = self.lock().insert(id.to_owned(), token.clone()) {
            old.cancel();
        }
        token
    }

    pub fn finish(&self, id: &str) {
        self.lock().remove(id);
    }

    pub fn cancel(&self, id: &str) {
        if let Some(token) = self.lock().remove(id) {
            token.cancel();
        }
    }

    pub fn cancel_all(&self) {
        for (_, token) in self.lock().drain() {
            token.cancel();
        }
    }
}
