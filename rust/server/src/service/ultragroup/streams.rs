//! What the channel streams keep in memory: each channel's send rate (24415) and the typing
//! events gathered per group until their batch goes out (R234–R235, see [`super::typing`]).
//! Both are bounded.

use rcim_proto::v1::TypingEvent;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Channels whose rate window is kept at most; beyond it the stale windows are dropped, and
/// when all of them are younger than a second (that many channels sending in one second) a
/// further channel's send is let through untracked rather than growing the map.
const MAX_RATE_WINDOWS: usize = 16_384;
/// Groups with a typing batch pending at most; typing in one more group is dropped.
const MAX_TYPING_GROUPS: usize = 16_384;
/// (channel, user) typing entries one group's batch holds at most; more are dropped.
const MAX_TYPING_PER_GROUP: usize = 1_000;

/// One group's pending typing: (channel, user) → the user's latest event there.
type TypingBatch = HashMap<(String, String), TypingEvent>;

/// A one-second window of a channel's sends.
struct Window {
    start: Instant,
    count: u32,
}

/// In-memory state of the streams: channel rates and pending typing batches.
#[derive(Default)]
pub(crate) struct Streams {
    rates: Mutex<HashMap<(String, String), Window>>,
    /// Group → (channel, user) → the latest typing event of that user there.
    typing: Mutex<HashMap<String, TypingBatch>>,
}

impl Streams {
    /// Counts one send in channel (`group`, `channel`); false when the channel already took
    /// `per_sec` messages in the current second (0 = unlimited).
    pub(crate) fn try_send(&self, group: &str, channel: &str, per_sec: u32) -> bool {
        if per_sec == 0 {
            return true;
        }
        let now = Instant::now();
        let mut rates = self.rates.lock().unwrap_or_else(|p| p.into_inner());
        let key = (group.to_owned(), channel.to_owned());
        if rates.len() >= MAX_RATE_WINDOWS && !rates.contains_key(&key) {
            rates.retain(|_, w| now.duration_since(w.start) < Duration::from_secs(1));
            if rates.len() >= MAX_RATE_WINDOWS {
                return true;
            }
        }
        let w = rates.entry(key).or_insert(Window {
            start: now,
            count: 0,
        });
        if now.duration_since(w.start) >= Duration::from_secs(1) {
            w.start = now;
            w.count = 0;
        }
        if w.count >= per_sec {
            return false;
        }
        w.count += 1;
        true
    }

    /// Gathers a typing event into its group's batch (the latest per channel and user);
    /// true when it is the batch's first (the caller starts the batch's timer). Dropped
    /// beyond the bounds.
    pub(crate) fn gather_typing(&self, e: TypingEvent) -> bool {
        let mut typing = self.typing.lock().unwrap_or_else(|p| p.into_inner());
        if !typing.contains_key(&e.target_id) && typing.len() >= MAX_TYPING_GROUPS {
            tracing::debug!(group = %e.target_id, "too many typing batches pending; dropped");
            return false;
        }
        let batch = typing.entry(e.target_id.clone()).or_default();
        let first = batch.is_empty();
        let key = (e.channel_id.clone(), e.user_id.clone());
        if batch.len() < MAX_TYPING_PER_GROUP || batch.contains_key(&key) {
            batch.insert(key, e);
        }
        first
    }

    /// Takes group `group`'s pending batch: per channel, its events in time order.
    pub(crate) fn take_typing(&self, group: &str) -> HashMap<String, Vec<TypingEvent>> {
        let batch = {
            let mut typing = self.typing.lock().unwrap_or_else(|p| p.into_inner());
            typing.remove(group).unwrap_or_default()
        };
        let mut by_channel: HashMap<String, Vec<TypingEvent>> = HashMap::new();
        for ((channel, _), e) in batch {
            by_channel.entry(channel).or_default().push(e);
        }
        for events in by_channel.values_mut() {
            events.sort_by(|a, b| (a.sent_time, &a.user_id).cmp(&(b.sent_time, &b.user_id)));
        }
        by_channel
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lens(s: &Streams) -> usize {
        s.rates.lock().unwrap().len()
    }

    /// A channel takes `per_sec` sends a second; the windows kept never exceed their bound.
    #[test]
    fn rate_windows_are_bounded() {
        let s = Streams::default();
        assert!(s.try_send("g", "c", 2) && s.try_send("g", "c", 2));
        assert!(!s.try_send("g", "c", 2));
        assert!(s.try_send("g", "other", 2), "per channel");
        for i in 0..MAX_RATE_WINDOWS + 10 {
            s.try_send("g", &format!("c{i}"), 2);
        }
        assert_eq!(lens(&s), MAX_RATE_WINDOWS);
        // A tracked channel is still limited.
        assert!(!s.try_send("g", "c", 2));
    }

    fn typing(group: &str, channel: &str, user: &str, time: i64) -> TypingEvent {
        TypingEvent {
            target_id: group.into(),
            channel_id: channel.into(),
            user_id: user.into(),
            sent_time: time,
            ..Default::default()
        }
    }

    /// A batch keeps each user's latest event per channel, at most `MAX_TYPING_PER_GROUP`
    /// entries per group; only the group's first event starts a timer.
    #[test]
    fn typing_batches_are_bounded() {
        let s = Streams::default();
        assert!(s.gather_typing(typing("g", "c", "u0", 1)));
        assert!(!s.gather_typing(typing("g", "c", "u0", 2)));
        for i in 1..MAX_TYPING_PER_GROUP + 50 {
            s.gather_typing(typing("g", "c", &format!("u{i}"), 3));
        }
        let batch = s.take_typing("g");
        let events = &batch["c"];
        assert_eq!(events.len(), MAX_TYPING_PER_GROUP);
        assert_eq!((events[0].user_id.as_str(), events[0].sent_time), ("u0", 2));
        assert!(s.take_typing("g").is_empty());
        assert!(s.gather_typing(typing("g", "c", "u0", 4)), "a new batch");
    }
}
