//! Local message search.

use super::Engine;
use crate::codec;
use crate::codes::Code;
use crate::model::Message;
use crate::query::Query;
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
    ) -> Result<Query<Vec<Message>>, Code> {
        if !(1..=MAX_SEARCH_PAGE).contains(&count)
            || keyword.is_empty()
            || keyword.len() > MAX_KEYWORD_LEN
            || key.conversation_type == crate::model::conversation_type::CHATROOM
        {
            return Err(Code::PARAM_ERROR);
        }
        let keyword = keyword.to_string();
        let rows = self.conversation_query(key, move |s, key| {
            s.search_messages(key, &keyword, start_time, count)
        })?;
        Ok(rows.map(|rows| rows.iter().map(codec::message_from_row).collect()))
    }
}
