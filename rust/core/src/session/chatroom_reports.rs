//! What chatroom answers and room events become for the app: the events reporting a call's
//! outcome (its failure, or the server's answer), the join's reports after its messages
//! (all KV as one Update change, the sync, the join's result: R209), and the listener events
//! of the server's room events.

use super::chatroom::{ChatroomCommand, ChatroomOp};
use crate::codec;
use crate::event::{
    chatroom_status, entries_operation, ChatRoomMemberAction, ChatroomEvent, Event, EventId,
};
use rcim_proto::v1::response;
use std::collections::BTreeMap;

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
