//! Unread counts and marking messages read locally.

use super::args::{null_as_empty, ConversationArgs, TypesArgs};
use super::rows::{Local, Row};
use serde::{Deserialize, Serialize};

pub(super) const ROWS: &[&dyn Row] = &[
    &Local {
        names: &["getUnreadCount", "loadUnreadCount"],
        listener: "onUnreadCountLoaded",
        field: Some("count"),
        run: |engine, a: &ConversationArgs| engine.unread_count(a.key()),
    },
    &Local {
        names: &["getTotalUnreadCount", "loadTotalUnreadCount"],
        listener: "onTotalUnreadCountLoaded",
        field: Some("count"),
        run: |engine, a: &ChannelArgs| engine.total_unread_count(&a.channel_id),
    },
    &Local {
        names: &["clearUnreadCount"],
        listener: "onUnreadCountCleared",
        field: None,
        run: |engine, a: &ClearUnreadArgs| {
            engine.clear_unread_count(a.conversation.key(), a.timestamp)
        },
    },
    &Local {
        names: &[
            "getUnreadCountByConversationTypes",
            "loadUnreadCountByConversationTypes",
        ],
        listener: "onUnreadCountByConversationTypesLoaded",
        field: Some("count"),
        run: |engine, a: &UnreadByTypesArgs| {
            engine.unread_count_by_conversation_types(
                a.types.conversation_types.clone(),
                &a.types.channel_id,
                a.contain,
            )
        },
    },
];

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ChannelArgs {
    #[serde(default, deserialize_with = "null_as_empty")]
    channel_id: String,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ClearUnreadArgs {
    #[serde(flatten)]
    conversation: ConversationArgs,
    timestamp: i64,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct UnreadByTypesArgs {
    #[serde(flatten)]
    types: TypesArgs,
    contain: bool,
}
