//! Messages: send, recall, pages, lookup by id, counts.

use super::args::ConversationArgs;
use super::rows::{Local, Operation, Reply, Row};
use rcim_core::Message;
use serde::{Deserialize, Serialize};

pub(super) const ROWS: &[&dyn Row] = &[
    &Operation {
        names: &["sendMessage"],
        run: |engine, a: MessageArgs, event_id| engine.send_message(a.message, event_id),
    },
    &Operation {
        names: &["recallMessage"],
        run: |engine, a: MessageArgs, event_id| engine.recall_message(a.message, event_id),
    },
    &Local {
        names: &["getMessages", "loadMessages"],
        listener: "onMessagesLoaded",
        field: Some("messages"),
        run: |engine, a: &GetMessagesArgs| {
            engine.messages(
                a.conversation.key(),
                a.sent_time,
                a.order,
                a.policy.unwrap_or(0),
                a.count,
            )
        },
    },
    &Reply {
        names: &["getMessageById"],
        run: |engine, a: &MessageIdArgs| engine.message_by_id(a.message_id),
    },
    &Reply {
        names: &["getMessageByUId"],
        run: |engine, a: &MessageUidArgs| engine.message_by_uid(&a.message_uid),
    },
    &Local {
        names: &["getMessageCount", "loadMessageCount"],
        listener: "onMessageCountLoaded",
        field: Some("count"),
        run: |engine, a: &ConversationArgs| engine.message_count(a.key()),
    },
    &Local {
        names: &["getFirstUnreadMessage", "loadFirstUnreadMessage"],
        listener: "onFirstUnreadMessageLoaded",
        field: Some("message"),
        run: |engine, a: &ConversationArgs| engine.first_unread_message(a.key()),
    },
];

#[derive(Deserialize)]
pub(super) struct MessageArgs {
    message: Message,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct GetMessagesArgs {
    #[serde(flatten)]
    conversation: ConversationArgs,
    sent_time: i64,
    order: u32,
    /// LOCAL 0 (when absent), REMOTE 1, LOCAL_REMOTE 2.
    #[serde(default, skip_serializing)]
    policy: Option<u32>,
    #[serde(skip_serializing)]
    count: u32,
}

#[derive(Deserialize)]
pub(super) struct MessageUidArgs {
    #[serde(rename = "messageUId", alias = "messageUid")]
    message_uid: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct MessageIdArgs {
    message_id: i64,
}
