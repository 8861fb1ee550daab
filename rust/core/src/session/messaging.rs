//! The inbox entries of read-state sync, group read receipts and moderation: what each one
//! changes in the store and which event announces it once stored.
//!
//! * `ReadStatusSynced` from another device of this user: its unread messages up to the time
//!   are read here too (this device cleared them at its own call).
//! * `ReceiptRequested`: the message is marked as asking for receipts on every device (the
//!   sender's too); the other members hear of the request.
//! * `ReceiptResponded`: in the sender's inbox it carries the responses it adds; they are
//!   merged into the stored message and the event announces every response so far (see
//!   `jobs::apply_inbox`). In the responder's own inbox it marks the message responded on
//!   their other devices.
//! * `MessageBlocked`: announced to the sender. The stored message keeps its status: the
//!   server answered the send like a stored one (R267), and the app learns of the block from
//!   the event only, as with RongCloud.

use crate::codec;
use crate::event::{BlockedMessageInfo, Event, MessagingEvent};
use rcim_proto::v1::inbox_entry::Body;
use rcim_store::{ConversationKey, GroupReceipt, ReadMark};

/// What a batch of inbox entries changes beyond messages, and announces.
#[derive(Debug, Default)]
pub(crate) struct MessagingBatch {
    /// Receipt state to merge into stored messages, by uid, in inbox order.
    pub(crate) receipts: Vec<(String, GroupReceipt)>,
    /// Events announced once the batch is stored.
    pub(crate) events: Vec<Event>,
}

/// Adds entry `body` to `out` and its read marks to `marks` (any other entry is left alone).
pub(crate) fn entry(
    out: &mut MessagingBatch,
    marks: &mut Vec<ReadMark>,
    body: &Body,
    me: &str,
    device_id: &str,
) {
    match body {
        Body::ReadStatus(r) => {
            if r.device_id == device_id {
                return;
            }
            let channel = codec::channel_for(r.conversation_type, &r.channel_id);
            marks.push(ReadMark {
                key: ConversationKey::new(r.conversation_type, &r.target_id, &channel),
                timestamp: r.timestamp,
                by_peer: false,
            });
            // An ultra-group channel read on another device (R231–R233) has its own event.
            out.events.push(
                if r.conversation_type == rcim_proto::conversation_type::ULTRA_GROUP {
                    Event::Ultragroup(crate::event::UltragroupEvent::ReadTimeReceived {
                        target_id: r.target_id.clone(),
                        channel_id: channel,
                        timestamp: r.timestamp,
                    })
                } else {
                    Event::Messaging(MessagingEvent::ConversationReadStatusSyncMessageReceived {
                        conversation_type: r.conversation_type,
                        target_id: r.target_id.clone(),
                        timestamp: r.timestamp,
                    })
                },
            );
        }
        Body::ReceiptRequested(r) => {
            out.receipts.push((r.uid.clone(), requested()));
            if r.sender_id != me {
                out.events.push(Event::Messaging(
                    MessagingEvent::GroupMessageReadReceiptRequestReceived {
                        target_id: r.group_id.clone(),
                        message_uid: r.uid.clone(),
                    },
                ));
            }
        }
        Body::ReceiptResponded(r) if r.reader_id == me => {
            out.receipts.push((r.uid.clone(), responded()));
        }
        Body::ReceiptResponded(r) => {
            let mut responses = r.responses.clone();
            responses.entry(r.reader_id.clone()).or_insert(r.time);
            let respond_user_ids: std::collections::BTreeMap<String, i64> =
                responses.into_iter().collect();
            out.receipts.push((
                r.uid.clone(),
                GroupReceipt {
                    read_receipt_message: true,
                    has_respond: false,
                    respond_user_ids: respond_user_ids.clone(),
                },
            ));
            out.events.push(Event::Messaging(
                MessagingEvent::GroupMessageReadReceiptResponseReceived {
                    target_id: r.group_id.clone(),
                    message_uid: r.uid.clone(),
                    respond_user_ids,
                },
            ));
        }
        Body::MessageBlocked(b) => {
            out.events
                .push(Event::Messaging(MessagingEvent::MessageBlocked {
                    info: BlockedMessageInfo {
                        conversation_type: b.conversation_type,
                        target_id: b.target_id.clone(),
                        channel_id: codec::channel_for(b.conversation_type, &b.channel_id),
                        blocked_msg_uid: b.uid.clone(),
                        block_type: b.block_type,
                        extra: b.extra.clone(),
                    },
                }));
        }
        _ => {}
    }
}

/// The state of a message whose sender asked for receipts.
pub(crate) fn requested() -> GroupReceipt {
    GroupReceipt {
        read_receipt_message: true,
        ..GroupReceipt::default()
    }
}

/// The state of a message this user responded to.
pub(crate) fn responded() -> GroupReceipt {
    GroupReceipt {
        read_receipt_message: true,
        has_respond: true,
        ..GroupReceipt::default()
    }
}
