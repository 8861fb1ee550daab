//! Per-user rates: one sliding-window limiter per user, shared by all of that user's
//! connections (a user with many sessions gets no more than one with a single session).
//! A user's limiter lives while one of their connections holds it.

use super::SlidingWindow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

/// The limiters of the users online.
#[derive(Default)]
pub(crate) struct UserRates {
    users: Mutex<HashMap<String, Weak<UserRate>>>,
}

/// One user's limits across connections: sends, and other state-changing requests.
pub(crate) struct UserRate {
    sends: Mutex<SlidingWindow>,
    requests: Mutex<SlidingWindow>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl UserRate {
    /// True (and counted) if one more send fits the user's rate.
    pub(crate) fn try_send(&self) -> bool {
        lock(&self.sends).try_acquire()
    }

    /// True (and counted) if one more non-send request fits the user's rate.
    pub(crate) fn try_request(&self) -> bool {
        lock(&self.requests).try_acquire()
    }
}

impl UserRates {
    /// `user_id`'s limiter (shared with their other connections), created with these rates
    /// when none of their connections holds one.
    pub(crate) fn get(&self, user_id: &str, sends: u32, requests: u32) -> Arc<UserRate> {
        let mut users = lock(&self.users);
        if let Some(rate) = users.get(user_id).and_then(Weak::upgrade) {
            return rate;
        }
        let window = |n: u32| Mutex::new(SlidingWindow::new(n));
        let rate = Arc::new(UserRate {
            sends: window(sends),
            requests: window(requests),
        });
        // Forget the users gone since the map last doubled: amortised, bounded by the online.
        if users.len() >= 64 && users.len().is_power_of_two() {
            users.retain(|_, w| w.strong_count() > 0);
        }
        users.insert(user_id.to_owned(), Arc::downgrade(&rate));
        rate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_of_one_user_share_a_limiter() {
        let rates = UserRates::default();
        let a = rates.get("u", 2, 0);
        let b = rates.get("u", 2, 0);
        assert!(a.try_send() && b.try_send());
        assert!(!a.try_send() && !b.try_send());
        assert!((0..100).all(|_| b.try_request()), "0 = unlimited");
        assert!(rates.get("v", 2, 0).try_send(), "another user");
        drop((a, b));
        assert!(
            rates.get("u", 2, 0).try_send(),
            "a new limiter once all left"
        );
    }
}
