//! Read receipts, read-state sync across devices, group read receipts.

use super::args::{null_as_empty, ConversationArgs};
use super::rows::{Operation, Row};
use rcim_core::Message;
use serde::Deserialize;

pub(super) const ROWS: &[&dyn Row] = &[
    &Operation {
        names: &["sendPrivateReadReceiptMessage"],
        run: |engine, a: ReadReceiptArgs, event_id| {
            engine.send_private_read_receipt_message(
                &a.target_id,
                &a.channel_id,
                a.timestamp,
                event_id,
            )
        },
    },
    &Operation {
        names: &["syncConversationReadStatus"],
        run: |engine, a: SyncReadStatusArgs, event_id| {
            engine.sync_conversation_read_status(a.conversation.key(), a.timestamp, event_id)
        },
    },
    &Operation {
        names: &["sendGroupReadReceiptRequest"],
        run: |engine, a: MessageArgs, event_id| {
            engine.send_group_read_receipt_request(a.message, event_id)
        },
    },
    &Operation {
        names: &["sendGroupReadReceiptResponse"],
        run: |engine, a: ReceiptResponseArgs, event_id| {
            engine.send_group_read_receipt_response(
                &a.target_id,
                &a.channel_id,
                a.messages,
                event_id,
            )
        },
    },
];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ReadReceiptArgs {
    target_id: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    channel_id: String,
    timestamp: i64,
}

#[derive(Deserialize)]
pub(super) struct SyncReadStatusArgs {
    #[serde(flatten)]
    conversation: ConversationArgs,
    timestamp: i64,
}

#[derive(Deserialize)]
pub(super) struct MessageArgs {
    message: Message,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ReceiptResponseArgs {
    target_id: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    channel_id: String,
    messages: Vec<Message>,
}
