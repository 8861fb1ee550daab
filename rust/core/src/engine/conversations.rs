//! The conversation list: pages, one conversation, removal, pinned and blocked lists.

use super::{check_types, refuse_chatroom, Engine};
use crate::codec;
use crate::codes::Code;
use crate::model::Conversation;
use crate::query::Query;
use rcim_store::{ConversationKey, ConversationRow};

/// Largest page of `getConversations` (seed: count <= 50).
pub const MAX_CONVERSATION_PAGE: u32 = 50;

impl Engine {
    /// `getConversations`: a page of `count` (1..=50) conversations of the given types, pinned
    /// first then newest first; `start_time` 0 starts at the top, the time of the previous
    /// page's last conversation continues after it (each conversation comes once: see
    /// `Store::conversations`).
    pub fn conversations(
        &self,
        conversation_types: Vec<u32>,
        channel_id: &str,
        start_time: i64,
        count: u32,
    ) -> Result<Query<Vec<Conversation>>, Code> {
        check_types(&conversation_types)?;
        if !(1..=MAX_CONVERSATION_PAGE).contains(&count) {
            return Err(Code::PARAM_ERROR);
        }
        let channel = super::channel_filter(channel_id);
        let rows =
            self.query(move |s| s.conversations(&conversation_types, &channel, start_time, count))?;
        Ok(rows.map(conversations_from_rows))
    }

    /// `getConversation`: one conversation (None when it is not in the list).
    pub fn conversation(&self, key: ConversationKey) -> Result<Query<Option<Conversation>>, Code> {
        let row = self.conversation_query(key, |s, key| s.conversation(key))?;
        Ok(row.map(|row| row.as_ref().map(codec::conversation_from_row)))
    }

    /// `removeConversation`: removes it from the list (messages stay).
    pub fn remove_conversation(&self, key: ConversationKey) -> Result<Query<()>, Code> {
        let removed = self.conversation_query(key, |s, key| s.remove_conversation(key))?;
        Ok(removed.map(|_| ()))
    }

    /// `getTopConversations`: pinned conversations, newest first.
    pub fn top_conversations(
        &self,
        conversation_types: Vec<u32>,
        channel_id: &str,
    ) -> Result<Query<Vec<Conversation>>, Code> {
        check_types(&conversation_types)?;
        let channel = super::channel_filter(channel_id);
        let rows = self.query(move |s| s.top_conversations(&conversation_types, &channel))?;
        Ok(rows.map(conversations_from_rows))
    }

    /// `getBlockedConversations`: conversations whose level is do-not-disturb
    /// (`rcim_store::notification_level::MUTED`); chatroom refused.
    pub fn blocked_conversations(
        &self,
        conversation_types: Vec<u32>,
        channel_id: &str,
    ) -> Result<Query<Vec<Conversation>>, Code> {
        check_types(&conversation_types)?;
        refuse_chatroom(&conversation_types)?;
        let channel = super::channel_filter(channel_id);
        let rows = self.query(move |s| s.blocked_conversations(&conversation_types, &channel))?;
        Ok(rows.map(conversations_from_rows))
    }
}

impl Engine {
    /// `removeConversations`: removes every conversation of the given types (ultra groups: of
    /// `channel_id`) from the list together with its local messages.
    pub fn remove_conversations(
        &self,
        conversation_types: Vec<u32>,
        channel_id: &str,
    ) -> Result<Query<()>, Code> {
        check_types(&conversation_types)?;
        let channel = super::channel_filter(channel_id);
        let removed = self.query(move |s| s.remove_conversations(&conversation_types, &channel))?;
        Ok(removed.map(|_| ()))
    }
}

fn conversations_from_rows(rows: Vec<ConversationRow>) -> Vec<Conversation> {
    rows.iter().map(codec::conversation_from_row).collect()
}
