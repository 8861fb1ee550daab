//! The conversation list: pages, one conversation, removal, pinned and blocked lists.

use super::Engine;
use crate::codec;
use crate::codes;
use crate::event::{Event, EventId};
use rcim_store::ConversationKey;

/// Largest page of `loadConversations` (seed: count <= 50).
pub const MAX_CONVERSATION_PAGE: u32 = 50;

impl Engine {
    /// `loadConversations` / `getConversations` (`count` 1..=50; `start_time` 0 = newest).
    pub fn load_conversations(
        &self,
        conversation_types: Vec<u32>,
        channel_id: &str,
        start_time: i64,
        count: u32,
        event_id: EventId,
    ) -> i32 {
        if conversation_types.is_empty()
            || !conversation_types.iter().all(|t| (1..=5).contains(t))
            || !(1..=MAX_CONVERSATION_PAGE).contains(&count)
        {
            return codes::PARAM_ERROR;
        }
        let channel = channel_id.to_string();
        let types = conversation_types.clone();
        self.query(
            move |s| s.conversations(&types, &channel, start_time, count),
            {
                let channel_id = channel_id.to_string();
                move |code, rows: Option<Vec<rcim_store::ConversationRow>>| {
                    Event::ConversationsLoaded {
                        code,
                        conversation_types,
                        channel_id,
                        start_time,
                        count,
                        conversations: rows
                            .unwrap_or_default()
                            .iter()
                            .map(codec::conversation_from_row)
                            .collect(),
                        event_id,
                    }
                }
            },
        )
    }

    /// `loadConversation` / `getConversation`.
    pub fn load_conversation(&self, key: ConversationKey, event_id: EventId) -> i32 {
        self.conversation_query(
            key,
            |s, key| s.conversation(key),
            move |code, key, row| Event::ConversationLoaded {
                code,
                key,
                conversation: row.flatten().as_ref().map(codec::conversation_from_row),
                event_id,
            },
        )
    }

    /// `removeConversation`: removes it from the list (messages stay).
    pub fn remove_conversation(&self, key: ConversationKey, event_id: EventId) -> i32 {
        self.conversation_query(
            key,
            |s, key| s.remove_conversation(key),
            move |code, key, _| Event::ConversationRemoved {
                code,
                key,
                event_id,
            },
        )
    }

    /// `loadTopConversations` / `getTopConversations`: pinned conversations, newest first.
    pub fn load_top_conversations(
        &self,
        conversation_types: Vec<u32>,
        channel_id: &str,
        event_id: EventId,
    ) -> i32 {
        self.conversation_list(conversation_types, channel_id, false, event_id)
    }

    /// `loadBlockedConversations` / `getBlockedConversations`: conversations whose level is
    /// do-not-disturb (`rcim_store::notification_level::MUTED`); not for chatrooms.
    pub fn load_blocked_conversations(
        &self,
        conversation_types: Vec<u32>,
        channel_id: &str,
        event_id: EventId,
    ) -> i32 {
        self.conversation_list(conversation_types, channel_id, true, event_id)
    }

    fn conversation_list(
        &self,
        conversation_types: Vec<u32>,
        channel_id: &str,
        blocked: bool,
        event_id: EventId,
    ) -> i32 {
        if conversation_types.is_empty() || !conversation_types.iter().all(|t| (1..=5).contains(t))
        {
            return codes::PARAM_ERROR;
        }
        let channel = channel_id.to_string();
        let channel_id = channel_id.to_string();
        let types = conversation_types.clone();
        self.query(
            move |s| {
                if blocked {
                    s.blocked_conversations(&types, &channel)
                } else {
                    s.top_conversations(&types, &channel)
                }
            },
            move |code, rows: Option<Vec<rcim_store::ConversationRow>>| {
                let conversations = rows
                    .unwrap_or_default()
                    .iter()
                    .map(codec::conversation_from_row)
                    .collect();
                if blocked {
                    Event::BlockedConversationsLoaded {
                        code,
                        conversation_types,
                        channel_id,
                        conversations,
                        event_id,
                    }
                } else {
                    Event::TopConversationsLoaded {
                        code,
                        conversation_types,
                        channel_id,
                        conversations,
                        event_id,
                    }
                }
            },
        )
    }
}
