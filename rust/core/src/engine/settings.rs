//! Conversation settings synced with the server: pin (top status) and notification level.

use super::{valid_conversation, Engine};
use crate::codes;
use crate::event::{Event, EventId};
use crate::session::{Command, SettingChange};
use rcim_store::ConversationKey;
use tokio::sync::mpsc;

/// Highest `RCIMIWPushNotificationLevel` (BLOCKED).
pub const MAX_NOTIFICATION_LEVEL: u32 = 5;

impl Engine {
    /// Sends a setting change to the server (queued in the outbox while offline).
    fn change_setting(&self, change: SettingChange) -> i32 {
        if !valid_conversation(change.key.conversation_type, &change.key.target_id)
            || change.key.conversation_type == crate::model::conversation_type::CHATROOM
        {
            return codes::PARAM_ERROR;
        }
        let guard = self.lock_session();
        let Some(session) = guard.as_ref() else {
            return codes::CLIENT_NOT_INIT;
        };
        match session.commands.try_send(Command::Setting(change)) {
            Ok(()) => 0,
            Err(mpsc::error::TrySendError::Full(_)) => codes::SEND_MSG_FREQUENCY_OVERRUN as i32,
            Err(mpsc::error::TrySendError::Closed(_)) => codes::CLIENT_NOT_INIT,
        }
    }

    /// `changeConversationTopStatus`: pins or unpins a conversation (creating it) on the
    /// server, then locally; the user's other devices get `ConversationTopStatusSynced`.
    /// Result: `ConversationTopStatusChanged`; queued while offline.
    pub fn change_conversation_top_status(
        &self,
        key: ConversationKey,
        top: bool,
        event_id: EventId,
    ) -> i32 {
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
    ) -> i32 {
        if level > MAX_NOTIFICATION_LEVEL {
            return codes::PARAM_ERROR;
        }
        self.change_setting(SettingChange {
            key,
            top: None,
            level: Some(level),
            event_id,
        })
    }

    /// `loadConversationTopStatus` / `getConversationTopStatus` (local store).
    pub fn load_conversation_top_status(&self, key: ConversationKey, event_id: EventId) -> i32 {
        self.conversation_query(
            key,
            |s, key| s.conversation_top(key),
            move |code, key, top| Event::ConversationTopStatusLoaded {
                code,
                key,
                top: top.unwrap_or(false),
                event_id,
            },
        )
    }

    /// `loadConversationNotificationLevel` / `getConversationNotificationLevel`.
    pub fn load_conversation_notification_level(
        &self,
        key: ConversationKey,
        event_id: EventId,
    ) -> i32 {
        self.conversation_query(
            key,
            |s, key| s.conversation_notification_level(key),
            move |code, key, level| Event::ConversationNotificationLevelLoaded {
                code,
                key,
                level: level.unwrap_or(0),
                event_id,
            },
        )
    }
}
