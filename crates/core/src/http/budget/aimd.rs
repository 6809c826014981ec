//! The budget's arithmetic, apart from any waiting: additive increase, multiplicative
//! decrease (AIMD), as TCP does with its window.

/// The limit on requests in flight, and what moves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Aimd {
    /// Requests allowed in flight now: 1 ..= `ceiling`.
    pub limit: usize,
    /// The most ever allowed (the user's setting).
    pub ceiling: usize,
    /// Successes in a row since the limit last moved.
    streak: usize,
    /// Bumped at each decrease. A 429 to a request sent before the last decrease says
    /// nothing new (it was sent under the old, higher limit), so it does not halve again:
    /// a burst of refusals to one wave of requests halves the limit once.
    pub epoch: u64,
}

impl Aimd {
    pub fn new(ceiling: usize) -> Self {
        let ceiling = ceiling.max(1);
        Self {
            limit: ceiling,
            ceiling,
            streak: 0,
            epoch: 0,
        }
    }

    /// A 429 to a request sent in `epoch`: halve the limit (at least 1), once per epoch.
    /// Returns how far the limit fell.
    pub fn throttled(&mut self, epoch: u64) -> usize {
        self.streak = 0;
        if epoch != self.epoch {
            return 0;
        }
        let before = self.limit;
        self.limit = (self.limit / 2).max(1);
        self.epoch += 1;
        before - self.limit
    }

    /// A request went through. After `limit` in a row the limit grows by one, up to the
    /// ceiling, unless `crowded`: someone else on the account (another app) has more in
    /// flight than we do, so room we did not use is not ours to take. Returns whether the
    /// limit grew.
    pub fn succeeded(&mut self, crowded: bool) -> bool {
        if crowded {
            self.streak = 0;
            return false;
        }
        if self.limit >= self.ceiling {
            return false;
        }
        self.streak += 1;
        if self.streak < self.limit {
            return false;
        }
        self.streak = 0;
        self.limit += 1;
        true
    }

    /// A new ceiling (the user changed the setting): the limit starts again from it.
    pub fn set_ceiling(&mut self, ceiling: usize) {
        let ceiling = ceiling.max(1);
        if ceiling != self.ceiling {
            *self = Self {
                epoch: self.epoch + 1,
                ..Self::new(ceiling)
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_429_halves_the_limit_down_to_one() {
        let mut a = Aimd::new(16);
        let mut limits = vec![];
        for _ in 0..6 {
            let epoch = a.epoch;
            a.throttled(epoch);
            limits.push(a.limit);
        }
        assert_eq!(limits, [8, 4, 2, 1, 1, 1]);
    }

    #[test]
    fn one_wave_of_429s_halves_once() {
        let mut a = Aimd::new(16);
        let wave = a.epoch;
        assert_eq!(a.throttled(wave), 8);
        for _ in 0..11 {
            assert_eq!(a.throttled(wave), 0, "sent under the old limit");
        }
        assert_eq!(a.limit, 8);
        assert_eq!(
            a.throttled(a.epoch),
            4,
            "a request sent since then halves it again"
        );
        assert_eq!(a.limit, 4);
    }

    #[test]
    fn successes_raise_the_limit_by_one_per_limit_in_a_row_up_to_the_ceiling() {
        let mut a = Aimd::new(8);
        a.throttled(a.epoch);
        a.throttled(a.epoch);
        assert_eq!(a.limit, 2);
        let mut raised_after = vec![];
        let mut count = 0;
        while a.limit < 8 {
            count += 1;
            if a.succeeded(false) {
                raised_after.push(count);
                count = 0;
            }
        }
        assert_eq!(
            raised_after,
            [2, 3, 4, 5, 6, 7],
            "n successes in a row raise n to n+1"
        );
        for _ in 0..100 {
            assert!(!a.succeeded(false), "never above the ceiling");
        }
        assert_eq!(a.limit, 8);
    }

    #[test]
    fn a_429_or_a_crowded_account_restarts_the_count() {
        let mut a = Aimd::new(8);
        a.throttled(a.epoch);
        assert_eq!(a.limit, 4);
        for _ in 0..3 {
            assert!(!a.succeeded(false));
        }
        a.throttled(0); // an old request's 429: no halving, but the streak is broken
        assert_eq!(a.limit, 4);
        for _ in 0..3 {
            assert!(!a.succeeded(false));
        }
        assert!(
            !a.succeeded(true),
            "another app has more in flight: no raise"
        );
        for _ in 0..3 {
            assert!(!a.succeeded(false));
        }
        assert!(a.succeeded(false), "the fourth in a row raises it");
        assert_eq!(a.limit, 5);
    }

    #[test]
    fn a_new_ceiling_restarts_from_it() {
        let mut a = Aimd::new(8);
        a.throttled(a.epoch);
        let old = a.epoch;
        a.set_ceiling(8);
        assert_eq!(a.limit, 4, "the same setting changes nothing");
        a.set_ceiling(16);
        assert_eq!((a.limit, a.ceiling), (16, 16));
        assert_ne!(
            a.epoch, old,
            "429s to requests sent before do not halve the new limit"
        );
        a.set_ceiling(0);
        assert_eq!(a.limit, 1, "never below one");
    }
}
