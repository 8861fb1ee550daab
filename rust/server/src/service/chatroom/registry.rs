//! The registry of the rooms this node serves ([`Chatrooms`]): which rooms exist, who is in
//! them through which connections, and the operations that change that.
//!
//! Locks: the registry's own (room map, connection and user indexes) and one per room
//! (members, ring, clock). Membership changes take the registry's lock, then the room's;
//! delivery takes the room's lock only, so a busy room holds up no other. Nothing waits
//! while holding either: frames are offered to bounded queues with `try_send`.
//!
//! The KV side of a departure (see [`super::hooks`]) needs the server's shared state, which
//! the registry does not hold: the async service functions call the hook themselves, and
//! [`Chatrooms::kick_user`] queues it for the chatroom task ([`Hook`]). Creating and
//! destroying rooms (with their stored rows and KV) is in [`super::lifecycle`].

use super::delivery::{encode_event, offer, ChatroomStats, Counters, MemberConn, Priority, Tally};
use super::room::Room;
use crate::config::ChatroomConfig;
use crate::hub::ConnId;
use crate::store::RoomRecord;
use crate::util::now_ms;
use rcim_proto::codes;
use rcim_proto::v1::{chat_room_event, ChatRoomMemberAction, ChatRoomMembersChanged, Message};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;
use tokio::sync::mpsc;

/// Most member actions in one `members_changed` event (a frame must stay small).
const MAX_ACTIONS_PER_EVENT: usize = 200;

/// KV work left to the chatroom task by callers that have no shared state.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Hook {
    MemberLeft { room: String, user: String },
}

pub(super) type RoomCell = Arc<Mutex<Room>>;

#[derive(Default)]
pub(super) struct Registry {
    pub(super) rooms: HashMap<String, RoomCell>,
    /// Each connection in some room: its user and those rooms.
    conns: HashMap<ConnId, (String, Vec<String>)>,
    /// The rooms each user is a member of, oldest join first (R190).
    pub(super) users: HashMap<String, Vec<String>>,
    /// Rooms with member actions not announced yet.
    pub(super) dirty: HashSet<String>,
    /// When to look at which room for the idle destroy, soonest first: only rooms due are
    /// looked at (an entry whose room's [`Room::idle_check`] differs is stale).
    pub(super) idle_checks: BTreeSet<(Instant, String)>,
}

/// What a join did.
#[derive(Debug)]
pub(crate) struct Joined {
    /// The most recent messages asked for, oldest first.
    pub messages: Vec<Message>,
    /// Rooms the user left by joining (R190).
    pub left: Vec<String>,
}

/// A new message as the room stamps it.
pub(crate) struct Posted {
    pub message: Message,
    /// Offline members due for the auto-kick (R194).
    pub auto_kick: Vec<String>,
}

/// Where a room's frames go besides this node's members: the bus to the other nodes'
/// members (room, encoded frame, high priority). Called under the room's lock: it must
/// not wait.
pub(crate) type Relay = Box<dyn Fn(&str, &bytes::Bytes, bool) + Send + Sync>;

/// Where changes of the room records, moderation lists and KV entries go besides this
/// node's memory: the bus to the other nodes' (see [`super::sync`]). Must not wait.
pub(crate) type Notices = Box<dyn Fn(crate::bus::records::RecordChange) + Send + Sync>;

/// The chatrooms this node serves.
pub(crate) struct Chatrooms {
    /// Set once at start on a node of a cluster.
    relay: std::sync::OnceLock<Relay>,
    /// Set once at start on a node of a cluster.
    pub(super) notices: std::sync::OnceLock<Notices>,
    /// Woken by each room created on another node (see `Chatrooms::settle`).
    pub(super) arrived: tokio::sync::Notify,
    /// The rooms' KV entries in memory ([`super::kv`]).
    pub(crate) kv: super::kv::KvRooms,
    /// The rooms' moderation lists in memory ([`super::moderation`]).
    pub(crate) moderation: super::moderation::RoomModeration,
    pub(super) config: ChatroomConfig,
    pub(super) inner: Mutex<Registry>,
    pub(super) counters: Counters,
    hooks: mpsc::UnboundedSender<Hook>,
    hooks_rx: Mutex<Option<mpsc::UnboundedReceiver<Hook>>>,
    /// Held by creations and destroys (with their store writes and KV deletion), so they
    /// happen one at a time: a room destroyed while being created, or created again while
    /// its old rows are deleted, cannot end half-made.
    pub(super) lifecycle: tokio::sync::Mutex<()>,
}

pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding a lock leaves no half-done change that matters more than the
    // room going on.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Chatrooms {
    /// A registry holding `rooms` (read from the store at start), without members.
    pub(crate) fn new(config: ChatroomConfig, rooms: Vec<RoomRecord>) -> Self {
        // Unbounded: only kicks of the Server API feed it (one entry per user of a call, each
        // call bounded), and the task drains it without waiting.
        let (hooks, rx) = mpsc::unbounded_channel();
        let this = Self {
            relay: std::sync::OnceLock::new(),
            notices: std::sync::OnceLock::new(),
            arrived: tokio::sync::Notify::new(),
            kv: Default::default(),
            moderation: Default::default(),
            config,
            inner: Mutex::new(Registry::default()),
            counters: Counters::default(),
            hooks,
            hooks_rx: Mutex::new(Some(rx)),
            lifecycle: tokio::sync::Mutex::new(()),
        };
        {
            let mut reg = lock(&this.inner);
            for r in rooms {
                this.insert_room(&mut reg, r);
            }
        }
        this
    }

    /// Sends every message and room event to `relay` too (the other nodes' members).
    pub(crate) fn set_relay(&self, relay: Relay) {
        let _ = self.relay.set(relay);
    }

    fn relay(&self, room: &str, frame: &bytes::Bytes, priority: Priority) {
        if let Some(relay) = self.relay.get() {
            relay(room, frame, priority == Priority::High);
        }
    }

    /// A frame of `room` from another node: offered to this node's member connections with
    /// the same priority rules; the `message` it carries goes into the ring and counts
    /// toward the auto-kick here. Returns the offline members here due for the auto-kick
    /// (R194).
    pub(crate) fn offer_remote(
        &self,
        room: &str,
        frame: &bytes::Bytes,
        high: bool,
        message: Option<&Message>,
    ) -> Vec<String> {
        let Some(cell) = self.room(room) else {
            return Vec::new();
        };
        let priority = if high {
            Priority::High
        } else {
            Priority::Low {
                share: self.config.low_priority_share,
            }
        };
        let mut r = lock(&cell);
        self.offer_all(&r, frame, priority, None);
        match message {
            Some(m) => {
                // A ring filled from the other nodes may hold it already.
                r.record_once(m);
                r.auto_kick_due(self.config.auto_kick_after, self.config.auto_kick_messages)
            }
            None => Vec::new(),
        }
    }

    /// The queue of [`Hook`]s (taken once, by the chatroom task).
    pub(crate) fn take_hooks(&self) -> Option<mpsc::UnboundedReceiver<Hook>> {
        lock(&self.hooks_rx).take()
    }

    pub(super) fn room(&self, room: &str) -> Option<RoomCell> {
        lock(&self.inner).rooms.get(room).cloned()
    }

    /// Whether room `room` exists.
    pub(crate) fn exists(&self, room: &str) -> bool {
        lock(&self.inner).rooms.contains_key(room)
    }

    /// The stored record of `room`.
    pub(crate) fn record(&self, room: &str) -> Option<RoomRecord> {
        self.room(room).map(|r| lock(&r).record.clone())
    }

    /// Every room id.
    #[cfg(test)]
    pub(crate) fn room_ids(&self) -> Vec<String> {
        lock(&self.inner).rooms.keys().cloned().collect()
    }

    /// The members of `room` in join order, with their join times (ms); `None` when there is
    /// no such room. Members offline but not yet auto-kicked are listed.
    pub(crate) fn members(&self, room: &str) -> Option<Vec<(String, i64)>> {
        self.room(room).map(|r| lock(&r).member_list())
    }

    /// Whether `user` is a member of `room`.
    pub(crate) fn is_member(&self, room: &str, user: &str) -> bool {
        self.room(room)
            .is_some_and(|r| lock(&r).members.contains_key(user))
    }

    /// Removes `user` from `room`: their connections get `kicked{code}` (23409 blocked,
    /// 23406 auto-kicked), the others a LEAVE, and their KV entries with `delete_when_left`
    /// go (queued for the chatroom task). False when not a member.
    pub(crate) fn kick_user(&self, room: &str, user: &str, code: u32) -> bool {
        let removed = self.remove_member(room, user, code, None);
        if removed {
            let _ = self.hooks.send(Hook::MemberLeft {
                room: room.to_owned(),
                user: user.to_owned(),
            });
        }
        removed
    }

    /// Sends `event` to every connection in `room` but `except_conn`, with high priority.
    /// Returns the connections it was queued for.
    pub(crate) fn broadcast(
        &self,
        room: &str,
        event: chat_room_event::Body,
        except_conn: Option<ConnId>,
    ) -> usize {
        let Some(cell) = self.room(room) else {
            return 0;
        };
        let frame = encode_event(room, event);
        let r = lock(&cell);
        self.relay(room, &frame, Priority::High);
        self.offer_all(&r, &frame, Priority::High, except_conn)
    }

    pub(super) fn offer_all(
        &self,
        r: &Room,
        frame: &bytes::Bytes,
        priority: Priority,
        except_conn: Option<ConnId>,
    ) -> usize {
        // Counted here and added once: a room may have thousands of members.
        let mut tally = Tally::default();
        for (_, conn) in r.conns() {
            if Some(conn.conn_id) != except_conn {
                tally.add(offer(conn, frame, priority));
            }
        }
        self.counters.add(&tally);
        tally.queued
    }

    /// Delivery counters.
    pub(crate) fn stats(&self) -> ChatroomStats {
        self.counters.stats()
    }

    /// Connection `conn_id` went away: it stays a member of its rooms until auto-kicked
    /// (R194), so a reconnect that re-joins in time keeps its place.
    pub(crate) fn connection_closed(&self, conn_id: ConnId) {
        let mut reg = lock(&self.inner);
        let Some((user, rooms)) = reg.conns.remove(&conn_id) else {
            return;
        };
        for room in rooms {
            if let Some(cell) = reg.rooms.get(&room) {
                lock(cell).conn_closed(&user, conn_id);
            }
        }
    }

    /// `conn` of `user` joins `room` (see `JoinChatRoom`): leaves the user's oldest rooms
    /// beyond `max_joined_per_user` first (R190; the user's other connections there get
    /// `kicked{23406}`), returns the last `message_count` messages. 23410 when the room
    /// does not exist, 23409 when the user is blocked from it: checked under the lock a
    /// block's kick takes, so a block made while the join was on its way either refuses it
    /// here or finds the member to kick.
    #[cfg(test)]
    pub(crate) fn join(
        &self,
        room: &str,
        user: &str,
        conn: MemberConn,
        message_count: usize,
    ) -> Result<Joined, u32> {
        self.join_with(room, user, conn, message_count, 0, |joined| joined)
    }

    /// [`Self::join`], handing what it did to `answer` while the room's lock is held, right
    /// after the membership starts: what `answer` queues on the member's connection comes
    /// before any event of the room (messages, member and KV changes are offered under that
    /// lock). `answer` must not call the registry. `kept_elsewhere`: the user's rooms on
    /// other nodes, which count toward the limit (see `across_nodes::before_join`).
    pub(crate) fn join_with<T>(
        &self,
        room: &str,
        user: &str,
        conn: MemberConn,
        message_count: usize,
        kept_elsewhere: usize,
        answer: impl FnOnce(Joined) -> T,
    ) -> Result<T, u32> {
        let mut reg = lock(&self.inner);
        let Some(cell) = reg.rooms.get(room).cloned() else {
            return Err(codes::CHATROOM_NOT_EXIST);
        };
        if self.moderation.is_blocked(room, user) {
            return Err(codes::KICKED_FROM_CHATROOM);
        }
        let mut left = Vec::new();
        let joined: Vec<String> = reg.users.get(user).cloned().unwrap_or_default();
        if !joined.iter().any(|r| r == room) {
            let excess =
                (joined.len() + 1 + kept_elsewhere).saturating_sub(self.config.max_joined_per_user);
            for old in joined.into_iter().take(excess) {
                self.remove_locked(
                    &mut reg,
                    &old,
                    user,
                    codes::NOT_IN_CHATROOM,
                    Some(conn.conn_id),
                );
                left.push(old);
            }
        }
        let conn_id = conn.conn_id;
        let mut r = lock(&cell);
        if r.add(user, conn, now_ms()) {
            reg.dirty.insert(room.to_owned());
        }
        let messages = r.recent(message_count);
        let rooms = reg.users.entry(user.to_owned()).or_default();
        if !rooms.iter().any(|x| x == room) {
            rooms.push(room.to_owned());
        }
        let entry = reg
            .conns
            .entry(conn_id)
            .or_insert_with(|| (user.to_owned(), Vec::new()));
        if !entry.1.iter().any(|x| x == room) {
            entry.1.push(room.to_owned());
        }
        let answered = answer(Joined { messages, left });
        drop(r);
        Ok(answered)
    }

    /// `user` leaves `room` (from connection `conn_id`; their other connections there get
    /// `kicked{23406}`). False when not a member.
    pub(crate) fn leave(&self, room: &str, user: &str, conn_id: ConnId) -> bool {
        self.remove_member(room, user, codes::NOT_IN_CHATROOM, Some(conn_id))
    }

    pub(super) fn remove_member(
        &self,
        room: &str,
        user: &str,
        code: u32,
        except: Option<ConnId>,
    ) -> bool {
        let mut reg = lock(&self.inner);
        self.remove_locked(&mut reg, room, user, code, except)
    }

    /// Removes `user` from `room`; their connections but `except` get `kicked{code}`.
    fn remove_locked(
        &self,
        reg: &mut Registry,
        room: &str,
        user: &str,
        code: u32,
        except: Option<ConnId>,
    ) -> bool {
        let Some(cell) = reg.rooms.get(room).cloned() else {
            return false;
        };
        let Some(conns) = lock(&cell).remove(user) else {
            return false;
        };
        reg.dirty.insert(room.to_owned());
        let kicked = encode_event(room, chat_room_event::Body::Kicked(code));
        for conn in &conns {
            unlink_conn(reg, conn.conn_id, room);
            if Some(conn.conn_id) != except {
                self.counters.count(offer(conn, &kicked, Priority::High));
            }
        }
        unlink_user(reg, user, room);
        tracing::debug!(room, user, code, "left the chatroom");
        true
    }

    /// Stamps a new message of `room` (uid and sent time from `make(sent_time)`), keeps it
    /// in the ring and offers it, encoded once, to every member connection but
    /// `except_conn`. `None` when the room does not exist.
    pub(crate) fn post(
        &self,
        room: &str,
        high_priority: bool,
        except_conn: Option<ConnId>,
        make: impl FnOnce(i64) -> Message,
    ) -> Option<Posted> {
        let cell = self.room(room)?;
        let mut r = lock(&cell);
        let message = make(r.next_sent_time(now_ms()));
        r.record(&message);
        let frame = encode_event(room, chat_room_event::Body::Message(message.clone()));
        let priority = if high_priority {
            Priority::High
        } else {
            Priority::Low {
                share: self.config.low_priority_share,
            }
        };
        self.relay(room, &frame, priority);
        self.offer_all(&r, &frame, priority, except_conn);
        let auto_kick =
            r.auto_kick_due(self.config.auto_kick_after, self.config.auto_kick_messages);
        Some(Posted { message, auto_kick })
    }

    /// Whether messages of `object_name` are delivered with high priority.
    pub(crate) fn is_high_priority(&self, object_name: &str) -> bool {
        self.config
            .high_priority_object_names
            .iter()
            .any(|n| n == object_name)
    }

    /// Announces the member actions queued since the last call: one `members_changed` per
    /// room per call to each member connection (a user's own actions are left out of what
    /// their connections get), in rooms of at most `member_events_max_members` members
    /// (counted on this node). Low priority: member lists are informative. On a bus the
    /// other nodes' members get every action of the batch (through the relay).
    pub(crate) fn flush_member_events(&self) {
        let cells: Vec<(String, RoomCell)> = {
            let mut reg = lock(&self.inner);
            let dirty = std::mem::take(&mut reg.dirty);
            dirty
                .into_iter()
                .filter_map(|id| reg.rooms.get(&id).cloned().map(|c| (id, c)))
                .collect()
        };
        let priority = Priority::Low {
            share: self.config.low_priority_share,
        };
        for (id, cell) in cells {
            let mut r = lock(&cell);
            let actions = std::mem::take(&mut r.pending_actions);
            if r.members.len() > self.config.member_events_max_members {
                continue;
            }
            for chunk in actions.chunks(MAX_ACTIONS_PER_EVENT) {
                let event = |actions: Vec<ChatRoomMemberAction>| {
                    encode_event(
                        &id,
                        chat_room_event::Body::MembersChanged(ChatRoomMembersChanged { actions }),
                    )
                };
                let all = event(chunk.to_vec());
                // The actors are this node's members: the other nodes' members get it all.
                self.relay(&id, &all, priority);
                let actors: HashSet<&str> = chunk.iter().map(|a| a.user_id.as_str()).collect();
                let mut own: HashMap<&str, Option<bytes::Bytes>> = HashMap::new();
                for (user, conn) in r.conns() {
                    let frame = if actors.contains(user.as_str()) {
                        let others = own.entry(user.as_str()).or_insert_with(|| {
                            let rest: Vec<_> = chunk
                                .iter()
                                .filter(|a| a.user_id != *user)
                                .cloned()
                                .collect();
                            (!rest.is_empty()).then(|| event(rest))
                        });
                        match others {
                            Some(f) => f.clone(),
                            None => continue,
                        }
                    } else {
                        all.clone()
                    };
                    self.counters.count(offer(conn, &frame, priority));
                }
            }
        }
    }
}

/// Forgets that `conn_id` is in `room`.
pub(super) fn unlink_conn(reg: &mut Registry, conn_id: ConnId, room: &str) {
    if let Some((_, rooms)) = reg.conns.get_mut(&conn_id) {
        rooms.retain(|r| r != room);
        if rooms.is_empty() {
            reg.conns.remove(&conn_id);
        }
    }
}

/// Forgets that `user` is in `room`.
pub(super) fn unlink_user(reg: &mut Registry, user: &str, room: &str) {
    if let Some(rooms) = reg.users.get_mut(user) {
        rooms.retain(|r| r != room);
        if rooms.is_empty() {
            reg.users.remove(user);
        }
    }
}

#[cfg(test)]
#[path = "registry_tests.rs"]
mod tests;
