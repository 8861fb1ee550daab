//! What the chatroom endpoint files share: the room parameter and its checks, the unknown-room
//! answer (23410), user lists, KV keys, values and `entryInfo` objects. The lowest of those
//! files: it uses none of them.

use super::checks::check_user_id;
use super::params::Params;
use super::reply::ApiError;
use crate::service::chatroom::kv;
use crate::service::chatroom::rules::{is_valid_room_id, MAX_ROOM_ID_LEN};
use crate::state::Shared;
use rcim_proto::codes;
use serde_json::Value;
use std::collections::BTreeMap;

/// Checks a room id (`rules::is_valid_room_id`: 1..=64 bytes of `[A-Za-z0-9+=_-]`; 1002
/// otherwise).
pub(super) fn check_room_id(name: &str, id: &str) -> Result<(), ApiError> {
    if id.is_empty() {
        return Err(ApiError::param(format!("{name} is required")));
    }
    if is_valid_room_id(id) {
        Ok(())
    } else {
        Err(ApiError::param(format!(
            "{name} must be 1..={MAX_ROOM_ID_LEN} bytes of A-Z a-z 0-9 + = - _"
        )))
    }
}

/// The `chatroomId` parameter, checked.
pub(super) fn room_param(form: &Params) -> Result<&str, ApiError> {
    let room = form.required("chatroomId")?;
    check_room_id("chatroomId", room)?;
    Ok(room)
}

/// 23410 unless `room` exists.
pub(super) fn require_room(shared: &Shared, room: &str) -> Result<(), ApiError> {
    if shared.chatrooms.exists(room) {
        Ok(())
    } else {
        Err(ApiError::business(
            codes::CHATROOM_NOT_EXIST,
            format!("chatroom {room} does not exist"),
        ))
    }
}

/// The repeatable `key` user list: 1..=`max` valid ids, duplicates removed (first wins).
pub(super) fn user_list(form: &Params, key: &str, max: usize) -> Result<Vec<String>, ApiError> {
    let mut ids = form.list(key);
    if ids.is_empty() {
        return Err(ApiError::param(format!("{key} is required")));
    }
    if ids.len() > max {
        return Err(ApiError::param(format!("at most {max} {key} per call")));
    }
    for u in &ids {
        check_user_id(key, u)?;
    }
    let mut seen = std::collections::HashSet::new();
    ids.retain(|u| seen.insert(u.clone()));
    Ok(ids)
}

/// Checks a KV key (1002 otherwise).
pub(super) fn check_key(key: &str) -> Result<(), ApiError> {
    if kv::valid_key(key) {
        Ok(())
    } else {
        Err(ApiError::param(format!(
            "key must be 1..={} characters of A-Z a-z 0-9 + = - _",
            kv::MAX_KEY_CHARS
        )))
    }
}

/// Checks a KV value (1002 otherwise).
pub(super) fn check_value(value: &str) -> Result<(), ApiError> {
    if kv::valid_value(value) {
        Ok(())
    } else {
        Err(ApiError::param(format!(
            "value is longer than {} characters",
            kv::MAX_VALUE_CHARS
        )))
    }
}

/// An `entryInfo` JSON object: 1..=`max` valid keys and values.
pub(super) fn entry_info(raw: &str, max: usize) -> Result<BTreeMap<String, String>, ApiError> {
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(raw) else {
        return Err(ApiError::param("entryInfo must be a JSON object"));
    };
    if map.is_empty() || map.len() > max {
        return Err(ApiError::param(format!(
            "entryInfo must hold 1..={max} entries"
        )));
    }
    let mut out = BTreeMap::new();
    for (k, v) in map {
        let v = match v {
            Value::String(s) => s,
            other => other.to_string(),
        };
        check_key(&k)?;
        check_value(&v)?;
        out.insert(k, v);
    }
    Ok(out)
}
