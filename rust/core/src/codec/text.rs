//! `RC:TxtMsg` `{content}`: TEXT.

use super::{new_message, set, take_str, Body, Decoding, Family};
use crate::model::{message_type, Message};
use serde_json::{json, Map, Value};

/// Object name of text messages.
pub const TEXT_OBJECT_NAME: &str = "RC:TxtMsg";

pub(crate) const TEXT: Family = Family {
    message_type: message_type::TEXT,
    object_name: TEXT_OBJECT_NAME,
    encode,
    decode,
};

fn encode(message: &Message) -> Option<Body> {
    let text = message.fields.get("text")?.as_str()?;
    Some(Map::from_iter([("content".into(), json!(text))]))
}

fn decode(message: &mut Message, mut body: Body, _: &Decoding) {
    let text = take_str(&mut body, "content");
    set(message, "text", Value::String(text));
}

/// A fresh text message as `createTextMessage` returns it (not stored yet).
pub fn new_text_message(
    conversation_type: u32,
    target_id: &str,
    channel_id: Option<&str>,
    text: &str,
) -> Message {
    new_message(
        conversation_type,
        target_id,
        channel_id,
        message_type::TEXT,
        Map::from_iter([("text".into(), json!(text))]),
    )
}
