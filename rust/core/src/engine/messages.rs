//! Messages: send, recall, pages, lookup by id, counts.

use super::create::{check_target, Target};
use super::{valid_conversation, Engine};
use crate::codec;
use crate::codes::Code;
use crate::event::EventId;
use crate::model::{message_type, Message};
use crate::query::Query;
use crate::session::{Command, Operation};
use rcim_store::ConversationKey;
use std::time::Instant;

/// The types `sendMessage` takes (R081); media types need `sendMediaMessage`, RECALL and
/// UNKNOWN cannot be sent (R076, R077).
pub const SEND_MESSAGE_TYPES: &[u32] = &[
    message_type::TEXT,
    message_type::REFERENCE,
    message_type::LOCATION,
    message_type::CUSTOM,
    message_type::COMMAND,
    message_type::COMMAND_NOTIFICATION,
];

/// Largest page of `getMessages` (seed: 0 < count <= 20).
pub const MAX_MESSAGE_PAGE: u32 = 20;

impl Engine {
    /// `sendMessage` (text, reference, location, custom, command and command notification
    /// messages; media types go through `sendMediaMessage`, R081): stores the message
    /// (`MessageAttached`), sends it, and reports the server's answer (`MessageSent`).
    /// Resending a failed message object reuses its stored row. A type that is not stored
    /// (COMMAND, custom COMMAND/STATUS) is announced without a `messageId`, never stored and
    /// not kept for later: offline it fails (R085). PARAM_ERROR for a bad conversation, a
    /// channelId over 20 characters, another type or invalid fields.
    pub fn send_message(&self, mut message: Message, event_id: EventId) -> Result<(), Code> {
        check_target(Target {
            conversation_type: message.conversation_type,
            target_id: &message.target_id,
            channel_id: message.channel_id.as_deref(),
        })?;
        if !SEND_MESSAGE_TYPES.contains(&message.message_type) {
            return Err(Code::PARAM_ERROR);
        }
        super::expansion::check_message_extras(&message)?;
        message.channel_id = Some(codec::channel_for(
            message.conversation_type,
            message.channel_id.as_deref().unwrap_or(""),
        ));
        let Some((_, content)) = codec::encode_content(&message) else {
            return Err(Code::PARAM_ERROR);
        };
        if content.len() > rcim_proto::MAX_CONTENT_LEN {
            return Err(Code::MSG_SIZE_OUT_OF_LIMIT);
        }
        self.hand_over(Command::Send {
            message: Box::new(message),
            event_id,
            requested: Instant::now(),
        })
    }

    /// `recallMessage`: asks the server to recall a sent message (it needs its uid). The result
    /// comes as `MessageRecalled`: on success the local row has become the recall notification
    /// (messageType RECALL). Stored in the outbox first: made offline, it goes when the
    /// connection is back, even after an app restart.
    pub fn recall_message(&self, message: Message, event_id: EventId) -> Result<(), Code> {
        if !valid_conversation(message.conversation_type, &message.target_id)
            || message.message_uid.as_deref().unwrap_or("").is_empty()
        {
            return Err(Code::PARAM_ERROR);
        }
        let mut message = message;
        message.channel_id = Some(codec::channel_for(
            message.conversation_type,
            message.channel_id.as_deref().unwrap_or(""),
        ));
        self.hand_over(Command::Operation(Operation::recall(message, event_id)))
    }

    /// `getMessageById`: the stored message with local id `message_id` (34204 when there is
    /// none).
    pub fn message_by_id(&self, message_id: i64) -> Result<Query<Message>, Code> {
        let row = self.query(move |s| s.message(message_id))?;
        Ok(Query::new(async move {
            match row.await? {
                Some(row) => Ok(codec::message_from_row(&row)),
                None => Err(Code::INVALID_MESSAGE_ID),
            }
        }))
    }

    /// `getMessageByUId`: the stored message with server uid `uid` (PARAM_ERROR for an empty
    /// or over-long uid, 34204 when none is stored, as `getMessageById`).
    pub fn message_by_uid(&self, uid: &str) -> Result<Query<Message>, Code> {
        super::check_uid(uid)?;
        let uid = uid.to_string();
        let row = self.query(move |s| s.message_by_uid(&uid))?;
        Ok(Query::new(async move {
            match row.await? {
                Some(row) => Ok(codec::message_from_row(&row)),
                None => Err(Code::INVALID_MESSAGE_ID),
            }
        }))
    }

    /// `getMessageCount`: messages stored for the conversation.
    pub fn message_count(&self, key: ConversationKey) -> Result<Query<u64>, Code> {
        self.conversation_query(key, |s, key| s.message_count(key))
    }

    /// `getFirstUnreadMessage`: the oldest unread received message (None when all are read).
    pub fn first_unread_message(
        &self,
        key: ConversationKey,
    ) -> Result<Query<Option<Message>>, Code> {
        let row = self.conversation_query(key, |s, key| s.first_unread_message(key))?;
        Ok(row.map(|row| row.as_ref().map(codec::message_from_row)))
    }
}
