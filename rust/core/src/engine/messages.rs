//! Messages: send, recall, pages, lookup by id, counts.

use super::{valid_conversation, Engine};
use crate::codec;
use crate::codes;
use crate::event::{Event, EventId};
use crate::model::Message;
use crate::session::Command;
use rcim_store::{ConversationKey, TimeOrder};
use std::time::Instant;
use tokio::sync::mpsc;

/// Largest page of `loadMessages` (seed: 0 < count <= 20).
pub const MAX_MESSAGE_PAGE: u32 = 20;

impl Engine {
    /// `sendMessage`: stores the message (`MessageAttached`), sends it, and reports the server's
    /// answer (`MessageSent`). Resending a failed message object reuses its stored row.
    pub fn send_message(&self, message: Message, event_id: EventId) -> i32 {
        if !valid_conversation(message.conversation_type, &message.target_id) {
            return codes::PARAM_ERROR;
        }
        let Some((_, content)) = codec::encode_content(&message) else {
            return codes::PARAM_ERROR;
        };
        if content.len() > rcim_proto::MAX_CONTENT_LEN {
            return codes::MSG_SIZE_OUT_OF_LIMIT as i32;
        }
        let guard = self.lock_session();
        let Some(session) = guard.as_ref() else {
            return codes::CLIENT_NOT_INIT;
        };
        let command = Command::Send {
            message: Box::new(message),
            event_id,
            requested: Instant::now(),
        };
        match session.commands.try_send(command) {
            Ok(()) => 0,
            Err(mpsc::error::TrySendError::Full(_)) => codes::SEND_MSG_FREQUENCY_OVERRUN as i32,
            Err(mpsc::error::TrySendError::Closed(_)) => codes::CLIENT_NOT_INIT,
        }
    }

    /// `recallMessage`: asks the server to recall a sent message (it needs its uid). The result
    /// comes as `MessageRecalled`: on success the local row has become the recall notification
    /// (messageType RECALL). Stored in the outbox first: made offline, it goes when the
    /// connection is back, even after an app restart.
    pub fn recall_message(&self, message: Message, event_id: EventId) -> i32 {
        if !valid_conversation(message.conversation_type, &message.target_id)
            || message.message_uid.as_deref().unwrap_or("").is_empty()
        {
            return codes::PARAM_ERROR;
        }
        let guard = self.lock_session();
        let Some(session) = guard.as_ref() else {
            return codes::CLIENT_NOT_INIT;
        };
        let command = Command::Recall {
            message: Box::new(message),
            event_id,
        };
        match session.commands.try_send(command) {
            Ok(()) => 0,
            Err(mpsc::error::TrySendError::Full(_)) => codes::SEND_MSG_FREQUENCY_OVERRUN as i32,
            Err(mpsc::error::TrySendError::Closed(_)) => codes::CLIENT_NOT_INIT,
        }
    }

    /// `loadMessages` / `getMessages` (local store; `count` 1..=20; `order` 0 = BEFORE,
    /// 1 = AFTER `sent_time`).
    pub fn load_messages(
        &self,
        key: ConversationKey,
        sent_time: i64,
        order: u32,
        count: u32,
        event_id: EventId,
    ) -> i32 {
        if !(1..=MAX_MESSAGE_PAGE).contains(&count) || order > 1 {
            return codes::PARAM_ERROR;
        }
        let time_order = if order == 0 {
            TimeOrder::Before
        } else {
            TimeOrder::After
        };
        self.conversation_query(
            key,
            move |s, key| s.messages(key, sent_time, time_order, count),
            move |code, key, rows| Event::MessagesLoaded {
                code,
                key,
                sent_time,
                order,
                messages: rows
                    .unwrap_or_default()
                    .iter()
                    .map(codec::message_from_row)
                    .collect(),
                event_id,
            },
        )
    }

    /// `getMessageById`: the stored message with local id `message_id`. The lookup is queued
    /// at once (in call order); the returned future resolves with the message or a code.
    pub fn get_message_by_id(
        &self,
        message_id: i64,
    ) -> impl std::future::Future<Output = Result<Message, i32>> + Send + 'static {
        let submitted = self.db().ok_or(codes::CLIENT_NOT_INIT).and_then(|db| {
            db.submit(move |s| s.message(message_id))
                .map_err(|_| codes::DATABASE_ERROR)
        });
        async move {
            match submitted?.await {
                Ok(Some(row)) => Ok(codec::message_from_row(&row)),
                Ok(None) => Err(codes::INVALID_MESSAGE_ID),
                Err(_) => Err(codes::DATABASE_ERROR),
            }
        }
    }

    /// `loadMessageCount` / `getMessageCount`: messages stored for the conversation.
    pub fn load_message_count(&self, key: ConversationKey, event_id: EventId) -> i32 {
        self.conversation_query(
            key,
            |s, key| s.message_count(key),
            move |code, key, count| Event::MessageCountLoaded {
                code,
                key,
                count: count.unwrap_or(0),
                event_id,
            },
        )
    }

    /// `loadFirstUnreadMessage` / `getFirstUnreadMessage`: the oldest unread received message
    /// (none: code 0 and no message).
    pub fn load_first_unread_message(&self, key: ConversationKey, event_id: EventId) -> i32 {
        self.conversation_query(
            key,
            |s, key| s.first_unread_message(key),
            move |code, key, row| Event::FirstUnreadMessageLoaded {
                code,
                key,
                message: row.flatten().as_ref().map(codec::message_from_row),
                event_id,
            },
        )
    }
}
