//! Local message search.

use super::Engine;
use crate::codec;
use crate::codes;
use crate::event::{Event, EventId};
use rcim_store::ConversationKey;

/// Largest page of `searchMessages` (seed: 0 < count <= 50).
pub const MAX_SEARCH_PAGE: u32 = 50;
/// Longest search keyword, in bytes.
pub const MAX_KEYWORD_LEN: usize = 1024;

impl Engine {
    /// `searchMessages`: messages of one conversation whose text contains `keyword`
    /// (case-insensitive, any CJK substring), newest first, older than `start_time`
    /// (0 = from the newest); `count` 1..=50. Not for chatrooms; the keyword must not be empty.
    pub fn search_messages(
        &self,
        key: ConversationKey,
        keyword: &str,
        start_time: i64,
        count: u32,
        event_id: EventId,
    ) -> i32 {
        if !(1..=MAX_SEARCH_PAGE).contains(&count)
            || keyword.is_empty()
            || keyword.len() > MAX_KEYWORD_LEN
            || key.conversation_type == crate::model::conversation_type::CHATROOM
        {
            return codes::PARAM_ERROR;
        }
        let lookup = keyword.to_string();
        let keyword = keyword.to_string();
        self.conversation_query(
            key,
            move |s, key| s.search_messages(key, &lookup, start_time, count),
            move |code, key, rows| Event::MessagesSearched {
                code,
                key,
                keyword,
                start_time,
                count,
                messages: rows
                    .unwrap_or_default()
                    .iter()
                    .map(codec::message_from_row)
                    .collect(),
                event_id,
            },
        )
    }
}
