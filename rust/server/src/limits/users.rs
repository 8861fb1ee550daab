//! Per-user rates: one sliding-window limiter per user, shared by all of that user's
//! connections (a user with many sessions gets no more than one with a single session).
//! A user's limiter lives while one of their connections holds it.
//!
//! On a cluster a user may have sessions on several nodes: once a node knows that (a
//! device of the user online elsewhere at login, or a login elsewhere later), it tells the
//! other nodes what the user did ([`UserRates::take_pending`], sent with the keyed rates'
//! batches, see [`super::keyed`]) and counts what they tell it in the user's windows.

use super::SlidingWindow;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Instant;

/// Sends and requests counted here and not yet told, by user.
type Pending = Arc<Mutex<HashMap<String, (u32, u32)>>>;

/// The limiters of the users online.
#[derive(Default)]
pub(crate) struct UserRates {
    users: Mutex<HashMap<String, Weak<UserRate>>>,
    /// Users known to have sessions on other nodes too.
    spread: Mutex<HashSet<String>>,
    pending: Pending,
}

/// One user's limits across connections: sends, and other state-changing requests.
pub(crate) struct UserRate {
    user: String,
    sends: Mutex<SlidingWindow>,
    requests: Mutex<SlidingWindow>,
    /// The user has sessions on other nodes: what is counted here is told to them.
    spread: AtomicBool,
    pending: Pending,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl UserRate {
    /// True (and counted) if one more send fits the user's rate.
    pub(crate) fn try_send(&self) -> bool {
        let ok = lock(&self.sends).try_acquire();
        if ok {
            self.tell(1, 0);
        }
        ok
    }

    /// True (and counted) if one more non-send request fits the user's rate.
    pub(crate) fn try_request(&self) -> bool {
        let ok = lock(&self.requests).try_acquire();
        if ok {
            self.tell(0, 1);
        }
        ok
    }

    fn tell(&self, sends: u32, requests: u32) {
        if self.spread.load(Ordering::Relaxed) {
            let mut pending = lock(&self.pending);
            let e = pending.entry(self.user.clone()).or_default();
            e.0 += sends;
            e.1 += requests;
        }
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
            user: user_id.to_owned(),
            sends: window(sends),
            requests: window(requests),
            spread: AtomicBool::new(lock(&self.spread).contains(user_id)),
            pending: self.pending.clone(),
        });
        // Forget the users gone since the map last doubled: amortised, bounded by the online.
        if users.len() >= 64 && users.len().is_power_of_two() {
            users.retain(|_, w| w.strong_count() > 0);
            lock(&self.spread).retain(|u| users.contains_key(u));
        }
        users.insert(user_id.to_owned(), Arc::downgrade(&rate));
        rate
    }

    /// `user_id` has sessions on another node too: from now on their rates are told to the
    /// other nodes.
    pub(crate) fn mark_spread(&self, user_id: &str) {
        lock(&self.spread).insert(user_id.to_owned());
        if let Some(rate) = lock(&self.users).get(user_id).and_then(Weak::upgrade) {
            rate.spread.store(true, Ordering::Relaxed);
        }
    }

    /// Whether `user_id` is known to have sessions on another node too.
    pub(crate) fn is_spread(&self, user_id: &str) -> bool {
        lock(&self.spread).contains(user_id)
    }

    /// (user, sends, requests) counted here since the last call, for the other nodes.
    pub(crate) fn take_pending(&self) -> Vec<(String, u32, u32)> {
        std::mem::take(&mut *lock(&self.pending))
            .into_iter()
            .map(|(u, (s, r))| (u, s, r))
            .collect()
    }

    /// Sends and requests of users counted on another node: they fill the windows here of
    /// the users online here.
    pub(crate) fn add_remote(&self, hits: Vec<(String, u32, u32)>) {
        let now = Instant::now();
        let users = lock(&self.users);
        for (user, sends, requests) in hits {
            if let Some(rate) = users.get(&user).and_then(Weak::upgrade) {
                // Both ways now: a user active on two nodes is spread.
                rate.spread.store(true, Ordering::Relaxed);
                lock(&rate.sends).record_many(now, sends);
                lock(&rate.requests).record_many(now, requests);
            }
        }
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

    /// A user with sessions on two nodes: each node tells what it counted, and the other
    /// counts it toward the user's window; a user on one node costs no telling.
    #[test]
    fn a_spread_user_is_counted_on_every_node() {
        let (a, b) = (UserRates::default(), UserRates::default());
        let (ua, ub) = (a.get("u", 3, 0), b.get("u", 3, 0));
        assert!(ua.try_send());
        assert!(a.take_pending().is_empty(), "not known elsewhere yet");
        drop(ua);
        let a = UserRates::default();
        a.mark_spread("u");
        let ua = a.get("u", 3, 0);
        assert!(ua.try_send() && ua.try_send());
        let told = a.take_pending();
        assert_eq!(told, [("u".to_string(), 2, 0)]);
        b.add_remote(told);
        assert!(ub.try_send(), "the third of the user's");
        assert!(
            !ub.try_send(),
            "the fourth is one too many across the nodes"
        );
        b.add_remote(vec![("nobody".into(), 5, 5)]);
    }
}
