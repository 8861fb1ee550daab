//! Typing in ultra-group channels (R234–R235): events are gathered per group (see
//! `Streams::gather_typing`) for `--ultragroup-typing-batch-ms` and then sent as one
//! `UltraGroupEvent.typing` per channel to its online readers, each event to everyone but
//! its typer.

use super::delivery::{deliver, Audience};
use crate::state::Shared;
use rcim_proto::v1::{ultra_group_event, TypingEvent, UltraGroupTyping};
use std::sync::Arc;

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

/// Sends group `group`'s pending batch: per channel, one frame for the readers who typed
/// nothing and one per typer with the others' events.
fn flush(shared: &Shared, group: &str) {
    for (channel, events) in shared.ugstreams.take_typing(group) {
        let readers = shared.ultragroups.online_readers(group, &channel);
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
            let audience = Audience::Only(&quiet);
            deliver(shared, group, &channel, body(None), audience, None);
        }
        if events.len() > 1 {
            for typer in typers.iter().filter(|t| readers.contains(t)) {
                let audience = Audience::Only(std::slice::from_ref(typer));
                deliver(shared, group, &channel, body(Some(typer)), audience, None);
            }
        }
    }
}
