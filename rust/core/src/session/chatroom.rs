//! Chatrooms in the session (R184–R209): the calls' requests, the rooms this session joined
//! (joined again after every reconnect, R193), and what the answers and the server's room
//! events become: store work (chatroom messages stored, a room's local messages deleted) and
//! the events to announce after it.
//!
//! Chatroom requests carry no request id (joining twice is joining once): like server reads
//! they are sent once online, correlated by seq, asked again after a reconnect, and fail with
//! 30002 when no connection came within the send timeout, 30003 without an answer. The
//! re-joins of a reconnect are made afresh by each new connection and never fail a call: a
//! refused one forgets its room (its local messages go).
//!
//! The core's side (what a command, an answer or an event does to the session) is in
//! `core/chatroom.rs`; this file holds the state and the pure conversions.

use crate::codec;
use crate::event::{
    chatroom_status, entries_operation, ChatRoomMemberAction, ChatroomEvent, Event, EventId,
};
use crate::model::Message;
use rcim_proto::v1::{
    client_frame, request, response, ChatRoomEntriesRequest, ClientFrame, JoinChatRoom,
    LeaveChatRoom, RemoveChatRoomEntries, Request as WireRequest, SetChatRoomEntries,
};
use rcim_store::{MessageRow, NewMessage, Store, StoreError};
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

/// A chatroom request waiting for the wire or for its answer.
#[derive(Debug)]
pub(crate) struct Pending {
    pub(crate) command: ChatroomCommand,
    /// A re-join made by the session after a reconnect (no call waits for it).
    pub(crate) rejoin: bool,
    /// When it was asked or, once on the wire, sent.
    since: Instant,
    /// Times it was refused for the request rate and asked again.
    pub(crate) retries: u8,
    /// Not sent before then (asked again after the rate window).
    not_before: Option<Instant>,
}

/// The chatroom state of a session.
#[derive(Debug, Default)]
pub(crate) struct Chatrooms {
    /// The rooms joined in this session, by id.
    joined: BTreeMap<String, JoinSettings>,
    waiting: VecDeque<Pending>,
    inflight: HashMap<u64, Pending>,
}

impl Chatrooms {
    /// Queues a request.
    pub(crate) fn push(&mut self, command: ChatroomCommand, rejoin: bool, now: Instant) {
        self.waiting.push_back(Pending {
            command,
            rejoin,
            since: now,
            retries: 0,
            not_before: None,
        });
    }

    /// Asks `pending` again once the server's rate window has passed (it was refused with
    /// 20604).
    pub(crate) fn retry_later(&mut self, mut pending: Pending, now: Instant) {
        pending.retries += 1;
        pending.not_before = Some(now + RATE_WINDOW);
        self.waiting.push_back(pending);
    }

    /// Remembers a joined room (re-joined after reconnects).
    pub(crate) fn remember(&mut self, room_id: &str, settings: JoinSettings) {
        self.joined.insert(room_id.to_string(), settings);
    }

    /// Forgets a room; true when it was joined.
    pub(crate) fn forget(&mut self, room_id: &str) -> bool {
        self.joined.remove(room_id).is_some()
    }

    /// Whether this session is in `room_id` or asked to join it.
    pub(crate) fn is_joined_or_joining(&self, room_id: &str) -> bool {
        let joining = |p: &Pending| matches!(&p.command.op, ChatroomOp::Join { room_id: r, .. } if r == room_id);
        self.joined.contains_key(room_id)
            || self.waiting.iter().any(joining)
            || self.inflight.values().any(joining)
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
        let rejoins: Vec<Pending> = self
            .joined
            .iter()
            .filter(|(room, _)| !asked.contains(*room))
            .map(|(room, settings)| Pending {
                command: ChatroomCommand {
                    op: ChatroomOp::Join {
                        room_id: room.clone(),
                        message_count: settings.message_count,
                        auto_create: settings.auto_create,
                    },
                    event_id: None,
                },
                rejoin: true,
                since: now,
                retries: 0,
                not_before: None,
            })
            .collect();
        // Re-joins go first: the calls waiting behind them may need the membership.
        for pending in rejoins.into_iter().rev() {
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
                    body: Some(pending.command.op.body()),
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

    /// After a lost connection, unanswered calls wait to be asked again; re-joins are
    /// dropped (the next connection makes its own).
    pub(crate) fn requeue_inflight(&mut self, now: Instant) {
        let mut inflight: Vec<(u64, Pending)> = self.inflight.drain().collect();
        inflight.sort_by_key(|(seq, _)| *seq);
        for (_, mut pending) in inflight.into_iter().rev() {
            if pending.rejoin {
                continue;
            }
            pending.since = now;
            self.waiting.push_front(pending);
        }
        self.waiting.retain(|p| !p.rejoin);
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

    /// Every request still there (the session ends), and the joined rooms are forgotten.
    pub(crate) fn take_all(&mut self) -> Vec<Pending> {
        self.joined.clear();
        let mut inflight: Vec<(u64, Pending)> = self.inflight.drain().collect();
        inflight.sort_by_key(|(seq, _)| *seq);
        inflight
            .into_iter()
            .map(|(_, p)| p)
            .chain(self.waiting.drain(..))
            .collect()
    }
}

/// A chatroom message to announce: stored first when it is a stored kind.
#[derive(Debug)]
pub(crate) enum Received {
    /// Stored (announced only when new to the store).
    Stored(Box<NewMessage>),
    /// Not stored (commands, status messages): announced as it is.
    Unstored(Box<Message>),
}

/// Store work of chatrooms: the local messages of the `clear` rooms are deleted, then the
/// `received` messages stored; then the messages are announced (`onMessageReceived`, in order,
/// those already stored skipped) and the `after` events follow.
#[derive(Debug, Default)]
pub(crate) struct ChatroomJob {
    pub(crate) clear: Vec<String>,
    pub(crate) received: Vec<Received>,
    pub(crate) after: Vec<Event>,
}

/// What a [`ChatroomJob`] leaves to announce.
#[derive(Debug)]
pub(crate) struct ChatroomDone {
    /// The messages to announce, in order (none when storing failed).
    pub(crate) messages: Vec<Message>,
    /// The events after them.
    pub(crate) after: Vec<Event>,
    /// Why the store work failed, if it did.
    pub(crate) error: Option<StoreError>,
}

/// Runs a [`ChatroomJob`] on the store.
pub(crate) fn run_job(store: &mut Store, job: ChatroomJob) -> ChatroomDone {
    let rows: Vec<NewMessage> = job
        .received
        .iter()
        .filter_map(|r| match r {
            Received::Stored(new) => Some((**new).clone()),
            Received::Unstored(_) => None,
        })
        .collect();
    let stored = store.atomically(|s| {
        for room in &job.clear {
            s.delete_chatroom_messages(room)?;
        }
        if rows.is_empty() {
            Ok(Vec::new())
        } else {
            s.store_chatroom_messages(&rows)
        }
    });
    match stored {
        Ok(inserted) => {
            let mut by_uid: HashMap<String, MessageRow> = inserted
                .into_iter()
                .filter_map(|row| row.uid.clone().map(|uid| (uid, row)))
                .collect();
            let messages = job
                .received
                .into_iter()
                .filter_map(|r| match r {
                    Received::Stored(new) => new
                        .uid
                        .as_ref()
                        .and_then(|uid| by_uid.remove(uid))
                        .map(|row| codec::message_from_row(&row)),
                    Received::Unstored(message) => Some(*message),
                })
                .collect();
            ChatroomDone {
                messages,
                after: job.after,
                error: None,
            }
        }
        Err(error) => ChatroomDone {
            messages: Vec::new(),
            after: job.after,
            error: Some(error),
        },
    }
}

/// A chatroom message from the server as this user's received message: stored kinds become a
/// row (never counted as unread), others are announced as they are.
pub(crate) fn received(m: &rcim_proto::v1::Message, me: &str, now: i64) -> Received {
    if codec::received_is_stored(m) {
        let mut row = codec::row_from_wire(m, me, now);
        row.counted = false;
        Received::Stored(Box::new(row))
    } else {
        let mut message = codec::message_from_wire(m, me, now);
        message.offline = Some(false);
        Received::Unstored(Box::new(message))
    }
}

/// The event reporting a call's failure with `code` (or a success without an answer body).
pub(crate) fn failure(command: ChatroomCommand, code: u32) -> Event {
    let ChatroomCommand { op, event_id } = command;
    let code = code as i32;
    Event::Chatroom(match op {
        ChatroomOp::Join { room_id, .. } => ChatroomEvent::Joined {
            code,
            target_id: room_id,
            event_id,
        },
        ChatroomOp::Leave { room_id } => ChatroomEvent::Left {
            code,
            target_id: room_id,
            event_id,
        },
        ChatroomOp::History {
            room_id, timestamp, ..
        } => ChatroomEvent::MessagesLoaded {
            code,
            target_id: room_id,
            messages: Vec::new(),
            sync_time: timestamp,
            event_id,
        },
        ChatroomOp::SetEntries {
            room_id,
            entries,
            single,
            ..
        } => set_outcome(code, room_id, entries, single, BTreeMap::new(), event_id),
        ChatroomOp::RemoveEntries {
            room_id,
            keys,
            single,
            ..
        } => remove_outcome(code, room_id, keys, single, event_id),
        ChatroomOp::GetEntries { room_id, key } => {
            entries_outcome(code, room_id, key, BTreeMap::new(), event_id)
        }
    })
}

/// The event answering a call other than join and leave, from the server's answer (`me`:
/// this user, for the direction of the history's messages).
pub(crate) fn answer(
    command: ChatroomCommand,
    code: u32,
    body: Option<response::Body>,
    me: &str,
) -> Event {
    let ChatroomCommand { op, event_id } = command;
    match (op, body) {
        (
            ChatroomOp::History {
                room_id, timestamp, ..
            },
            Some(response::Body::ChatroomHistory(page)),
        ) if code == 0 => {
            let now = super::clock::now_ms();
            let messages = page
                .messages
                .iter()
                .map(|m| {
                    let mut message = codec::message_from_wire(m, me, now);
                    message.offline = Some(false);
                    message
                })
                .collect();
            Event::Chatroom(ChatroomEvent::MessagesLoaded {
                code: 0,
                target_id: room_id,
                messages,
                sync_time: if page.sync_time > 0 {
                    page.sync_time
                } else {
                    timestamp
                },
                event_id,
            })
        }
        (
            ChatroomOp::SetEntries {
                room_id,
                entries,
                single,
                ..
            },
            body,
        ) => {
            let errors = match body {
                Some(response::Body::ChatroomEntriesResult(result)) => {
                    result.errors.into_iter().collect()
                }
                _ => BTreeMap::new(),
            };
            Event::Chatroom(set_outcome(
                code as i32,
                room_id,
                entries,
                single,
                errors,
                event_id,
            ))
        }
        (ChatroomOp::GetEntries { room_id, key }, Some(response::Body::ChatroomEntries(found)))
            if code == 0 =>
        {
            let entries: BTreeMap<String, String> = found.entries.into_iter().collect();
            // A single key that does not exist is reported as such (the server leaves it out).
            let code = match &key {
                Some(k) if !entries.contains_key(k) => crate::codes::KV_KEY_NOT_EXIST,
                _ => 0,
            };
            Event::Chatroom(entries_outcome(
                code as i32,
                room_id,
                key,
                entries,
                event_id,
            ))
        }
        // A removal's answer is its code (and, for a batch, the failed keys' codes).
        (op @ ChatroomOp::RemoveEntries { .. }, _) => {
            failure(ChatroomCommand { op, event_id }, code)
        }
        (op, _) => failure(
            ChatroomCommand { op, event_id },
            if code == 0 {
                crate::codes::SERVER_UNKNOWN_ERROR
            } else {
                code
            },
        ),
    }
}

fn set_outcome(
    code: i32,
    room_id: String,
    entries: BTreeMap<String, String>,
    single: bool,
    error_entries: BTreeMap<String, u32>,
    event_id: EventId,
) -> ChatroomEvent {
    if single {
        ChatroomEvent::EntryAdded {
            code,
            target_id: room_id,
            key: entries.into_keys().next().unwrap_or_default(),
            event_id,
        }
    } else {
        ChatroomEvent::EntriesAdded {
            code,
            target_id: room_id,
            entries,
            error_entries,
            event_id,
        }
    }
}

fn remove_outcome(
    code: i32,
    room_id: String,
    keys: Vec<String>,
    single: bool,
    event_id: EventId,
) -> ChatroomEvent {
    if single {
        ChatroomEvent::EntryRemoved {
            code,
            target_id: room_id,
            key: keys.into_iter().next().unwrap_or_default(),
            event_id,
        }
    } else {
        ChatroomEvent::EntriesRemoved {
            code,
            target_id: room_id,
            keys,
            event_id,
        }
    }
}

fn entries_outcome(
    code: i32,
    room_id: String,
    key: Option<String>,
    entries: BTreeMap<String, String>,
    event_id: EventId,
) -> ChatroomEvent {
    if key.is_some() {
        ChatroomEvent::EntryLoaded {
            code,
            target_id: room_id,
            entry: entries,
            event_id,
        }
    } else {
        ChatroomEvent::AllEntriesLoaded {
            code,
            target_id: room_id,
            entries,
            event_id,
        }
    }
}

/// The events of a successful join after its messages: all the room's entries as one
/// Update change (when it has any), the sync, and the join's result.
pub(crate) fn joined_events(
    room_id: &str,
    entries: BTreeMap<String, String>,
    event_id: EventId,
) -> Vec<Event> {
    let mut events = Vec::with_capacity(3);
    if !entries.is_empty() {
        events.push(Event::Chatroom(ChatroomEvent::EntriesChanged {
            operation_type: entries_operation::UPDATE,
            room_id: room_id.to_string(),
            entries,
        }));
    }
    events.push(Event::Chatroom(ChatroomEvent::EntriesSynced {
        room_id: room_id.to_string(),
    }));
    events.push(Event::Chatroom(ChatroomEvent::Joined {
        code: 0,
        target_id: room_id.to_string(),
        event_id,
    }));
    events
}

/// The listener event of a room's members change.
pub(crate) fn members_event(
    room_id: String,
    changed: rcim_proto::v1::ChatRoomMembersChanged,
) -> Event {
    Event::Chatroom(ChatroomEvent::MemberChanged {
        target_id: room_id,
        actions: changed
            .actions
            .into_iter()
            .map(|a| ChatRoomMemberAction {
                user_id: a.user_id,
                action_type: a.action,
            })
            .collect(),
    })
}

/// The listener event of a change of a room's entries.
pub(crate) fn entries_event(
    room_id: String,
    changed: rcim_proto::v1::ChatRoomEntriesChanged,
) -> Event {
    Event::Chatroom(ChatroomEvent::EntriesChanged {
        operation_type: if changed.removed {
            entries_operation::REMOVE
        } else {
            entries_operation::UPDATE
        },
        room_id,
        entries: changed.entries.into_iter().collect(),
    })
}

/// Whether a status ends the membership (the room is gone).
pub(crate) fn is_destroyed(status: u32) -> bool {
    matches!(
        status,
        chatroom_status::DESTROY_MANUAL | chatroom_status::DESTROY_AUTO
    )
}
