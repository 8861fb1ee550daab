//! Directed group messages (R181–R183): `sendGroupMessageToDesignatedUsers` sends a group
//! message that only the given members (and this user's other devices) receive. It takes
//! the path of `sendMessage` — stored first, queued in the outbox, resent after a restart —
//! with the members kept beside the stored message (`codec::directed`); its events are
//! `onGroupMessageToDesignatedUsersAttached` and `onGroupMessageToDesignatedUsersSent`.
//!
//! Decision: only messages that are stored can be directed (text, reference, location,
//! command notification, stored custom ones). Media messages are refused (R182), and so are
//! the types that are never stored (COMMAND, custom COMMAND/STATUS): they fail rather than
//! reach every member.

use super::Engine;
use crate::codec;
use crate::codes::Code;
use crate::event::EventId;
use crate::media::limits::is_media;
use crate::model::{conversation_type::GROUP, Message};

/// Most members one directed message names (the server's limit).
pub const MAX_DIRECTED_USERS: usize = 300;

/// Longest user id, in bytes.
const MAX_USER_ID_LEN: usize = 64;

impl Engine {
    /// `sendGroupMessageToDesignatedUsers`: sends group `message` to `user_ids` only (empty
    /// ids are dropped, repeated ones sent once). PARAM_ERROR for a conversation that is not
    /// a group, a media message or one that is not stored, no user id, more than 300, or an
    /// id over 64 bytes; otherwise as `sendMessage`.
    pub fn send_group_message_to_designated_users(
        &self,
        mut message: Message,
        user_ids: Vec<String>,
        event_id: EventId,
    ) -> Result<(), Code> {
        if message.conversation_type != GROUP
            || is_media(message.message_type)
            || !codec::message_flags(&message).persisted
        {
            return Err(Code::PARAM_ERROR);
        }
        let mut ids: Vec<String> = Vec::with_capacity(user_ids.len());
        for id in user_ids.into_iter().filter(|id| !id.is_empty()) {
            if id.len() > MAX_USER_ID_LEN {
                return Err(Code::PARAM_ERROR);
            }
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        if ids.is_empty() || ids.len() > MAX_DIRECTED_USERS {
            return Err(Code::PARAM_ERROR);
        }
        message.directed_user_ids = Some(ids);
        self.send_message(message, event_id)
    }
}
