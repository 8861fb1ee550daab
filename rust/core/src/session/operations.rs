//! The client's state-changing requests, one generic shape: an [`Entry`] is a queued `Request`
//! (its protobuf body and request id) plus what is needed to report its outcome. Each request
//! type is three small pieces here: an [`Operation`] constructor (how a call becomes a
//! `Request`), what its `Response` changes in the local store ([`effect`]), and which event
//! reports it ([`outcome`]). Sends share the path; their request is built from their stored
//! message ([`send_request`]).

use crate::codec;
use crate::codes;
use crate::event::{Event, EventId};
use crate::model::{message_type, Message};
use rcim_proto::v1::{
    request, response, ChangeConversationSetting, ClearHistory, DeleteMessages,
    GroupReceiptRequest, GroupReceiptResponse, PrivateReadReceipt, RecallMessage,
    Request as WireRequest, SendMessage, SyncReadStatus, UpdateExpansion,
};
use rcim_store::{ConversationKey, ConversationSettingUpdate, MessageRow, NewMessage};
use std::collections::HashMap;
use std::time::Instant;

/// One queued operation.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// Its row in the store's outbox; 0 for a send that fails before it is queued (over the
    /// app's rate limit, or handed over after the session gave up).
    pub(crate) outbox_id: i64,
    /// What goes on the wire.
    pub(crate) request: WireRequest,
    /// The call that asked for it; `None` for operations loaded from disk after a restart
    /// (they report to the listener only).
    pub(crate) event_id: EventId,
    /// Sends: the stored message.
    pub(crate) row: Option<MessageRow>,
    /// Recalls: the message argument of the call (reported back on failure).
    pub(crate) arg: Option<Box<Message>>,
    /// When it was queued, or put on the wire once in flight.
    pub(crate) since: Instant,
}

/// The queue position of sends that are not stored (after every stored operation, in arrival
/// order among themselves): they have no outbox row.
pub(crate) const TRANSIENT_OUTBOX_ID: i64 = i64::MAX;

impl Entry {
    /// A send (paced and timed out by the send rules).
    pub(crate) fn is_send(&self) -> bool {
        self.row.is_some() || self.is_transient()
    }

    /// A send of a message that is not stored (COMMAND, custom COMMAND/STATUS): no row, no
    /// outbox; `arg` is the message, reported directly when answered.
    pub(crate) fn is_transient(&self) -> bool {
        self.row.is_none() && matches!(self.request.body, Some(request::Body::SendMessage(_)))
    }

    /// A send into a chatroom: it cannot wait for the next session (no chatroom membership
    /// outlives its session, and the room's local messages go when it ends).
    pub(crate) fn is_chatroom_send(&self) -> bool {
        matches!(&self.request.body, Some(request::Body::SendMessage(m))
            if m.conversation_type == rcim_store::conversation_type::CHATROOM)
    }

    /// The entry of a send that is not stored.
    pub(crate) fn transient(
        message: Message,
        object_name: String,
        content: String,
        event_id: EventId,
        since: Instant,
    ) -> Self {
        let flags = codec::message_flags(&message);
        let extras = codec::extras::send_extras(codec::extra_json(&message).as_deref(), &content);
        let request = wire(
            new_request_id(),
            request::Body::SendMessage(send_body(
                message.conversation_type,
                &message.target_id,
                message.channel_id.as_deref().unwrap_or(""),
                object_name,
                content,
                flags,
                extras,
            )),
        );
        Self {
            outbox_id: TRANSIENT_OUTBOX_ID,
            request,
            event_id,
            row: None,
            arg: Some(Box::new(message)),
            since,
        }
    }
}

/// The event answering a send that is not stored: `MessageSent` with the server's uid and time
/// on success, FAILED otherwise.
pub(crate) fn transient_outcome(entry: Entry, code: u32, result: Option<&response::Body>) -> Event {
    let mut message = entry.arg.map(|m| *m).unwrap_or_default();
    if code == codes::OK {
        message.sent_status = Some(rcim_store::sent_status::SENT);
        if let Some(response::Body::SendMessage(r)) = result {
            message.message_uid = (!r.uid.is_empty()).then(|| r.uid.clone());
            message.sent_time = Some(r.sent_time);
        }
    } else {
        message.sent_status = Some(rcim_store::sent_status::FAILED);
    }
    Event::MessageSent {
        code: code as i32,
        message,
        event_id: entry.event_id,
    }
}

/// The row of an outgoing message sent by `sender_id` now (SENDING, with a new client id), or
/// `None` when its type cannot be sent.
pub(crate) fn outgoing_row(message: &Message, sender_id: &str) -> Option<NewMessage> {
    let (object_name, content) = codec::encode_content(message)?;
    let now = super::clock::now_ms();
    Some(NewMessage {
        conversation_type: message.conversation_type,
        target_id: message.target_id.clone(),
        channel_id: codec::channel_for(
            message.conversation_type,
            message.channel_id.as_deref().unwrap_or(""),
        ),
        message_type: message.message_type,
        object_name,
        content,
        uid: None,
        client_msg_id: Some(new_request_id()),
        sender_id: sender_id.to_string(),
        direction: rcim_store::direction::SEND,
        sent_status: rcim_store::sent_status::SENDING,
        received_status: rcim_store::received_status::READ,
        sent_time: now,
        received_time: now,
        counted: false,
        extra_json: codec::extra_json(message),
        conv_seq: 0,
        mentioned: false,
        group_receipt: None,
    })
}

/// A new request id (unique per user).
pub(crate) fn new_request_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

fn wire(request_id: String, body: request::Body) -> WireRequest {
    WireRequest {
        request_id,
        body: Some(body),
    }
}

/// A conversation setting change (top and/or notification level).
#[derive(Debug)]
pub(crate) struct SettingChange {
    pub(crate) key: ConversationKey,
    pub(crate) top: Option<bool>,
    pub(crate) level: Option<u32>,
    pub(crate) event_id: EventId,
}

/// A state-changing call handed to the session: the request to queue and whom to report its
/// outcome to.
#[derive(Debug)]
pub(crate) struct Operation {
    pub(crate) request: Box<WireRequest>,
    pub(crate) event_id: EventId,
    /// Recalls: the message argument (reported back on failure).
    pub(crate) arg: Option<Box<Message>>,
    /// Remote deletions: the messages argument, reported back with the outcome (kept in
    /// memory only: after a restart the outcome names the messages by uid).
    pub(crate) messages: Vec<Message>,
}

impl Operation {
    /// `deleteMessages` (the remote part: the local rows are deleted by the engine first):
    /// `uids` of `key`'s messages, 1..=100.
    pub(crate) fn delete_messages(
        key: &ConversationKey,
        uids: Vec<String>,
        messages: Vec<Message>,
        event_id: EventId,
    ) -> Self {
        Self {
            request: Box::new(wire(
                new_request_id(),
                request::Body::DeleteMessages(DeleteMessages {
                    conversation_type: key.conversation_type,
                    target_id: key.target_id.clone(),
                    channel_id: key.channel_id.clone(),
                    uids,
                }),
            )),
            event_id,
            arg: None,
            messages,
        }
    }

    /// `clearMessages` with a remote part: hide `key`'s history up to `before_time` (0 = all)
    /// on the server.
    pub(crate) fn clear_history(
        key: &ConversationKey,
        before_time: i64,
        event_id: EventId,
    ) -> Self {
        Self {
            request: Box::new(wire(
                new_request_id(),
                request::Body::ClearHistory(ClearHistory {
                    conversation_type: key.conversation_type,
                    target_id: key.target_id.clone(),
                    channel_id: key.channel_id.clone(),
                    before_time,
                }),
            )),
            event_id,
            arg: None,
            messages: Vec::new(),
        }
    }

    /// `recallMessage`.
    pub(crate) fn recall(message: Message, event_id: EventId) -> Self {
        Self {
            request: Box::new(recall_request(&message)),
            event_id,
            arg: Some(Box::new(message)),
            messages: Vec::new(),
        }
    }

    /// `sendPrivateReadReceiptMessage`.
    pub(crate) fn private_read_receipt(
        target_id: &str,
        channel_id: &str,
        timestamp: i64,
        event_id: EventId,
    ) -> Self {
        Self {
            request: Box::new(read_receipt_request(target_id, channel_id, timestamp)),
            event_id,
            arg: None,
            messages: Vec::new(),
        }
    }

    /// `changeConversationTopStatus` / `changeConversationNotificationLevel`.
    pub(crate) fn conversation_setting(change: SettingChange) -> Self {
        Self {
            request: Box::new(setting_request(&change)),
            event_id: change.event_id,
            arg: None,
            messages: Vec::new(),
        }
    }

    /// A user-level setting change (`changeConversationTypeNotificationLevel`, quiet hours,
    /// blacklist), validated by the engine.
    pub(crate) fn user_setting(update: &rcim_store::UserSettingUpdate, event_id: EventId) -> Self {
        Self {
            request: Box::new(wire(new_request_id(), super::settings::change_body(update))),
            event_id,
            arg: None,
            messages: Vec::new(),
        }
    }

    /// A push setting change (`changePushLanguage` and its twins), validated by the engine.
    pub(crate) fn push_setting(
        change: super::settings::PushSettingChange,
        event_id: EventId,
    ) -> Self {
        Self {
            request: new_wire(super::settings::push_change_body(change)),
            event_id,
            arg: None,
            messages: Vec::new(),
        }
    }

    /// `updateMessageExpansion` (`set` pairs) or `removeMessageExpansionForKeys` (`remove`
    /// keys) of the message `uid` of conversation `key` (validated by the engine).
    pub(crate) fn expansion(
        uid: &str,
        key: &ConversationKey,
        set: HashMap<String, String>,
        remove: Vec<String>,
        event_id: EventId,
    ) -> Self {
        Self {
            request: Box::new(wire(
                new_request_id(),
                request::Body::UpdateExpansion(UpdateExpansion {
                    uid: uid.to_string(),
                    conversation_type: key.conversation_type,
                    target_id: key.target_id.clone(),
                    channel_id: key.channel_id.clone(),
                    set,
                    remove,
                }),
            )),
            event_id,
            arg: None,
            messages: Vec::new(),
        }
    }
}

/// The event answering an expansion change with `code`: `MessageExpansionForKeysRemoved`
/// for a removal, `MessageExpansionUpdated` otherwise.
pub(crate) fn expansion_outcome(u: UpdateExpansion, code: i32, event_id: EventId) -> Event {
    if u.set.is_empty() && !u.remove.is_empty() {
        Event::MessageExpansionForKeysRemoved {
            code,
            message_uid: u.uid,
            keys: u.remove,
            event_id,
        }
    } else {
        Event::MessageExpansionUpdated {
            code,
            message_uid: u.uid,
            expansion: codec::extras::to_object(&u.set),
            event_id,
        }
    }
}

/// The request of a stored outgoing message; its client id is the request id.
pub(crate) fn send_request(row: &MessageRow) -> WireRequest {
    wire(
        row.client_msg_id.clone().unwrap_or_default(),
        request::Body::SendMessage(send_body(
            row.conversation_type,
            &row.target_id,
            &row.channel_id,
            row.object_name.clone(),
            row.content.clone(),
            codec::row_flags(row),
            codec::extras::send_extras(row.extra_json.as_deref(), &row.content),
        )),
    )
}

/// A `SendMessage` with the wire flags of its type (storage, unread, status, custom) and its
/// push options and expansion.
fn send_body(
    conversation_type: u32,
    target_id: &str,
    channel_id: &str,
    object_name: String,
    content: String,
    flags: codec::WireFlags,
    extras: codec::extras::SendExtras,
) -> SendMessage {
    SendMessage {
        conversation_type,
        target_id: target_id.to_string(),
        channel_id: channel_id.to_string(),
        object_name,
        content,
        persisted: flags.persisted,
        counted: flags.counted,
        status: flags.status,
        custom: flags.custom,
        push_content: extras.push_content,
        push_data: extras.push_data,
        can_expand: extras.can_expand,
        expansion: extras.expansion,
        push_options: extras.push_options,
        directed_user_ids: extras.directed_user_ids,
    }
}

fn recall_request(m: &Message) -> WireRequest {
    wire(
        new_request_id(),
        request::Body::RecallMessage(RecallMessage {
            uid: m.message_uid.clone().unwrap_or_default(),
            conversation_type: m.conversation_type,
            target_id: m.target_id.clone(),
            channel_id: m.channel_id.clone().unwrap_or_default(),
            sent_time: m.sent_time.unwrap_or(0),
        }),
    )
}

fn read_receipt_request(target_id: &str, channel_id: &str, timestamp: i64) -> WireRequest {
    wire(
        new_request_id(),
        request::Body::PrivateReadReceipt(PrivateReadReceipt {
            target_id: target_id.to_string(),
            channel_id: channel_id.to_string(),
            timestamp,
        }),
    )
}

fn setting_request(c: &SettingChange) -> WireRequest {
    wire(
        new_request_id(),
        request::Body::ConversationSetting(ChangeConversationSetting {
            conversation_type: c.key.conversation_type,
            target_id: c.key.target_id.clone(),
            channel_id: c.key.channel_id.clone(),
            top: c.top,
            notification_level: c.level,
        }),
    )
}

/// What a request's answer changes in the local store (run on the store thread, then the
/// operation leaves the outbox).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Effect {
    /// Nothing.
    None,
    /// A send's result: the message's status, and on success its uid and server time.
    Sent {
        message_id: i64,
        status: u8,
        uid: Option<String>,
        sent_time: Option<i64>,
        /// The message's history sequence (0 = none).
        conv_seq: u64,
    },
    /// A recall went through: the stored message becomes the recall notification.
    Recall {
        uid: String,
        operator_id: String,
        sent_time: i64,
        recall_time: i64,
    },
    /// A recall failed and the call's message is gone (restart): look the message up.
    Lookup { uid: String },
    /// A setting change went through: store it.
    Setting(ConversationSettingUpdate),
    /// An expansion change went through: apply it to the stored message.
    Expansion(ExpansionUpdate),
    /// A user-level setting change went through: store it.
    UserSetting(rcim_store::UserSettingUpdate),
    /// Group read receipts: merge `change` into the stored messages `uids` (or only look the
    /// first one up); returns the first one.
    GroupReceipt {
        uids: Vec<String>,
        change: Option<rcim_store::GroupReceipt>,
    },
}

/// An expansion change to apply to the stored message `uid`: `set` pairs, `remove` keys; with
/// `replace`, `set` is the whole expansion (the server's, from an inbox entry).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct ExpansionUpdate {
    pub(crate) uid: String,
    pub(crate) set: HashMap<String, String>,
    pub(crate) remove: Vec<String>,
    pub(crate) replace: bool,
}

/// Read-status sync and group read receipts (their answers: `messaging_ops`).
impl Operation {
    /// `syncConversationReadStatus`: tell this user's other devices that `key` is read up to
    /// `timestamp`.
    pub(crate) fn sync_read_status(
        key: &ConversationKey,
        timestamp: i64,
        event_id: EventId,
    ) -> Self {
        Self {
            request: new_wire(request::Body::ReadStatus(SyncReadStatus {
                conversation_type: key.conversation_type,
                target_id: key.target_id.clone(),
                channel_id: key.channel_id.clone(),
                timestamp,
            })),
            event_id,
            arg: None,
            messages: Vec::new(),
        }
    }

    /// `sendGroupReadReceiptRequest` for `message` (a group message with a uid, checked by the
    /// engine).
    pub(crate) fn group_receipt_request(message: Message, event_id: EventId) -> Self {
        Self {
            request: new_wire(request::Body::ReceiptRequest(GroupReceiptRequest {
                group_id: message.target_id.clone(),
                channel_id: message.channel_id.clone().unwrap_or_default(),
                uid: message.message_uid.clone().unwrap_or_default(),
            })),
            event_id,
            arg: Some(Box::new(message)),
            messages: Vec::new(),
        }
    }

    /// `sendGroupReadReceiptResponse`: `uids` of group `group_id` read; `messages` is the
    /// call's argument, reported back with the outcome.
    pub(crate) fn group_receipt_response(
        group_id: &str,
        channel_id: &str,
        uids: Vec<String>,
        messages: Vec<Message>,
        event_id: EventId,
    ) -> Self {
        Self {
            request: new_wire(request::Body::ReceiptResponse(GroupReceiptResponse {
                group_id: group_id.to_string(),
                channel_id: channel_id.to_string(),
                uids,
            })),
            event_id,
            arg: None,
            messages,
        }
    }
}

/// A new request of `body` under a fresh request id.
fn new_wire(body: request::Body) -> Box<WireRequest> {
    Box::new(wire(new_request_id(), body))
}

/// What answer `code` (with its result body) to `entry` changes locally.
pub(crate) fn effect(
    entry: &Entry,
    code: u32,
    result: Option<&response::Body>,
    user_id: &str,
    now: i64,
) -> Effect {
    let ok = code == codes::OK;
    if entry.row.is_none() && super::messaging_ops::handles(&entry.request) {
        return match super::messaging_ops::effect(&entry.request, ok) {
            Some((uids, change)) => Effect::GroupReceipt { uids, change },
            None => Effect::None,
        };
    }
    match (&entry.request.body, &entry.row) {
        (_, Some(row)) => {
            let (uid, sent_time, conv_seq) = match result {
                Some(response::Body::SendMessage(r)) if ok => (
                    (!r.uid.is_empty()).then(|| r.uid.clone()),
                    Some(r.sent_time),
                    r.conv_seq,
                ),
                _ => (None, None, 0),
            };
            Effect::Sent {
                message_id: row.id,
                status: if ok {
                    rcim_store::sent_status::SENT
                } else {
                    rcim_store::sent_status::FAILED
                },
                uid,
                sent_time,
                conv_seq,
            }
        }
        (Some(request::Body::RecallMessage(r)), None) if ok => Effect::Recall {
            uid: r.uid.clone(),
            operator_id: user_id.to_string(),
            sent_time: r.sent_time,
            recall_time: match result {
                Some(response::Body::RecallMessage(res)) => res.recall_time,
                _ => now,
            },
        },
        (Some(request::Body::RecallMessage(r)), None) if entry.arg.is_none() => {
            Effect::Lookup { uid: r.uid.clone() }
        }
        (Some(request::Body::ConversationSetting(c)), None) if ok => {
            Effect::Setting(ConversationSettingUpdate {
                key: ConversationKey::new(c.conversation_type, &c.target_id, &c.channel_id),
                top: c.top,
                notification_level: c.notification_level,
                time: now,
            })
        }
        (Some(request::Body::UserSetting(u)), None) if ok => super::settings::update_of(u)
            .map(Effect::UserSetting)
            .unwrap_or(Effect::None),
        (Some(request::Body::UpdateExpansion(u)), None) if ok => {
            Effect::Expansion(ExpansionUpdate {
                uid: u.uid.clone(),
                set: u.set.clone(),
                remove: u.remove.clone(),
                replace: false,
            })
        }
        _ => Effect::None,
    }
}

/// The final result of a send: `MediaMessageSent` for a media message (`sendMediaMessage`),
/// `MessageSent` otherwise.
pub(crate) fn sent_event(code: i32, message: Message, event_id: EventId) -> Event {
    if crate::media::limits::is_media(message.message_type) {
        Event::MediaMessageSent {
            code,
            message,
            event_id,
        }
    } else {
        Event::MessageSent {
            code,
            message,
            event_id,
        }
    }
}

/// The event that reports `entry`'s outcome (`code`) to the listener and to the call's
/// callback; `stored` is the message row the effect returned (sends, recalls). `None` for a
/// request this build cannot read (an outbox row written by a newer version).
pub(crate) fn outcome(entry: Entry, code: u32, stored: Option<MessageRow>) -> Option<Event> {
    let code = code as i32;
    // Read-status sync and group receipts (their arms below are never reached).
    if entry.row.is_none() && super::messaging_ops::handles(&entry.request) {
        let Entry {
            request,
            arg,
            event_id,
            ..
        } = entry;
        return super::messaging_ops::outcome(request, arg, event_id, code, stored);
    }
    let event_id = entry.event_id;
    if let Some(row) = entry.row {
        let row = stored.unwrap_or_else(|| {
            let mut row = row;
            row.sent_status = if code == 0 {
                rcim_store::sent_status::SENT
            } else {
                rcim_store::sent_status::FAILED
            };
            row
        });
        return Some(sent_event(code, codec::message_from_row(&row), event_id));
    }
    let event = match entry.request.body {
        Some(request::Body::RecallMessage(r)) => {
            let message = match (stored, entry.arg) {
                (Some(row), _) => codec::message_from_row(&row),
                (None, Some(arg)) => {
                    let mut message = *arg;
                    if code == 0 {
                        message.message_type = message_type::RECALL;
                    }
                    message
                }
                (None, None) => {
                    let mut message = codec::new_text_message(
                        r.conversation_type,
                        &r.target_id,
                        (!r.channel_id.is_empty()).then_some(r.channel_id.as_str()),
                        "",
                    );
                    message.message_uid = Some(r.uid);
                    message.sent_time = Some(r.sent_time);
                    message
                }
            };
            Event::MessageRecalled {
                code,
                message,
                event_id,
            }
        }
        Some(request::Body::PrivateReadReceipt(r)) => Event::PrivateReadReceiptMessageSent {
            code,
            target_id: r.target_id,
            channel_id: r.channel_id,
            timestamp: r.timestamp,
            event_id,
        },
        Some(request::Body::ConversationSetting(c)) => {
            let key = ConversationKey::new(c.conversation_type, &c.target_id, &c.channel_id);
            match c.top {
                Some(top) => Event::ConversationTopStatusChanged {
                    code,
                    key,
                    top,
                    event_id,
                },
                None => Event::ConversationNotificationLevelChanged {
                    code,
                    key,
                    level: c
                        .notification_level
                        .unwrap_or(rcim_store::notification_level::NONE),
                    event_id,
                },
            }
        }
        Some(request::Body::DeleteMessages(d)) => {
            let key = ConversationKey::new(d.conversation_type, &d.target_id, &d.channel_id);
            // After a restart the call's messages are gone: they are named by uid.
            let messages = d
                .uids
                .into_iter()
                .map(|uid| {
                    let mut m = codec::new_text_message(
                        key.conversation_type,
                        &key.target_id,
                        (!key.channel_id.is_empty()).then_some(key.channel_id.as_str()),
                        "",
                    );
                    m.message_uid = Some(uid);
                    m
                })
                .collect();
            Event::MessagesDeleted {
                code,
                key,
                messages,
                event_id,
            }
        }
        Some(request::Body::ClearHistory(c)) => Event::MessagesCleared {
            code,
            key: ConversationKey::new(c.conversation_type, &c.target_id, &c.channel_id),
            timestamp: c.before_time,
            event_id,
        },
        Some(request::Body::UpdateExpansion(u)) => expansion_outcome(u, code, event_id),
        Some(request::Body::UserSetting(u)) => super::settings::outcome(u, code, event_id)?,
        // Sends carry a row; syncs, history pages and tickets are reads, never queued.
        Some(request::Body::SendMessage(_))
        | Some(request::Body::Sync(_))
        | Some(request::Body::MediaUpload(_))
        | Some(request::Body::History(_))
        // Protocol v4 requests the engine does not queue yet.
        | Some(request::Body::Settings(_))
        | Some(request::Body::Typing(_))
        | Some(request::Body::ReadStatus(_))
        | Some(request::Body::ReceiptRequest(_))
        | Some(request::Body::ReceiptResponse(_))
        // Chatroom requests are online-only reads, never queued.
        | Some(request::Body::JoinChatroom(_))
        | Some(request::Body::LeaveChatroom(_))
        | Some(request::Body::ChatroomHistory(_))
        | Some(request::Body::ChatroomSetEntries(_))
        | Some(request::Body::ChatroomRemoveEntries(_))
        | Some(request::Body::ChatroomEntries(_))
        // Ultra-group requests: not queued yet.
        | Some(request::Body::UltragroupSync(_))
        | Some(request::Body::UltragroupChanges(_))
        | Some(request::Body::UltragroupMessages(_))
        | Some(request::Body::UltragroupLevel(_))
        | Some(request::Body::UltragroupModify(_))
        | Some(request::Body::UltragroupRecall(_))
        | Some(request::Body::UltragroupExpansion(_))
        | Some(request::Body::UltragroupClear(_))
        | Some(request::Body::UltragroupSetLevel(_))
        | None => {
            tracing::warn!(code, "answer to a queued request of unknown type");
            return None;
        }
    };
    Some(event)
}
