//! Mentions (R129–R131): the unread messages that @-mention this user, their count, and the
//! check of a message's `mentionedInfo`.

use super::Engine;
use crate::codec;
use crate::codes::Code;
use crate::model::{conversation_type, Message};
use crate::query::Query;
use rcim_store::ConversationKey;

impl Engine {
    /// `getUnreadMentionedMessages`: the unread messages of a conversation that @-mention this
    /// user (everyone, or a list naming them), oldest first. Not for chatrooms.
    pub fn unread_mentioned_messages(
        &self,
        key: ConversationKey,
    ) -> Result<Query<Vec<Message>>, Code> {
        check_not_chatroom(&key)?;
        let rows = self.conversation_query(key, |s, key| s.unread_mentioned_messages(key))?;
        Ok(rows.map(|rows| rows.iter().map(codec::message_from_row).collect()))
    }

    /// `getUnreadMentionedCount`: how many unread messages of a conversation @-mention this
    /// user (the conversation's `mentionedCount`). Not for chatrooms.
    pub fn unread_mentioned_count(&self, key: ConversationKey) -> Result<Query<u64>, Code> {
        check_not_chatroom(&key)?;
        self.conversation_query(key, |s, key| s.unread_mentioned_count(key))
    }
}

fn check_not_chatroom(key: &ConversationKey) -> Result<(), Code> {
    if key.conversation_type == conversation_type::CHATROOM {
        Err(Code::PARAM_ERROR)
    } else {
        Ok(())
    }
}

/// Whether a message's `mentionedInfo`, if any, is valid (R130: PART needs user ids).
pub(crate) fn mention_ok(message: &Message) -> bool {
    message
        .mentioned_info
        .as_ref()
        .is_none_or(|info| info.is_null() || codec::mentions::is_valid(info))
}
