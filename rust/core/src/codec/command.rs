//! `RC:CmdMsg` (COMMAND: neither stored nor counted) and `RC:CmdNtf` (COMMAND_NOTIFICATION:
//! stored, not counted), both `{name, data}`.

use super::{field_str, set, take_str, Body, Decoding, Family};
use crate::model::{message_type, Message};
use serde_json::{json, Map};

/// Object name of command messages.
pub const COMMAND_OBJECT_NAME: &str = "RC:CmdMsg";
/// Object name of command notifications.
pub const COMMAND_NOTIFICATION_OBJECT_NAME: &str = "RC:CmdNtf";

pub(crate) const COMMAND: Family = Family {
    message_type: message_type::COMMAND,
    object_name: COMMAND_OBJECT_NAME,
    encode,
    decode,
};

pub(crate) const COMMAND_NOTIFICATION: Family = Family {
    message_type: message_type::COMMAND_NOTIFICATION,
    object_name: COMMAND_NOTIFICATION_OBJECT_NAME,
    encode,
    decode,
};

fn encode(message: &Message) -> Option<Body> {
    Some(Map::from_iter([
        ("name".into(), json!(field_str(message, "name"))),
        ("data".into(), json!(field_str(message, "data"))),
    ]))
}

fn decode(message: &mut Message, mut body: Body, _: &Decoding) {
    let name = take_str(&mut body, "name");
    let data = take_str(&mut body, "data");
    set(message, "name", json!(name));
    set(message, "data", json!(data));
}
