//! Custom messages (CUSTOM): the object name is the `identifier`, the content the JSON object
//! of the string `fields`, and the wire `custom` flag tells them from unknown object names. The
//! `policy` travels as the wire flags: NORMAL stored + counted, STORAGE stored, COMMAND
//! neither, STATUS online only.

use super::{set, Body, WireFlags};
use crate::model::{custom_policy, message_type, Message};
use serde_json::{json, Map, Value};

/// Longest identifier (characters).
pub const MAX_IDENTIFIER_CHARS: usize = 32;

/// Whether `identifier` may name a custom message: non-empty, at most 32 characters, not one
/// of RongCloud's (`RC:` prefix).
pub fn identifier_ok(identifier: &str) -> bool {
    !identifier.is_empty()
        && identifier.chars().count() <= MAX_IDENTIFIER_CHARS
        && !identifier.starts_with("RC:")
        && !super::is_known_object_name(identifier)
}

/// Whether `policy` is an `RCIMIWCustomMessagePolicy`.
pub fn policy_ok(policy: u32) -> bool {
    policy <= custom_policy::STORAGE
}

/// Whether every field value is a string.
pub fn fields_ok(fields: &Map<String, Value>) -> bool {
    fields.values().all(Value::is_string)
}

/// Whether a custom message can be sent as it is.
pub fn valid(message: &Message) -> bool {
    let identifier = message.fields.get("identifier").and_then(Value::as_str);
    let fields = message.fields.get("fields");
    identifier.is_some_and(identifier_ok)
        && policy_of(message).is_some_and(policy_ok)
        && match fields {
            None | Some(Value::Null) => true,
            Some(Value::Object(fields)) => fields_ok(fields),
            Some(_) => false,
        }
}

/// The policy of a custom message (`None` for other types).
pub fn policy_of(message: &Message) -> Option<u32> {
    if message.message_type != message_type::CUSTOM {
        return None;
    }
    message
        .fields
        .get("policy")
        .and_then(Value::as_u64)
        .map(|p| p as u32)
}

/// The wire flags of a policy (an invalid one: neither stored nor counted).
pub(crate) fn flags(policy: u32) -> WireFlags {
    let custom = WireFlags {
        custom: true,
        ..WireFlags::default()
    };
    match policy {
        custom_policy::NORMAL => WireFlags {
            persisted: true,
            counted: true,
            ..custom
        },
        custom_policy::STORAGE => WireFlags {
            persisted: true,
            ..custom
        },
        custom_policy::STATUS => WireFlags {
            status: true,
            ..custom
        },
        _ => custom,
    }
}

/// The policy that received flags stand for.
pub(crate) fn policy_from_flags(persisted: bool, counted: bool, status: bool) -> u32 {
    match (status, persisted, counted) {
        (true, _, _) => custom_policy::STATUS,
        (false, false, _) => custom_policy::COMMAND,
        (false, true, false) => custom_policy::STORAGE,
        (false, true, true) => custom_policy::NORMAL,
    }
}

pub(crate) fn encode(message: &Message) -> Option<(String, Body)> {
    if !valid(message) {
        return None;
    }
    let identifier = message.fields.get("identifier")?.as_str()?.to_string();
    let fields = match message.fields.get("fields") {
        Some(Value::Object(fields)) => fields.clone(),
        _ => Map::new(),
    };
    Some((identifier, fields))
}

pub(crate) fn decode(message: &mut Message, object_name: &str, body: Body, policy: u32) {
    message.message_type = message_type::CUSTOM;
    // Fields are strings; a publisher that sent other JSON values gets them as text.
    let fields: Map<String, Value> = body
        .into_iter()
        .map(|(k, v)| match v {
            Value::String(_) => (k, v),
            other => (k, Value::String(other.to_string())),
        })
        .collect();
    set(message, "identifier", json!(object_name));
    set(message, "policy", json!(policy));
    set(message, "fields", Value::Object(fields));
}
