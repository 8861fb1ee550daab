//! Local message search.

use super::args::{null_as_empty, ConversationArgs};
use super::rows::{Local, Row};
use serde::{Deserialize, Serialize};

pub(super) const ROWS: &[&dyn Row] = &[
    &Local {
        names: &["searchMessages"],
        listener: "onMessagesSearched",
        field: Some("messages"),
        run: |engine, a: &SearchMessagesArgs| {
            engine.search_messages(a.conversation.key(), &a.keyword, a.start_time, a.count)
        },
    },
    &Local {
        names: &["searchMessagesByUserId"],
        listener: "onMessagesSearchedByUserId",
        field: Some("messages"),
        run: |engine, a: &SearchByUserIdArgs| {
            engine.search_messages_by_user_id(
                &a.user_id,
                a.conversation.key(),
                a.start_time,
                a.count,
            )
        },
    },
    &Local {
        names: &["searchMessagesByTimeRange"],
        listener: "onMessagesSearchedByTimeRange",
        field: Some("messages"),
        run: |engine, a: &SearchByTimeRangeArgs| {
            engine.search_messages_by_time_range(
                a.conversation.key(),
                &a.keyword,
                a.start_time,
                a.end_time,
                a.offset,
                a.count,
            )
        },
    },
    &Local {
        names: &["searchConversations"],
        listener: "onConversationsSearched",
        field: Some("conversations"),
        run: |engine, a: &SearchConversationsArgs| {
            engine.search_conversations(
                a.conversation_types.clone(),
                &a.channel_id,
                a.message_types.clone(),
                &a.keyword,
            )
        },
    },
];

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SearchByTimeRangeArgs {
    #[serde(flatten)]
    conversation: ConversationArgs,
    keyword: String,
    start_time: i64,
    end_time: i64,
    offset: u32,
    count: u32,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SearchConversationsArgs {
    conversation_types: Vec<u32>,
    #[serde(default, deserialize_with = "null_as_empty")]
    channel_id: String,
    message_types: Vec<u32>,
    keyword: String,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SearchMessagesArgs {
    #[serde(flatten)]
    conversation: ConversationArgs,
    keyword: String,
    start_time: i64,
    count: u32,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SearchByUserIdArgs {
    user_id: String,
    #[serde(flatten)]
    conversation: ConversationArgs,
    start_time: i64,
    count: u32,
}
