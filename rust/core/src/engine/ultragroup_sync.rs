//! The ultra-group task of one session: keeps the local channel conversations in step with
//! the server's channel streams.
//!
//! * At every connection it reads the channel states (`UltraGroupSyncRequest`, page after
//!   page; after `UltraGroupEvent.resync` only the states of that group). Per channel:
//!   default levels are kept; when the channel's change counter (`head_seq`) is beyond the
//!   local cursor, the channel catches up ([`catch_up_channel`]): after a long absence (more
//!   than [`CATCH_UP_CHANGES`] changes) first the changes to the messages held here
//!   (`max_conv_seq`: recalls, edits and expansions of what the device shows, R227, applied
//!   without `onMessageReceived`), then the changes after `max(cursor, head − 100)`
//!   (`UltraGroupChangesRequest`, pages of 100), applied (new messages announced as
//!   `onMessageReceived`, ascending; changes as the remote modified / recalled / expansion
//!   events); older messages are left to `getMessages`, which fills gaps from the cloud
//!   history. Then the channel's unread and mention counts are set from the state (plus what
//!   arrived since it was read), capped at 999 (R230).
//! * Live events are applied as they come; the cursor moves through contiguous known change
//!   sequences (events, `skipped_seq` ticks, the answers to this device's own changes: see
//!   `ultragroup_gaps`). A gap still open after a short wait fetches the channel's changes
//!   once.
//! * Typing batches become `onUltraGroupTypingStatusChanged` (without this user's own typing).
//!
//! Signals are handled one at a time, in order.

use super::ultragroup_gaps::{ChannelId, Gaps, Overdue};
use super::ultragroup_link::{apply_page, channel_key, UgLink, Unknown};
use crate::codes::Code;
use crate::event::{Event, UltraGroupTypingStatusInfo, UltragroupEvent};
use crate::session::UltragroupSignal;
use rcim_proto::v1::{
    request, response, ultra_group_event, UltraGroupChangesRequest, UltraGroupChannelState,
    UltraGroupEvent, UltraGroupSyncRequest, UltraGroupTyping,
};
use rcim_store::ConversationKey;
use std::collections::HashMap;
use std::time::Instant;
use tokio::sync::mpsc;

/// How many of the newest changes a device that was away catches up with; older messages
/// come from the cloud history when the app pages back.
pub(crate) const CATCH_UP_CHANGES: u64 = 100;

/// Changes asked per page.
const CHANGES_PAGE: u32 = 100;

/// Pages of states read at most in one sync (a bound against a server that never ends).
const MAX_STATE_PAGES: usize = 10_000;

/// Pages of changes to held messages read at most in one catch-up.
const MAX_HELD_PAGES: usize = 100;

/// Runs until the session ends (its sender goes).
pub(crate) async fn run(link: UgLink, mut signals: mpsc::Receiver<UltragroupSignal>) {
    let mut gaps = Gaps::default();
    loop {
        let deadline = gaps.next_deadline();
        let signal = tokio::select! {
            signal = signals.recv() => match signal {
                Some(signal) => Some(signal),
                None => return,
            },
            _ = sleep_until(deadline), if deadline.is_some() => None,
        };
        let result = match signal {
            Some(UltragroupSignal::Connected) => {
                gaps.clear();
                sync_states(&link, "").await
            }
            Some(UltragroupSignal::Event(event)) => on_event(&link, &mut gaps, *event).await,
            Some(UltragroupSignal::Known {
                group_id,
                channel_id,
                change_seq,
            }) => {
                let key = channel_key(&group_id, &channel_id);
                note(&link, &mut gaps, &key, change_seq).await
            }
            None => fetch_overdue(&link, &mut gaps).await,
        };
        if let Err(code) = result {
            tracing::debug!(code = code.0, "ultra-group sync step failed");
        }
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    if let Some(deadline) = deadline {
        tokio::time::sleep_until(deadline.into()).await;
    }
}

fn channel_id(key: &ConversationKey) -> ChannelId {
    (key.target_id.clone(), key.channel_id.clone())
}

/// Reads the channel states (of group `only_group`; "" = of every group) and catches up with
/// each channel.
async fn sync_states(link: &UgLink, only_group: &str) -> Result<(), Code> {
    let (mut after_group, mut after_channel) = (String::new(), String::new());
    for _ in 0..MAX_STATE_PAGES {
        let body = request::Body::UltragroupSync(UltraGroupSyncRequest {
            after_group_id: after_group.clone(),
            after_channel_id: after_channel.clone(),
            only_group_id: only_group.to_string(),
        });
        let Some(response::Body::UltragroupStates(states)) = link.ask(body, "").await? else {
            return Err(Code::of(rcim_proto::codes::SERVER_UNKNOWN_ERROR));
        };
        let Some(last) = states.channels.last() else {
            return Ok(());
        };
        (after_group, after_channel) = (last.group_id.clone(), last.channel_id.clone());
        for state in states.channels {
            if only_group.is_empty() || state.group_id == only_group {
                apply_state(link, state).await?;
            }
        }
        if !states.more {
            return Ok(());
        }
    }
    Ok(())
}

async fn apply_state(link: &UgLink, state: UltraGroupChannelState) -> Result<(), Code> {
    let key = channel_key(&state.group_id, &state.channel_id);
    let (cursor, held) = link
        .db({
            let (key, group) = (key.clone(), state.group_id.clone());
            let (group_level, channel_level) =
                (state.group_default_level, state.channel_default_level);
            move |s| {
                s.set_ultragroup_default_level(&group, "", group_level)?;
                s.set_ultragroup_default_level(&group, &key.channel_id, channel_level)?;
                Ok((s.ultragroup_cursor(&key)?, s.ultragroup_held_seq(&key)?))
            }
        })
        .await?;
    let mut arrived_since = (0, 0);
    if state.head_seq > cursor {
        // Messages newer than the state's last one arrived after the state was read: the
        // state did not count them (compared by history sequence, so a message the state
        // counted and that changed since is not counted twice).
        let counted_above = state.last_message.as_ref().map_or(0, |m| m.conv_seq);
        let read = Reading {
            read_seq: state.read_seq,
            offline: true,
            counted_above,
        };
        arrived_since = catch_up_channel(link, &key, cursor, state.head_seq, held, read).await?;
    }
    let me = link.me.clone();
    link.db(move |s| {
        // A channel without local messages (cleared here, or nothing new to fetch) still
        // shows in the list with its newest message.
        if s.conversation(&key)?.is_none() {
            if let Some(last) = &state.last_message {
                let row = super::ultragroup_link::stream_row(last, &me, u64::MAX);
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

/// How fetched messages are read and counted.
#[derive(Debug, Clone, Copy)]
struct Reading {
    /// The user's read position (`conv_seq`; 0 = none).
    read_seq: u64,
    /// Announced as offline messages (a catch-up at connection).
    offline: bool,
    /// New unread messages with a history sequence above this are counted in the result.
    counted_above: u64,
}

/// Catches channel `key` up from `cursor` to (at least) `head`; `held` is the highest
/// history sequence held here. Returns what [`catch_up`] counted.
async fn catch_up_channel(
    link: &UgLink,
    key: &ConversationKey,
    cursor: u64,
    head: u64,
    held: u64,
    read: Reading,
) -> Result<(u64, u64), Code> {
    let newest = head.saturating_sub(CATCH_UP_CHANGES);
    if newest > cursor && cursor > 0 && held > 0 {
        // The changes between the cursor and the newest page are skipped: first learn those
        // to the messages shown here (recalled, edited, expanded), R227.
        changes_to_held(link, key, cursor, held).await?;
    }
    catch_up(link, key, cursor.max(newest), read).await
}

/// Applies the changes after `after` to the messages with a history sequence up to `held`
/// (the ones this device may hold); messages not held are left alone.
async fn changes_to_held(
    link: &UgLink,
    key: &ConversationKey,
    mut after: u64,
    held: u64,
) -> Result<(), Code> {
    for _ in 0..MAX_HELD_PAGES {
        let body = request::Body::UltragroupChanges(UltraGroupChangesRequest {
            group_id: key.target_id.clone(),
            channel_id: key.channel_id.clone(),
            after_seq: after,
            count: CHANGES_PAGE,
            max_conv_seq: held,
        });
        let Some(response::Body::UltragroupChanges(page)) = link.ask(body, "").await? else {
            return Err(Code::of(rcim_proto::codes::SERVER_UNKNOWN_ERROR));
        };
        let last_seq = page.messages.iter().map(|m| m.change_seq).max();
        let me = link.me.clone();
        let messages = page.messages;
        let outcome = link
            .db(move |s| apply_page(s, &messages, &me, 0, Unknown::Skip))
            .await?;
        link.announce(outcome, true, false).await;
        match last_seq {
            Some(seq) if page.more && seq > after => after = seq,
            _ => return Ok(()),
        }
    }
    Ok(())
}

/// Fetches and applies the changes of channel `key` after `after`, moving its cursor. Returns
/// how many new unread messages (and of them, mentions of this user) above
/// `read.counted_above` it stored.
async fn catch_up(
    link: &UgLink,
    key: &ConversationKey,
    mut after: u64,
    read: Reading,
) -> Result<(u64, u64), Code> {
    let mut arrived = (0, 0);
    loop {
        let body = request::Body::UltragroupChanges(UltraGroupChangesRequest {
            group_id: key.target_id.clone(),
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
                    let outcome = apply_page(s, &messages, &me, read.read_seq, Unknown::Store)?;
                    s.advance_ultragroup_cursor(&key, cursor)?;
                    Ok(outcome)
                }
            })
            .await?;
        for (seq, mentioned) in &outcome.counted_seqs {
            if *seq > read.counted_above {
                arrived.0 += 1;
                arrived.1 += u64::from(*mentioned);
            }
        }
        link.announce(outcome, read.offline, !done).await;
        if done || cursor <= after {
            return Ok(arrived);
        }
        after = cursor;
    }
}

/// The channel's stored cursor and highest held history sequence.
async fn cursor_and_held(link: &UgLink, key: &ConversationKey) -> Result<(u64, u64), Code> {
    let key = key.clone();
    link.db(move |s| Ok((s.ultragroup_cursor(&key)?, s.ultragroup_held_seq(&key)?)))
        .await
}

/// Notes change `seq` of channel `key` as known (see `ultragroup_gaps`), storing the cursor
/// when it moved.
async fn note(link: &UgLink, gaps: &mut Gaps, key: &ConversationKey, seq: u64) -> Result<(), Code> {
    let (cursor, held) = cursor_and_held(link, key).await?;
    let moved = gaps.note(&channel_id(key), cursor, seq, held, Instant::now());
    if moved > cursor {
        let key = key.clone();
        link.db(move |s| s.advance_ultragroup_cursor(&key, moved))
            .await?;
    }
    Ok(())
}

/// Fetches the changes of every channel whose gap stayed open (once per gap: a failure
/// leaves the channel to its next gap or the next connection).
async fn fetch_overdue(link: &UgLink, gaps: &mut Gaps) -> Result<(), Code> {
    let mut result = Ok(());
    for Overdue { channel, top, held } in gaps.overdue(Instant::now()) {
        let key = channel_key(&channel.0, &channel.1);
        let (cursor, _) = cursor_and_held(link, &key).await?;
        if top <= cursor {
            continue;
        }
        // Counts follow the stored messages (the store counts them as they arrive).
        let read = Reading {
            read_seq: 0,
            offline: false,
            counted_above: u64::MAX,
        };
        if let Err(code) = catch_up_channel(link, &key, cursor, top, held, read).await {
            result = Err(code);
        }
    }
    result
}

async fn on_event(link: &UgLink, gaps: &mut Gaps, event: UltraGroupEvent) -> Result<(), Code> {
    let Some(body) = event.body else {
        return Ok(());
    };
    let key = channel_key(&event.group_id, &event.channel_id);
    let (message, unknown) = match body {
        ultra_group_event::Body::Resync(true) => return sync_states(link, &event.group_id).await,
        ultra_group_event::Body::Resync(false) => return Ok(()),
        ultra_group_event::Body::SkippedSeq(seq) => return note(link, gaps, &key, seq).await,
        ultra_group_event::Body::Typing(typing) => {
            if let Some(event) = typing_event(typing, &link.me) {
                link.emit(event).await;
            }
            return Ok(());
        }
        ultra_group_event::Body::Message(message) => (message, Unknown::Store),
        ultra_group_event::Body::Changed(changed) => {
            let Some(message) = changed.message else {
                return Ok(());
            };
            (message, Unknown::Announce(changed.kind))
        }
    };
    let (cursor, held) = cursor_and_held(link, &key).await?;
    // Applied at once, even when a gap is open before it (the gap is fetched later).
    let moved = gaps.note(
        &channel_id(&key),
        cursor,
        message.change_seq,
        held,
        Instant::now(),
    );
    let me = link.me.clone();
    let outcome = link
        .db({
            let key = key.clone();
            move |s| {
                let outcome = apply_page(s, &[message], &me, 0, unknown)?;
                s.advance_ultragroup_cursor(&key, moved)?;
                Ok(outcome)
            }
        })
        .await?;
    link.announce(outcome, false, false).await;
    Ok(())
}

/// `onUltraGroupTypingStatusChanged` for a batch: one info per (channel, user) of the other
/// users (the server sends each channel's batch to all its readers, the typer included), with
/// the number of them typing in that channel. `None` when only `me` typed.
fn typing_event(typing: UltraGroupTyping, me: &str) -> Option<Event> {
    let events: Vec<_> = typing.events.iter().filter(|e| e.user_id != me).collect();
    if events.is_empty() {
        return None;
    }
    let mut per_channel: HashMap<(&str, &str), u32> = HashMap::new();
    for e in &events {
        *per_channel
            .entry((e.target_id.as_str(), e.channel_id.as_str()))
            .or_default() += 1;
    }
    let info = events
        .iter()
        .map(|e| UltraGroupTypingStatusInfo {
            target_id: e.target_id.clone(),
            channel_id: crate::codec::channel_for(5, &e.channel_id),
            user_id: e.user_id.clone(),
            user_nums: per_channel
                .get(&(e.target_id.as_str(), e.channel_id.as_str()))
                .copied()
                .unwrap_or(1),
            status: 0,
            timestamp: e.sent_time,
        })
        .collect();
    Some(Event::Ultragroup(UltragroupEvent::TypingStatusChanged {
        info,
    }))
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
        let Some(Event::Ultragroup(UltragroupEvent::TypingStatusChanged { info })) =
            typing_event(batch, "me")
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

    #[test]
    fn the_users_own_typing_is_dropped_from_the_batch() {
        let batch = UltraGroupTyping {
            events: vec![typing("a", "me", 1), typing("a", "bob", 2)],
        };
        let Some(Event::Ultragroup(UltragroupEvent::TypingStatusChanged { info })) =
            typing_event(batch, "me")
        else {
            panic!("not a typing event");
        };
        let users: Vec<(&str, u32)> = info
            .iter()
            .map(|i| (i.user_id.as_str(), i.user_nums))
            .collect();
        assert_eq!(users, [("bob", 1)], "only the others, counted without me");
        let alone = UltraGroupTyping {
            events: vec![typing("a", "me", 1)],
        };
        assert!(typing_event(alone, "me").is_none(), "nothing to announce");
    }
}

#[cfg(test)]
#[path = "ultragroup_sync_tests.rs"]
mod task_tests;
