//! The conversation a user names in a request about a conversation's stored messages: a
//! history page, a deletion, a clear, an expansion update. One validator for all of them, so
//! they accept and refuse the same conversations with the same code (33003).

use super::error::ServiceError;
use crate::model::{UserConversation, MAX_CHANNEL_ID_CHARS, MAX_ID_LEN};
use rcim_proto::conversation_type::{GROUP, PRIVATE};

/// Checks a conversation a user names: private or group, a target id within its cap (the
/// user themselves too: sends to oneself are allowed, so that conversation exists), a channel
/// within its cap. 33003 otherwise.
pub(crate) fn conversation(
    user: &str,
    conversation_type: u32,
    target_id: String,
    channel_id: String,
) -> Result<UserConversation, ServiceError> {
    if !matches!(conversation_type, PRIVATE | GROUP) {
        return Err(ServiceError::Invalid(format!(
            "conversation type {conversation_type} has no history"
        )));
    }
    if target_id.is_empty() || target_id.len() > MAX_ID_LEN {
        return Err(ServiceError::Invalid("invalid target".into()));
    }
    if channel_id.chars().count() > MAX_CHANNEL_ID_CHARS {
        return Err(ServiceError::Invalid("channel id too long".into()));
    }
    Ok(UserConversation {
        user_id: user.to_owned(),
        conversation_type,
        target_id,
        channel_id,
    })
}
