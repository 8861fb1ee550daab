//! Chatrooms (R184–R209): online-only rooms held in memory by the node that serves them.
//!
//! A room has members (connections that joined it, listed by user), a ring of its most recent
//! messages for joins, its KV entries and its moderation lists. Messages go to the members
//! online at the time through each connection's bounded outbound queue: when a member's queue
//! is past the chatroom share, low-priority messages are dropped for that member (R009) while
//! high-priority object names are kept. Persisted messages also go to the room's history in
//! the store (kept 2 months by default, R199). Idle rooms are destroyed (R185, R189) and
//! members whose connection dropped are auto-kicked (R194–R195).
//!
//! Files: this one is the registry ([`Chatrooms`]); [`kv`] the KV entries and their limits;
//! [`moderation`] gags, blocks and the protected-member whitelist.

pub(crate) mod kv;
pub(crate) mod moderation;

use crate::hub::ConnId;

/// The chatrooms this node serves.
#[derive(Default)]
pub(crate) struct Chatrooms {
    /// The rooms' KV entries in memory ([`kv`]).
    pub(crate) kv: kv::KvRooms,
    /// The rooms' moderation lists in memory ([`moderation`]).
    pub(crate) moderation: moderation::RoomModeration,
}

impl Chatrooms {
    /// Connection `conn_id` went away: it stays a member of its rooms until auto-kicked
    /// (R194), so a reconnect that re-joins in time keeps its place.
    pub(crate) fn connection_closed(&self, conn_id: ConnId) {
        let _ = conn_id;
    }
}
