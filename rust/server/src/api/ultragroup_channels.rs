//! `/ultragroup/channel/*` endpoints: channels (create, delete, list, public/private) and the
//! member lists of private channels. "RCDefault" exists in every group, stays public and
//! cannot be deleted (1002). A group holds at most 50 channels, "RCDefault" included (24413).
//!
//! `channel/get.json` answers `{channelList: [{channelId, type, createTime}]}`, oldest first:
//! `type` "PUBLIC" or "PRIVATE", `createTime` the creation time as `YYYY-MM-DD hh:mm:ss` (UTC).

use super::moderation::format_time;
use super::params::Params;
use super::reply::{ApiError, ApiResult};
use super::ultragroup_params::{
    channel_param, group_param, page, refused, resync, slice, user_ids, MAX_LIST_USERS,
};
use crate::state::Shared;
use crate::store::UgListKind;
use crate::util::now_ms;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// The `type` parameter: 0 public (the default when absent), 1 private.
fn private_param(form: &Params, required: bool) -> Result<bool, ApiError> {
    match form.int("type")? {
        None if !required => Ok(false),
        None => Err(ApiError::param("type is required")),
        Some(0) => Ok(false),
        Some(1) => Ok(true),
        Some(_) => Err(ApiError::param("type must be 0 (public) or 1 (private)")),
    }
}

/// `/ultragroup/channel/create.json`: `groupId` R, `busChannel` R (≤ 20 characters of
/// `[A-Za-z0-9_-]`), `type` (0 public, default; 1 private: readable only by the members
/// listed with `private/users/add.json`). An existing channel is left as it is. 24410 / 24413.
pub(crate) async fn create(shared: Arc<Shared>, form: Params) -> ApiResult {
    let group = group_param(&form)?;
    let channel = channel_param(&form)?;
    let private = private_param(&form, false)?;
    let affected = shared
        .ultragroups
        .create_channel(shared.store.as_ref(), group, channel, private, now_ms())
        .await?;
    resync(&shared, group, &affected);
    Ok(Map::new())
}

/// `/ultragroup/channel/del.json`: `groupId` R, `busChannel` R: the channel and its lists go
/// (its messages are no longer readable). 24410 / 24414; 1002 for "RCDefault".
pub(crate) async fn delete(shared: Arc<Shared>, form: Params) -> ApiResult {
    let group = group_param(&form)?;
    let channel = channel_param(&form)?;
    let affected = shared
        .ultragroups
        .delete_channel(shared.store.as_ref(), group, channel)
        .await?;
    resync(&shared, group, &affected);
    Ok(Map::new())
}

/// `/ultragroup/channel/get.json`: `groupId` R, `page` (default 1), `limit` (or `size`;
/// 1..=50, default 20) => `{channelList: [{channelId, type, createTime}]}`. 24410.
pub(crate) async fn list(shared: Arc<Shared>, form: Params) -> ApiResult {
    let group = group_param(&form)?;
    let size_key = if form.get("limit").is_some() {
        "limit"
    } else {
        "size"
    };
    let range = page(&form, size_key, 20, 50)?;
    let channels = shared
        .ultragroups
        .channels(group)
        .map_err(|code| refused(code, group))?;
    let listed: Vec<Value> = slice(&channels, range)
        .into_iter()
        .map(|c| {
            json!({
                "channelId": c.channel_id,
                "type": if c.private { "PRIVATE" } else { "PUBLIC" },
                "createTime": format_time(c.created_at),
            })
        })
        .collect();
    let mut out = Map::new();
    out.insert("channelList".into(), json!(listed));
    Ok(out)
}

/// `/ultragroup/channel/type/change.json`: `groupId` R, `busChannel` R, `type` R (0 public,
/// 1 private). The private member list is kept across changes. 24410 / 24414; 1002 for
/// making "RCDefault" private.
pub(crate) async fn change_type(shared: Arc<Shared>, form: Params) -> ApiResult {
    let group = group_param(&form)?;
    let channel = channel_param(&form)?;
    let private = private_param(&form, true)?;
    let affected = shared
        .ultragroups
        .set_channel_private(shared.store.as_ref(), group, channel, private)
        .await?;
    resync(&shared, group, &affected);
    Ok(Map::new())
}

async fn change_private_users(shared: Arc<Shared>, form: Params, add: bool) -> ApiResult {
    let group = group_param(&form)?;
    let channel = channel_param(&form)?;
    let users = user_ids(&form, "userIds", MAX_LIST_USERS)?;
    let affected = shared
        .ultragroups
        .change_list(
            shared.store.as_ref(),
            group,
            channel,
            UgListKind::Private,
            &users,
            add,
        )
        .await?;
    resync(&shared, group, &affected);
    Ok(Map::new())
}

/// `/ultragroup/channel/private/users/add.json`: `groupId` R, `busChannel` R, `userIds` R
/// (comma-separated, ≤ 20; every one a member of the group, else 24406 and nobody is added).
/// 24410 / 24414.
pub(crate) async fn private_users_add(shared: Arc<Shared>, form: Params) -> ApiResult {
    change_private_users(shared, form, true).await
}

/// `/ultragroup/channel/private/users/del.json`: `groupId` R, `busChannel` R, `userIds` R
/// (≤ 20). 24410 / 24414.
pub(crate) async fn private_users_del(shared: Arc<Shared>, form: Params) -> ApiResult {
    change_private_users(shared, form, false).await
}

/// `/ultragroup/channel/private/users/get.json`: `groupId` R, `busChannel` R, `page`
/// (default 1), `pageSize` (1..=100, default 50) => `{users: ["u1", ...]}` sorted. 24410 /
/// 24414.
pub(crate) async fn private_users_get(shared: Arc<Shared>, form: Params) -> ApiResult {
    let group = group_param(&form)?;
    let channel = channel_param(&form)?;
    let range = page(&form, "pageSize", 50, 100)?;
    let users = shared
        .ultragroups
        .list(group, channel, UgListKind::Private)
        .map_err(|code| refused(code, group))?;
    let mut out = Map::new();
    out.insert("users".into(), json!(slice(&users, range)));
    Ok(out)
}
