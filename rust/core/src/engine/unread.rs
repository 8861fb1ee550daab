//! Unread counts and marking messages read locally.

use super::{check_types, refuse_chatroom, Engine};
use crate::codes::Code;
use crate::query::Query;
use rcim_store::ConversationKey;

impl Engine {
    /// `getUnreadCount`: unread received messages of one conversation (not a chatroom).
    pub fn unread_count(&self, key: ConversationKey) -> Result<Query<u64>, Code> {
        refuse_chatroom(&[key.conversation_type])?;
        self.conversation_query(key, |s, key| s.unread_count(key))
    }

    /// `getTotalUnreadCount`: unread received messages of every conversation of the channel,
    /// chatrooms excepted.
    pub fn total_unread_count(&self, channel_id: &str) -> Result<Query<u64>, Code> {
        let channel = super::channel_filter(channel_id);
        self.query(move |s| s.total_unread_count(&channel))
    }

    /// `clearUnreadCount`: marks messages up to `timestamp` read (0 = all); not for chatrooms.
    pub fn clear_unread_count(
        &self,
        key: ConversationKey,
        timestamp: i64,
    ) -> Result<Query<()>, Code> {
        refuse_chatroom(&[key.conversation_type])?;
        let cleared = self.conversation_query(key, move |s, key| s.clear_unread(key, timestamp))?;
        Ok(cleared.map(|_| ()))
    }

    /// `getUnreadCountByConversationTypes`: the unread count of the given types (chatroom
    /// refused); `contain` = include do-not-disturb conversations (by their own level or their
    /// type's: see `Store::unread_count_by_types`).
    pub fn unread_count_by_conversation_types(
        &self,
        conversation_types: Vec<u32>,
        channel_id: &str,
        contain: bool,
    ) -> Result<Query<u64>, Code> {
        check_types(&conversation_types)?;
        refuse_chatroom(&conversation_types)?;
        let channel = super::channel_filter(channel_id);
        self.query(move |s| s.unread_count_by_types(&conversation_types, &channel, contain))
    }
}
