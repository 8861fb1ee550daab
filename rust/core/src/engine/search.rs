//! Local message search.

use super::Engine;
use crate::codec;
use crate::codes::Code;
use crate::model::{Conversation, Message};
use crate::query::Query;
use rcim_store::ConversationKey;
use serde::Serialize;

/// One conversation found by `searchConversations` (`RCIMIWSearchConversationResult`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchConversationResult {
    /// The conversation.
    pub conversation: Conversation,
    /// How many of its messages match.
    pub count: u64,
}

/// PARAM_ERROR unless `keyword` is 1..=1024 bytes.
fn check_keyword(keyword: &str) -> Result<(), Code> {
    if keyword.is_empty() || keyword.len() > MAX_KEYWORD_LEN {
        Err(Code::PARAM_ERROR)
    } else {
        Ok(())
    }
}

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
        check_keyword(keyword)?;
        if !(1..=MAX_SEARCH_PAGE).contains(&count)
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

    /// `searchMessagesByTimeRange`: messages of one conversation whose text contains
    /// `keyword` (as [`Engine::search_messages`]) sent between `start_time` and `end_time`
    /// (both included, 0 <= start <= end), newest first, skipping `offset` matches; `count`
    /// 1..=50 (R118). Not for chatrooms.
    pub fn search_messages_by_time_range(
        &self,
        key: ConversationKey,
        keyword: &str,
        start_time: i64,
        end_time: i64,
        offset: u32,
        count: u32,
    ) -> Result<Query<Vec<Message>>, Code> {
        check_keyword(keyword)?;
        if !(1..=MAX_SEARCH_PAGE).contains(&count)
            || start_time < 0
            || end_time < start_time
            || key.conversation_type == crate::model::conversation_type::CHATROOM
        {
            return Err(Code::PARAM_ERROR);
        }
        let keyword = keyword.to_string();
        let rows = self.conversation_query(key, move |s, key| {
            s.search_messages_in_range(key, &keyword, start_time, end_time, offset, count)
        })?;
        Ok(rows.map(|rows| rows.iter().map(codec::message_from_row).collect()))
    }

    /// `searchConversations`: the conversations of `conversation_types` (ultra groups: of
    /// `channel_id`) holding messages of `message_types` whose text contains `keyword`, each
    /// with its number of matches, pinned first then newest first. PARAM_ERROR for an empty
    /// or invalid type list or keyword.
    pub fn search_conversations(
        &self,
        conversation_types: Vec<u32>,
        channel_id: &str,
        message_types: Vec<u32>,
        keyword: &str,
    ) -> Result<Query<Vec<SearchConversationResult>>, Code> {
        super::check_types(&conversation_types)?;
        check_keyword(keyword)?;
        if message_types.is_empty()
            || message_types.len() > 64
            || message_types
                .iter()
                .any(|t| *t > crate::model::message_type::LOCATION)
        {
            return Err(Code::PARAM_ERROR);
        }
        let (channel, keyword) = (super::channel_filter(channel_id), keyword.to_string());
        let found = self.query(move |s| {
            s.search_conversations(&conversation_types, &channel, &message_types, &keyword)
        })?;
        Ok(found.map(|found| {
            found
                .iter()
                .map(|(row, count)| SearchConversationResult {
                    conversation: codec::conversation_from_row(row),
                    count: *count,
                })
                .collect()
        }))
    }
}
