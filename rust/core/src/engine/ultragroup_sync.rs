//! The ultra-group task of one session: keeps the local channel conversations in step with
//! the server's channel streams.
//!
//! * At every connection (and after `UltraGroupEvent.resync`) it reads the channel states
//!   (`UltraGroupSyncRequest`, page after page). Per channel: default levels are kept; when
//!   the channel's change counter (`head_seq`) is beyond the local cursor, the changes after
//!   `max(cursor, head − 100)` are fetched (`UltraGroupChangesRequest`, pages of 100) and
//!   applied (new messages announced as `onMessageReceived`, ascending; changes as the
//!   remote modified / recalled / expansion events); older messages are left to
//!   `getMessages`, which fills gaps from the cloud history. Then the channel's unread and
//!   mention counts are set from the state (plus what arrived since it was read), capped at
//!   999 (R230).
//! * A live event of a channel whose change sequence skips ahead of the cursor (this device
//!   missed some, e.g. its own sends or a dropped event) fetches the changes first.
//! * Typing batches become `onUltraGroupTypingStatusChanged`.
//!
//! Signals are handled one at a time, in order.

use super::ultragroup_link::{apply_page, channel_key, UgLink};
use crate::codes::Code;
use crate::event::{Event, UltraGroupTypingStatusInfo, UltragroupEvent};
use crate::session::UltragroupSignal;
use rcim_proto::v1::{
    request, response, ultra_group_event, UltraGroupChangesRequest, UltraGroupChannelState,
    UltraGroupEvent, UltraGroupSyncRequest, UltraGroupTyping,
};
use std::collections::HashMap;
use tokio::sync::mpsc;

/// How many of the newest changes a device that was away catches up with; older messages
/// come from the cloud history when the app pages back.
pub(crate) const CATCH_UP_CHANGES: u64 = 100;

/// Changes asked per page.
const CHANGES_PAGE: u32 = 100;

/// Pages of states read at most in one sync (a bound against a server that never ends).
const MAX_STATE_PAGES: usize = 10_000;

/// Runs until the session ends (its sender goes).
pub(crate) async fn run(link: UgLink, mut signals: mpsc::Receiver<UltragroupSignal>) {
    while let Some(signal) = signals.recv().await {
        let result = match signal {
            UltragroupSignal::Connected => sync_states(&link).await,
            UltragroupSignal::Event(event) => on_event(&link, *event).await,
        };
        if let Err(code) = result {
            tracing::debug!(code = code.0, "ultra-group sync step failed");
        }
    }
}

/// Reads every channel state and catches up with each channel.
async fn sync_states(link: &UgLink) -> Result<(), Code> {
    let (mut after_group, mut after_channel) = (String::new(), String::new());
    for _ in 0..MAX_STATE_PAGES {
        let body = request::Body::UltragroupSync(UltraGroupSyncRequest {
            after_group_id: after_group.clone(),
            after_channel_id: after_channel.clone(),
            only_group_id: String::new(),
        });
        let Some(response::Body::UltragroupStates(states)) = link.ask(body, "").await? else {
            return Err(Code::of(rcim_proto::codes::SERVER_UNKNOWN_ERROR));
        };
        let Some(last) = states.channels.last() else {
            return Ok(());
        };
        (after_group, after_channel) = (last.group_id.clone(), last.channel_id.clone());
        for state in states.channels {
            apply_state(link, state).await?;
        }
        if !states.more {
            return Ok(());
        }
    }
    Ok(())
}

async fn apply_state(link: &UgLink, state: UltraGroupChannelState) -> Result<(), Code> {
    let key = channel_key(&state.group_id, &state.channel_id);
    let cursor = link
        .db({
            let (key, group) = (key.clone(), state.group_id.clone());
            let (group_level, channel_level) =
                (state.group_default_level, state.channel_default_level);
            move |s| {
                s.set_ultragroup_default_level(&group, "", group_level)?;
                s.set_ultragroup_default_level(&group, &key.channel_id, channel_level)?;
                s.ultragroup_cursor(&key)
            }
        })
        .await?;
    let mut arrived_since = (0, 0);
    if state.head_seq > cursor {
        let after = cursor.max(state.head_seq.saturating_sub(CATCH_UP_CHANGES));
        arrived_since = catch_up(
            link,
            &state.group_id,
            &key.channel_id,
            after,
            state.read_time,
            true,
            state.head_seq,
        )
        .await?;
    }
    let me = link.me.clone();
    link.db(move |s| {
        // A channel without local messages (cleared here, or nothing new to fetch) still
        // shows in the list with its newest message.
        if s.conversation(&key)?.is_none() {
            if let Some(last) = &state.last_message {
                let row = super::ultragroup_link::stream_row(last, &me, i64::MAX);
                s.store_ultragroup_messages(&[row])?;
            }
        }
        s.set_ultragroup_counts(
            &key,
            state.unread_count as u64 + arrived_since.0,
            state.unread_mention_count as u64 + arrived_since.1,
        )
    })
    .await
}

/// Fetches and applies the changes of a channel after `after`. Returns how many new unread
/// messages (and of them, mentions of this user) with a change sequence above
/// `counted_above` it stored.
async fn catch_up(
    link: &UgLink,
    group: &str,
    channel: &str,
    mut after: u64,
    read_time: i64,
    offline: bool,
    counted_above: u64,
) -> Result<(u64, u64), Code> {
    let key = channel_key(group, channel);
    let mut arrived = (0, 0);
    loop {
        let body = request::Body::UltragroupChanges(UltraGroupChangesRequest {
            group_id: group.to_string(),
            channel_id: key.channel_id.clone(),
            after_seq: after,
            count: CHANGES_PAGE,
            max_conv_seq: 0,
        });
        let Some(response::Body::UltragroupChanges(page)) = link.ask(body, "").await? else {
            return Err(Code::of(rcim_proto::codes::SERVER_UNKNOWN_ERROR));
        };
        let last_seq = page.messages.iter().map(|m| m.change_seq).max();
        let done = !page.more || last_seq.is_none();
        // Sequences skipped (cleared or expired messages) are applied too once the page ends.
        let cursor = if done {
            page.head_seq.max(last_seq.unwrap_or(0))
        } else {
            last_seq.unwrap_or(after)
        };
        let me = link.me.clone();
        let messages = page.messages;
        let outcome = link
            .db({
                let key = key.clone();
                move |s| {
                    let outcome = apply_page(s, &messages, &me, read_time, None)?;
                    s.advance_ultragroup_cursor(&key, cursor)?;
                    Ok(outcome)
                }
            })
            .await?;
        for (seq, mentioned) in &outcome.counted_seqs {
            if *seq > counted_above {
                arrived.0 += 1;
                arrived.1 += u64::from(*mentioned);
            }
        }
        link.announce(outcome, offline, !done).await;
        if done || cursor <= after {
            return Ok(arrived);
        }
        after = cursor;
    }
}

async fn on_event(link: &UgLink, event: UltraGroupEvent) -> Result<(), Code> {
    let Some(body) = event.body else {
        return Ok(());
    };
    let (message, kind) = match body {
        ultra_group_event::Body::Resync(true) => return sync_states(link).await,
        ultra_group_event::Body::Resync(false) | ultra_group_event::Body::SkippedSeq(_) => {
            return Ok(())
        }
        ultra_group_event::Body::Typing(typing) => {
            link.emit(typing_event(typing)).await;
            return Ok(());
        }
        ultra_group_event::Body::Message(message) => (message, None),
        ultra_group_event::Body::Changed(changed) => {
            let Some(message) = changed.message else {
                return Ok(());
            };
            (message, Some(changed.kind))
        }
    };
    let key = channel_key(&event.group_id, &event.channel_id);
    let cursor = link
        .db({
            let key = key.clone();
            move |s| s.ultragroup_cursor(&key)
        })
        .await?;
    if message.change_seq > cursor + 1 {
        // Missed changes: fetch them (this one included).
        let after = cursor.max(message.change_seq.saturating_sub(CATCH_UP_CHANGES));
        // Counts follow the stored messages (the store counts them as they arrive).
        catch_up(link, &event.group_id, &key.channel_id, after, 0, false, 0).await?;
        return Ok(());
    }
    let me = link.me.clone();
    let seq = message.change_seq;
    let outcome = link
        .db({
            let key = key.clone();
            move |s| {
                let outcome = apply_page(s, &[message], &me, 0, kind)?;
                s.advance_ultragroup_cursor(&key, seq)?;
                Ok(outcome)
            }
        })
        .await?;
    link.announce(outcome, false, false).await;
    Ok(())
}

/// `onUltraGroupTypingStatusChanged` for a batch: one info per (channel, user), with the
/// number of users typing in that channel.
fn typing_event(typing: UltraGroupTyping) -> Event {
    let mut per_channel: HashMap<(String, String), u32> = HashMap::new();
    for e in &typing.events {
        *per_channel
            .entry((e.target_id.clone(), e.channel_id.clone()))
            .or_default() += 1;
    }
    let info = typing
        .events
        .iter()
        .map(|e| UltraGroupTypingStatusInfo {
            target_id: e.target_id.clone(),
            channel_id: crate::codec::channel_for(5, &e.channel_id),
            user_id: e.user_id.clone(),
            user_nums: per_channel
                .get(&(e.target_id.clone(), e.channel_id.clone()))
                .copied()
                .unwrap_or(1),
            status: 0,
            timestamp: e.sent_time,
        })
        .collect();
    Event::Ultragroup(UltragroupEvent::TypingStatusChanged { info })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcim_proto::v1::TypingEvent;

    fn typing(channel: &str, user: &str, time: i64) -> TypingEvent {
        TypingEvent {
            conversation_type: 5,
            target_id: "g".into(),
            channel_id: channel.into(),
            user_id: user.into(),
            object_name: "RC:TxtMsg".into(),
            sent_time: time,
        }
    }

    #[test]
    fn a_typing_batch_counts_the_typers_of_each_channel() {
        let batch = UltraGroupTyping {
            events: vec![
                typing("a", "bob", 1),
                typing("a", "carol", 2),
                typing("", "bob", 3),
            ],
        };
        let Event::Ultragroup(UltragroupEvent::TypingStatusChanged { info }) = typing_event(batch)
        else {
            panic!("not a typing event");
        };
        let seen: Vec<(&str, &str, u32, i64)> = info
            .iter()
            .map(|i| {
                (
                    i.channel_id.as_str(),
                    i.user_id.as_str(),
                    i.user_nums,
                    i.timestamp,
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("a", "bob", 2, 1),
                ("a", "carol", 2, 2),
                ("RCDefault", "bob", 1, 3)
            ]
        );
        assert!(info.iter().all(|i| i.target_id == "g" && i.status == 0));
    }
}
