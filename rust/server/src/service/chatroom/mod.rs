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
//! rings do not (clients re-join, R193). On a cluster each node holds the members that
//! joined through its connections, and the cluster's view is asked of every node.
//!
//! Files: [`registry`] the rooms and their members ([`Chatrooms`]); [`lifecycle`] creation,
//! destroy and the idle index; [`room`] one room's books; [`delivery`] encoding once and the
//! drop policy; [`ops`] join, leave, history pages, auto-kick and idle destroy; [`send`]
//! member sends and Server API publishes; [`task`] the timer task; [`rules`] the room id rule and status values; [`hooks`] the calls into [`kv`]
//! (the KV entries and their limits; [`kv_requests`] a member's KV requests) and
//! [`moderation`] (gags, blocks and the protected-member whitelist); [`sync`] the same
//! records on the other nodes of a cluster; [`across_nodes`] members, rings and activity
//! across the nodes.

pub(crate) mod across_nodes;
pub(crate) mod delivery;
mod hooks;
pub(crate) mod kv;
pub(crate) mod kv_requests;
mod lifecycle;
pub(crate) mod moderation;
pub(crate) mod ops;
pub(crate) mod registry;
mod room;
pub(crate) mod rules;
pub(crate) mod send;
mod sync;
pub(crate) mod task;

#[cfg(test)]
mod races_tests;

pub use delivery::ChatroomStats;
pub(crate) use delivery::MemberConn;
pub(crate) use registry::Chatrooms;
pub(crate) use rules::STATUS_DESTROY_MANUAL;
// The Server API's `/message/chatroom/publish.json` publishes through these.
pub(crate) use send::{publish, NewChatroomMessage};
