//! Unread counts and marking messages read locally.

use super::{check_types, Engine};
use crate::codes::Code;
use crate::query::Query;
use rcim_store::ConversationKey;

impl Engine {
    /// `getUnreadCount`: unread received messages of one conversation.
    pub fn unread_count(&self, key: ConversationKey) -> Result<Query<u64>, Code> {
        self.conversation_query(key, |s, key| s.unread_count(key))
    }

    /// `getTotalUnreadCount`: unread received messages of every conversation of the channel.
    pub fn total_unread_count(&self, channel_id: &str) -> Result<Query<u64>, Code> {
        let channel = channel_id.to_string();
        self.query(move |s| s.total_unread_count(&channel))
    }

    /// `clearUnreadCount`: marks messages up to `timestamp` read (0 = all).
    pub fn clear_unread_count(
        &self,
        key: ConversationKey,
        timestamp: i64,
    ) -> Result<Query<()>, Code> {
        let cleared = self.conversation_query(key, move |s, key| s.clear_unread(key, timestamp))?;
        Ok(cleared.map(|_| ()))
    }

    /// `getUnreadCountByConversationTypes`: the unread count of the given types (chatrooms never
    /// count); `contain` = include muted conversations.
    pub fn unread_count_by_conversation_types(
        &self,
        conversation_types: Vec<u32>,
        channel_id: &str,
        contain: bool,
    ) -> Result<Query<u64>, Code> {
        check_types(&conversation_types)?;
        let channel = channel_id.to_string();
        self.query(move |s| s.unread_count_by_types(&conversation_types, &channel, contain))
    }
}
