//! What the channel streams keep in memory: each channel's send rate (24415) and the typing
//! events gathered per group until their batch goes out (R234–R235). Both are bounded.

use super::delivery::{deliver, Audience};
use crate::config::UltraGroupConfig;
use crate::state::Shared;
use rcim_proto::v1::{ultra_group_event, TypingEvent, UltraGroupTyping};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
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

    /// Gathers a typing event; the first one of a group starts the timer that sends the
    /// group's batch after `config.typing_batch`.
    pub(crate) fn typing(&self, shared: &Arc<Shared>, config: &UltraGroupConfig, e: TypingEvent) {
        let group = e.target_id.clone();
        let first = {
            let mut typing = self.typing.lock().unwrap_or_else(|p| p.into_inner());
            if !typing.contains_key(&group) && typing.len() >= MAX_TYPING_GROUPS {
                tracing::debug!(group = %group, "too many typing batches pending; dropped");
                return;
            }
            let batch = typing.entry(group.clone()).or_default();
            let first = batch.is_empty();
            let key = (e.channel_id.clone(), e.user_id.clone());
            if batch.len() < MAX_TYPING_PER_GROUP || batch.contains_key(&key) {
                batch.insert(key, e);
            }
            first
        };
        if first {
            let shared = shared.clone();
            let wait = config.typing_batch;
            let stop = shared.stop.clone();
            shared.tracker.clone().spawn(async move {
                tokio::select! {
                    _ = stop.cancelled() => {}
                    _ = tokio::time::sleep(wait) => shared.ugstreams.flush_typing(&shared, &group),
                }
            });
        }
    }

    /// Sends group `group`'s pending batch: per channel, to its online readers, each event
    /// to everyone but its typer.
    fn flush_typing(&self, shared: &Shared, group: &str) {
        let batch = {
            let mut typing = self.typing.lock().unwrap_or_else(|p| p.into_inner());
            typing.remove(group).unwrap_or_default()
        };
        let mut by_channel: HashMap<String, Vec<TypingEvent>> = HashMap::new();
        for ((channel, _), e) in batch {
            by_channel.entry(channel).or_default().push(e);
        }
        for (channel, mut events) in by_channel {
            events.sort_by(|a, b| (a.sent_time, &a.user_id).cmp(&(b.sent_time, &b.user_id)));
            let readers = shared.ultragroups.online_readers(group, &channel);
            // Typers do not get their own events: one frame for the readers who typed
            // nothing, one per typer for the others.
            let typers: Vec<String> = events.iter().map(|e| e.user_id.clone()).collect();
            let quiet: Vec<String> = readers
                .iter()
                .filter(|r| !typers.contains(r))
                .cloned()
                .collect();
            let body = |skip: Option<&str>| {
                ultra_group_event::Body::Typing(UltraGroupTyping {
                    events: events
                        .iter()
                        .filter(|e| Some(e.user_id.as_str()) != skip)
                        .cloned()
                        .collect(),
                })
            };
            if !quiet.is_empty() {
                deliver(
                    shared,
                    group,
                    &channel,
                    body(None),
                    Audience::Only(&quiet),
                    None,
                );
            }
            for typer in typers.iter().filter(|t| readers.contains(t)) {
                if events.len() > 1 {
                    let only = std::slice::from_ref(typer);
                    deliver(
                        shared,
                        group,
                        &channel,
                        body(Some(typer)),
                        Audience::Only(only),
                        None,
                    );
                }
            }
        }
    }
}
