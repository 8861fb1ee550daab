//! Local message search.

use super::args::ConversationArgs;
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
];

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
