//! Chatrooms in the session (R184–R209): the calls' requests, the rooms this session joined
//! (joined again after every reconnect, R193), the reads in pages of a room's KV entries, and
//! the room events held while the room's join is in flight.
//!
//! Chatroom requests carry no request id (joining twice is joining once): like server reads
//! they are sent once online, correlated by seq, asked again after a reconnect, and fail with
//! 30002 when no connection came within the send timeout, 30003 without an answer. The
//! re-joins of a reconnect are made afresh by each new connection and never fail a call: a
//! refused one forgets its room (its local messages go).
//!
//! A room's entries may not fit in one frame: a join's answer says `more_entries` and the
//! rest is read with `ChatRoomEntriesRequest{after_key}` pages before the join is reported;
//! getChatRoomAllEntries reads page after page while the answer says `more`. A page read cut
//! short by a lost connection starts over with the next one (the join is asked again).
//!
//! Every call gets a ticket in call order: a leave made after a join wins over that join's
//! answer (the room is not remembered again, its messages not stored).
//!
//! The core's side (what a command, an answer or an event does to the session) is in
//! `core/chatroom.rs`; the store work in `chatroom_job.rs`; the events reporting answers and
//! room events in `chatroom_reports.rs`.

use crate::event::EventId;
use rcim_proto::v1::{
    chat_room_event, client_frame, request, ChatRoomEntriesRequest, ChatRoomJoined, ClientFrame,
    JoinChatRoom, LeaveChatRoom, RemoveChatRoomEntries, Request as WireRequest, SetChatRoomEntries,
};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::time::{Duration, Instant};

/// A chatroom call of the engine.
#[derive(Debug)]
pub(crate) struct ChatroomCommand {
    /// What is asked.
    pub(crate) op: ChatroomOp,
    /// The call's correlation.
    pub(crate) event_id: EventId,
}

/// The chatroom calls, with arguments checked by the engine (wire values).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ChatroomOp {
    /// joinChatRoom (`message_count` as sent: 0..=50).
    Join {
        room_id: String,
        message_count: u32,
        auto_create: bool,
    },
    /// leaveChatRoom.
    Leave { room_id: String },
    /// getChatRoomMessages / loadChatRoomMessages.
    History {
        room_id: String,
        timestamp: i64,
        order: u32,
        count: u32,
    },
    /// addChatRoomEntry (`single`) / addChatRoomEntries.
    SetEntries {
        room_id: String,
        entries: BTreeMap<String, String>,
        delete_when_left: bool,
        overwrite: bool,
        single: bool,
    },
    /// removeChatRoomEntry (`single`) / removeChatRoomEntries.
    RemoveEntries {
        room_id: String,
        keys: Vec<String>,
        force: bool,
        single: bool,
    },
    /// getChatRoomEntry (`Some(key)`) / getChatRoomAllEntries (`None`).
    GetEntries {
        room_id: String,
        key: Option<String>,
    },
}

impl ChatroomOp {
    /// The room the call is about.
    pub(crate) fn room_id(&self) -> &str {
        match self {
            ChatroomOp::Join { room_id, .. }
            | ChatroomOp::Leave { room_id }
            | ChatroomOp::History { room_id, .. }
            | ChatroomOp::SetEntries { room_id, .. }
            | ChatroomOp::RemoveEntries { room_id, .. }
            | ChatroomOp::GetEntries { room_id, .. } => room_id,
        }
    }

    fn body(&self) -> request::Body {
        match self.clone() {
            ChatroomOp::Join {
                room_id,
                message_count,
                auto_create,
            } => request::Body::JoinChatroom(JoinChatRoom {
                room_id,
                message_count,
                auto_create,
            }),
            ChatroomOp::Leave { room_id } => {
                request::Body::LeaveChatroom(LeaveChatRoom { room_id })
            }
            ChatroomOp::History {
                room_id,
                timestamp,
                order,
                count,
            } => request::Body::ChatroomHistory(rcim_proto::v1::ChatRoomHistoryRequest {
                room_id,
                timestamp,
                order,
                count,
            }),
            ChatroomOp::SetEntries {
                room_id,
                entries,
                delete_when_left,
                overwrite,
                ..
            } => request::Body::ChatroomSetEntries(SetChatRoomEntries {
                room_id,
                entries: entries.into_iter().collect(),
                delete_when_left,
                overwrite,
            }),
            ChatroomOp::RemoveEntries {
                room_id,
                keys,
                force,
                ..
            } => request::Body::ChatroomRemoveEntries(RemoveChatRoomEntries {
                room_id,
                keys,
                force,
            }),
            ChatroomOp::GetEntries { room_id, key } => {
                request::Body::ChatroomEntries(ChatRoomEntriesRequest {
                    room_id,
                    keys: key.into_iter().collect(),
                    after_key: String::new(),
                })
            }
        }
    }
}

/// How a room was joined: what its re-joins ask again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct JoinSettings {
    /// Recent messages asked (wire value).
    pub(crate) message_count: u32,
    /// Create the room when it is gone.
    pub(crate) auto_create: bool,
}

/// How often a request refused for the connection's request rate (20604) is asked again,
/// and after how long.
pub(crate) const RATE_RETRIES: u8 = 3;
const RATE_WINDOW: Duration = Duration::from_millis(1100);

/// How many events of a room are held while its join is in flight; messages beyond are
/// dropped (the room's messages may be dropped under load, R009), other events are kept.
pub(crate) const MAX_HELD_EVENTS: usize = 1000;

/// A read of a room's entries in pages, under way.
#[derive(Debug, Default)]
pub(crate) struct Pages {
    /// The join's answer waiting for the rest of the room's entries (`None`: a read of all
    /// entries, getChatRoomAllEntries).
    pub(crate) joined: Option<ChatRoomJoined>,
    /// The entries read so far, in key order.
    pub(crate) entries: BTreeMap<String, String>,
}

impl Pages {
    /// The greatest key read so far ("" before any).
    fn last_key(&self) -> String {
        self.entries.keys().next_back().cloned().unwrap_or_default()
    }

    /// Adds a page; true when it brought a key past the previous last one (a page that
    /// does not would be asked for again and again).
    pub(crate) fn add(&mut self, page: impl IntoIterator<Item = (String, String)>) -> bool {
        let before = self.last_key();
        self.entries.extend(page);
        self.last_key() > before
    }
}

/// A chatroom request waiting for the wire or for its answer.
#[derive(Debug)]
pub(crate) struct Pending {
    pub(crate) command: ChatroomCommand,
    /// A re-join made by the session after a reconnect (no call waits for it).
    pub(crate) rejoin: bool,
    /// The call's place among this session's chatroom calls.
    pub(crate) ticket: u64,
    /// A read in pages under way: the next request asks for the entries after the last key.
    pub(crate) pages: Option<Pages>,
    /// When it was asked or, once on the wire, sent.
    since: Instant,
    /// Times it was refused for the request rate and asked again.
    pub(crate) retries: u8,
    /// Not sent before then (asked again after the rate window).
    not_before: Option<Instant>,
}

impl Pending {
    /// The request on the wire: the call's, or the next page of a read in pages.
    fn body(&self) -> request::Body {
        match &self.pages {
            Some(pages) => request::Body::ChatroomEntries(ChatRoomEntriesRequest {
                room_id: self.command.op.room_id().to_string(),
                keys: Vec::new(),
                after_key: pages.last_key(),
            }),
            None => self.command.op.body(),
        }
    }

    fn is_join_of(&self, room_id: &str) -> bool {
        matches!(&self.command.op, ChatroomOp::Join { room_id: r, .. } if r == room_id)
    }
}

/// The chatroom state of a session.
#[derive(Debug, Default)]
pub(crate) struct Chatrooms {
    /// The rooms joined in this session, by id.
    joined: BTreeMap<String, JoinSettings>,
    waiting: VecDeque<Pending>,
    inflight: HashMap<u64, Pending>,
    /// The next call's ticket.
    next_ticket: u64,
    /// The ticket of the last leave of a room made while a join of it was in flight.
    left_at: HashMap<String, u64>,
    /// Events of rooms whose join is in flight, in arrival order.
    held: HashMap<String, Vec<chat_room_event::Body>>,
}

impl Chatrooms {
    fn pending(&self, command: ChatroomCommand, rejoin: bool, now: Instant) -> Pending {
        Pending {
            command,
            rejoin,
            ticket: 0,
            pages: None,
            since: now,
            retries: 0,
            not_before: None,
        }
    }

    fn ticket(&mut self) -> u64 {
        self.next_ticket += 1;
        self.next_ticket
    }

    /// Queues a request. A leave of a room whose join is in flight supersedes that join.
    pub(crate) fn push(&mut self, command: ChatroomCommand, rejoin: bool, now: Instant) {
        let mut pending = self.pending(command, rejoin, now);
        pending.ticket = self.ticket();
        if let ChatroomOp::Leave { room_id } = &pending.command.op {
            if self.is_joining(room_id) {
                self.left_at.insert(room_id.clone(), pending.ticket);
            }
        }
        self.waiting.push_back(pending);
    }

    /// Asks `pending` again once the server's rate window has passed (it was refused with
    /// 20604).
    pub(crate) fn retry_later(&mut self, mut pending: Pending, now: Instant) {
        pending.retries += 1;
        pending.not_before = Some(now + RATE_WINDOW);
        self.waiting.push_back(pending);
    }

    /// Asks for the next page of `pending`'s read in pages, first thing.
    pub(crate) fn next_page(&mut self, mut pending: Pending, now: Instant) {
        pending.since = now;
        pending.retries = 0;
        pending.not_before = None;
        self.waiting.push_front(pending);
    }

    /// Whether a leave of its room was made after `pending` (a join) was asked.
    pub(crate) fn superseded(&self, pending: &Pending) -> bool {
        self.left_at
            .get(pending.command.op.room_id())
            .is_some_and(|&left| left > pending.ticket)
    }

    /// Remembers a joined room (re-joined after reconnects).
    pub(crate) fn remember(&mut self, room_id: &str, settings: JoinSettings) {
        self.joined.insert(room_id.to_string(), settings);
    }

    /// Forgets a room; true when it was joined.
    pub(crate) fn forget(&mut self, room_id: &str) -> bool {
        self.joined.remove(room_id).is_some()
    }

    /// Whether this session is in `room_id`.
    pub(crate) fn is_joined(&self, room_id: &str) -> bool {
        self.joined.contains_key(room_id)
    }

    /// Whether a join of `room_id` waits for the wire or for its answer (or pages).
    pub(crate) fn is_joining(&self, room_id: &str) -> bool {
        self.waiting.iter().any(|p| p.is_join_of(room_id))
            || self.inflight.values().any(|p| p.is_join_of(room_id))
    }

    /// Whether this session is in `room_id` or asked to join it.
    pub(crate) fn is_joined_or_joining(&self, room_id: &str) -> bool {
        self.is_joined(room_id) || self.is_joining(room_id)
    }

    /// Holds an event of `room_id` while the room's join is in flight (it is given back by
    /// [`Chatrooms::join_over`]); gives it back at once otherwise.
    pub(crate) fn hold(
        &mut self,
        room_id: &str,
        body: chat_room_event::Body,
    ) -> Option<chat_room_event::Body> {
        if !self.is_joining(room_id) {
            return Some(body);
        }
        let held = self.held.entry(room_id.to_string()).or_default();
        if held.len() >= MAX_HELD_EVENTS && matches!(body, chat_room_event::Body::Message(_)) {
            tracing::debug!(room = %room_id, "too many events held during a join: message dropped");
        } else {
            held.push(body);
        }
        None
    }

    /// A join of `room_id` is over (answered, refused, superseded or expired): when no other
    /// join of the room is in flight, the room's held events, in order.
    pub(crate) fn join_over(&mut self, room_id: &str) -> Vec<chat_room_event::Body> {
        if self.is_joining(room_id) {
            return Vec::new();
        }
        self.left_at.remove(room_id);
        self.held.remove(room_id).unwrap_or_default()
    }

    /// A new connection: a re-join of every joined room (the server may have lost the
    /// membership: a restart, or the auto-kick of a member offline too long).
    pub(crate) fn rejoin_all(&mut self, now: Instant) {
        let asked: HashSet<String> = self
            .waiting
            .iter()
            .filter(|p| matches!(p.command.op, ChatroomOp::Join { .. }))
            .map(|p| p.command.op.room_id().to_string())
            .collect();
        let rejoins: Vec<(String, JoinSettings)> = self
            .joined
            .iter()
            .filter(|(room, _)| !asked.contains(*room))
            .map(|(room, settings)| (room.clone(), *settings))
            .collect();
        let mut pendings = Vec::with_capacity(rejoins.len());
        for (room_id, settings) in rejoins {
            let command = ChatroomCommand {
                op: ChatroomOp::Join {
                    room_id,
                    message_count: settings.message_count,
                    auto_create: settings.auto_create,
                },
                event_id: None,
            };
            let mut pending = self.pending(command, true, now);
            pending.ticket = self.ticket();
            pendings.push(pending);
        }
        // Re-joins go first: the calls waiting behind them may need the membership.
        for pending in pendings.into_iter().rev() {
            self.waiting.push_front(pending);
        }
    }

    /// Frames for every waiting request, numbered by `seq`.
    pub(crate) fn take_ready(
        &mut self,
        now: Instant,
        mut seq: impl FnMut() -> u64,
    ) -> Vec<ClientFrame> {
        let mut frames = Vec::with_capacity(self.waiting.len());
        let mut later = VecDeque::new();
        while let Some(mut pending) = self.waiting.pop_front() {
            if pending.not_before.is_some_and(|t| t > now) {
                later.push_back(pending);
                continue;
            }
            let seq = seq();
            frames.push(ClientFrame {
                seq,
                body: Some(client_frame::Body::Request(WireRequest {
                    request_id: String::new(),
                    body: Some(pending.body()),
                })),
            });
            pending.since = now;
            self.inflight.insert(seq, pending);
        }
        self.waiting = later;
        frames
    }

    /// The request answered by the frame numbered `seq`, if it is one.
    pub(crate) fn answered(&mut self, seq: u64) -> Option<Pending> {
        self.inflight.remove(&seq)
    }

    /// After a lost connection, unanswered calls wait to be asked again (a read in pages from
    /// its start: a join is asked again whole); re-joins are dropped (the next connection
    /// makes its own).
    pub(crate) fn requeue_inflight(&mut self, now: Instant) {
        let mut inflight: Vec<(u64, Pending)> = self.inflight.drain().collect();
        inflight.sort_by_key(|(seq, _)| *seq);
        for (_, mut pending) in inflight.into_iter().rev() {
            if pending.rejoin {
                continue;
            }
            pending.since = now;
            pending.pages = None;
            self.waiting.push_front(pending);
        }
        self.waiting.retain(|p| !p.rejoin);
        for pending in self.waiting.iter_mut() {
            pending.pages = None;
        }
        // Events held for a join that will not be answered any more: kept only for rooms
        // joined (their re-join comes) or still being joined.
        let rooms: Vec<String> = self.held.keys().cloned().collect();
        for room in rooms {
            if !self.is_joined_or_joining(&room) {
                self.held.remove(&room);
                self.left_at.remove(&room);
            }
        }
    }

    /// The calls that waited longer than `timeout` for a connection (30002) or longer than
    /// `ack_timeout` for their answer (30003), taken out with their codes. Re-joins never
    /// expire while waiting for a connection.
    pub(crate) fn expire(
        &mut self,
        now: Instant,
        timeout: Duration,
        ack_timeout: Duration,
    ) -> Vec<(Pending, u32)> {
        let mut expired = Vec::new();
        let (late, waiting): (Vec<_>, Vec<_>) = self
            .waiting
            .drain(..)
            .partition(|p| !p.rejoin && now.saturating_duration_since(p.since) > timeout);
        self.waiting = waiting.into();
        expired.extend(
            late.into_iter()
                .map(|p| (p, crate::codes::NETWORK_UNAVAILABLE)),
        );
        let overdue: Vec<u64> = self
            .inflight
            .iter()
            .filter(|(_, p)| now.saturating_duration_since(p.since) > ack_timeout)
            .map(|(seq, _)| *seq)
            .collect();
        for seq in overdue {
            if let Some(p) = self.inflight.remove(&seq) {
                expired.push((p, crate::codes::MSG_RESPONSE_TIMEOUT));
            }
        }
        expired
    }

    /// Every request still there (the session ends); the joined rooms and held events are
    /// forgotten.
    pub(crate) fn take_all(&mut self) -> Vec<Pending> {
        self.joined.clear();
        self.held.clear();
        self.left_at.clear();
        let mut inflight: Vec<(u64, Pending)> = self.inflight.drain().collect();
        inflight.sort_by_key(|(seq, _)| *seq);
        inflight
            .into_iter()
            .map(|(_, p)| p)
            .chain(self.waiting.drain(..))
            .collect()
    }
}
