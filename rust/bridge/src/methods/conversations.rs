//! The conversation list: pages, one conversation, removal, pinned and blocked lists.

use super::args::{null_as_empty, ConversationArgs, TypesArgs};
use super::rows::{Local, Row};
use serde::{Deserialize, Serialize};

pub(super) const ROWS: &[&dyn Row] = &[
    &Local {
        names: &["getConversations", "loadConversations"],
        listener: "onConversationsLoaded",
        field: Some("conversations"),
        run: |engine, a: &ConversationsArgs| {
            engine.conversations(
                a.conversation_types.clone(),
                &a.channel_id,
                a.start_time,
                a.count,
            )
        },
    },
    &Local {
        names: &["getConversation", "loadConversation"],
        listener: "onConversationLoaded",
        field: Some("conversation"),
        run: |engine, a: &ConversationArgs| engine.conversation(a.key()),
    },
    &Local {
        names: &["removeConversation"],
        listener: "onConversationRemoved",
        field: None,
        run: |engine, a: &ConversationArgs| engine.remove_conversation(a.key()),
    },
    &Local {
        names: &["removeConversations"],
        listener: "onConversationsRemoved",
        field: None,
        run: |engine, a: &TypesArgs| {
            engine.remove_conversations(a.conversation_types.clone(), &a.channel_id)
        },
    },
    &Local {
        names: &["getTopConversations", "loadTopConversations"],
        listener: "onTopConversationsLoaded",
        field: Some("conversations"),
        run: |engine, a: &TypesArgs| {
            engine.top_conversations(a.conversation_types.clone(), &a.channel_id)
        },
    },
    &Local {
        names: &["getBlockedConversations", "loadBlockedConversations"],
        listener: "onBlockedConversationsLoaded",
        field: Some("conversations"),
        run: |engine, a: &TypesArgs| {
            engine.blocked_conversations(a.conversation_types.clone(), &a.channel_id)
        },
    },
];

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ConversationsArgs {
    conversation_types: Vec<u32>,
    #[serde(default, deserialize_with = "null_as_empty")]
    channel_id: String,
    start_time: i64,
    count: u32,
}
