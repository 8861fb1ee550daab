//! What the channel streams keep in memory: the typing events gathered per group until
//! their batch goes out (R234–R235, see [`super::typing`]), bounded. (A channel's send
//! rate, 24415, is counted in [`crate::limits::KeyedRates`], across the nodes.)

use rcim_proto::v1::TypingEvent;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Groups with a typing batch pending at most; typing in one more group is dropped.
const MAX_TYPING_GROUPS: usize = 16_384;
/// (channel, user) typing entries one group's batch holds at most; more are dropped.
const MAX_TYPING_PER_GROUP: usize = 1_000;

/// One group's pending typing: (channel, user) → the user's latest event there.
type TypingBatch = HashMap<(String, String), TypingEvent>;

/// In-memory state of the streams: pending typing batches.
#[derive(Default)]
pub(crate) struct Streams {
    /// Group → (channel, user) → the latest typing event of that user there.
    typing: Mutex<HashMap<String, TypingBatch>>,
}

impl Streams {
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
