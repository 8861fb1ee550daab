//! Live delivery of a channel's events: the `ServerFrame{ultragroup}` is encoded once and the
//! same bytes are offered to each online reader's connections without waiting. A connection
//! whose queue is full misses the event (it is not disconnected): the next event's
//! `change_seq` skips ahead of its cursor, and the client catches up from the stream.

use crate::hub::ConnId;
use crate::state::Shared;
use bytes::Bytes;
use rcim_proto::v1::{server_frame, ultra_group_event, ServerFrame, UltraGroupEvent};
use std::collections::HashSet;

/// The frame `ServerFrame{ultragroup: UltraGroupEvent{group, channel, body}}`, encoded.
pub(crate) fn encode_event(
    group_id: &str,
    channel_id: &str,
    body: ultra_group_event::Body,
) -> Bytes {
    let frame = ServerFrame {
        seq: 0,
        body: Some(server_frame::Body::Ultragroup(UltraGroupEvent {
            group_id: group_id.to_owned(),
            channel_id: channel_id.to_owned(),
            body: Some(body),
        })),
    };
    Bytes::from(prost::Message::encode_to_vec(&frame))
}

/// Who receives an event of a channel.
pub(crate) enum Audience<'a> {
    /// Every online member who can read the channel.
    Readers,
    /// Of those, only `users` (a directed message or a change to one: its readers and its
    /// sender). The other online readers get `UltraGroupEvent.skipped_seq = skipped_seq`
    /// instead (when it is not 0), so their channel cursor moves past a change they may not
    /// see without fetching it.
    Only {
        users: &'a [String],
        skipped_seq: u64,
    },
}

/// Offers `body` to the connections of the channel's online readers on this node (see
/// [`deliver_local`]) and publishes it for the readers on the other nodes. Returns how many
/// connections of this node the event was queued for.
pub(crate) fn deliver(
    shared: &Shared,
    group_id: &str,
    channel_id: &str,
    body: ultra_group_event::Body,
    audience: Audience<'_>,
    except: Option<ConnId>,
) -> usize {
    if shared.bus.is_distributed() {
        let only = match &audience {
            Audience::Readers => None,
            Audience::Only { users, skipped_seq } => Some((users.to_vec(), *skipped_seq)),
        };
        shared
            .bus
            .publish_ultragroup(group_id, channel_id, &body, only);
    }
    deliver_local(shared, group_id, channel_id, body, audience, except)
}

/// Offers `body` to the connections of the channel's online readers on this node (see
/// [`Audience`]), except connection `except` (the one whose request caused it). One pass
/// over the online readers whatever the audience. Returns how many connections the event
/// was queued for.
pub(crate) fn deliver_local(
    shared: &Shared,
    group_id: &str,
    channel_id: &str,
    body: ultra_group_event::Body,
    audience: Audience<'_>,
    except: Option<ConnId>,
) -> usize {
    let readers = shared.ultragroups.online_readers(group_id, channel_id);
    if readers.is_empty() {
        return 0;
    }
    let (users, skipped_seq) = match audience {
        Audience::Readers => {
            let frame = encode_event(group_id, channel_id, body);
            return offer(shared, &readers, &frame, except);
        }
        Audience::Only { users, skipped_seq } => (users, skipped_seq),
    };
    let wanted: HashSet<&str> = users.iter().map(String::as_str).collect();
    let (seeing, others): (Vec<String>, Vec<String>) = readers
        .into_iter()
        .partition(|r| wanted.contains(r.as_str()));
    let mut sent = 0;
    if !seeing.is_empty() {
        let frame = encode_event(group_id, channel_id, body);
        sent += offer(shared, &seeing, &frame, except);
    }
    if skipped_seq > 0 && !others.is_empty() {
        let tick = ultra_group_event::Body::SkippedSeq(skipped_seq);
        let frame = encode_event(group_id, channel_id, tick);
        offer(shared, &others, &frame, except);
    }
    sent
}

/// Offers `frame` to the connections of `users` but `except`.
fn offer(shared: &Shared, users: &[String], frame: &Bytes, except: Option<ConnId>) -> usize {
    shared
        .hub
        .offer_shared(users.iter().map(String::as_str), frame, except)
}
