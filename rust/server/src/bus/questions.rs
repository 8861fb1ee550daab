//! Questions a node asks every other live node, and their answers: what is held only in
//! the memory of the node that serves a connection (its sessions' devices, its chatroom
//! members, rings and activity) but matters to the whole cluster.
//!
//! The asking node publishes one [`Question`] on the cluster's question subject with a
//! reply inbox and waits for as many answers as there are live nodes, at most a short
//! timeout (a node that died within its TTL costs the asker that wait, and its answer is
//! missing). Every node answers every question, with an empty answer when it holds
//! nothing, so the asker knows when it has heard everyone.

use serde::{Deserialize, Serialize};

/// What a node is asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "q", rename_all = "snake_case")]
pub(crate) enum Question {
    /// Which devices of these users are online on your node?
    Devices { users: Vec<String> },
    /// Who is a member of `room` on your node (joined through one of its connections)?
    /// With `users`, those of them who are; else the first `limit` in join order (the last,
    /// with `newest`), and how many there are.
    RoomMembers {
        room: String,
        users: Option<Vec<String>>,
        limit: u32,
        newest: bool,
    },
    /// Which rooms is `user` a member of on your node?
    UserRooms { user: String },
    /// The last `count` messages of `room`'s ring on your node (body: the messages,
    /// length-delimited, oldest first, at most `RING_ANSWER_BYTES`).
    RoomRing { room: String, count: u32 },
    /// How long ago was `room` last active on your node (a join, leave or message)?
    RoomActivity { room: String },
    /// Take `user` out of `room` on your node: their connections there get
    /// `kicked{code}`, their `delete_when_left` entries go.
    RemoveMember {
        room: String,
        user: String,
        code: u32,
    },
}

/// The answers to one question.
#[derive(Debug)]
pub(crate) struct Answers {
    /// Each answer with its body.
    pub list: Vec<(Answer, bytes::Bytes)>,
    /// Every live node answered (true on one node): what is missing from the answers is
    /// nowhere, not merely unheard of.
    pub complete: bool,
}

impl Default for Answers {
    fn default() -> Self {
        Self {
            list: Vec::new(),
            complete: true,
        }
    }
}

/// A node's answer to a [`Question`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "a", rename_all = "snake_case")]
pub(crate) enum Answer {
    /// (user, device id, platform) of each online session of the users asked.
    Devices { devices: Vec<(String, String, i32)> },
    /// (user, join time ms) of the room's members on the node asked for, and how many
    /// members the room has there.
    Members {
        members: Vec<(String, i64)>,
        total: u64,
    },
    /// (room, join time ms) of the user's rooms on the node.
    Rooms { rooms: Vec<(String, i64)> },
    /// The ring's messages are in the body.
    Ring,
    /// Milliseconds since the room's last activity on the node (none: not known there).
    Activity { idle_ms: Option<u64> },
    /// Whether the user was a member there.
    Removed { removed: bool },
    /// The node could not read the question (a newer node's kind).
    Unknown,
}
