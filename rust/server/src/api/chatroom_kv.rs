//! `/chatroom/entry/*` endpoints: chatroom KV entries set, removed and read by the Server API
//! (R202–R208). The operator need not be a member; the API sets as an administrator (an
//! existing key is overwritten whoever owns it, any key may be removed). The room's limits
//! hold as for members: 100 keys (23423), 100 operations per second shared with the members
//! (23425). Keys and values are checked like the members' (1002 here).

use super::chatroom::{require_room, room_param};
use super::chatroom_publish::kv_notification;
use super::checks::check_user_id;
use super::params::Params;
use super::reply::{ApiError, ApiResult};
use crate::service::chatroom::kv::{self, KeyErrors, SetEntries};
use crate::state::Shared;
use rcim_proto::codes;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Most entries of one `entry/batch/set.json` (RongCloud's).
const MAX_BATCH_SET: usize = 20;

fn check_key(key: &str) -> Result<(), ApiError> {
    if kv::valid_key(key) {
        Ok(())
    } else {
        Err(ApiError::param(format!(
            "key must be 1..={} characters of A-Z a-z 0-9 + = - _",
            kv::MAX_KEY_CHARS
        )))
    }
}

fn check_value(value: &str) -> Result<(), ApiError> {
    if kv::valid_value(value) {
        Ok(())
    } else {
        Err(ApiError::param(format!(
            "value is longer than {} characters",
            kv::MAX_VALUE_CHARS
        )))
    }
}

/// The refused keys of a write as the answer: none => success; one key asked => its code;
/// several => 23428 naming each refused key with its code.
fn written(errors: KeyErrors, single: bool) -> ApiResult {
    let Some((key, &code)) = errors.iter().next() else {
        return Ok(Map::new());
    };
    if single {
        return Err(ApiError::business(code, format!("key {key} refused")));
    }
    let detail: Vec<String> = errors.iter().map(|(k, c)| format!("{k}: {c}")).collect();
    Err(ApiError::business(
        codes::KV_NOT_ALL_SUCCESS,
        format!("some keys were refused ({})", detail.join(", ")),
    ))
}

/// `/chatroom/entry/set.json`: `chatroomId` R, `userId` R (the operator, owner of the entry),
/// `key` R, `value` R (may be empty), `autoDelete` (0/1: removed when that user leaves),
/// `objectName` + `content` (a notification message the members get from `userId`, online
/// only, e.g. `RC:chrmKVNotiMsg`). Overwrites an existing key. 23410 unknown room.
pub(crate) async fn set(shared: Arc<Shared>, form: Params) -> ApiResult {
    let room = room_param(&form)?;
    let owner = form.required("userId")?;
    check_user_id("userId", owner)?;
    let key = form.required("key")?;
    check_key(key)?;
    let value = form
        .get("value")
        .ok_or_else(|| ApiError::param("value is required"))?;
    check_value(value)?;
    let auto_delete = form.bool("autoDelete", false)?;
    require_room(&shared, room)?;
    let op = SetEntries {
        room_id: room.to_owned(),
        entries: BTreeMap::from([(key.to_owned(), value.to_owned())]),
        owner: owner.to_owned(),
        auto_delete,
        overwrite: true,
    };
    let errors = kv::set_entries(&shared, op, None).await?;
    written(errors, true)?;
    kv_notification(&shared, &form, room, owner).await?;
    Ok(Map::new())
}

/// `/chatroom/entry/batch/set.json`: `chatroomId` R, `entryOwnerId` R, `entryInfo` R (a JSON
/// object of up to 20 key -> value; non-string values are kept as their JSON text),
/// `autoDelete` (0/1). Overwrites existing keys. Some keys refused => 23428 naming them
/// (the others are set); 23410 unknown room.
pub(crate) async fn batch_set(shared: Arc<Shared>, form: Params) -> ApiResult {
    let room = room_param(&form)?;
    let owner = form.required("entryOwnerId")?;
    check_user_id("entryOwnerId", owner)?;
    let entries = entry_info(form.required("entryInfo")?, MAX_BATCH_SET)?;
    let auto_delete = form.bool("autoDelete", false)?;
    require_room(&shared, room)?;
    let op = SetEntries {
        room_id: room.to_owned(),
        entries,
        owner: owner.to_owned(),
        auto_delete,
        overwrite: true,
    };
    let errors = kv::set_entries(&shared, op, None).await?;
    written(errors, false)
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

/// `/chatroom/entry/remove.json`: `chatroomId` R, `userId` R (the operator), `key` R,
/// `objectName` + `content` (a notification, as for `set.json`): removes the key whoever set
/// it. 23427 no such key, 23410 unknown room.
pub(crate) async fn remove(shared: Arc<Shared>, form: Params) -> ApiResult {
    let room = room_param(&form)?;
    let operator = form.required("userId")?;
    check_user_id("userId", operator)?;
    let key = form.required("key")?;
    check_key(key)?;
    require_room(&shared, room)?;
    let keys = [key.to_owned()];
    let errors = kv::remove_entries(&shared, room, &keys, operator, true, None).await?;
    written(errors, true)?;
    kv_notification(&shared, &form, room, operator).await?;
    Ok(Map::new())
}

/// `/chatroom/entry/query.json`: `chatroomId` R, `keys` (repeatable or comma-separated, ≤ 100;
/// none = all) => `{keys: [{key, value, userID, autoDelete, lastSetTime}]}` by key, every
/// field a string as RongCloud's SDK types read them (`autoDelete` "0"/"1", `lastSetTime`
/// in ms). Missing keys are left out; 23410 unknown room.
pub(crate) async fn query(shared: Arc<Shared>, form: Params) -> ApiResult {
    let room = room_param(&form)?;
    let keys = form.list("keys");
    if keys.len() > kv::MAX_KEYS {
        return Err(ApiError::param(format!(
            "at most {} keys per call",
            kv::MAX_KEYS
        )));
    }
    for k in &keys {
        check_key(k)?;
    }
    require_room(&shared, room)?;
    let entries = kv::read_entries(&shared, room).await?;
    let listed: Vec<Value> = entries
        .into_iter()
        .filter(|e| keys.is_empty() || keys.contains(&e.key))
        .map(|e| {
            json!({
                "key": e.key,
                "value": e.value,
                "userID": e.owner,
                "autoDelete": if e.auto_delete { "1" } else { "0" },
                "lastSetTime": e.set_time.to_string(),
            })
        })
        .collect();
    let mut out = Map::new();
    out.insert("keys".into(), json!(listed));
    Ok(out)
}
