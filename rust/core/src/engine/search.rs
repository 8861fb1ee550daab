//! Local message search.

use super::Engine;
use crate::codec;
use crate::codes::Code;
use crate::model::Message;
use crate::query::Query;
use rcim_store::ConversationKey;

/// Largest page of `searchMessages` and `searchMessagesByUserId` (seed: 0 < count <= 50).
pub const MAX_SEARCH_PAGE: u32 = 50;

/// Longest search keyword, in bytes.
pub const MAX_KEYWORD_LEN: usize = 1024;

/// Longest user id, in bytes (as for target ids and tokens).
pub const MAX_USER_ID_LEN: usize = 64;

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

    /// `searchMessagesByUserId`: messages of one conversation sent by `user_id`, newest first,
    /// older than `start_time` (0 = from the newest); `count` 1..=50, `user_id` 1..=64 bytes.
    pub fn search_messages_by_user_id(
        &self,
        user_id: &str,
        key: ConversationKey,
        start_time: i64,
        count: u32,
    ) -> Result<Query<Vec<Message>>, Code> {
        if !(1..=MAX_SEARCH_PAGE).contains(&count)
            || user_id.is_empty()
            || user_id.len() > MAX_USER_ID_LEN
        {
            return Err(Code::PARAM_ERROR);
        }
        let user_id = user_id.to_string();
        let rows = self.conversation_query(key, move |s, key| {
            s.search_messages_by_user(key, &user_id, start_time, count)
        })?;
        Ok(rows.map(|rows| rows.iter().map(codec::message_from_row).collect()))
    }
}
