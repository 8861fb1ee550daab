//! Conversation settings synced with the server: pin (top status) and notification level.

use super::{valid_conversation, Engine};
use crate::codes::Code;
use crate::event::EventId;
use crate::query::Query;
use crate::session::{Command, Operation, SettingChange};
use rcim_store::ConversationKey;

/// Highest `RCIMIWPushNotificationLevel` (BLOCKED).
pub const MAX_NOTIFICATION_LEVEL: u32 = 5;

impl Engine {
    /// Sends a setting change to the server (queued in the outbox while offline).
    fn change_setting(&self, mut change: SettingChange) -> Result<(), Code> {
        change.key = super::normalised(change.key);
        if !valid_conversation(change.key.conversation_type, &change.key.target_id)
            || change.key.conversation_type == crate::model::conversation_type::CHATROOM
        {
            return Err(Code::PARAM_ERROR);
        }
        self.hand_over(Command::Operation(Operation::conversation_setting(change)))
    }

    /// `changeConversationTopStatus`: pins or unpins a conversation (creating it) on the
    /// server, then locally; the user's other devices get `ConversationTopStatusSynced`.
    /// Result: `ConversationTopStatusChanged`; queued while offline.
    pub fn change_conversation_top_status(
        &self,
        key: ConversationKey,
        top: bool,
        event_id: EventId,
    ) -> Result<(), Code> {
        self.change_setting(SettingChange {
            key,
            top: Some(top),
            level: None,
            event_id,
        })
    }

    /// `changeConversationNotificationLevel` (`RCIMIWPushNotificationLevel` 0..=5), synced to
    /// the user's other devices like the pin. Result: `ConversationNotificationLevelChanged`.
    pub fn change_conversation_notification_level(
        &self,
        key: ConversationKey,
        level: u32,
        event_id: EventId,
    ) -> Result<(), Code> {
        if level > MAX_NOTIFICATION_LEVEL {
            return Err(Code::PARAM_ERROR);
        }
        self.change_setting(SettingChange {
            key,
            top: None,
            level: Some(level),
            event_id,
        })
    }

    /// `getConversationTopStatus` (local store): whether the conversation is pinned.
    pub fn conversation_top_status(&self, key: ConversationKey) -> Result<Query<bool>, Code> {
        self.conversation_query(key, |s, key| s.conversation_top(key))
    }

    /// `getConversationNotificationLevel` (local store; 0 when never set).
    pub fn conversation_notification_level(
        &self,
        key: ConversationKey,
    ) -> Result<Query<u32>, Code> {
        self.conversation_query(key, |s, key| s.conversation_notification_level(key))
    }
}
