//! Chatrooms (R184–R209): online-only rooms held in memory by the node that serves them.
//!
//! A room has members (users, each with the connections that joined the room), a ring of its
//! most recent messages for joins, its KV entries and its moderation lists. Messages go to
//! the members online at the time through each connection's bounded outbound queue, encoded
//! once for all: when a member's queue is past the chatroom share, low-priority messages are
//! dropped for that member (R009) while high-priority object names are kept. Persisted
//! messages also go to the room's history in the store (kept 2 months by default, R199).
//! Idle rooms are destroyed (R185, R189) and members whose connection dropped are
//! auto-kicked (R194–R195). Room records are stored, so rooms survive a restart; members and
//! rings do not (clients re-join, R193).
//!
//! Files: [`registry`] the rooms and their members ([`Chatrooms`]); [`room`] one room's
//! books; [`delivery`] encoding once and the drop policy; [`ops`] join, leave, history pages,
//! auto-kick and idle destroy; [`send`] member sends and Server API publishes; [`task`] the
//! timer task; [`hooks`] the calls into [`kv`] (the KV entries and their limits) and
//! [`moderation`] (gags, blocks and the protected-member whitelist).

pub(crate) mod delivery;
mod hooks;
pub(crate) mod kv;
pub(crate) mod moderation;
pub(crate) mod ops;
pub(crate) mod registry;
mod room;
pub(crate) mod send;
pub(crate) mod task;

pub use delivery::ChatroomStats;
pub(crate) use delivery::MemberConn;
pub(crate) use registry::Chatrooms;
// The Server API's `/message/chatroom/publish.json` publishes through these.
pub(crate) use send::{publish, NewChatroomMessage};

use crate::service::ServiceError;

/// Longest room id (bytes).
pub(crate) const MAX_ROOM_ID_LEN: usize = 64;
/// Most recent messages a join may ask for.
pub(crate) const MAX_JOIN_MESSAGES: u32 = 50;
/// `ChatRoomEvent.status`: destroyed through the Server API.
pub(crate) const STATUS_DESTROY_MANUAL: u32 = 1;
/// `ChatRoomEvent.status`: destroyed for being idle.
pub(crate) const STATUS_DESTROY_AUTO: u32 = 2;

/// Whether `id` is a valid room id: 1..=64 bytes of `[A-Za-z0-9+=_-]`.
pub(crate) fn is_valid_room_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ROOM_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'=' | b'_' | b'-'))
}

/// 33003 unless `id` is a valid room id.
pub(crate) fn check_room_id(id: &str) -> Result<(), ServiceError> {
    if is_valid_room_id(id) {
        Ok(())
    } else {
        Err(ServiceError::Invalid(format!("invalid chatroom id {id:?}")))
    }
}
