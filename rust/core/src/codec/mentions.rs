//! `mentionedInfo` (@-messages, R129–R131): the API shape `RCIMIWMentionedInfo {type: ALL 0 |
//! PART 1, userIdList, mentionedContent}` and RongCloud's wire shape in the content
//! `mentionedInfo {type: 1 all | 2 users, userIdList, mentionedContent}`, converted both ways;
//! and whether a message @-mentions a user.

use serde_json::{Map, Value};

/// `RCIMIWMentionedType.ALL`.
pub const API_ALL: u64 = 0;
/// `RCIMIWMentionedType.PART`.
pub const API_PART: u64 = 1;
/// Wire (RongCloud content) type: everyone.
const WIRE_ALL: u64 = 1;
/// Wire (RongCloud content) type: the listed users.
const WIRE_USERS: u64 = 2;

/// Content key of the mention.
pub(crate) const KEY: &str = "mentionedInfo";

/// The wire shape of an API `mentionedInfo` (unknown types are kept as they are).
pub(crate) fn to_wire(api: &Value) -> Value {
    convert(api, |t| match t {
        API_ALL => Some(WIRE_ALL),
        API_PART => Some(WIRE_USERS),
        _ => None,
    })
}

/// The API shape of a wire `mentionedInfo` (unknown types are kept as they are).
pub(crate) fn from_wire(wire: &Value) -> Value {
    convert(wire, |t| match t {
        WIRE_ALL => Some(API_ALL),
        WIRE_USERS => Some(API_PART),
        _ => None,
    })
}

fn convert(info: &Value, map: impl Fn(u64) -> Option<u64>) -> Value {
    let mut info = info.clone();
    if let Some(object) = info.as_object_mut() {
        if let Some(mapped) = object.get("type").and_then(type_number).and_then(map) {
            object.insert("type".into(), Value::from(mapped));
        }
    }
    info
}

/// A type given as a number or as a numeric string.
fn type_number(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Whether the API-shaped `mentionedInfo` @-mentions user `me`: everyone, or a list of users
/// that names them.
pub fn mentions(api: &Value, me: &str) -> bool {
    let Some(object) = api.as_object() else {
        return false;
    };
    match object.get("type").and_then(type_number) {
        Some(API_ALL) => true,
        Some(API_PART) => lists(object, me),
        _ => false,
    }
}

fn lists(object: &Map<String, Value>, me: &str) -> bool {
    object
        .get("userIdList")
        .and_then(Value::as_array)
        .is_some_and(|ids| ids.iter().any(|id| id.as_str() == Some(me)))
}

/// The `mentionedContent` of an API- or wire-shaped `mentionedInfo`, when not empty (the push
/// text that overrides any other, R131).
pub(crate) fn mentioned_content(info: &Value) -> Option<&str> {
    info.get("mentionedContent")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// Whether an API-shaped `mentionedInfo` is valid: ALL, or PART with a list of user ids
/// (R130); a `mentionedContent`, if any, is a string.
pub(crate) fn is_valid(api: &Value) -> bool {
    let Some(object) = api.as_object() else {
        return false;
    };
    let content_ok = object
        .get("mentionedContent")
        .is_none_or(|c| c.is_null() || c.is_string());
    let ids_ok = |required: bool| match object.get("userIdList") {
        None | Some(Value::Null) => !required,
        Some(Value::Array(ids)) => {
            ids.iter().all(Value::is_string) && (!required || !ids.is_empty())
        }
        Some(_) => false,
    };
    content_ok
        && match object.get("type").and_then(type_number) {
            Some(API_ALL) => ids_ok(false),
            Some(API_PART) => ids_ok(true),
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn types_convert_both_ways_and_keep_the_rest() {
        let api = json!({"type": 1, "userIdList": ["bob"], "mentionedContent": "@bob"});
        let wire = to_wire(&api);
        assert_eq!(
            wire,
            json!({"type": 2, "userIdList": ["bob"], "mentionedContent": "@bob"})
        );
        assert_eq!(from_wire(&wire), api);
        assert_eq!(to_wire(&json!({"type": 0})), json!({"type": 1}));
        assert_eq!(from_wire(&json!({"type": "1"})), json!({"type": 0}));
        // Unknown shapes pass through unchanged.
        assert_eq!(from_wire(&json!({"type": 9})), json!({"type": 9}));
        assert_eq!(from_wire(&json!("x")), json!("x"));
    }

    #[test]
    fn mentions_everyone_or_the_listed_users() {
        assert!(mentions(&json!({"type": 0}), "bob"));
        assert!(mentions(
            &json!({"type": 1, "userIdList": ["al", "bob"]}),
            "bob"
        ));
        assert!(!mentions(&json!({"type": 1, "userIdList": ["al"]}), "bob"));
        assert!(!mentions(&json!({"type": 1}), "bob"));
        assert!(!mentions(&json!({"type": 7, "userIdList": ["bob"]}), "bob"));
        assert!(!mentions(&json!(null), "bob"));
    }

    #[test]
    fn validity_follows_r130() {
        assert!(is_valid(&json!({"type": 0})));
        assert!(is_valid(
            &json!({"type": 0, "userIdList": [], "mentionedContent": "hi"})
        ));
        assert!(is_valid(&json!({"type": 1, "userIdList": ["bob"]})));
        assert!(!is_valid(&json!({"type": 1, "userIdList": []})));
        assert!(!is_valid(&json!({"type": 1})));
        assert!(!is_valid(&json!({"type": 1, "userIdList": [3]})));
        assert!(!is_valid(&json!({"type": 2, "userIdList": ["bob"]})));
        assert!(!is_valid(&json!({"type": 0, "mentionedContent": 5})));
        assert!(!is_valid(&json!([])));
    }
}
