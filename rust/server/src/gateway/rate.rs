//! Rate limits of a connection: its own sliding window, and its user's shared across the
//! user's connections ([`crate::limits::UserRates`]).

use crate::limits::{SlidingWindow, UserRate};
use std::sync::Arc;
use std::time::Instant;

/// Which of the user's shared windows a limiter also counts against.
#[derive(Clone, Copy)]
pub(crate) enum UserWindow {
    Sends,
    Requests,
}

/// Sliding-window limit on accepted requests of one connection, and optionally of its user.
pub(crate) struct RateLimiter {
    window: SlidingWindow,
    user: Option<(Arc<UserRate>, UserWindow)>,
}

impl RateLimiter {
    /// At most `per_sec` accepted requests in any sliding second; 0 = unlimited.
    pub(crate) fn new(per_sec: u32) -> Self {
        Self {
            window: SlidingWindow::new(per_sec),
            user: None,
        }
    }

    /// The same limit, and also `user`'s `window` (shared with their other connections).
    /// A connection without a limit of its own (0) is not held to the user's either.
    pub(crate) fn with_user(mut self, user: Arc<UserRate>, window: UserWindow) -> Self {
        if !self.window.is_unlimited() {
            self.user = Some((user, window));
        }
        self
    }

    /// True (and counted) if one more request fits in the last second.
    pub(crate) fn try_acquire(&mut self) -> bool {
        if self.window.is_unlimited() {
            return true;
        }
        let now = Instant::now();
        if !self.window.has_room(now) {
            return false;
        }
        let user_ok = match &self.user {
            None => true,
            Some((u, UserWindow::Sends)) => u.try_send(),
            Some((u, UserWindow::Requests)) => u.try_request(),
        };
        if user_ok {
            self.window.record(now);
        }
        user_ok
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

    #[test]
    fn the_users_window_is_shared_by_connections() {
        let rates = crate::limits::UserRates::default();
        let conn = || RateLimiter::new(3).with_user(rates.get("u", 4, 0), UserWindow::Sends);
        let (mut a, mut b) = (conn(), conn());
        assert!((0..3).all(|_| a.try_acquire()));
        assert!(!a.try_acquire(), "the connection's own limit");
        assert!(b.try_acquire());
        assert!(!b.try_acquire(), "the user's limit (4) across both");
    }
}
