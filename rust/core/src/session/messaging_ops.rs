//! The outbox operations of read-state sync and group read receipts (see `operations.rs`
//! for the generic path): their requests, what a successful answer changes locally, and the
//! events that report them.

use super::operations::{new_request_id, Effect, Entry, Operation};
use crate::codec;
use crate::event::{Event, EventId, MessagingEvent};
use crate::model::{conversation_type, Message};
use rcim_proto::v1::{
    request, GroupReceiptRequest, GroupReceiptResponse, Request as WireRequest, SyncReadStatus,
};
use rcim_store::{ConversationKey, MessageRow};

fn wire(body: request::Body) -> Box<WireRequest> {
    Box::new(WireRequest {
        request_id: new_request_id(),
        body: Some(body),
    })
}

impl Operation {
    /// `syncConversationReadStatus`: tell this user's other devices that `key` is read up to
    /// `timestamp`.
    pub(crate) fn sync_read_status(
        key: &ConversationKey,
        timestamp: i64,
        event_id: EventId,
    ) -> Self {
        Self {
            request: wire(request::Body::ReadStatus(SyncReadStatus {
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
            request: wire(request::Body::ReceiptRequest(GroupReceiptRequest {
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
            request: wire(request::Body::ReceiptResponse(GroupReceiptResponse {
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

/// Whether `request` is one of these operations.
pub(crate) fn handles(request: &WireRequest) -> bool {
    matches!(
        request.body,
        Some(
            request::Body::ReadStatus(_)
                | request::Body::ReceiptRequest(_)
                | request::Body::ReceiptResponse(_)
        )
    )
}

/// What the answer (`ok` or not) changes locally. A receipt request marks the message once
/// the server took it (and looks it up otherwise, to report it after a restart); a response
/// marks the messages responded. The read state was cleared at the call.
pub(crate) fn effect(request: &WireRequest, ok: bool) -> Effect {
    match &request.body {
        Some(request::Body::ReceiptRequest(r)) => Effect::GroupReceipt {
            uids: vec![r.uid.clone()],
            change: ok.then(super::messaging::requested),
        },
        Some(request::Body::ReceiptResponse(r)) if ok => Effect::GroupReceipt {
            uids: r.uids.clone(),
            change: Some(super::messaging::responded()),
        },
        _ => Effect::None,
    }
}

/// The event reporting `entry`'s outcome; `stored` is the row the effect returned (a receipt
/// request's message).
pub(crate) fn outcome(entry: Entry, code: i32, stored: Option<MessageRow>) -> Option<Event> {
    let event_id = entry.event_id;
    let event = match entry.request.body? {
        request::Body::ReadStatus(r) => MessagingEvent::ConversationReadStatusSynced {
            code,
            key: ConversationKey::new(r.conversation_type, &r.target_id, &r.channel_id),
            timestamp: r.timestamp,
            event_id,
        },
        request::Body::ReceiptRequest(r) => {
            let message = match (stored, entry.arg) {
                (Some(row), _) => codec::message_from_row(&row),
                (None, Some(arg)) => {
                    let mut message = *arg;
                    if code == 0 {
                        let info = message
                            .group_read_receipt_info
                            .get_or_insert_with(Default::default);
                        info.read_receipt_message = true;
                    }
                    message
                }
                (None, None) => named(&r.group_id, &r.channel_id, r.uid),
            };
            MessagingEvent::GroupReadReceiptRequestSent {
                code,
                message,
                event_id,
            }
        }
        request::Body::ReceiptResponse(r) => MessagingEvent::GroupReadReceiptResponseSent {
            code,
            // After a restart the call's messages are gone: they are named by uid.
            messages: r
                .uids
                .into_iter()
                .map(|uid| named(&r.group_id, &r.channel_id, uid))
                .collect(),
            target_id: r.group_id,
            channel_id: r.channel_id,
            event_id,
        },
        _ => return None,
    };
    Some(Event::Messaging(event))
}

/// Puts the call's messages argument back into the event reporting it (this session still
/// holds it), marked responded on success.
pub(crate) fn attach_call_messages(event: &mut Event, list: Vec<Message>) {
    if let Event::Messaging(MessagingEvent::GroupReadReceiptResponseSent {
        code, messages, ..
    }) = event
    {
        let ok = *code == 0;
        *messages = list
            .into_iter()
            .map(|mut m| {
                if ok {
                    let info = m
                        .group_read_receipt_info
                        .get_or_insert_with(Default::default);
                    info.read_receipt_message = true;
                    info.has_respond = true;
                }
                m
            })
            .collect();
    }
}

/// A group message known by its uid only.
fn named(group_id: &str, channel_id: &str, uid: String) -> Message {
    let mut m = codec::new_text_message(
        conversation_type::GROUP,
        group_id,
        (!channel_id.is_empty()).then_some(channel_id),
        "",
    );
    m.message_uid = Some(uid);
    m
}
