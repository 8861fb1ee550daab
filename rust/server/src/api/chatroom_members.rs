//! `/chatroom/user/query.json`, `/chatroom/user/exist.json` and `/chatroom/users/exist.json`:
//! who is in a room (members are users who joined and have not left, been kicked or
//! auto-kicked). Unknown room => 23410.

use super::chatroom_params::{require_room, room_param, user_list};
use super::checks::check_user_id;
use super::moderation::format_time;
use super::params::Params;
use super::reply::{ApiError, ApiResult};
use crate::service::chatroom::across_nodes;
use crate::state::Shared;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// Most members one query lists.
const MAX_QUERY_COUNT: i64 = 500;
/// Most users of one `users/exist.json`.
const MAX_EXIST_USERS: usize = 1000;

/// `/chatroom/user/query.json`: `chatroomId` R, `count` R (1..=500), `order` (1 by join time,
/// oldest first (default); 2 newest first) => `{total, users: [{id, time}]}` (`time`: the
/// join, `YYYY-MM-DD hh:mm:ss` UTC).
pub(crate) async fn query(shared: Arc<Shared>, form: Params) -> ApiResult {
    let room = room_param(&form)?;
    let count = form
        .int("count")?
        .ok_or_else(|| ApiError::param("count is required"))?;
    if !(1..=MAX_QUERY_COUNT).contains(&count) {
        return Err(ApiError::param(format!(
            "count must be 1..={MAX_QUERY_COUNT}"
        )));
    }
    let newest_first = match form.int("order")? {
        None | Some(1) => false,
        Some(2) => true,
        Some(_) => return Err(ApiError::param("order must be 1 or 2")),
    };
    require_room(&shared, room)?;
    let (total, members) = across_nodes::member_page(&shared, room, count as u32, newest_first)
        .await
        .unwrap_or_default();
    let users: Vec<Value> = members
        .into_iter()
        .map(|(id, joined)| json!({"id": id, "time": format_time(joined)}))
        .collect();
    let mut out = Map::new();
    out.insert("total".into(), json!(total));
    out.insert("users".into(), json!(users));
    Ok(out)
}

/// `/chatroom/user/exist.json`: `chatroomId` R, `userId` R => `{isInChrm: bool}`.
pub(crate) async fn exist(shared: Arc<Shared>, form: Params) -> ApiResult {
    let room = room_param(&form)?;
    let user = form.required("userId")?;
    check_user_id("userId", user)?;
    require_room(&shared, room)?;
    let mut out = Map::new();
    let member = across_nodes::is_member(&shared, room, user).await;
    out.insert("isInChrm".into(), json!(member));
    Ok(out)
}

/// `/chatroom/users/exist.json`: `chatroomId` R, `userId` R (repeatable, ≤ 1000) =>
/// `{result: [{userId, isInChrm: 0|1}]}` in the order asked.
pub(crate) async fn exist_many(shared: Arc<Shared>, form: Params) -> ApiResult {
    let room = room_param(&form)?;
    let users = user_list(&form, "userId", MAX_EXIST_USERS)?;
    require_room(&shared, room)?;
    // One question to the other nodes for the whole list.
    let members = across_nodes::members_among(&shared, room, &users).await;
    let result: Vec<Value> = users
        .into_iter()
        .map(|u| {
            let member = members.contains(&u);
            json!({"userId": u, "isInChrm": i32::from(member)})
        })
        .collect();
    let mut out = Map::new();
    out.insert("result".into(), json!(result));
    Ok(out)
}
