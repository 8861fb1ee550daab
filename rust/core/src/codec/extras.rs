//! What travels beside a message's content: its push options (`RCIMIWMessagePushOptions`, as
//! JSON in `push_options`; `push_content` / `push_data` derived from them and from the
//! mention, R131) and its expansion (R065, R066, R123–R128: enabled by setting `expansion`
//! before sending, then changed only by `updateMessageExpansion` /
//! `removeMessageExpansionForKeys`). Both are kept in the row's `extra_json` under
//! [`PUSH_OPTIONS_KEY`] and [`EXPANSION_KEY`].

use super::mentions;
use crate::codes::{Code, EXPANSION_SIZE_LIMIT_EXCEED};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// `extra_json` key of the push options.
pub(crate) const PUSH_OPTIONS_KEY: &str = "pushOptions";
/// `extra_json` key of the expansion (present, even empty, when expansion is enabled).
pub(crate) const EXPANSION_KEY: &str = "expansion";

// The expansion limits are the server's too: one definition in `rcim_proto::expansion`.
/// Longest expansion key, in characters (R066).
pub const MAX_EXPANSION_KEY_CHARS: usize = rcim_proto::expansion::MAX_KEY_CHARS;
/// Longest expansion value, in characters (R066).
pub const MAX_EXPANSION_VALUE_CHARS: usize = rcim_proto::expansion::MAX_VALUE_CHARS;
/// Most expansion entries of one message (R066, R127), the expansion it is sent with included.
pub const MAX_EXPANSION_ENTRIES: usize = rcim_proto::expansion::MAX_KEYS_PER_MESSAGE;
/// Most expansion pairs set (or keys removed) by one update call (R066, R127).
pub const MAX_EXPANSION_UPDATE: usize = rcim_proto::expansion::MAX_KEYS_PER_UPDATE;
/// Most bytes of one message's expansion (our deviation, see `rcim_proto::expansion`).
pub const MAX_EXPANSION_BYTES: usize = rcim_proto::expansion::MAX_BYTES;

/// The `SendMessage` fields beside the content.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SendExtras {
    /// Expansion enabled.
    pub can_expand: bool,
    /// The expansion at send time.
    pub expansion: HashMap<String, String>,
    /// The push options as JSON ("" when none).
    pub push_options: String,
    /// Effective push text: the mention's `mentionedContent`, else the options' `pushContent`.
    pub push_content: String,
    /// The options' `pushData`.
    pub push_data: String,
    /// A directed group message's members (empty: everyone).
    pub directed_user_ids: Vec<String>,
}

/// The extras of an outgoing message from its row's `extra_json` and its (wire) content.
pub fn send_extras(extra_json: Option<&str>, content: &str) -> SendExtras {
    let extra = object(extra_json);
    let push = extra.get(PUSH_OPTIONS_KEY).filter(|p| p.is_object());
    let push_field = |key: &str| {
        push.and_then(|p| p.get(key))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let mention_text = serde_json::from_str::<Value>(content).ok().and_then(|c| {
        c.get(mentions::KEY)
            .and_then(|m| mentions::mentioned_content(m).map(str::to_string))
    });
    let expansion = extra.get(EXPANSION_KEY).and_then(Value::as_object);
    SendExtras {
        can_expand: expansion.is_some(),
        expansion: expansion.map(string_pairs).unwrap_or_default(),
        push_options: push.map(Value::to_string).unwrap_or_default(),
        push_content: mention_text.unwrap_or_else(|| push_field("pushContent")),
        push_data: push_field("pushData"),
        directed_user_ids: super::directed::from_extra(&extra).unwrap_or_default(),
    }
}

/// The `extra_json` entries of a received message: its push options (when valid JSON, and
/// only on the user's own messages: R069, a receiver never sees the sender's push
/// configuration) and, when the sender enabled it, its expansion.
pub(crate) fn received_extras(m: &rcim_proto::v1::Message, own: bool) -> Map<String, Value> {
    let mut extra = Map::new();
    if own {
        if let Ok(push @ Value::Object(_)) = serde_json::from_str::<Value>(&m.push_options) {
            extra.insert(PUSH_OPTIONS_KEY.into(), push);
        }
    }
    if m.can_expand {
        extra.insert(EXPANSION_KEY.into(), Value::Object(to_object(&m.expansion)));
    }
    extra
}

fn object(json: Option<&str>) -> Map<String, Value> {
    json.and_then(|s| serde_json::from_str::<Map<String, Value>>(s).ok())
        .unwrap_or_default()
}

fn string_pairs(map: &Map<String, Value>) -> HashMap<String, String> {
    map.iter()
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
        .collect()
}

/// A JSON object of string pairs.
pub fn to_object(pairs: &HashMap<String, String>) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect()
}

/// Whether `key` is a valid expansion key: 1..=32 characters of `[A-Za-z0-9+=_-]`.
pub fn valid_expansion_key(key: &str) -> bool {
    rcim_proto::expansion::valid_key(key)
}

/// The string pairs of an API expansion after the limits the server applies too
/// (`rcim_proto::expansion::check_initial`): 34010 for an invalid key, a value over 4096
/// characters, more than 300 entries or more than [`MAX_EXPANSION_BYTES`]; PARAM_ERROR for a
/// value that is not a string.
pub fn checked_expansion(expansion: &Map<String, Value>) -> Result<HashMap<String, String>, Code> {
    if expansion.len() > MAX_EXPANSION_ENTRIES {
        return Err(Code::of(EXPANSION_SIZE_LIMIT_EXCEED));
    }
    let mut pairs = HashMap::with_capacity(expansion.len());
    for (key, value) in expansion {
        let value = value.as_str().ok_or(Code::PARAM_ERROR)?;
        pairs.insert(key.clone(), value.to_string());
    }
    rcim_proto::expansion::check_initial(&pairs)
        .map_err(|_| Code::of(EXPANSION_SIZE_LIMIT_EXCEED))?;
    Ok(pairs)
}

/// The stored expansion of a row (`None`: expansion is not enabled).
pub fn stored_expansion(extra_json: Option<&str>) -> Option<HashMap<String, String>> {
    object(extra_json)
        .get(EXPANSION_KEY)
        .and_then(Value::as_object)
        .map(string_pairs)
}

/// `extra_json` with its expansion replaced by `expansion`.
pub fn with_expansion(extra_json: Option<&str>, expansion: &HashMap<String, String>) -> String {
    let mut extra = object(extra_json);
    extra.insert(EXPANSION_KEY.into(), Value::Object(to_object(expansion)));
    Value::Object(extra).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn send_extras_take_the_mention_text_first() {
        let extra = json!({"pushOptions": {"pushContent": "pc", "pushData": "pd"},
                           "expansion": {"k": "v"}})
        .to_string();
        let plain = send_extras(Some(&extra), r#"{"content":"hi"}"#);
        assert!(plain.can_expand);
        assert_eq!(plain.expansion, HashMap::from([("k".into(), "v".into())]));
        assert_eq!(plain.push_content, "pc");
        assert_eq!(plain.push_data, "pd");
        let options: Value = serde_json::from_str(&plain.push_options).unwrap();
        assert_eq!(options["pushContent"], "pc");
        let mentioned = send_extras(
            Some(&extra),
            r#"{"content":"hi","mentionedInfo":{"type":2,"userIdList":["b"],"mentionedContent":"@b"}}"#,
        );
        assert_eq!(mentioned.push_content, "@b");
        assert_eq!(send_extras(None, "not json"), SendExtras::default());
    }

    #[test]
    fn expansion_limits() {
        let ok = json!({"a-Z_0+=": "v", "k": ""});
        assert_eq!(checked_expansion(ok.as_object().unwrap()).unwrap().len(), 2);
        let code = |v: Value| {
            checked_expansion(v.as_object().unwrap())
                .unwrap_err()
                .value()
        };
        assert_eq!(code(json!({"x".repeat(33): "v"})), 34010);
        assert_eq!(code(json!({"中文": "v"})), 34010);
        assert_eq!(code(json!({"": "v"})), 34010);
        assert_eq!(code(json!({"k": "v".repeat(4097)})), 34010);
        assert_eq!(code(json!({"k": 5})), 1);
        let many: Map<String, Value> = (0..301).map(|i| (format!("k{i}"), json!("v"))).collect();
        assert_eq!(checked_expansion(&many).unwrap_err().value(), 34010);
        // 4096 CJK characters are within the limit (characters, not bytes).
        assert!(checked_expansion(json!({"k": "字".repeat(4096)}).as_object().unwrap()).is_ok());
        // Up to 300 entries within the byte cap (the server's `check_initial` agrees).
        let full: Map<String, Value> = (0..300)
            .map(|i| (format!("k{i}"), json!("v".repeat(300))))
            .collect();
        assert_eq!(checked_expansion(&full).unwrap().len(), 300);
        // 30 values of 4096 characters pass every per-pair limit but not the byte cap.
        let heavy: Map<String, Value> = (0..30)
            .map(|i| (format!("k{i}"), json!("v".repeat(4096))))
            .collect();
        assert_eq!(checked_expansion(&heavy).unwrap_err().value(), 34010);
    }

    #[test]
    fn stored_expansion_round_trips() {
        assert_eq!(stored_expansion(None), None);
        assert_eq!(
            stored_expansion(Some(r#"{"expansion":{}}"#)),
            Some(HashMap::new())
        );
        let extra = with_expansion(
            Some(r#"{"pushOptions":{"pushData":"d"}}"#),
            &HashMap::from([("k".into(), "v".into())]),
        );
        assert_eq!(
            serde_json::from_str::<Value>(&extra).unwrap(),
            json!({"pushOptions": {"pushData": "d"}, "expansion": {"k": "v"}})
        );
    }
}
