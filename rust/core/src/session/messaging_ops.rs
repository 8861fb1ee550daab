//! The outbox operations of read-state sync and group read receipts (`operations.rs` builds
//! them and runs the generic path): what a successful answer changes locally, and the events
//! that report them.

use crate::codec;
use crate::event::{Event, EventId, MessagingEvent};
use crate::model::{conversation_type, Message};
use rcim_proto::v1::{request, Request as WireRequest};
use rcim_store::{ConversationKey, GroupReceipt, MessageRow};

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

/// What the answer (`ok` or not) changes locally: the receipt state to merge into the
/// messages `uids` (`None`: only look the first one up). A receipt request marks the message
/// once the server took it (and looks it up otherwise, to report it after a restart); a
/// response marks the messages responded. The read state was cleared at the call.
pub(crate) fn effect(
    request: &WireRequest,
    ok: bool,
) -> Option<(Vec<String>, Option<GroupReceipt>)> {
    match &request.body {
        Some(request::Body::ReceiptRequest(r)) => {
            Some((vec![r.uid.clone()], ok.then(super::messaging::requested)))
        }
        Some(request::Body::ReceiptResponse(r)) if ok => {
            Some((r.uids.clone(), Some(super::messaging::responded())))
        }
        _ => None,
    }
}

/// The event reporting the outcome of `request` (made by the call `event_id` with the message
/// argument `arg`); `stored` is the row the effect returned (a receipt request's message).
pub(crate) fn outcome(
    request: WireRequest,
    arg: Option<Box<Message>>,
    event_id: EventId,
    code: i32,
    stored: Option<MessageRow>,
) -> Option<Event> {
    let event = match request.body? {
        request::Body::ReadStatus(r) => MessagingEvent::ConversationReadStatusSynced {
            code,
            key: ConversationKey::new(r.conversation_type, &r.target_id, &r.channel_id),
            timestamp: r.timestamp,
            event_id,
        },
        request::Body::ReceiptRequest(r) => {
            let message = match (stored, arg) {
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
