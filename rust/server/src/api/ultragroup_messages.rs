//! Ultra-group messages from the Server API: publish (`/message/ultragroup/publish.json`, a
//! JSON body), recall (`/message/recall.json` with `conversationType` 10, routed here from
//! `message.rs`), modify (`/ultragroup/msg/modify.json`), expansion (`/ultragroup/message/
//! expansion/set|delete|query.json`) and reading messages back (`/ultragroup/msg/get.json`,
//! `/ultragroup/hismsg/query.json`).
//! Each takes the path of the client operation (`service::ultragroup::stream`): stored once
//! in the channel's stream, announced to its connected readers, pushed to the others.
//!
//! The sender or operator must be a member who can read the channel, as in RongCloud (24410
//! no such group, 24406 not a member, 24414 no such channel, 24416 not listed in a private
//! channel, 24408 muted, for a publish). `busChannel` absent or empty = "RCDefault".

use super::checks::{check_user_id, MAX_USER_ID_LEN};
use super::expansion::{page_param, query_page};
use super::params::Params;
use super::publish_fields::publish_template;
use super::reply::{ApiError, ApiResult};
use super::ultragroup_params::{group_param, message_channel};
use crate::expansion::MAX_KEYS_PER_API_CALL;
use crate::model::NewMessage;
use crate::service::ultragroup::{server_history, stream};
use crate::state::Shared;
use rcim_proto::conversation_type;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Most groups of one publish.
const MAX_PUBLISH_GROUPS: usize = 3;
/// Most messages of one `msg/get.json`.
const MAX_GET_MESSAGES: usize = 20;
/// Longest window of one `hismsg/query.json` (14 days, ms).
const MAX_HISTORY_SPAN_MS: i64 = 14 * 86_400_000;

fn uid_param<'a>(form: &'a Params, key: &str) -> Result<&'a str, ApiError> {
    let uid = form.required(key)?;
    if uid.len() > MAX_USER_ID_LEN {
        return Err(ApiError::too_long(key, MAX_USER_ID_LEN));
    }
    Ok(uid)
}

fn user_param<'a>(form: &'a Params, key: &str) -> Result<&'a str, ApiError> {
    let user = form.required(key)?;
    check_user_id(key, user)?;
    Ok(user)
}

/// `/message/ultragroup/publish.json` (a JSON body; a form works too): `fromUserId` R (a
/// member who may send there), `toGroupIds` R (1..=3 groups), `objectName` R, `content` R
/// (a string, or a JSON object sent as its text), `busChannel` (default "RCDefault"),
/// `toUserIds` (a directed message: only these members, who must be able to read the
/// channel, see it: 33003 otherwise), `pushContent`, `pushData`, `pushExt`, `disablePush`,
/// `isPersisted` (default true), `isCounted` (default true), `expansion` + `extraContent` (as
/// for group publishes) => `{messageUID}` (the first group's) and `{messageUIDs: [{groupId,
/// messageUID}]}`. `isMentioned`, `unreadCountFlag`, `contentAvailable`, `msgRandom` and
/// `disableUpdateLastMsg` are accepted and ignored: mentions are read from the content's
/// `mentionedInfo`. Each group gets its own message; the first refusal stops the call.
pub(crate) async fn publish(shared: Arc<Shared>, form: Params) -> ApiResult {
    let from = user_param(&form, "fromUserId")?;
    let mut groups = form.list("toGroupIds");
    if groups.is_empty() || groups.len() > MAX_PUBLISH_GROUPS {
        return Err(ApiError::param(format!(
            "toGroupIds must hold 1..={MAX_PUBLISH_GROUPS} groups"
        )));
    }
    for g in &groups {
        super::checks::check_group_id("toGroupIds", g)?;
    }
    let mut seen = std::collections::HashSet::new();
    groups.retain(|g| seen.insert(g.clone()));
    let directed = form.list("toUserIds");
    if directed.len() > stream::MAX_DIRECTED_USERS {
        return Err(ApiError::param(format!(
            "at most {} toUserIds",
            stream::MAX_DIRECTED_USERS
        )));
    }
    for u in &directed {
        check_user_id("toUserIds", u)?;
    }
    let channel = message_channel(&form)?;
    let template = NewMessage {
        channel_id: channel.to_owned(),
        include_sender: false,
        ..publish_template(&form, from, conversation_type::ULTRA_GROUP)?
    };
    let mut uids: Vec<Value> = Vec::with_capacity(groups.len());
    for group in &groups {
        let msg = NewMessage {
            to_id: group.clone(),
            ..template.clone()
        };
        let outcome = stream::publish(&shared, msg, directed.clone()).await?;
        uids.push(json!({"groupId": group, "messageUID": outcome.uid}));
    }
    let mut out = Map::new();
    out.insert("messageUID".into(), uids[0]["messageUID"].clone());
    out.insert("messageUIDs".into(), json!(uids));
    Ok(out)
}

/// `/message/recall.json` with `conversationType` 10: `fromUserId` R (the operator),
/// `targetId` R (the group), `messageUID` R, `busChannel`, `isAdmin` (default 0: only the
/// sender may recall; 1: anyone's message, the operator need not be a member), `isDelete`
/// (default 0: members keep a recall notification; 1: they delete the message) => `{}`.
/// 34203 unknown message (or not the sender without `isAdmin`); 24406 …
pub(super) async fn recall(shared: &Shared, form: &Params) -> ApiResult {
    let from = user_param(form, "fromUserId")?;
    let group = user_param(form, "targetId")?;
    let uid = uid_param(form, "messageUID")?;
    let channel = message_channel(form)?;
    if let Some(t) = form.get("sentTime").filter(|t| !t.is_empty()) {
        t.parse::<i64>()
            .map_err(|_| ApiError::param("sentTime must be a number"))?;
    }
    let is_admin = form.bool("isAdmin", false)?;
    let delete_remote = form.bool("isDelete", false)?;
    stream::recall(shared, group, channel, uid, from, delete_remote, is_admin).await?;
    Ok(Map::new())
}

/// `/ultragroup/msg/modify.json`: `groupId` R, `fromUserId` R (the sender of the message),
/// `msgUID` R, `content` R (same object name as the original), `busChannel` => `{}`. Members
/// connected get `UltraGroupEvent.changed{MODIFIED}`. 34203 unknown message, not the sender's,
/// or recalled; 24406 …
pub(crate) async fn modify(shared: Arc<Shared>, form: Params) -> ApiResult {
    let group = group_param(&form)?;
    let from = user_param(&form, "fromUserId")?;
    let uid = uid_param(&form, "msgUID")?;
    let content = form.required("content")?.to_owned();
    let channel = message_channel(&form)?;
    stream::modify(&shared, group, channel, uid, from, content).await?;
    Ok(Map::new())
}

/// The message of an expansion call: (`groupId` R, `busChannel`, `msgUID` R, `userId` R).
fn expansion_target(form: &Params) -> Result<(&str, &str, &str, &str), ApiError> {
    Ok((
        group_param(form)?,
        message_channel(form)?,
        uid_param(form, "msgUID")?,
        user_param(form, "userId")?,
    ))
}

fn text_of(v: Value) -> String {
    match v {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

/// `/ultragroup/message/expansion/set.json`: `groupId` R, `msgUID` R, `userId` R (a member
/// who can read the channel), `extraKeyVal` R (a JSON object, ≤ 100 keys), `busChannel` =>
/// `{}`. 34008 sent without expansion; 34010 beyond the limits; 34203 unknown message.
pub(crate) async fn expansion_set(shared: Arc<Shared>, form: Params) -> ApiResult {
    let (group, channel, uid, user) = expansion_target(&form)?;
    let raw = form.required("extraKeyVal")?;
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(raw) else {
        return Err(ApiError::param("extraKeyVal must be a JSON object"));
    };
    if map.len() > MAX_KEYS_PER_API_CALL {
        return Err(ApiError::param(format!(
            "at most {MAX_KEYS_PER_API_CALL} keys per call"
        )));
    }
    let set: HashMap<String, String> = map.into_iter().map(|(k, v)| (k, text_of(v))).collect();
    stream::update_expansion(&shared, group, channel, uid, user, set, Vec::new()).await?;
    Ok(Map::new())
}

/// `/ultragroup/message/expansion/delete.json`: as `set.json` with `extraKey` R (a JSON
/// array of keys, ≤ 100) instead of `extraKeyVal`.
pub(crate) async fn expansion_delete(shared: Arc<Shared>, form: Params) -> ApiResult {
    let (group, channel, uid, user) = expansion_target(&form)?;
    let raw = form.required("extraKey")?;
    let Ok(Value::Array(keys)) = serde_json::from_str::<Value>(raw) else {
        return Err(ApiError::param("extraKey must be a JSON array"));
    };
    if keys.is_empty() || keys.len() > MAX_KEYS_PER_API_CALL {
        return Err(ApiError::param(format!(
            "extraKey must hold 1..={MAX_KEYS_PER_API_CALL} keys"
        )));
    }
    let remove: Vec<String> = keys.into_iter().map(text_of).collect();
    stream::update_expansion(&shared, group, channel, uid, user, HashMap::new(), remove).await?;
    Ok(Map::new())
}

/// `/ultragroup/message/expansion/query.json`: `groupId` R, `msgUID` R, `busChannel`,
/// `pageNo` (≥ 1, 100 keys a page in key order) => `{extraContent: {key: {v, ts}}}`; 34203
/// unknown message.
pub(crate) async fn expansion_query(shared: Arc<Shared>, form: Params) -> ApiResult {
    let group = group_param(&form)?;
    let channel = message_channel(&form)?;
    let uid = uid_param(&form, "msgUID")?;
    let page = page_param(&form)?;
    let stored = stream::expansion_of(&shared, group, channel, uid).await?;
    Ok(query_page(&stored, page))
}

/// `/ultragroup/msg/get.json`: `groupId` R, `msgs` R (a JSON array of `{msgUID,
/// busChannel}`, 1..=20; `busChannel` absent = the call's `busChannel`, else "RCDefault") =>
/// `{data: [{groupId, busChannel, fromUserId, msgUID, msgTime, objectName, content,
/// expansion, extraContent}]}` for the messages found, as they are now (`extraContent` the
/// expansion as a JSON object text), in the order asked.
pub(crate) async fn get(shared: Arc<Shared>, form: Params) -> ApiResult {
    let group = group_param(&form)?;
    let default_channel = message_channel(&form)?;
    let raw = form.required("msgs")?;
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(raw) else {
        return Err(ApiError::param("msgs must be a JSON array"));
    };
    if items.is_empty() || items.len() > MAX_GET_MESSAGES {
        return Err(ApiError::param(format!(
            "msgs must hold 1..={MAX_GET_MESSAGES} messages"
        )));
    }
    let mut wanted: Vec<(String, String)> = Vec::with_capacity(items.len());
    for item in items {
        let uid = item["msgUID"]
            .as_str()
            .filter(|u| !u.is_empty() && u.len() <= MAX_USER_ID_LEN)
            .ok_or_else(|| ApiError::param("each of msgs needs a msgUID"))?;
        let channel = match item["busChannel"].as_str().unwrap_or("") {
            "" => default_channel.to_owned(),
            c => {
                super::ultragroup_params::check_channel_id("busChannel", c)?;
                c.to_owned()
            }
        };
        wanted.push((channel, uid.to_owned()));
    }
    // One read per channel asked about, the answer in the order asked.
    let mut by_channel: HashMap<String, Vec<String>> = HashMap::new();
    for (channel, uid) in &wanted {
        by_channel
            .entry(channel.clone())
            .or_default()
            .push(uid.clone());
    }
    let mut found = HashMap::new();
    for (channel, uids) in by_channel {
        for m in stream::messages(&shared, group, &channel, uids).await? {
            found.insert((channel.clone(), m.uid.clone()), m);
        }
    }
    let data: Vec<Value> = wanted
        .iter()
        .filter_map(|key| found.get(key))
        .map(message_json)
        .collect();
    let mut out = Map::new();
    out.insert("data".into(), json!(data));
    Ok(out)
}

/// A message as `msg/get.json` and `hismsg/query.json` answer it (`conversionType` 10, the
/// Server API's number of ultra groups, spelled as RongCloud spells it).
fn message_json(m: &rcim_proto::v1::Message) -> Value {
    let extra: Map<String, Value> = m
        .expansion
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    json!({
        "groupId": m.to_id,
        "busChannel": m.channel_id,
        "fromUserId": m.sender_id,
        "msgUID": m.uid,
        "msgTime": m.sent_time,
        "objectName": m.object_name,
        "conversionType": 10,
        "content": m.content,
        "expansion": m.can_expand,
        "extraContent": Value::Object(extra).to_string(),
    })
}

/// `/ultragroup/hismsg/query.json`: `groupId` R, `busChannel` (default "RCDefault"),
/// `startTime` R and `endTime` R (ms, at most 14 days apart), `fromUserId` (only that
/// sender's), `pageSize` (1..=100, default 20) => `{data: [message]}` (see `msg/get.json`):
/// the messages sent after `startTime` and at or before `endTime`, oldest first. 24410 /
/// 24414 unknown group or channel.
pub(crate) async fn history(shared: Arc<Shared>, form: Params) -> ApiResult {
    let group = group_param(&form)?;
    let channel = message_channel(&form)?;
    let time = |key: &str| {
        form.int(key)?
            .filter(|t| *t >= 0)
            .ok_or_else(|| ApiError::param(format!("{key} is required (ms)")))
    };
    let (start, end) = (time("startTime")?, time("endTime")?);
    if end < start || end - start > MAX_HISTORY_SPAN_MS {
        return Err(ApiError::param(
            "endTime must follow startTime by at most 14 days",
        ));
    }
    let from = match form.get("fromUserId").filter(|u| !u.is_empty()) {
        Some(u) => Some(user_param(&form, "fromUserId").map(|_| u)?),
        None => None,
    };
    let size = match form.int("pageSize")? {
        None => 20,
        Some(n) if (1..=100).contains(&n) => n as usize,
        Some(_) => return Err(ApiError::param("pageSize must be 1..=100")),
    };
    let found = server_history::window(&shared, group, channel, (start, end), from, size).await?;
    let data: Vec<Value> = found.iter().map(message_json).collect();
    let mut out = Map::new();
    out.insert("data".into(), json!(data));
    Ok(out)
}
