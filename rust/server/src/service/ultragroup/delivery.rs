//! Live delivery of a channel's events: the `ServerFrame{ultragroup}` is encoded once and the
//! same bytes are offered to each online reader's connections without waiting. A connection
//! whose queue is full misses the event (it is not disconnected): the next event's
//! `change_seq` skips ahead of its cursor, and the client catches up from the stream.

use crate::hub::ConnId;
use crate::state::Shared;
use bytes::Bytes;
use rcim_proto::v1::{server_frame, ultra_group_event, ServerFrame, UltraGroupEvent};

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
    /// Of those, only these users (a directed message: its readers and its sender).
    Only(&'a [String]),
}

/// Offers `body` to the connections of the channel's online readers (see [`Audience`]),
/// except connection `except` (the one whose request caused it). Returns how many
/// connections it was queued for.
pub(crate) fn deliver(
    shared: &Shared,
    group_id: &str,
    channel_id: &str,
    body: ultra_group_event::Body,
    audience: Audience<'_>,
    except: Option<ConnId>,
) -> usize {
    let mut readers = shared.ultragroups.online_readers(group_id, channel_id);
    if let Audience::Only(users) = audience {
        readers.retain(|r| users.contains(r));
    }
    if readers.is_empty() {
        return 0;
    }
    let frame = encode_event(group_id, channel_id, body);
    shared
        .hub
        .offer_shared(readers.iter().map(String::as_str), &frame, except)
}
