//! The per-user upload quota: a byte budget per user per window, so that a signed-in hostile
//! client cannot fill the disk by asking for ticket after ticket.
//!
//! A token bucket of `bytes` that refills at `bytes` per `window`, kept in its GCRA form: one
//! instant per user (the "theoretical arrival time", when the bucket would be full again), so
//! refills need no timer and lose no fractions. A charge of `size` bytes costs
//! `window × size / bytes` of time and is accepted when the bucket's debt plus that cost stays
//! within `window`. A user can thus take at most `bytes` at once and, over any window, at most
//! twice that (a full bucket, then what refills meanwhile); in the long run `bytes` per window.
//!
//! The budget is in memory and per process: a restart gives everyone a full bucket again, and
//! each node of a cluster keeps its own.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Users tracked before the first prune. Beyond, the map is pruned whenever it doubles (an
/// amortised O(1) cost per charge).
const MIN_PRUNE_AT: usize = 1024;

/// Per-user byte budgets; 0 bytes = unlimited.
pub(crate) struct UploadQuota {
    bytes: u64,
    window: Duration,
    state: Mutex<Buckets>,
}

/// When each user's bucket is full again; users whose bucket is already full are absent.
struct Buckets {
    full_at: HashMap<String, Instant>,
    prune_at: usize,
}

/// The longest window taken (longer configured ones are cut to it).
pub(crate) const MAX_WINDOW: Duration = Duration::from_secs(365 * 24 * 3600);

impl UploadQuota {
    /// At most `bytes` per user at once, refilled at `bytes` per `window`; 0 bytes or a zero
    /// window = unlimited.
    pub(crate) fn new(bytes: u64, window: Duration) -> Self {
        Self {
            bytes,
            // Longer windows would only overflow the arithmetic below; a year is already no
            // refill in practice.
            window: window.min(MAX_WINDOW),
            state: Mutex::new(Buckets {
                full_at: HashMap::new(),
                prune_at: MIN_PRUNE_AT,
            }),
        }
    }

    /// Whether the quota limits anything.
    pub(crate) fn is_limited(&self) -> bool {
        self.bytes > 0 && !self.window.is_zero()
    }

    /// Takes `size` bytes from `user_id`'s budget at time `now`: true when they fit (and are
    /// charged), false when they do not (nothing charged). A size over the whole budget never
    /// fits.
    pub(crate) fn try_charge(&self, user_id: &str, size: u64, now: Instant) -> bool {
        if !self.is_limited() {
            return true;
        }
        if size > self.bytes {
            return false;
        }
        let window = self.window.as_nanos();
        // size ≤ bytes, so the cost is at most the window and fits a u64 of nanoseconds as
        // a Duration does.
        let cost_nanos = window * u128::from(size) / u128::from(self.bytes);
        let cost = Duration::from_nanos(u64::try_from(cost_nanos).unwrap_or(u64::MAX));
        // A poisoned lock only means another charge panicked mid-way; the map stays usable.
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let full_at = state.full_at.get(user_id).copied().unwrap_or(now).max(now);
        let Some(new_full_at) = full_at.checked_add(cost) else {
            return false;
        };
        if new_full_at.duration_since(now) > self.window {
            return false;
        }
        state.full_at.insert(user_id.to_owned(), new_full_at);
        state.prune(now);
        true
    }

    /// Users tracked (whose bucket is not known to be full).
    #[cfg(test)]
    fn tracked(&self) -> usize {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.full_at.len()
    }
}

impl Buckets {
    /// Drops the users whose bucket is full again (as if absent) once the map has grown to
    /// `prune_at`: memory stays proportional to the users who uploaded in the last window.
    fn prune(&mut self, now: Instant) {
        if self.full_at.len() < self.prune_at {
            return;
        }
        self.full_at.retain(|_, full_at| *full_at > now);
        self.prune_at = (self.full_at.len() * 2).max(MIN_PRUNE_AT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);

    #[test]
    fn a_user_gets_the_budget_at_once_then_what_refills() {
        let q = UploadQuota::new(1000, HOUR);
        let t0 = Instant::now();
        assert!(q.try_charge("u", 600, t0));
        assert!(!q.try_charge("u", 600, t0), "600 + 600 > 1000");
        assert!(q.try_charge("u", 400, t0));
        assert!(!q.try_charge("u", 1, t0));
        assert!(
            q.try_charge("v", 1000, t0),
            "each user has their own budget"
        );
        // A tenth of the window refills a tenth of the budget.
        assert!(!q.try_charge("u", 101, t0 + HOUR / 10));
        assert!(q.try_charge("u", 100, t0 + HOUR / 10));
        // A full window after the last charge, the bucket is full again.
        assert!(q.try_charge("u", 1000, t0 + HOUR / 10 + HOUR));
        assert!(
            !q.try_charge("w", 1001, t0),
            "over the whole budget never fits"
        );
    }

    #[test]
    fn many_small_charges_add_up_exactly() {
        let q = UploadQuota::new(1000, HOUR);
        let t0 = Instant::now();
        assert!((0..1000).all(|_| q.try_charge("u", 1, t0)));
        assert!(!q.try_charge("u", 1, t0));
        // Refills do not lose fractions however often the user asks.
        let step = HOUR / 1000;
        assert!((1..=1000).all(|i| q.try_charge("u", 1, t0 + step * i)));
    }

    #[test]
    fn an_absurd_window_is_a_year_and_still_adds_up() {
        let q = UploadQuota::new(10, Duration::MAX);
        let t0 = Instant::now();
        assert!((0..10).all(|_| q.try_charge("u", 1, t0)));
        assert!(!q.try_charge("u", 1, t0));
        assert!(q.try_charge("u", 10, t0 + MAX_WINDOW));
    }

    #[test]
    fn zero_means_unlimited() {
        let t0 = Instant::now();
        for q in [
            UploadQuota::new(0, HOUR),
            UploadQuota::new(10, Duration::ZERO),
        ] {
            assert!(!q.is_limited());
            assert!((0..10).all(|_| q.try_charge("u", u64::MAX, t0)));
            assert_eq!(q.tracked(), 0);
        }
    }

    #[test]
    fn users_with_a_full_bucket_are_forgotten() {
        let q = UploadQuota::new(1000, HOUR);
        let t0 = Instant::now();
        for i in 0..MIN_PRUNE_AT - 1 {
            assert!(q.try_charge(&format!("u{i}"), 10, t0));
        }
        assert_eq!(q.tracked(), MIN_PRUNE_AT - 1);
        // An hour later every bucket is full: the charge that reaches the threshold prunes.
        let later = t0 + HOUR;
        assert!(q.try_charge("late", 10, later));
        assert_eq!(q.tracked(), 1);
        // Still-draining buckets are kept, and the next prune waits until the map doubles.
        for i in 0..2 * MIN_PRUNE_AT {
            assert!(q.try_charge(&format!("v{i}"), 10, later));
        }
        assert_eq!(q.tracked(), 2 * MIN_PRUNE_AT + 1);
        assert!(!q.try_charge("late", 991, later), "its charge was kept");
    }
}
