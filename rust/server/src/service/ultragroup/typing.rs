//! Typing in ultra-group channels (R234–R235): events are gathered per group (see
//! `Streams::gather_typing`) for `--ultragroup-typing-batch-ms` and then sent as one
//! `UltraGroupEvent.typing` frame per channel to all its online readers, typers included
//! (a client drops its own event). A frame holds the [`MAX_TYPERS_PER_FRAME`] latest typers
//! of the channel at most: a client shows "N people are typing", more names add nothing, and
//! the frame stays small whatever a hostile crowd does. A flush costs one pass over each
//! channel's online readers and one encoding per channel.

use super::delivery::{deliver, Audience};
use crate::state::Shared;
use rcim_proto::v1::{ultra_group_event, TypingEvent, UltraGroupTyping};
use std::sync::Arc;

/// The most typing events of one channel in one batch frame (the latest ones).
pub(crate) const MAX_TYPERS_PER_FRAME: usize = 50;

/// Gathers `e` (already checked: the typer can read the channel); the group's first event
/// starts the timer that sends its batch.
pub(crate) fn typing(shared: &Arc<Shared>, e: TypingEvent) {
    let group = e.target_id.clone();
    if !shared.ugstreams.gather_typing(e) {
        return;
    }
    let shared = shared.clone();
    let wait = shared.config.ultragroup.typing_batch;
    let stop = shared.stop.clone();
    shared.tracker.clone().spawn(async move {
        tokio::select! {
            _ = stop.cancelled() => {}
            _ = tokio::time::sleep(wait) => flush(&shared, &group),
        }
    });
}

/// Sends group `group`'s pending batch: one frame per channel to all its online readers.
fn flush(shared: &Shared, group: &str) {
    for (channel, events) in shared.ugstreams.take_typing(group) {
        let body = ultra_group_event::Body::Typing(UltraGroupTyping {
            events: latest(events),
        });
        deliver(shared, group, &channel, body, Audience::Readers, None);
    }
}

/// The [`MAX_TYPERS_PER_FRAME`] latest of `events` (in time order), in time order.
fn latest(mut events: Vec<TypingEvent>) -> Vec<TypingEvent> {
    if events.len() > MAX_TYPERS_PER_FRAME {
        events.drain(..events.len() - MAX_TYPERS_PER_FRAME);
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(user: usize, time: i64) -> TypingEvent {
        TypingEvent {
            user_id: format!("u{user}"),
            sent_time: time,
            ..Default::default()
        }
    }

    /// A crowd of typers: the frame keeps the 50 latest, oldest first.
    #[test]
    fn a_frame_keeps_the_latest_typers() {
        let events: Vec<TypingEvent> = (0..120).map(|i| event(i, i as i64)).collect();
        let kept = latest(events);
        assert_eq!(kept.len(), MAX_TYPERS_PER_FRAME);
        assert_eq!(kept[0].user_id, "u70");
        assert_eq!(kept[49].user_id, "u119");
        let few: Vec<TypingEvent> = (0..3).map(|i| event(i, i as i64)).collect();
        assert_eq!(latest(few).len(), 3);
    }
}
