//! `/group/*` endpoints: membership of groups (messages: `/message/group/publish.json` in
//! `message.rs`).

use super::checks::{check_group_id, check_len, check_user_id};
use super::params::Params;
use super::reply::{ApiError, ApiResult};
use crate::model::{GroupOp, MAX_GROUP_MEMBERS};
use crate::service;
use crate::state::Shared;
use serde_json::{json, Map};
use std::sync::Arc;

/// Longest group name (bytes; RongCloud's Java SDK verifies ≤ 255).
const MAX_GROUP_NAME_LEN: usize = 255;
/// Most users per join / quit call.
const MAX_USERS_PER_CALL: usize = 1000;

/// The repeatable `userId` list: 1..=`max` valid ids, duplicates removed (first wins).
fn user_ids(form: &Params, max: usize) -> Result<Vec<String>, ApiError> {
    let mut ids = form.list("userId");
    if ids.is_empty() {
        return Err(ApiError::param("userId is required"));
    }
    if ids.len() > max {
        return Err(ApiError::param(format!("at most {max} userId per call")));
    }
    for u in &ids {
        check_user_id("userId", u)?;
    }
    let mut seen = std::collections::HashSet::new();
    ids.retain(|u| seen.insert(u.clone()));
    Ok(ids)
}

async fn add(shared: Arc<Shared>, form: Params, max_users: usize) -> ApiResult {
    let group_id = form.required("groupId")?;
    check_group_id("groupId", group_id)?;
    let name = form.required("groupName")?;
    check_len("groupName", Some(name), MAX_GROUP_NAME_LEN)?;
    let members = user_ids(&form, max_users)?;
    let count = service::groups::change(
        shared.store.as_ref(),
        GroupOp::Add {
            group_id: group_id.to_owned(),
            name: name.to_owned(),
            members,
        },
    )
    .await?;
    let mut out = Map::new();
    out.insert("memberCount".into(), json!(count));
    Ok(out)
}

/// `/group/create.json`: `userId` R (repeatable, the initial members, ≤ 3000), `groupId` R
/// (≤ 64), `groupName` R => `{memberCount}`. Creating an existing group renames it and adds
/// the members.
pub(crate) async fn create(shared: Arc<Shared>, form: Params) -> ApiResult {
    add(shared, form, MAX_GROUP_MEMBERS).await
}

/// `/group/join.json`: `userId` R (repeatable, ≤ 1000), `groupId` R, `groupName` R =>
/// `{memberCount}`; creates the group if needed. A group holds at most 3000 members (1002).
pub(crate) async fn join(shared: Arc<Shared>, form: Params) -> ApiResult {
    add(shared, form, MAX_USERS_PER_CALL).await
}

/// `/group/quit.json`: `userId` R (repeatable, ≤ 1000), `groupId` R => `{memberCount}`. A
/// group left without members is deleted.
pub(crate) async fn quit(shared: Arc<Shared>, form: Params) -> ApiResult {
    let group_id = form.required("groupId")?;
    check_group_id("groupId", group_id)?;
    let members = user_ids(&form, MAX_USERS_PER_CALL)?;
    let count = service::groups::change(
        shared.store.as_ref(),
        GroupOp::Quit {
            group_id: group_id.to_owned(),
            members,
        },
    )
    .await?;
    let mut out = Map::new();
    out.insert("memberCount".into(), json!(count));
    Ok(out)
}

/// `/group/dismiss.json`: `userId` R (the operator), `groupId` R: deletes the group.
pub(crate) async fn dismiss(shared: Arc<Shared>, form: Params) -> ApiResult {
    let operator = form.required("userId")?;
    check_user_id("userId", operator)?;
    let group_id = form.required("groupId")?;
    check_group_id("groupId", group_id)?;
    service::groups::change(
        shared.store.as_ref(),
        GroupOp::Dismiss {
            group_id: group_id.to_owned(),
        },
    )
    .await?;
    Ok(Map::new())
}

/// `/group/user/query.json`: `groupId` R => `{users: [{id}]}` (empty for an unknown group).
pub(crate) async fn query_users(shared: Arc<Shared>, form: Params) -> ApiResult {
    let group_id = form.required("groupId")?;
    check_group_id("groupId", group_id)?;
    let members = service::groups::members(shared.store.as_ref(), group_id).await?;
    let users: Vec<_> = members.iter().map(|id| json!({ "id": id })).collect();
    let mut out = Map::new();
    out.insert("users".into(), json!(users));
    Ok(out)
}
