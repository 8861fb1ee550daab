//! Rates of shared things (a chatroom's KV operations, an ultra-group channel's sends, a
//! user's room creations), counted across the nodes of a cluster.
//!
//! Each key has a fixed window on each node. A node counts its own operations at once and
//! tells the other nodes what it counted, in batches ([`KeyedRates::take_pending`], sent
//! every [`GOSSIP_EVERY`] by the bus); they add it to their window of the key. A key's
//! operations on all nodes together therefore stay within its limit, give or take what the
//! other nodes accepted during the last batch interval and transit. This is the
//! asynchronous global mode of distributed rate limiters: no round trip per operation. On
//! one node nothing is pending and the counts are exact.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How often the operations counted here are told to the other nodes.
pub(crate) const GOSSIP_EVERY: Duration = Duration::from_millis(50);
/// Keys whose window is kept at most; beyond it the stale windows are dropped, and when
/// all of them are current a further key is let through uncounted rather than growing the
/// map.
const MAX_KEYS: usize = 65_536;

/// A fixed window of one key.
struct Window {
    start: Instant,
    length: Duration,
    count: u32,
}

impl Window {
    fn current(&mut self, now: Instant) -> &mut Self {
        if now.duration_since(self.start) >= self.length {
            self.start = now;
            self.count = 0;
        }
        self
    }
}

/// Keyed fixed-window counts, shared with the other nodes on a cluster (see the module
/// docs).
#[derive(Default)]
pub(crate) struct KeyedRates {
    windows: Mutex<Windows>,
    /// Operations counted here and not yet told: key → (count, window ms).
    pending: Mutex<HashMap<String, (u32, u64)>>,
    /// Other nodes may exist: remember what to tell them.
    shared: AtomicBool,
}

/// The windows, and when the stale ones were last dropped.
#[derive(Default)]
struct Windows {
    map: HashMap<String, Window>,
    swept: Option<Instant>,
}

impl Windows {
    /// Makes room for one more key; false when the map is full of current windows. Swept
    /// at most once a second: a flood of new keys costs no scan each.
    fn make_room(&mut self, now: Instant) -> bool {
        if self.map.len() < MAX_KEYS {
            return true;
        }
        if self
            .swept
            .is_none_or(|t| now.duration_since(t) >= Duration::from_secs(1))
        {
            self.swept = Some(now);
            self.map
                .retain(|_, w| now.duration_since(w.start) < w.length);
        }
        self.map.len() < MAX_KEYS
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl KeyedRates {
    /// Counts for the other nodes of a cluster from now on.
    pub(crate) fn share(&self) {
        self.shared.store(true, Ordering::Relaxed);
    }

    /// Counts one operation of `key` now; false when the key's current `window` holds
    /// `limit` already (0 = unlimited).
    pub(crate) fn try_take(&self, key: &str, limit: u32, window: Duration) -> bool {
        self.try_take_at(key, limit, window, Instant::now())
    }

    /// [`Self::try_take`] at `now`.
    pub(crate) fn try_take_at(
        &self,
        key: &str,
        limit: u32,
        window: Duration,
        now: Instant,
    ) -> bool {
        if limit == 0 {
            return true;
        }
        {
            let mut windows = lock(&self.windows);
            if !windows.map.contains_key(key) && !windows.make_room(now) {
                return true;
            }
            let w = windows
                .map
                .entry(key.to_owned())
                .or_insert(Window {
                    start: now,
                    length: window,
                    count: 0,
                })
                .current(now);
            if w.count >= limit {
                return false;
            }
            w.count += 1;
        }
        if self.shared.load(Ordering::Relaxed) {
            let mut pending = lock(&self.pending);
            let e = pending
                .entry(key.to_owned())
                .or_insert((0, window.as_millis() as u64));
            e.0 += 1;
        }
        true
    }

    /// The operations counted here since the last call, for the other nodes: (key, count,
    /// window ms).
    pub(crate) fn take_pending(&self) -> Vec<(String, u32, u64)> {
        std::mem::take(&mut *lock(&self.pending))
            .into_iter()
            .map(|(k, (n, ms))| (k, n, ms))
            .collect()
    }

    /// Operations another node counted: added to this node's current windows.
    pub(crate) fn add_remote(&self, hits: Vec<(String, u32, u64)>) {
        let now = Instant::now();
        let mut windows = lock(&self.windows);
        for (key, n, ms) in hits {
            if !windows.map.contains_key(&key) && !windows.make_room(now) {
                continue;
            }
            let w = windows
                .map
                .entry(key)
                .or_insert(Window {
                    start: now,
                    length: Duration::from_millis(ms.clamp(1, 3_600_000)),
                    count: 0,
                })
                .current(now);
            w.count = w.count.saturating_add(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    /// A key's window holds `limit` operations, then refuses until the next window; keys
    /// are apart; 0 is unlimited.
    #[test]
    fn a_window_holds_its_limit() {
        let rates = KeyedRates::default();
        let t = Instant::now();
        assert!((0..3).all(|_| rates.try_take_at("a", 3, SECOND, t)));
        assert!(!rates.try_take_at("a", 3, SECOND, t));
        assert!(rates.try_take_at("b", 3, SECOND, t), "another key");
        assert!(
            rates.try_take_at("a", 3, SECOND, t + SECOND),
            "the next window"
        );
        assert!((0..100).all(|_| rates.try_take_at("c", 0, SECOND, t)));
        assert!(
            rates.take_pending().is_empty(),
            "nothing to tell on one node"
        );
    }

    /// The windows kept never pass their bound: a key beyond it is let through uncounted
    /// while every window is current, and counted again once the stale ones are swept.
    #[test]
    fn windows_are_bounded() {
        let rates = KeyedRates::default();
        let t = Instant::now();
        for i in 0..MAX_KEYS {
            assert!(rates.try_take_at(&format!("k{i}"), 1, SECOND, t));
        }
        assert!(
            !rates.try_take_at("k0", 1, SECOND, t),
            "a tracked key is limited"
        );
        assert!(rates.try_take_at("new", 1, SECOND, t));
        assert!(
            rates.try_take_at("new", 1, SECOND, t),
            "untracked while full"
        );
        assert_eq!(lock(&rates.windows).map.len(), MAX_KEYS);
        let later = t + 2 * SECOND;
        assert!(rates.try_take_at("new", 1, SECOND, later));
        assert!(
            !rates.try_take_at("new", 1, SECOND, later),
            "tracked after the sweep"
        );
        assert_eq!(lock(&rates.windows).map.len(), 1);
    }

    /// On a cluster, what one node counted fills the other's window of the same key.
    #[test]
    fn operations_of_other_nodes_count() {
        let (a, b) = (KeyedRates::default(), KeyedRates::default());
        a.share();
        b.share();
        assert!((0..4).all(|_| a.try_take("k", 5, SECOND)));
        let told = a.take_pending();
        assert_eq!(told, [("k".to_string(), 4, 1000)]);
        assert!(a.take_pending().is_empty(), "told once");
        b.add_remote(told);
        assert!(b.try_take("k", 5, SECOND), "the fifth");
        assert!(!b.try_take("k", 5, SECOND), "the sixth of the cluster");
        assert!(b.try_take("other", 5, SECOND));
    }
}
