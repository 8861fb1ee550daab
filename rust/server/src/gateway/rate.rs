//! Per-connection rate limits.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// Sliding-window limit on accepted requests of one connection.
pub(crate) struct RateLimiter {
    per_sec: usize,
    accepted: VecDeque<Instant>,
}

impl RateLimiter {
    /// At most `per_sec` accepted requests in any sliding second; 0 = unlimited.
    pub(crate) fn new(per_sec: u32) -> Self {
        Self {
            per_sec: per_sec as usize,
            accepted: VecDeque::new(),
        }
    }

    /// True (and counted) if one more request fits in the last second.
    pub(crate) fn try_acquire(&mut self) -> bool {
        if self.per_sec == 0 {
            return true;
        }
        let now = Instant::now();
        while let Some(&t) = self.accepted.front() {
            if now.duration_since(t) >= Duration::from_secs(1) {
                self.accepted.pop_front();
            } else {
                break;
            }
        }
        if self.accepted.len() < self.per_sec {
            self.accepted.push_back(now);
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_counts_accepted_requests_only() {
        let mut l = RateLimiter::new(2);
        assert!(l.try_acquire());
        assert!(l.try_acquire());
        assert!(!l.try_acquire());
        assert!(!l.try_acquire());
        let mut unlimited = RateLimiter::new(0);
        assert!((0..1000).all(|_| unlimited.try_acquire()));
    }
}
