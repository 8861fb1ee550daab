//! Local message search.

use super::args::ConversationArgs;
use super::rows::{Local, Row};
use serde::{Deserialize, Serialize};

pub(super) const ROWS: &[&dyn Row] = &[&Local {
    names: &["searchMessages"],
    listener: "onMessagesSearched",
    field: Some("messages"),
    run: |engine, a: &SearchMessagesArgs| {
        engine.search_messages(a.conversation.key(), &a.keyword, a.start_time, a.count)
    },
}];

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SearchMessagesArgs {
    #[serde(flatten)]
    conversation: ConversationArgs,
    keyword: String,
    start_time: i64,
    count: u32,
}
