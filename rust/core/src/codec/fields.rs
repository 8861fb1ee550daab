//! Field access shared by the families: lenient about numbers given as strings (Server API
//! publishers do that), never failing.

use super::Body;
use crate::model::Message;
use serde_json::Value;

/// A string field of the message ("" when absent).
pub(crate) fn field_str<'a>(message: &'a Message, key: &str) -> &'a str {
    message
        .fields
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// A number field of the message.
pub(crate) fn field_f64(message: &Message, key: &str) -> Option<f64> {
    as_f64(message.fields.get(key)?)
}

/// An integer field of the message (0 when absent).
pub(crate) fn field_i64(message: &Message, key: &str) -> i64 {
    message
        .fields
        .get(key)
        .and_then(as_f64)
        .map_or(0, |v| v as i64)
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A string key of a body ("" when absent; numbers and booleans as text).
pub(crate) fn take_str(body: &mut Body, key: &str) -> String {
    match body.remove(key) {
        Some(Value::String(s)) => s,
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// A number key of a body (0 when absent or not a number).
pub(crate) fn take_f64(body: &mut Body, key: &str) -> f64 {
    body.remove(key).as_ref().and_then(as_f64).unwrap_or(0.0)
}

/// An integer key of a body (0 when absent or not a number).
pub(crate) fn take_i64(body: &mut Body, key: &str) -> i64 {
    take_f64(body, key) as i64
}

/// A boolean key of a body (`true`, `1` or `"true"`).
pub(crate) fn take_bool(body: &mut Body, key: &str) -> bool {
    match body.remove(key) {
        Some(Value::Bool(b)) => b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|v| v != 0.0),
        Some(Value::String(s)) => s == "true" || s == "1",
        _ => false,
    }
}

/// Sets a field of the message.
pub(crate) fn set(message: &mut Message, key: &str, value: Value) {
    message.fields.insert(key.to_string(), value);
}
