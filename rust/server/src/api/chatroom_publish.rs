//! `/message/chatroom/publish.json`: messages into rooms from the Server API (the sender need
//! not be a member). Each room gets its own message (own UID), delivered like a member's send
//! to the members online (the sender's own connections too, when a member), kept in the
//! room's ring for joins and, when persisted, in its history.

use super::chatroom::{check_room_id, require_room};
use super::checks::check_user_id;
use super::params::Params;
use super::reply::{ApiError, ApiResult};
use crate::model::MAX_OBJECT_NAME_CHARS;
use crate::service::chatroom::{publish as publish_message, NewChatroomMessage};
use crate::state::Shared;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// Most rooms of one publish (RongCloud advises at most 10).
const MAX_ROOMS: usize = 10;

/// `/message/chatroom/publish.json`: `fromUserId` R, `toChatroomId` R (repeatable, ≤ 10),
/// `objectName` R (≤ 32 characters), `content` R (≤ 128 KB), `isPersisted` (default 1: in
/// the room's history), `isCounted` (default 1), `priority` (1: delivered with high priority
/// whatever the object name; default 0: by the server's list of high-priority object names)
/// => `{messageUIDs: [{chatroomId, messageUID}]}`, plus `messageUID` for one room. Every room
/// must exist (23410, nothing published). `isIncludeSender` is accepted and has no effect: a
/// sender who is a member gets the message like the other members.
pub(crate) async fn publish(shared: Arc<Shared>, form: Params) -> ApiResult {
    let from = form.required("fromUserId")?;
    check_user_id("fromUserId", from)?;
    let mut rooms = form.list("toChatroomId");
    if rooms.is_empty() {
        return Err(ApiError::param("toChatroomId is required"));
    }
    if rooms.len() > MAX_ROOMS {
        return Err(ApiError::param(format!(
            "at most {MAX_ROOMS} toChatroomId per call"
        )));
    }
    for room in &rooms {
        check_room_id("toChatroomId", room)?;
    }
    let mut seen = std::collections::HashSet::new();
    rooms.retain(|r| seen.insert(r.clone()));
    let object_name = form.required("objectName")?;
    if object_name.chars().count() > MAX_OBJECT_NAME_CHARS {
        return Err(ApiError::too_long("objectName", MAX_OBJECT_NAME_CHARS));
    }
    let high_priority = match form.int("priority")? {
        None | Some(0) => false,
        Some(1) => true,
        Some(_) => return Err(ApiError::param("priority must be 0 or 1")),
    };
    let template = NewChatroomMessage {
        sender_id: from.to_owned(),
        object_name: object_name.to_owned(),
        content: form.required("content")?.to_owned(),
        persisted: form.bool("isPersisted", true)?,
        counted: form.bool("isCounted", true)?,
        custom: false,
        high_priority,
    };
    for room in &rooms {
        require_room(&shared, room)?;
    }
    let mut uids: Vec<Value> = Vec::with_capacity(rooms.len());
    for room in &rooms {
        let (uid, _) = publish_message(&shared, room, template.clone()).await?;
        uids.push(json!({"chatroomId": room, "messageUID": uid}));
    }
    let mut out = Map::new();
    if uids.len() == 1 {
        out.insert("messageUID".into(), uids[0]["messageUID"].clone());
    }
    out.insert("messageUIDs".into(), json!(uids));
    Ok(out)
}

/// Publishes the notification of a KV change the Server API was asked for (`objectName`
/// and `content` of `entry/set.json` / `entry/remove.json`), online only (not in the
/// history), from `operator`. Nothing when `objectName` is absent.
pub(super) async fn kv_notification(
    shared: &Shared,
    form: &Params,
    room: &str,
    operator: &str,
) -> Result<(), ApiError> {
    let Some(object_name) = form.get("objectName").filter(|o| !o.is_empty()) else {
        return Ok(());
    };
    let message = NewChatroomMessage {
        sender_id: operator.to_owned(),
        object_name: object_name.to_owned(),
        content: form.required("content")?.to_owned(),
        persisted: false,
        counted: false,
        custom: false,
        high_priority: true,
    };
    publish_message(shared, room, message).await?;
    Ok(())
}
