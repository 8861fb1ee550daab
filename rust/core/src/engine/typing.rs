//! Typing status (R156–R158): `sendTypingStatus`. The session sends it at once when
//! connected and drops it otherwise (never stored nor queued); at most one per conversation
//! per 6 s goes out (`session::typing`). Received typing comes as `onTypingStatusChanged`.

use super::{check_conversation, normalised, Engine};
use crate::codes::Code;
use crate::model::conversation_type::PRIVATE;
use crate::session::{Command, TypingCommand};
use rcim_store::ConversationKey;

/// Longest `currentType` (an object name), in characters.
pub const MAX_TYPING_CONTENT_TYPE_CHARS: usize = 32;

impl Engine {
    /// `sendTypingStatus`: tells the peer of a private conversation that this user types a
    /// message of object name `current_type` (e.g. "RC:TxtMsg"). PARAM_ERROR for another
    /// conversation type (R156) or an empty or over-long `current_type`; 0 otherwise, also
    /// when it is dropped (not connected, or within 6 s of the last one).
    pub fn send_typing_status(&self, key: ConversationKey, current_type: &str) -> Result<(), Code> {
        check_conversation(&key)?;
        if key.conversation_type != PRIVATE
            || current_type.is_empty()
            || current_type.chars().count() > MAX_TYPING_CONTENT_TYPE_CHARS
        {
            return Err(Code::PARAM_ERROR);
        }
        self.hand_over(Command::Typing(TypingCommand {
            key: normalised(key),
            object_name: current_type.to_string(),
        }))
    }
}
