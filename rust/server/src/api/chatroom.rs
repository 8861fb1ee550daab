//! `/chatroom/*` endpoints for the rooms themselves: create (`create.json`, `create_new.json`),
//! destroy, read (`get.json`, `query.json`). What the chatroom endpoint files share is in
//! [`super::chatroom_params`].
//!
//! An unknown room is answered with 23410 (RongCloud's "chatroom does not exist", which its
//! `get.json` documents) by every endpoint about one room; the group endpoints have no such
//! code (an unknown group reads as empty), but a chatroom is created explicitly and its
//! absence is worth telling. `destroy.json` and `query.json`, about several rooms, skip the
//! unknown ones.

use super::chatroom_params::{check_room_id, entry_info, room_param, user_list};
use super::checks::check_user_id;
use super::moderation::format_time;
use super::params::Params;
use super::reply::{ApiError, ApiResult};
use crate::service::chatroom::kv::{self, SetEntries};
use crate::service::chatroom::{moderation, STATUS_DESTROY_MANUAL};
use crate::service::ServiceError;
use crate::state::Shared;
use crate::store::RoomRecord;
use crate::util::now_ms;
use rcim_proto::codes;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// Most rooms of one `create.json`.
const MAX_CREATE_ROOMS: usize = 100;
/// Most rooms of one `query.json`.
const MAX_QUERY_ROOMS: usize = 20;
/// Most protected members (`whiteUserIds`) and KV entries (`entryInfo`) of a `create_new.json`.
const MAX_CREATE_USERS: usize = 20;
const MAX_CREATE_ENTRIES: usize = 100;
/// Longest idle time a `create_new.json` may set (`destroyTime`, minutes: a day).
const MAX_DESTROY_MINUTES: i64 = 1440;
/// Longest room name (bytes).
const MAX_ROOM_NAME_LEN: usize = 128;

/// `/chatroom/create.json`: `chatroom[<id>]=<name>` R (repeatable, ≤ 100): creates the rooms
/// that do not exist (an existing room keeps its name and members).
pub(crate) async fn create(shared: Arc<Shared>, form: Params) -> ApiResult {
    let mut rooms = Vec::new();
    for (key, name) in form.pairs() {
        let Some(id) = key
            .strip_prefix("chatroom[")
            .and_then(|rest| rest.strip_suffix(']'))
        else {
            continue;
        };
        check_room_id("chatroom id", id)?;
        if name.len() > MAX_ROOM_NAME_LEN {
            return Err(ApiError::too_long("chatroom name", MAX_ROOM_NAME_LEN));
        }
        rooms.push((id.to_owned(), name.to_owned()));
    }
    if rooms.is_empty() {
        return Err(ApiError::param("chatroom[<id>]=<name> is required"));
    }
    if rooms.len() > MAX_CREATE_ROOMS {
        return Err(ApiError::param(format!(
            "at most {MAX_CREATE_ROOMS} chatrooms per call"
        )));
    }
    for (id, name) in rooms {
        shared
            .chatrooms
            .create(shared.store.as_ref(), &id, &name)
            .await
            .map_err(ServiceError::from)?;
    }
    Ok(Map::new())
}

/// `/chatroom/create_new.json`: `chatroomId` R, `destroyType` (0: destroyed when idle
/// (default), 1: only by `destroy.json`), `destroyTime` (idle minutes before the destroy; 0 or
/// absent = the server's setting; else 1..=1440, 1002 otherwise), `whiteUserIds` (repeatable, ≤ 20: protected members),
/// `entryOwnerId` + `entryInfo` (initial KV entries, a JSON object), `isBan` (a whole-room ban
/// is not supported: `true` is refused with 1002).
pub(crate) async fn create_new(shared: Arc<Shared>, form: Params) -> ApiResult {
    let room = room_param(&form)?;
    let auto_destroy = match form.int("destroyType")? {
        None | Some(0) => true,
        Some(1) => false,
        Some(_) => return Err(ApiError::param("destroyType must be 0 or 1")),
    };
    let idle_minutes = match form.int("destroyTime")? {
        None | Some(0) => 0,
        Some(m) if (1..=MAX_DESTROY_MINUTES).contains(&m) => m as u32,
        Some(_) => {
            return Err(ApiError::param(format!(
                "destroyTime must be 1..={MAX_DESTROY_MINUTES} minutes"
            )))
        }
    };
    if form.bool("isBan", false)? {
        return Err(ApiError::param("isBan (a whole-room ban) is not supported"));
    }
    let protected = match form.list("whiteUserIds").is_empty() {
        true => Vec::new(),
        false => user_list(&form, "whiteUserIds", MAX_CREATE_USERS)?,
    };
    let entries = match form.get("entryInfo").filter(|e| !e.is_empty()) {
        None => None,
        Some(raw) => {
            let owner = form.required("entryOwnerId")?;
            check_user_id("entryOwnerId", owner)?;
            let entries = entry_info(raw, MAX_CREATE_ENTRIES)?;
            Some((owner.to_owned(), entries))
        }
    };
    let record = RoomRecord {
        auto_destroy,
        idle_minutes,
        ..RoomRecord::new(room, "", now_ms())
    };
    let store = shared.store.as_ref();
    let rooms = &shared.chatrooms;
    let created = rooms
        .create_record(store, record)
        .await
        .map_err(ServiceError::from)?;
    if !created {
        // An existing room keeps its members and name; it takes the new destroy settings.
        rooms
            .set_destroy(store, room, auto_destroy, idle_minutes)
            .await
            .map_err(ServiceError::from)?;
    }
    if !protected.is_empty() {
        moderation::protect(&shared, room, &protected).await?;
    }
    if let Some((owner, entries)) = entries {
        let op = SetEntries {
            room_id: room.to_owned(),
            entries,
            owner,
            auto_delete: false,
            overwrite: true,
        };
        let errors = kv::set_entries(&shared, op, None).await?;
        if let Some((key, code)) = errors.into_iter().next() {
            return Err(ApiError::business(code, format!("entry {key} refused")));
        }
    }
    Ok(Map::new())
}

/// `/chatroom/destroy.json`: `chatroomId` R (repeatable): members get the DESTROY_MANUAL
/// status and leave; the room's KV entries and moderation lists go with it. Unknown rooms are
/// skipped.
pub(crate) async fn destroy(shared: Arc<Shared>, form: Params) -> ApiResult {
    let rooms = form.list("chatroomId");
    if rooms.is_empty() {
        return Err(ApiError::param("chatroomId is required"));
    }
    for room in &rooms {
        check_room_id("chatroomId", room)?;
    }
    for room in &rooms {
        shared
            .chatrooms
            .destroy(shared.store.as_ref(), room, STATUS_DESTROY_MANUAL)
            .await
            .map_err(ServiceError::from)?;
    }
    Ok(Map::new())
}

/// `/chatroom/get.json`: `chatroomId` R => `{chatroomId, createTime (ms), memberCount,
/// destroyType (0 idle, 1 manual), destroyTime (idle minutes), ban (false)}`.
pub(crate) async fn get(shared: Arc<Shared>, form: Params) -> ApiResult {
    let room = room_param(&form)?;
    let record = shared.chatrooms.record(room).ok_or_else(|| {
        ApiError::business(
            codes::CHATROOM_NOT_EXIST,
            format!("chatroom {room} does not exist"),
        )
    })?;
    let members = crate::service::chatroom::across_nodes::member_page(&shared, room, 0, false)
        .await
        .map_or(0, |(total, _)| total);
    let idle_minutes = if record.idle_minutes == 0 {
        shared.config.chatroom.idle_destroy.as_secs() / 60
    } else {
        u64::from(record.idle_minutes)
    };
    let mut out = Map::new();
    out.insert("chatroomId".into(), json!(record.room_id));
    out.insert("createTime".into(), json!(record.created_at));
    out.insert("memberCount".into(), json!(members));
    out.insert(
        "destroyType".into(),
        json!(if record.auto_destroy { 0 } else { 1 }),
    );
    out.insert("destroyTime".into(), json!(idle_minutes));
    out.insert("ban".into(), json!(false));
    Ok(out)
}

/// `/chatroom/query.json`: `chatroomId` R (repeatable, ≤ 20) => `{chatRooms: [{chrmId,
/// chatroomId, name, time}]}` for the rooms that exist (`time`: creation, `YYYY-MM-DD
/// hh:mm:ss` UTC; the id under both names RongCloud's SDKs read).
pub(crate) async fn query(shared: Arc<Shared>, form: Params) -> ApiResult {
    let rooms = form.list("chatroomId");
    if rooms.is_empty() {
        return Err(ApiError::param("chatroomId is required"));
    }
    if rooms.len() > MAX_QUERY_ROOMS {
        return Err(ApiError::param(format!(
            "at most {MAX_QUERY_ROOMS} chatroomId per call"
        )));
    }
    for room in &rooms {
        check_room_id("chatroomId", room)?;
    }
    let found: Vec<Value> = rooms
        .iter()
        .filter_map(|room| shared.chatrooms.record(room))
        .map(|r| {
            json!({
                "chrmId": r.room_id,
                "chatroomId": r.room_id,
                "name": r.name,
                "time": format_time(r.created_at),
            })
        })
        .collect();
    let mut out = Map::new();
    out.insert("chatRooms".into(), json!(found));
    Ok(out)
}
