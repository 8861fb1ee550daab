//! `insertMessage` / `insertMessages` (R099–R103): messages the app writes into the local
//! store. They are never sent, never synced to other devices and not restored after a
//! reinstall; a batch is stored all or nothing.

use super::create::{check_target, Target};
use super::Engine;
use crate::codec;
use crate::codes::Code;
use crate::model::{conversation_type, Message};
use crate::query::Query;
use rcim_store::{direction, received_status, sent_status, NewMessage};

/// Most messages of one `insertMessages` call (the seed recommends 10; larger batches are
/// accepted up to this bound, still all or nothing).
pub const MAX_INSERT_BATCH: usize = 500;

/// Conversation types messages can be inserted into: not chatrooms (nothing of theirs is
/// stored) and not ultra groups (C02).
const INSERT_CONVERSATION_TYPES: &[u32] = &[
    conversation_type::PRIVATE,
    conversation_type::GROUP,
    conversation_type::SYSTEM,
];

/// Highest `RCIMIWReceivedStatus` value (MULTIPLE_RECEIVE).
pub(crate) const MAX_RECEIVED_STATUS: u8 = 5;

impl Engine {
    /// `insertMessage`: stores `message` locally (see [`Engine::insert_messages`]).
    pub fn insert_message(&self, message: Message) -> Result<Query<Message>, Code> {
        let inserted = self.insert_messages(vec![message])?;
        Ok(Query::new(async move {
            inserted
                .await?
                .into_iter()
                .next()
                .ok_or(Code::DATABASE_ERROR)
        }))
    }

    /// `insertMessages`: stores 1..=500 messages locally in one transaction (all or nothing)
    /// and returns them as stored (with their `messageId`). Only storable types (R099: not
    /// COMMAND, RECALL or custom COMMAND/STATUS messages; not UNKNOWN), into private, group
    /// and system conversations; only the conversation, `direction`, `sentTime` (0 or absent
    /// = now) and the type's content fields (with `extra`, `userInfo`, `mentionedInfo`) are
    /// taken (R100); a received message also keeps `senderUserId` (default: the target id)
    /// and `receivedStatus` (default UNREAD: it counts as unread, and as a mention when it
    /// @-mentions this user). Outgoing messages are SENT (R101), sent by this user. Never
    /// sent to the server (R102). PARAM_ERROR for anything else, 30016 for a content over
    /// the size limit.
    pub fn insert_messages(&self, messages: Vec<Message>) -> Result<Query<Vec<Message>>, Code> {
        if messages.is_empty() || messages.len() > MAX_INSERT_BATCH {
            return Err(Code::PARAM_ERROR);
        }
        let me = self.user_id().ok_or(Code::CLIENT_NOT_INIT)?;
        let now = crate::session::now_ms();
        let rows = messages
            .iter()
            .map(|m| inserted_row(m, &me, now))
            .collect::<Result<Vec<_>, Code>>()?;
        let stored = self.query(move |s| s.insert_messages(&rows))?;
        Ok(stored.map(|rows| rows.iter().map(codec::message_from_row).collect()))
    }
}

/// The row of an inserted message for user `me`, or why it cannot be inserted.
fn inserted_row(message: &Message, me: &str, now: i64) -> Result<NewMessage, Code> {
    check_target(Target {
        conversation_type: message.conversation_type,
        target_id: &message.target_id,
        channel_id: message.channel_id.as_deref(),
    })?;
    let direction = message.direction.unwrap_or(direction::SEND);
    let received = match direction {
        direction::SEND => false,
        direction::RECEIVE => true,
        _ => return Err(Code::PARAM_ERROR),
    };
    let sent_time = message.sent_time.unwrap_or(0);
    let status = message.received_status.unwrap_or(received_status::UNREAD);
    let flags = codec::message_flags(message);
    if !INSERT_CONVERSATION_TYPES.contains(&message.conversation_type)
        || !flags.persisted
        || sent_time < 0
        || status > MAX_RECEIVED_STATUS
        || !super::mentions::mention_ok(message)
    {
        return Err(Code::PARAM_ERROR);
    }
    let (object_name, content) = codec::encode_content(message).ok_or(Code::PARAM_ERROR)?;
    if content.len() > rcim_proto::MAX_CONTENT_LEN {
        return Err(Code::MSG_SIZE_OUT_OF_LIMIT);
    }
    // Push options and expansion are not configurable on inserted messages (R100).
    let local = Message {
        push_options: None,
        expansion: None,
        ..message.clone()
    };
    let sender_id = match (received, message.sender_user_id.as_deref()) {
        (false, _) => me.to_string(),
        (true, Some(sender)) if !sender.is_empty() && sender.len() <= 64 => sender.to_string(),
        (true, _) => message.target_id.clone(),
    };
    let sent_time = if sent_time == 0 { now } else { sent_time };
    Ok(NewMessage {
        conversation_type: message.conversation_type,
        target_id: message.target_id.clone(),
        channel_id: codec::channel_for(
            message.conversation_type,
            message.channel_id.as_deref().unwrap_or(""),
        ),
        message_type: message.message_type,
        mentioned: received && codec::mentions_user(message.conversation_type, &content, me),
        conv_seq: 0,
        group_receipt: None,
        object_name,
        content,
        uid: None,
        client_msg_id: None,
        sender_id,
        direction,
        sent_status: sent_status::SENT,
        received_status: if received {
            status
        } else {
            received_status::READ
        },
        sent_time,
        received_time: now,
        counted: flags.counted,
        extra_json: codec::extra_json(&local),
    })
}
