//! Deleting messages: locally (`deleteLocalMessages`), locally and in the cloud history
//! (`deleteMessages`), and clearing a conversation up to a time (`clearMessages`).

use super::args::ConversationArgs;
use super::rows::{Local, Operation, Row};
use rcim_core::Message;
use serde::{Deserialize, Serialize};

pub(super) const ROWS: &[&dyn Row] = &[
    &Local {
        names: &["deleteLocalMessages"],
        listener: "onLocalMessagesDeleted",
        // The listener's `messages` is the call's argument, echoed.
        field: None,
        run: |engine, a: &MessagesArgs| engine.delete_local_messages(a.messages.clone()),
    },
    &Operation {
        names: &["deleteMessages"],
        run: |engine, a: ConversationMessagesArgs, event_id| {
            engine.delete_messages(a.conversation.key(), a.messages, event_id)
        },
    },
    &Operation {
        names: &["clearMessages"],
        run: |engine, a: ClearArgs, event_id| {
            engine.clear_messages(a.conversation.key(), a.timestamp, a.policy, event_id)
        },
    },
];

#[derive(Deserialize, Serialize)]
pub(super) struct MessagesArgs {
    messages: Vec<Message>,
}

#[derive(Deserialize)]
pub(super) struct ConversationMessagesArgs {
    #[serde(flatten)]
    conversation: ConversationArgs,
    messages: Vec<Message>,
}

#[derive(Deserialize)]
pub(super) struct ClearArgs {
    #[serde(flatten)]
    conversation: ConversationArgs,
    timestamp: i64,
    /// LOCAL 0, REMOTE 1, LOCAL_REMOTE 2.
    policy: u32,
}
