//! The budget counted, never timed: permits are polled once with a waker that does nothing,
//! and the `Retry-After` hold runs on tokio's paused clock.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use super::*;

type Acquire = Pin<Box<dyn Future<Output = Permit>>>;

fn start(budget: &Arc<Budget>) -> Acquire {
    let budget = Arc::clone(budget);
    Box::pin(async move { budget.acquire().await })
}

/// The permit if it is granted now.
fn granted(acquire: &mut Acquire) -> Option<Permit> {
    match acquire
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(permit) => Some(permit),
        Poll::Pending => None,
    }
}

/// Takes every permit granted at once (the request after them waits, and gives up).
fn take_all(budget: &Arc<Budget>) -> Vec<Permit> {
    let mut held = vec![];
    while held.len() < 64 {
        let mut next = start(budget);
        match granted(&mut next) {
            Some(p) => held.push(p),
            None => break,
        }
    }
    held
}

#[tokio::test]
async fn no_more_in_flight_than_the_limit() {
    let budget = Budget::new(4);
    let held = take_all(&budget);
    assert_eq!(held.len(), 4, "four places");
    let mut fifth = start(&budget);
    assert!(granted(&mut fifth).is_none(), "the fifth waits");
    assert_eq!(budget.stats().in_flight, 4);
    drop(held.into_iter().next());
    assert!(
        granted(&mut fifth).is_some(),
        "a place freed goes to the one waiting"
    );
    assert_eq!(budget.stats().peak_in_flight, 4);
}

#[tokio::test]
async fn a_429_halves_the_places_once_per_wave() {
    let budget = Budget::new(8);
    let held = take_all(&budget);
    assert_eq!(held.len(), 8);
    for permit in &held {
        budget.throttled(permit, None);
    }
    let stats = budget.stats();
    assert_eq!(
        (stats.limit, stats.throttled_429s),
        (4, 8),
        "eight refusals of one wave halve once"
    );
    drop(held);
    let held = take_all(&budget);
    assert_eq!(held.len(), 4, "the withdrawn places are gone once returned");
    budget.throttled(&held[0], None);
    drop(held);
    let held = take_all(&budget);
    assert_eq!(
        held.len(),
        2,
        "a refusal to a request sent since halves again"
    );
}

#[tokio::test]
async fn a_halving_while_requests_are_in_flight_withdraws_free_places_at_once() {
    let budget = Budget::new(8);
    let first = budget.acquire().await;
    budget.throttled(&first, None);
    let held = take_all(&budget);
    assert_eq!(held.len(), 3, "four places, one of them still held");
    drop(first);
}

#[tokio::test]
async fn successes_raise_the_limit_by_one_after_limit_in_a_row() {
    let budget = Budget::new(4);
    let p = budget.acquire().await;
    budget.throttled(&p, None);
    budget.throttled(&budget.acquire().await, None);
    drop(p);
    assert_eq!(budget.stats().limit, 1);
    let mut raised_after = vec![];
    let mut successes = 0;
    while budget.stats().limit < 4 && successes < 100 {
        let limit = budget.stats().limit;
        let permit = budget.acquire().await;
        budget.succeeded(&permit, None);
        successes += 1;
        if budget.stats().limit > limit {
            raised_after.push(successes);
            successes = 0;
        }
    }
    assert_eq!(raised_after, [1, 2, 3]);
    let held = take_all(&budget);
    assert_eq!(held.len(), 4, "the places came back with the limit");
    for permit in &held {
        budget.succeeded(permit, None);
    }
    assert_eq!(budget.stats().limit, 4, "never above the ceiling");
}

#[tokio::test]
async fn another_app_crowding_the_account_stops_the_raise() {
    let budget = Budget::new(4);
    budget.throttled(&budget.acquire().await, None);
    assert_eq!(budget.stats().limit, 2);
    for _ in 0..10 {
        let permit = budget.acquire().await;
        // The server counts 5 in flight on the account; we have 1.
        budget.succeeded(&permit, Some(5));
    }
    assert_eq!(
        budget.stats().limit,
        2,
        "no raise while the account is crowded"
    );
    for _ in 0..2 {
        let permit = budget.acquire().await;
        budget.succeeded(&permit, Some(1));
    }
    assert_eq!(
        budget.stats().limit,
        3,
        "counting only ours, it grows again"
    );
}

#[tokio::test(start_paused = true)]
async fn nothing_starts_before_retry_after_has_passed() {
    let budget = Budget::new(4);
    let refused = budget.acquire().await;
    budget.throttled(&refused, Some(Duration::from_secs(2)));
    drop(refused);
    let mut next = start(&budget);
    assert!(granted(&mut next).is_none(), "held while Retry-After runs");
    tokio::time::advance(Duration::from_millis(1999)).await;
    assert!(granted(&mut next).is_none(), "still held 1 ms before");
    tokio::time::advance(Duration::from_millis(1)).await;
    assert!(granted(&mut next).is_some(), "free when it has passed");
}

#[tokio::test(start_paused = true)]
async fn a_request_already_queued_also_waits_for_retry_after() {
    let budget = Budget::new(1);
    let in_flight = budget.acquire().await;
    let mut queued = start(&budget);
    assert!(granted(&mut queued).is_none());
    budget.throttled(&in_flight, Some(Duration::from_secs(1)));
    drop(in_flight);
    assert!(
        granted(&mut queued).is_none(),
        "its place came, but the hold has not passed"
    );
    tokio::time::advance(Duration::from_secs(1)).await;
    assert!(granted(&mut queued).is_some());
}

#[tokio::test]
async fn a_new_ceiling_applies_to_places_in_use() {
    let budget = Budget::new(8);
    let held = take_all(&budget);
    assert_eq!(held.len(), 8);
    budget.set_ceiling(2);
    drop(held);
    let held = take_all(&budget);
    assert_eq!(held.len(), 2);
    budget.set_ceiling(5);
    let more = take_all(&budget);
    assert_eq!(more.len(), 3, "raised at once to the new setting");
}

#[tokio::test(start_paused = true)]
async fn a_request_given_up_while_held_returns_its_place_through_the_books() {
    let budget = Budget::new(2);
    let (a, b) = (budget.acquire().await, budget.acquire().await);
    let mut queued = start(&budget);
    assert!(granted(&mut queued).is_none());
    budget.throttled(&a, Some(Duration::from_secs(1)));
    budget.set_ceiling(3);
    budget.set_ceiling(1);
    drop(a);
    // The queued request has a's place but waits out the hold; the limit is 1 with b
    // still out, so one place is owed.
    assert!(granted(&mut queued).is_none());
    drop(queued);
    assert_eq!(
        budget.stats().in_flight,
        1,
        "a request that gave up was never in flight"
    );
    tokio::time::advance(Duration::from_secs(1)).await;
    assert!(
        take_all(&budget).is_empty(),
        "b holds the only place: the given-up one paid what was owed"
    );
    drop(b);
    assert_eq!(take_all(&budget).len(), 1);
}
