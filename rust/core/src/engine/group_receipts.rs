//! Group read receipts (R121–R122): the sender of a group message asks the members to
//! acknowledge it (`sendGroupReadReceiptRequest`), members acknowledge messages
//! (`sendGroupReadReceiptResponse`). Both are outbox operations like a recall: made offline,
//! they go when the connection is back. The state lives on the stored message
//! (`groupReadReceiptInfo`): the sender's devices learn who responded, the members' devices
//! that a receipt was asked for and whether this user responded.

use super::{check_uid, valid_conversation, Engine};
use crate::codec;
use crate::codes::Code;
use crate::event::EventId;
use crate::model::{conversation_type::GROUP, Message};
use crate::session::{Command, Operation};

/// Most messages one response takes (the server's limit).
pub const MAX_RECEIPT_RESPONSE_MESSAGES: usize = 100;

impl Engine {
    /// `sendGroupReadReceiptRequest`: asks the members of the group to acknowledge
    /// `message`, a group message this user sent (with its uid). The result comes as
    /// `onGroupReadReceiptRequestSent` (the stored message, `readReceiptMessage` set);
    /// members get `onGroupMessageReadReceiptRequestReceived`. PARAM_ERROR for a message that
    /// is not a group message, has no uid, or was received.
    pub fn send_group_read_receipt_request(
        &self,
        mut message: Message,
        event_id: EventId,
    ) -> Result<(), Code> {
        let me = self.user_id().ok_or(Code::CLIENT_NOT_INIT)?;
        let received = message.direction == Some(rcim_store::direction::RECEIVE)
            || message
                .sender_user_id
                .as_deref()
                .is_some_and(|sender| !sender.is_empty() && sender != me);
        if message.conversation_type != GROUP
            || !valid_conversation(GROUP, &message.target_id)
            || received
        {
            return Err(Code::PARAM_ERROR);
        }
        check_uid(message.message_uid.as_deref().unwrap_or(""))?;
        message.channel_id = Some(codec::channel_for(GROUP, ""));
        self.hand_over(Command::Operation(Operation::group_receipt_request(
            message, event_id,
        )))
    }

    /// `sendGroupReadReceiptResponse`: acknowledges `messages` (1..=100 messages of group
    /// `target_id`, each with its uid) in one request (R122). The result comes as
    /// `onGroupReadReceiptResponseSent` with the messages (`hasRespond` set on success); the
    /// senders get `onGroupMessageReadReceiptResponseReceived`. PARAM_ERROR for a bad group
    /// id, no or too many messages, or a message of another conversation or without uid.
    pub fn send_group_read_receipt_response(
        &self,
        target_id: &str,
        _channel_id: &str,
        messages: Vec<Message>,
        event_id: EventId,
    ) -> Result<(), Code> {
        if !valid_conversation(GROUP, target_id)
            || messages.is_empty()
            || messages.len() > MAX_RECEIPT_RESPONSE_MESSAGES
        {
            return Err(Code::PARAM_ERROR);
        }
        let mut uids = Vec::with_capacity(messages.len());
        for m in &messages {
            if m.conversation_type != GROUP || m.target_id != target_id {
                return Err(Code::PARAM_ERROR);
            }
            let uid = m.message_uid.as_deref().unwrap_or("");
            check_uid(uid)?;
            if !uids.iter().any(|u: &String| u == uid) {
                uids.push(uid.to_string());
            }
        }
        // Groups have no channels (R064).
        let channel = codec::channel_for(GROUP, "");
        self.hand_over(Command::Operation(Operation::group_receipt_response(
            target_id, &channel, uids, messages, event_id,
        )))
    }
}
