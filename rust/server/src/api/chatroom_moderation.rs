//! `/chatroom/user/gag|block|whitelist/*` endpoints: per-room gags (sends refused with 23408),
//! blocks (members kicked with 23409, joins refused with 23409, R196) and protected members
//! (never auto-kicked, R195). Gags and blocks last `minute` (1..=43200) minutes; the lists of
//! a room go with it when it is destroyed. Unknown room => 23410. `needNotify` and `extra`
//! are accepted and ignored (no notification message is sent).

use super::chatroom_params::{require_room, room_param, user_list};
use super::moderation::format_time;
use super::params::Params;
use super::reply::{ApiError, ApiResult};
use crate::model::{Restriction, RoomRestrictionKind};
use crate::service::chatroom::moderation;
use crate::state::Shared;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// Most users of one gag or block call.
const MAX_USERS: usize = 20;
/// Most users of one protected-member call.
const MAX_PROTECTED_USERS: usize = 5;

/// The `minute` parameter: required, 1..=43200.
fn minutes(form: &Params) -> Result<i64, ApiError> {
    let m = form
        .int("minute")?
        .ok_or_else(|| ApiError::param("minute is required"))?;
    if !(1..=moderation::MAX_MINUTES).contains(&m) {
        return Err(ApiError::param(format!(
            "minute must be 1..={}",
            moderation::MAX_MINUTES
        )));
    }
    Ok(m)
}

/// The room and users of a call, the room checked to exist.
fn room_and_users<'a>(
    shared: &Shared,
    form: &'a Params,
    max: usize,
) -> Result<(&'a str, Vec<String>), ApiError> {
    let users = user_list(form, "userId", max)?;
    let room = room_param(form)?;
    require_room(shared, room)?;
    Ok((room, users))
}

/// `{users: [{time, userId}]}`: each restriction's end as `YYYY-MM-DD hh:mm:ss` (UTC).
fn listed(list: Vec<Restriction>) -> ApiResult {
    let users: Vec<Value> = list
        .into_iter()
        .map(|r| json!({"time": format_time(r.until), "userId": r.user_id}))
        .collect();
    let mut out = Map::new();
    out.insert("users".into(), json!(users));
    Ok(out)
}

/// `/chatroom/user/gag/add.json`: `userId` R (repeatable, ≤ 20), `chatroomId` R, `minute` R.
pub(crate) async fn gag_add(shared: Arc<Shared>, form: Params) -> ApiResult {
    let (room, users) = room_and_users(&shared, &form, MAX_USERS)?;
    let minutes = minutes(&form)?;
    moderation::gag(&shared, room, &users, minutes).await?;
    Ok(Map::new())
}

/// `/chatroom/user/gag/rollback.json`: `userId` R (repeatable, ≤ 20), `chatroomId` R.
pub(crate) async fn gag_rollback(shared: Arc<Shared>, form: Params) -> ApiResult {
    let (room, users) = room_and_users(&shared, &form, MAX_USERS)?;
    moderation::lift(&shared, room, RoomRestrictionKind::Gag, &users).await?;
    Ok(Map::new())
}

/// `/chatroom/user/gag/list.json`: `chatroomId` R => `{users: [{time, userId}]}`.
pub(crate) async fn gag_list(shared: Arc<Shared>, form: Params) -> ApiResult {
    let room = room_param(&form)?;
    require_room(&shared, room)?;
    listed(moderation::list(&shared, room, RoomRestrictionKind::Gag).await?)
}

/// `/chatroom/user/block/add.json`: `userId` R (repeatable, ≤ 20), `chatroomId` R, `minute`
/// R: members among them are kicked at once (`kicked` 23409).
pub(crate) async fn block_add(shared: Arc<Shared>, form: Params) -> ApiResult {
    let (room, users) = room_and_users(&shared, &form, MAX_USERS)?;
    let minutes = minutes(&form)?;
    moderation::block(&shared, room, &users, minutes).await?;
    Ok(Map::new())
}

/// `/chatroom/user/block/rollback.json`: `userId` R (repeatable, ≤ 20), `chatroomId` R.
pub(crate) async fn block_rollback(shared: Arc<Shared>, form: Params) -> ApiResult {
    let (room, users) = room_and_users(&shared, &form, MAX_USERS)?;
    moderation::lift(&shared, room, RoomRestrictionKind::Block, &users).await?;
    Ok(Map::new())
}

/// `/chatroom/user/block/list.json`: `chatroomId` R => `{users: [{time, userId}]}`.
pub(crate) async fn block_list(shared: Arc<Shared>, form: Params) -> ApiResult {
    let room = room_param(&form)?;
    require_room(&shared, room)?;
    listed(moderation::list(&shared, room, RoomRestrictionKind::Block).await?)
}

/// `/chatroom/user/whitelist/add.json`: `chatroomId` R, `userId` R (repeatable, ≤ 5).
pub(crate) async fn whitelist_add(shared: Arc<Shared>, form: Params) -> ApiResult {
    let (room, users) = room_and_users(&shared, &form, MAX_PROTECTED_USERS)?;
    moderation::protect(&shared, room, &users).await?;
    Ok(Map::new())
}

/// `/chatroom/user/whitelist/remove.json`: `chatroomId` R, `userId` R (repeatable, ≤ 5).
pub(crate) async fn whitelist_remove(shared: Arc<Shared>, form: Params) -> ApiResult {
    let (room, users) = room_and_users(&shared, &form, MAX_PROTECTED_USERS)?;
    moderation::lift(&shared, room, RoomRestrictionKind::Protected, &users).await?;
    Ok(Map::new())
}

/// `/chatroom/user/whitelist/query.json`: `chatroomId` R => `{users: ["u1", ...]}`.
pub(crate) async fn whitelist_query(shared: Arc<Shared>, form: Params) -> ApiResult {
    let room = room_param(&form)?;
    require_room(&shared, room)?;
    let list = moderation::list(&shared, room, RoomRestrictionKind::Protected).await?;
    let users: Vec<String> = list.into_iter().map(|r| r.user_id).collect();
    let mut out = Map::new();
    out.insert("users".into(), json!(users));
    Ok(out)
}
