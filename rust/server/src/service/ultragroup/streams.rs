//! What the channel streams keep in memory: each channel's send rate (24415) and the typing
//! events gathered per group until their batch goes out (R234–R235, see [`super::typing`]).
//! Both are bounded.

use rcim_proto::v1::TypingEvent;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Channels whose rate window is kept at most; beyond it the stale windows are dropped.
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
        if rates.len() >= MAX_RATE_WINDOWS {
            rates.retain(|_, w| now.duration_since(w.start) < Duration::from_secs(1));
        }
        let w = rates
            .entry((group.to_owned(), channel.to_owned()))
            .or_insert(Window {
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
