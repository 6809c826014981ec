//! One concurrency budget per remote account: how many requests may be in flight at once,
//! lowered when the server refuses for too many (429) and raised slowly while it does not.
//! Every request takes a [`Permit`] first and holds it until its answer has been read; the
//! queue of waiting requests is a tokio [`Semaphore`] (first come, first served) whose
//! permits are added or withdrawn as the limit moves.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde::Serialize;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

mod aimd;
mod registry;

use aimd::Aimd;
pub(crate) use registry::for_account;

/// What the budget has seen, for the user and the benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BudgetStats {
    /// 429 answers (too many requests) received.
    pub throttled_429s: u64,
    /// The most requests ever in flight at once.
    pub peak_in_flight: u32,
    /// Requests allowed in flight now.
    pub limit: u32,
    /// Requests in flight now.
    pub in_flight: u32,
}

pub struct Budget {
    queue: Arc<Semaphore>,
    state: Mutex<State>,
}

struct State {
    aimd: Aimd,
    /// Permits to withdraw as they come back: the limit fell below what was handed out.
    debt: usize,
    in_flight: usize,
    peak: usize,
    throttled: u64,
    /// No request starts before this (the server's `Retry-After`).
    hold_until: Option<Instant>,
}

/// Leave to have one request in flight. Dropping it ends the request's share.
pub struct Permit {
    budget: Arc<Budget>,
    queued: Option<OwnedSemaphorePermit>,
    epoch: u64,
    /// Counted in flight (false while it still waits out a `Retry-After`).
    counted: bool,
}

impl std::fmt::Debug for Permit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Permit")
            .field("epoch", &self.epoch)
            .finish()
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut state = self.budget.lock();
        if self.counted {
            state.in_flight = state.in_flight.saturating_sub(1);
        }
        // Given up while waiting, or done: either way its place pays what is owed first.
        if let Some(queued) = self.queued.take() {
            if state.debt > 0 {
                state.debt -= 1;
                queued.forget();
            }
        }
    }
}

impl Budget {
    /// A budget of at most `ceiling` requests in flight (at least one).
    pub fn new(ceiling: usize) -> Arc<Self> {
        let aimd = Aimd::new(ceiling);
        Arc::new(Self {
            queue: Arc::new(Semaphore::new(aimd.limit)),
            state: Mutex::new(State {
                aimd,
                debt: 0,
                in_flight: 0,
                peak: 0,
                throttled: 0,
                hold_until: None,
            }),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits for a place in flight, and for any `Retry-After` the server asked for to pass.
    pub async fn acquire(self: &Arc<Self>) -> Permit {
        self.hold().await;
        // The semaphore is never closed; if it were, requests would go unlimited.
        let queued = Arc::clone(&self.queue).acquire_owned().await.ok();
        // Held as a permit at once, so that a request given up from here on returns its
        // place through the budget's books.
        let mut permit = Permit {
            budget: Arc::clone(self),
            queued,
            epoch: 0,
            counted: false,
        };
        // A 429 may have come while this one queued.
        self.hold().await;
        let mut state = self.lock();
        state.in_flight += 1;
        state.peak = state.peak.max(state.in_flight);
        permit.epoch = state.aimd.epoch;
        permit.counted = true;
        drop(state);
        permit
    }

    async fn hold(&self) {
        loop {
            let until = self.lock().hold_until;
            match until {
                Some(at) if at > Instant::now() => tokio::time::sleep_until(at).await,
                _ => return,
            }
        }
    }

    /// The request of `permit` was refused for too many requests: the limit halves (once
    /// per wave of refusals) and no request starts before `wait` has passed.
    pub fn throttled(&self, permit: &Permit, wait: Option<Duration>) {
        let mut state = self.lock();
        state.throttled += 1;
        let fell = state.aimd.throttled(permit.epoch);
        state.debt += fell;
        self.settle(&mut state);
        if let Some(wait) = wait {
            let until = Instant::now() + wait;
            state.hold_until = Some(state.hold_until.map_or(until, |h| h.max(until)));
        }
        if fell > 0 {
            tracing::debug!(
                limit = state.aimd.limit,
                "too many requests: the budget halved"
            );
        }
    }

    /// The request of `permit` went through. `reported` is the server's count of the
    /// account's requests in flight (`Twilio-Concurrent-Requests`), if it sent one.
    pub fn succeeded(&self, _permit: &Permit, reported: Option<usize>) {
        let mut state = self.lock();
        let crowded = reported.is_some_and(|r| r > state.in_flight);
        if state.aimd.succeeded(crowded) {
            self.give(&mut state, 1);
        }
    }

    /// A new ceiling (the user's setting); the limit starts again from it.
    pub fn set_ceiling(&self, ceiling: usize) {
        let mut state = self.lock();
        let before = state.aimd.limit;
        state.aimd.set_ceiling(ceiling);
        let after = state.aimd.limit;
        if after > before {
            self.give(&mut state, after - before);
        } else {
            state.debt += before - after;
            self.settle(&mut state);
        }
    }

    /// The ceiling: the most requests ever allowed in flight at once.
    pub fn ceiling(&self) -> usize {
        self.lock().aimd.ceiling
    }

    pub fn stats(&self) -> BudgetStats {
        let state = self.lock();
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        BudgetStats {
            throttled_429s: state.throttled,
            peak_in_flight: n(state.peak),
            limit: n(state.aimd.limit),
            in_flight: n(state.in_flight),
        }
    }

    /// `n` more places: first cancelling debt, then new permits.
    fn give(&self, state: &mut State, n: usize) {
        let cancelled = n.min(state.debt);
        state.debt -= cancelled;
        self.queue.add_permits(n - cancelled);
    }

    /// Withdraws what is owed from the permits nobody holds now; the rest as they return.
    fn settle(&self, state: &mut State) {
        let withdrawn = self.queue.forget_permits(state.debt);
        state.debt -= withdrawn;
    }
}

#[cfg(test)]
mod tests;
