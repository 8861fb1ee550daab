//! Conversation settings: pin (top status) and notification level.

use crate::error::Result;
use crate::rows::{self, ConversationKey, ConversationSettingUpdate};
use crate::store::Store;
use crate::values::notification_level;

impl Store {
    /// Pins or unpins a conversation and/or sets its notification level
    /// (`changeConversationTopStatus`, `changeConversationNotificationLevel`), creating it when
    /// it has no messages yet; one that only existed for its settings leaves the list when
    /// they are reset.
    pub fn set_conversation_setting(&mut self, update: &ConversationSettingUpdate) -> Result<()> {
        let tx = self.conn.savepoint()?;
        rows::apply_setting(&tx, update)?;
        tx.commit()?;
        Ok(())
    }

    /// Whether the conversation is pinned (false when it does not exist).
    pub fn conversation_top(&self, key: &ConversationKey) -> Result<bool> {
        Ok(self.conversation(key)?.is_some_and(|c| c.top))
    }

    /// The conversation's notification level (NONE, not set, when it does not exist).
    pub fn conversation_notification_level(&self, key: &ConversationKey) -> Result<u32> {
        Ok(self
            .conversation(key)?
            .map_or(notification_level::NONE, |c| c.notification_level))
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;

    #[test]
    fn conversation_settings_create_pin_mute_and_reset() {
        use crate::rows::ConversationSettingUpdate;
        let mut s = Store::open_in_memory().unwrap();
        let key = ConversationKey::new(1, "carol", "");
        let set = |top: Option<bool>, level: Option<u32>| ConversationSettingUpdate {
            key: key.clone(),
            top,
            notification_level: level,
            time: 50,
        };
        assert!(!s.conversation_top(&key).unwrap());
        // Pinning a conversation without messages creates it.
        s.set_conversation_setting(&set(Some(true), None)).unwrap();
        assert!(s.conversation_top(&key).unwrap());
        let top = s.top_conversations(&[1, 2], "").unwrap();
        assert_eq!(top.len(), 1);
        assert_eq!(top[0].sort_time, 50);
        // The level changes alone; the pin stays.
        s.set_conversation_setting(&set(None, Some(5))).unwrap();
        assert!(s.conversation_top(&key).unwrap());
        assert_eq!(s.conversation_notification_level(&key).unwrap(), 5);
        assert_eq!(s.blocked_conversations(&[1], "").unwrap().len(), 1);
        assert!(s.blocked_conversations(&[2], "").unwrap().is_empty());
        // Applied from the inbox too; resetting both removes the empty conversation.
        s.apply_inbox_entries(&[], &[], &[], &[set(Some(false), Some(1))], 7)
            .unwrap();
        assert!(s.conversation(&key).unwrap().is_none());
        assert!(s.top_conversations(&[1], "").unwrap().is_empty());
        // A conversation with messages stays.
        s.apply_inbox(&[text("carol", "C1", 60, "hi")], 8).unwrap();
        s.set_conversation_setting(&set(Some(true), None)).unwrap();
        s.set_conversation_setting(&set(Some(false), None)).unwrap();
        assert!(s.conversation(&key).unwrap().is_some());
    }
}
