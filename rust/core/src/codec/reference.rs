//! `RC:ReferenceMsg` `{content: text, referMsgUserId, referMsg, objName, referMsgUid}`:
//! REFERENCE. The quoted message travels as its own content object and object name; the
//! receiver rebuilds it as a full message object (`referenceMessage`) in the same
//! conversation.

use super::{decode_content, encode_content, field_str, set, take_str, Body, Decoding, Family};
use crate::model::{message_type, Message};
use serde_json::{json, Map, Value};

/// Object name of reference messages.
pub const REFERENCE_OBJECT_NAME: &str = "RC:ReferenceMsg";

pub(crate) const REFERENCE: Family = Family {
    message_type: message_type::REFERENCE,
    object_name: REFERENCE_OBJECT_NAME,
    encode,
    decode,
};

/// The quoted message of a reference message.
pub fn quoted(message: &Message) -> Option<Message> {
    serde_json::from_value(message.fields.get("referenceMessage")?.clone()).ok()
}

fn encode(message: &Message) -> Option<Body> {
    let quoted = quoted(message)?;
    let (object_name, content) = encode_content(&quoted)?;
    let content: Value = serde_json::from_str(&content).ok()?;
    Some(Map::from_iter([
        ("content".into(), json!(field_str(message, "text"))),
        (
            "referMsgUserId".into(),
            json!(quoted.sender_user_id.unwrap_or_default()),
        ),
        ("referMsg".into(), content),
        ("objName".into(), json!(object_name)),
        (
            "referMsgUid".into(),
            json!(quoted.message_uid.unwrap_or_default()),
        ),
    ]))
}

fn decode(message: &mut Message, mut body: Body, _: &Decoding) {
    set(message, "text", json!(take_str(&mut body, "content")));
    let object_name = take_str(&mut body, "objName");
    let content = match body.remove("referMsg") {
        Some(Value::String(s)) => s,
        Some(v) => v.to_string(),
        None => "{}".into(),
    };
    let mut quoted = Message {
        conversation_type: message.conversation_type,
        target_id: message.target_id.clone(),
        channel_id: message.channel_id.clone(),
        sender_user_id: Some(take_str(&mut body, "referMsgUserId")),
        message_uid: Some(take_str(&mut body, "referMsgUid")).filter(|u| !u.is_empty()),
        ..Message::default()
    };
    decode_content(&mut quoted, &object_name, &content, &Decoding::default());
    set(
        message,
        "referenceMessage",
        serde_json::to_value(quoted).unwrap_or(Value::Null),
    );
}
