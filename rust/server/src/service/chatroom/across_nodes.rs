//! Chatroom state across the nodes of a cluster: members, rings and activity live in the
//! memory of the node whose connections joined (see [`super::registry`]), so what the
//! whole cluster must agree on is asked of every node ([`crate::bus::questions`]):
//!
//! - the member list, count and membership (the Server API's queries, a member's requests
//!   through a connection of another node, the KV entries of a departing member);
//! - the rooms a user is in, for the one-room rule (R190): a join leaves the user's oldest
//!   rooms on any node;
//! - a leave: the user is out of the room on every node;
//! - the ring of recent messages, when a node's first member joins (later messages reach
//!   it as frames of the room and go into its ring, [`Chatrooms::offer_remote`]);
//! - the room's last activity, before an idle destroy (which then reaches every node).
//!
//! On one node every function here is the registry's own answer, at no cost.

use super::registry::{lock, Chatrooms};
use crate::bus::questions::{Answer, Question};
use crate::state::Shared;
use bytes::{Buf as _, Bytes};
use rcim_proto::codes;
use rcim_proto::v1::Message;
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// Sorts (id, join time) pairs by join time and keeps each id's earliest.
fn earliest_first(list: &mut Vec<(String, i64)>) {
    // Stable: this node's members keep their join order among equal times.
    list.sort_by_key(|(_, t)| *t);
    let mut seen = HashSet::new();
    list.retain(|(id, _)| seen.insert(id.clone()));
}

/// Most members one node lists in an answer (the Server API lists at most 500, and asks
/// about at most 1,000 users at once): an answer stays far below NATS's payload limit.
const MAX_LISTED: u32 = 1_000;
/// Most bytes of messages one ring answer carries (the newest are kept): NATS refuses
/// payloads over 1 MB by default.
const RING_ANSWER_BYTES: usize = 512 * 1024;

/// How many members `room` has on every node, and the first `limit` in join order (the
/// last, with `newest`, newest first), with their join times (ms); `None` when there is
/// no such room. A user who is a member through two nodes counts once in the list, and
/// may count twice in the total.
pub(crate) async fn member_page(
    shared: &Shared,
    room: &str,
    limit: u32,
    newest: bool,
) -> Option<(u64, Vec<(String, i64)>)> {
    let mut members = shared.chatrooms.members(room)?;
    let mut total = members.len() as u64;
    if shared.bus.is_distributed() {
        let question = Question::RoomMembers {
            room: room.to_owned(),
            users: None,
            limit: limit.min(MAX_LISTED),
            newest,
        };
        for (answer, _) in shared.bus.ask_all(question).await.list {
            if let Answer::Members {
                members: m,
                total: t,
            } = answer
            {
                members.extend(m);
                total += t;
            }
        }
        earliest_first(&mut members);
    }
    if newest {
        members.reverse();
    }
    members.truncate(limit as usize);
    Some((total, members))
}

/// Which of `users` are members of `room` on some node.
pub(crate) async fn members_among(
    shared: &Shared,
    room: &str,
    users: &[String],
) -> HashSet<String> {
    let mut found: HashSet<String> = users
        .iter()
        .filter(|u| shared.chatrooms.is_member(room, u))
        .cloned()
        .collect();
    let rest: Vec<String> = users
        .iter()
        .filter(|u| !found.contains(*u))
        .cloned()
        .collect();
    if rest.is_empty() || !shared.bus.is_distributed() {
        return found;
    }
    let question = Question::RoomMembers {
        room: room.to_owned(),
        users: Some(rest),
        limit: MAX_LISTED,
        newest: false,
    };
    for (answer, _) in shared.bus.ask_all(question).await.list {
        if let Answer::Members { members, .. } = answer {
            found.extend(members.into_iter().map(|(u, _)| u));
        }
    }
    found
}

/// Whether `user` is a member of `room` on some node (this one is asked first).
pub(crate) async fn is_member(shared: &Shared, room: &str, user: &str) -> bool {
    membership(shared, room, user).await == Some(true)
}

/// Whether `user` is a member of `room` on some node: `None` when a node did not answer
/// (it may hold the membership).
async fn membership(shared: &Shared, room: &str, user: &str) -> Option<bool> {
    if shared.chatrooms.is_member(room, user) {
        return Some(true);
    }
    if !shared.bus.is_distributed() || !shared.chatrooms.exists(room) {
        return Some(false);
    }
    let question = Question::RoomMembers {
        room: room.to_owned(),
        users: Some(vec![user.to_owned()]),
        limit: 1,
        newest: false,
    };
    let answers = shared.bus.ask_all(question).await;
    let found = answers
        .list
        .iter()
        .any(|(a, _)| matches!(a, Answer::Members { members, .. } if !members.is_empty()));
    if found {
        Some(true)
    } else if answers.complete {
        Some(false)
    } else {
        None
    }
}

/// Whether `user`, asking through a connection of this node, is a member of `room`: the
/// other nodes are asked only when the user has sessions there (otherwise a membership
/// can only be this node's), so requests of non-members cost the cluster nothing.
pub(crate) async fn is_own_member(shared: &Shared, room: &str, user: &str) -> bool {
    shared.chatrooms.is_member(room, user)
        || (shared.user_rates.is_spread(user) && membership(shared, room, user).await == Some(true))
}

/// Whether `user` may still be a member of `room` on some node: true also when a node did
/// not answer, so what a departure deletes is kept when in doubt.
pub(crate) async fn may_be_member(shared: &Shared, room: &str, user: &str) -> bool {
    membership(shared, room, user).await != Some(false)
}

/// Takes `user` out of `room` on the other nodes (their connections there get
/// `kicked{code}`); whether some node had them. The caller settles the KV side.
pub(crate) async fn remove_elsewhere(shared: &Shared, room: &str, user: &str, code: u32) -> bool {
    if !shared.bus.is_distributed() {
        return false;
    }
    let question = Question::RemoveMember {
        room: room.to_owned(),
        user: user.to_owned(),
        code,
    };
    shared
        .bus
        .ask_all(question)
        .await
        .list
        .into_iter()
        .any(|(a, _)| matches!(a, Answer::Removed { removed: true }))
}

/// What a join must know of the other nodes.
#[derive(Debug, Default)]
pub(crate) struct Elsewhere {
    /// The user's rooms on other nodes the join left (R190).
    pub left: Vec<String>,
    /// The user's rooms on other nodes that stay: they count toward the limit.
    pub kept: usize,
}

/// Before `user` joins `room` on a cluster: leaves the user's oldest rooms on other nodes
/// when this node's and theirs together would pass `max_joined_per_user` (this node's are
/// left by the join itself, [`Chatrooms::join_with`]), and, when the join asks for `count`
/// messages and no member of the room is on this node yet, fills its ring from the others'.
pub(crate) async fn before_join(shared: &Shared, room: &str, user: &str, count: u32) -> Elsewhere {
    let mut out = Elsewhere::default();
    if !shared.bus.is_distributed() {
        return out;
    }
    let rooms = &shared.chatrooms;
    let question = Question::UserRooms {
        user: user.to_owned(),
    };
    let mut elsewhere = Vec::new();
    for (answer, _) in shared.bus.ask_all(question).await.list {
        if let Answer::Rooms { rooms } = answer {
            elsewhere.extend(rooms);
        }
    }
    let here: Vec<(String, i64)> = rooms.user_rooms(user);
    elsewhere.retain(|(r, _)| r != room && !here.iter().any(|(h, _)| h == r));
    earliest_first(&mut elsewhere);
    let mut all: Vec<(String, i64, bool)> = here
        .into_iter()
        .filter(|(r, _)| r != room)
        .map(|(r, t)| (r, t, false))
        .chain(elsewhere.iter().map(|(r, t)| (r.clone(), *t, true)))
        .collect();
    all.sort_by_key(|(_, t, _)| *t);
    let excess = (all.len() + 1).saturating_sub(rooms.config.max_joined_per_user);
    for (old, _, remote) in all.into_iter().take(excess) {
        if remote && remove_elsewhere(shared, &old, user, codes::NOT_IN_CHATROOM).await {
            out.left.push(old);
        }
    }
    out.kept = elsewhere.len() - out.left.len().min(elsewhere.len());
    if count > 0 && !rooms.has_members(room) {
        fill_ring(shared, room, count).await;
    }
    out
}

/// Fills `room`'s ring here with the `count` most recent messages of the other nodes'
/// rings.
async fn fill_ring(shared: &Shared, room: &str, count: u32) {
    let question = Question::RoomRing {
        room: room.to_owned(),
        count,
    };
    let mut messages = Vec::new();
    for (answer, body) in shared.bus.ask_all(question).await.list {
        if answer == Answer::Ring {
            messages.extend(ring_messages(body));
        }
    }
    if !messages.is_empty() {
        shared.chatrooms.merge_ring(room, messages);
    }
}

/// The messages of a ring answer's body (what decodes of it).
fn ring_messages(mut body: Bytes) -> Vec<Message> {
    let mut out = Vec::new();
    while body.has_remaining() {
        match <Message as prost::Message>::decode_length_delimited(&mut body) {
            Ok(m) => out.push(m),
            Err(_) => break,
        }
    }
    out
}

/// How long ago `room` was last active on the other nodes (the most recent of their
/// answers); `None` when none knows of activity. A node that did not answer may hold the
/// room's activity: then the room counts as active now (its destroy waits).
pub(crate) async fn idle_elsewhere(shared: &Shared, room: &str) -> Option<Duration> {
    if !shared.bus.is_distributed() {
        return None;
    }
    let question = Question::RoomActivity {
        room: room.to_owned(),
    };
    let answers = shared.bus.ask_all(question).await;
    if !answers.complete {
        return Some(Duration::ZERO);
    }
    answers
        .list
        .into_iter()
        .filter_map(|(a, _)| match a {
            Answer::Activity { idle_ms } => idle_ms,
            _ => None,
        })
        .min()
        .map(Duration::from_millis)
}

/// This node's answer to a chatroom question of another node (`None`: not a chatroom
/// question).
pub(crate) fn answer(shared: &Shared, question: &Question) -> Option<(Answer, Vec<u8>)> {
    let rooms = &shared.chatrooms;
    let answer = match question {
        Question::RoomMembers {
            room,
            users,
            limit,
            newest,
        } => {
            let mut members = rooms.members(room).unwrap_or_default();
            let total = members.len() as u64;
            match users {
                Some(users) => members.retain(|(u, _)| users.contains(u)),
                None if *newest => {
                    members.reverse();
                }
                None => {}
            }
            members.truncate((*limit).min(MAX_LISTED) as usize);
            Answer::Members { members, total }
        }
        Question::UserRooms { user } => Answer::Rooms {
            rooms: rooms.user_rooms(user),
        },
        Question::RoomRing { room, count } => {
            let recent = rooms.recent(room, *count as usize);
            // The newest within the bytes an answer may carry.
            let mut size = 0;
            let keep = recent
                .iter()
                .rev()
                .take_while(|m| {
                    size += prost::Message::encoded_len(*m) + 8;
                    size <= RING_ANSWER_BYTES
                })
                .count();
            let mut body = Vec::new();
            for m in &recent[recent.len() - keep..] {
                // Writing to a Vec cannot fail.
                let _ = prost::Message::encode_length_delimited(m, &mut body);
            }
            return Some((Answer::Ring, body));
        }
        Question::RoomActivity { room } => Answer::Activity {
            idle_ms: rooms.idle_for(room).map(|d| d.as_millis() as u64),
        },
        Question::RemoveMember { room, user, code } => Answer::Removed {
            // The asker settles the KV side (once for the cluster).
            removed: rooms.remove_member(room, user, *code, None),
        },
        Question::Devices { .. } => return None,
    };
    Some((answer, Vec::new()))
}

impl Chatrooms {
    /// The rooms `user` is a member of here, with the join times (ms), oldest first.
    pub(crate) fn user_rooms(&self, user: &str) -> Vec<(String, i64)> {
        let reg = lock(&self.inner);
        let Some(ids) = reg.users.get(user) else {
            return Vec::new();
        };
        ids.iter()
            .filter_map(|id| {
                let cell = reg.rooms.get(id)?;
                let joined = lock(cell).members.get(user)?.joined_ms;
                Some((id.clone(), joined))
            })
            .collect()
    }

    /// Whether some user is a member of `room` here (online or not yet auto-kicked): the
    /// node needs the room's frames from the other nodes.
    pub(crate) fn has_members(&self, room: &str) -> bool {
        self.room(room)
            .is_some_and(|r| !lock(&r).members.is_empty())
    }

    /// The last `count` messages of `room`'s ring here, oldest first.
    pub(crate) fn recent(&self, room: &str, count: usize) -> Vec<Message> {
        self.room(room)
            .map(|r| lock(&r).recent(count))
            .unwrap_or_default()
    }

    /// Merges messages of the other nodes' rings into `room`'s ring here.
    pub(crate) fn merge_ring(&self, room: &str, messages: Vec<Message>) {
        if let Some(r) = self.room(room) {
            lock(&r).merge_ring(messages);
        }
    }

    /// How long ago `room` was last active here.
    pub(crate) fn idle_for(&self, room: &str) -> Option<Duration> {
        self.room(room).map(|r| lock(&r).last_activity.elapsed())
    }

    /// `room` was active on another node `ago`: its idle time counts from then here too.
    pub(crate) fn active_elsewhere(&self, room: &str, ago: Duration) {
        let mut reg = lock(&self.inner);
        let Some(cell) = reg.rooms.get(room).cloned() else {
            return;
        };
        let mut r = lock(&cell);
        let at = Instant::now().checked_sub(ago).unwrap_or_else(Instant::now);
        if at > r.last_activity {
            r.last_activity = at;
            self.schedule_idle(&mut reg, room, &mut r);
        }
    }
}
