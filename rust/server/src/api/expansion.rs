//! `/message/expansion/*` endpoints: set, delete and query a message's expansion (RongCloud
//! shapes). Changes take the client's path ([`crate::service::expansion::update`]): the
//! participants' inboxes get an `ExpansionChange` with an empty operator device.

use super::checks::{check_user_id, MAX_USER_ID_LEN};
use super::params::Params;
use super::reply::{ApiError, ApiResult};
use crate::expansion::{Stored, MAX_KEYS_PER_API_CALL};
use crate::model::ExpansionUpdate;
use crate::service;
use crate::state::Shared;
use rcim_proto::conversation_type;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Keys of one `/message/expansion/query.json` page.
const QUERY_PAGE: usize = 100;

/// `conversationType` of the expansion endpoints: 1 private, 3 group (1002 otherwise).
fn conversation_type_param(form: &Params) -> Result<u32, ApiError> {
    match form.required("conversationType")? {
        "1" => Ok(conversation_type::PRIVATE),
        "3" => Ok(conversation_type::GROUP),
        other => Err(ApiError::param(format!(
            "conversationType {other} is not supported (1 private, 3 group)"
        ))),
    }
}

/// The fields of a change shared by set and delete: `msgUID` R, `userId` R (the operator),
/// `conversationType` R, `targetId` R (as the operator sees it), `isSyncSender` (default 0:
/// the operator's own devices are not told), `busChannel`.
fn change_template(form: &Params) -> Result<ExpansionUpdate, ApiError> {
    let uid = form.required("msgUID")?;
    if uid.len() > MAX_USER_ID_LEN {
        return Err(ApiError::too_long("msgUID", MAX_USER_ID_LEN));
    }
    let user = form.required("userId")?;
    check_user_id("userId", user)?;
    let target = form.required("targetId")?;
    check_user_id("targetId", target)?;
    Ok(ExpansionUpdate {
        operator_id: user.to_owned(),
        operator_device_id: String::new(),
        uid: uid.to_owned(),
        conversation_type: conversation_type_param(form)?,
        target_id: target.to_owned(),
        channel_id: form.get("busChannel").unwrap_or("").to_owned(),
        sync_operator: form.bool("isSyncSender", false)?,
        ..Default::default()
    })
}

/// `/message/expansion/set.json`: the change fields (see [`change_template`]) and
/// `extraKeyVal` R (a JSON object of string values, ≤ 100 keys) => `{}`. Codes as the client
/// operation: 34203, 34008, 34010, 22406.
pub(crate) async fn set(shared: Arc<Shared>, form: Params) -> ApiResult {
    let mut u = change_template(&form)?;
    let raw = form.required("extraKeyVal")?;
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(raw) else {
        return Err(ApiError::param("extraKeyVal must be a JSON object"));
    };
    u.set = map
        .into_iter()
        .map(|(k, v)| {
            let v = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            (k, v)
        })
        .collect::<HashMap<_, _>>();
    service::expansion::update(shared.store.as_ref(), u, MAX_KEYS_PER_API_CALL, None).await?;
    Ok(Map::new())
}

/// `/message/expansion/delete.json`: the change fields and `extraKey` R (a JSON array of
/// keys, ≤ 100) => `{}`.
pub(crate) async fn delete(shared: Arc<Shared>, form: Params) -> ApiResult {
    let mut u = change_template(&form)?;
    let raw = form.required("extraKey")?;
    let Ok(Value::Array(keys)) = serde_json::from_str::<Value>(raw) else {
        return Err(ApiError::param("extraKey must be a JSON array"));
    };
    u.remove = keys
        .into_iter()
        .map(|k| match k {
            Value::String(s) => s,
            other => other.to_string(),
        })
        .collect();
    service::expansion::update(shared.store.as_ref(), u, MAX_KEYS_PER_API_CALL, None).await?;
    Ok(Map::new())
}

/// `/message/expansion/query.json`: `msgUID` R, `pageNo` (≥ 1, default 1; 100 keys a page in
/// key order) => `{extraContent: {key: {v, ts}}}`; 34203 for an unknown message.
pub(crate) async fn query(shared: Arc<Shared>, form: Params) -> ApiResult {
    let uid = form.required("msgUID")?;
    let page = page_param(&form)?;
    let Some(stored) = service::expansion::query(shared.store.as_ref(), uid).await? else {
        return Err(ApiError::business(
            rcim_proto::codes::INVALID_MESSAGE_UID,
            format!("no message {uid}"),
        ));
    };
    Ok(query_page(&stored, page))
}

/// The `pageNo` of an expansion query: ≥ 1, default 1 (1002 otherwise).
pub(super) fn page_param(form: &Params) -> Result<i64, ApiError> {
    let page = form.int("pageNo")?.unwrap_or(1);
    if page < 1 {
        return Err(ApiError::param("pageNo starts at 1"));
    }
    Ok(page)
}

/// Page `page` (from 1) of `stored`, 100 keys a page in key order, as the answer of an
/// expansion query: `{extraContent: {key: {v, ts}}}`.
pub(super) fn query_page(stored: &Stored, page: i64) -> Map<String, Value> {
    let skip = usize::try_from(page - 1)
        .unwrap_or(usize::MAX)
        .saturating_mul(QUERY_PAGE);
    let content: Map<String, Value> = stored
        .entries()
        .skip(skip)
        .take(QUERY_PAGE)
        .map(|(k, v, ts)| (k.clone(), json!({"v": v, "ts": ts})))
        .collect();
    let mut out = Map::new();
    out.insert("extraContent".into(), Value::Object(content));
    out
}
