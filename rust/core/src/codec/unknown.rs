//! UNKNOWN: an object name this engine does not know (and not flagged custom) keeps its name and
//! raw content (R077); it cannot be sent.

use super::set;
use crate::model::{message_type, Message};
use serde_json::json;

/// Makes `message` an UNKNOWN one with `objectName` and `rawData`.
pub(crate) fn decode(message: &mut Message, object_name: &str, content: &str) {
    message.message_type = message_type::UNKNOWN;
    set(message, "objectName", json!(object_name));
    set(message, "rawData", json!(content));
}
