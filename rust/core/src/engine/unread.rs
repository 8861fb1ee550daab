//! Unread counts.

use super::Engine;
use crate::codes;
use crate::event::{Event, EventId};
use rcim_store::ConversationKey;

impl Engine {
    /// `loadUnreadCount` / `getUnreadCount`.
    pub fn load_unread_count(&self, key: ConversationKey, event_id: EventId) -> i32 {
        self.conversation_query(
            key,
            |s, key| s.unread_count(key),
            move |code, key, count| Event::UnreadCountLoaded {
                code,
                key,
                count: count.unwrap_or(0),
                event_id,
            },
        )
    }

    /// `loadTotalUnreadCount` / `getTotalUnreadCount`.
    pub fn load_total_unread_count(&self, channel_id: &str, event_id: EventId) -> i32 {
        let channel = channel_id.to_string();
        let channel_arg = channel.clone();
        self.query(
            move |s| s.total_unread_count(&channel),
            move |code, count| Event::TotalUnreadCountLoaded {
                code,
                channel_id: channel_arg,
                count: count.unwrap_or(0),
                event_id,
            },
        )
    }

    /// `clearUnreadCount`: marks messages up to `timestamp` read (0 = all).
    pub fn clear_unread_count(
        &self,
        key: ConversationKey,
        timestamp: i64,
        event_id: EventId,
    ) -> i32 {
        self.conversation_query(
            key,
            move |s, key| s.clear_unread(key, timestamp),
            move |code, key, _| Event::UnreadCountCleared {
                code,
                key,
                timestamp,
                event_id,
            },
        )
    }

    /// `loadUnreadCountByConversationTypes` / `getUnreadCountByConversationTypes`: the unread
    /// count of the given types (chatrooms never count); `contain` = include muted
    /// conversations.
    pub fn load_unread_count_by_conversation_types(
        &self,
        conversation_types: Vec<u32>,
        channel_id: &str,
        contain: bool,
        event_id: EventId,
    ) -> i32 {
        if conversation_types.is_empty() || !conversation_types.iter().all(|t| (1..=5).contains(t))
        {
            return codes::PARAM_ERROR;
        }
        let channel = channel_id.to_string();
        let types = conversation_types.clone();
        let channel_arg = channel.clone();
        self.query(
            move |s| s.unread_count_by_types(&types, &channel, contain),
            move |code, count| Event::UnreadCountByConversationTypesLoaded {
                code,
                conversation_types,
                channel_id: channel_arg,
                contain,
                count: count.unwrap_or(0),
                event_id,
            },
        )
    }
}
