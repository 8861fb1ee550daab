//! `/group/*` endpoints: membership of groups (messages: `/message/group/publish.json` in
//! `message.rs`).

use super::{check_len, check_user_id};
use crate::http::{ApiError, ApiResult, Form};
use crate::store::{GroupOp, Rejected, MAX_GROUP_MEMBERS};
use crate::Shared;
use serde_json::{json, Map};
use std::sync::Arc;

/// Longest group name (bytes; RongCloud's Java SDK verifies ≤ 255).
const MAX_GROUP_NAME_LEN: usize = 255;
/// Most users per join / quit call.
const MAX_USERS_PER_CALL: usize = 1000;

/// Checks a group id: same rules as a user id (1..=64 bytes of `[A-Za-z0-9+=_-]`).
pub(crate) fn check_group_id(name: &str, id: &str) -> Result<(), ApiError> {
    check_user_id(name, id)
}

/// The repeatable `userId` list: 1..=`max` valid ids, duplicates removed (first wins).
fn user_ids(form: &Form, max: usize) -> Result<Vec<String>, ApiError> {
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

/// Maps a writer error: business refusals keep their code (as a 1002-style parameter error
/// when the code is the Server API's own), anything else is internal.
pub(crate) fn store_error(e: &anyhow::Error) -> ApiError {
    match e.downcast_ref::<Rejected>() {
        Some(r) if r.code == 1002 => ApiError::param(r.message.clone()),
        Some(r) => ApiError::business(r.code, r.message.clone()),
        None => ApiError::internal(e),
    }
}

async fn add(shared: Arc<Shared>, form: Form, max_users: usize) -> ApiResult {
    let group_id = form.required("groupId")?;
    check_group_id("groupId", group_id)?;
    let name = form.required("groupName")?;
    check_len("groupName", Some(name), MAX_GROUP_NAME_LEN)?;
    let members = user_ids(&form, max_users)?;
    let count = shared
        .db
        .group(GroupOp::Add {
            group_id: group_id.to_owned(),
            name: name.to_owned(),
            members,
        })
        .await
        .map_err(|e| store_error(&e))?;
    let mut out = Map::new();
    out.insert("memberCount".into(), json!(count));
    Ok(out)
}

/// `/group/create.json`: `userId` R (repeatable, the initial members, ≤ 3000), `groupId` R
/// (≤ 64), `groupName` R => `{memberCount}`. Creating an existing group renames it and adds
/// the members.
pub(crate) async fn create(shared: Arc<Shared>, form: Form) -> ApiResult {
    add(shared, form, MAX_GROUP_MEMBERS).await
}

/// `/group/join.json`: `userId` R (repeatable, ≤ 1000), `groupId` R, `groupName` R =>
/// `{memberCount}`; creates the group if needed. A group holds at most 3000 members (1002).
pub(crate) async fn join(shared: Arc<Shared>, form: Form) -> ApiResult {
    add(shared, form, MAX_USERS_PER_CALL).await
}

/// `/group/quit.json`: `userId` R (repeatable, ≤ 1000), `groupId` R => `{memberCount}`. A
/// group left without members is deleted.
pub(crate) async fn quit(shared: Arc<Shared>, form: Form) -> ApiResult {
    let group_id = form.required("groupId")?;
    check_group_id("groupId", group_id)?;
    let members = user_ids(&form, MAX_USERS_PER_CALL)?;
    let count = shared
        .db
        .group(GroupOp::Quit {
            group_id: group_id.to_owned(),
            members,
        })
        .await
        .map_err(|e| store_error(&e))?;
    let mut out = Map::new();
    out.insert("memberCount".into(), json!(count));
    Ok(out)
}

/// `/group/dismiss.json`: `userId` R (the operator), `groupId` R: deletes the group.
pub(crate) async fn dismiss(shared: Arc<Shared>, form: Form) -> ApiResult {
    let operator = form.required("userId")?;
    check_user_id("userId", operator)?;
    let group_id = form.required("groupId")?;
    check_group_id("groupId", group_id)?;
    shared
        .db
        .group(GroupOp::Dismiss {
            group_id: group_id.to_owned(),
        })
        .await
        .map_err(|e| store_error(&e))?;
    Ok(Map::new())
}

/// `/group/user/query.json`: `groupId` R => `{users: [{id}]}` (empty for an unknown group).
pub(crate) async fn query_users(shared: Arc<Shared>, form: Form) -> ApiResult {
    let group_id = form.required("groupId")?;
    check_group_id("groupId", group_id)?;
    let members = shared
        .db
        .group_members(group_id.to_owned())
        .await
        .map_err(|e| ApiError::internal(&e))?;
    let users: Vec<_> = members.iter().map(|id| json!({ "id": id })).collect();
    let mut out = Map::new();
    out.insert("users".into(), json!(users));
    Ok(out)
}
