//! `/ultragroup/*` endpoints for the groups themselves: create, dismiss (`dis.json`), join,
//! quit, rename (`refresh.json`) and membership (`member/exist.json`). Channels, mutes,
//! default levels and messages have their own files (`ultragroup_*.rs`); what they share is
//! in [`super::ultragroup_params`].
//!
//! An unknown group is answered with 24410 (the client SDKs' "ultra group does not exist"):
//! unlike a classic group, an ultra group is created explicitly and its absence is worth
//! telling. Changes that give or take channels from connected users send them
//! `UltraGroupEvent{resync}`.

use super::checks::{check_len, check_user_id};
use super::params::Params;
use super::reply::{ApiError, ApiResult};
use super::ultragroup_params::{group_param, refused, resync, user_ids};
use crate::state::Shared;
use crate::util::now_ms;
use serde_json::{json, Map};
use std::sync::Arc;

/// Longest group name (bytes).
const MAX_GROUP_NAME_LEN: usize = 128;
/// Most users of one join or quit (RongCloud's form takes one; a list helps bulk loads).
const MAX_USERS_PER_CALL: usize = 1000;

fn group_name(form: &Params) -> Result<&str, ApiError> {
    let name = form.required("groupName")?;
    check_len("groupName", Some(name), MAX_GROUP_NAME_LEN)?;
    Ok(name)
}

/// `/ultragroup/create.json`: `userId` R (the creator, who joins), `groupId` R (≤ 64),
/// `groupName` R (≤ 128 bytes): the group with its public channel "RCDefault". Creating an
/// existing group makes the creator join it (its name stays). 24412: the creator is in 100
/// groups already.
pub(crate) async fn create(shared: Arc<Shared>, form: Params) -> ApiResult {
    let creator = form.required("userId")?;
    check_user_id("userId", creator)?;
    let group = group_param(&form)?;
    let name = group_name(&form)?;
    let store = shared.store.as_ref();
    let affected = shared
        .ultragroups
        .create_group(store, group, name, creator, now_ms())
        .await?;
    resync(&shared, group, &affected);
    Ok(Map::new())
}

/// `/ultragroup/dis.json`: `groupId` R: the group, its channels and lists go (24410 unknown).
pub(crate) async fn dismiss(shared: Arc<Shared>, form: Params) -> ApiResult {
    let group = group_param(&form)?;
    let affected = shared
        .ultragroups
        .dismiss(shared.store.as_ref(), group)
        .await?;
    resync(&shared, group, &affected);
    Ok(Map::new())
}

/// `/ultragroup/join.json`: `userId` R (one, or a list of ≤ 1000), `groupId` R. Members
/// already in stay as they are. 24410 unknown group; 24412 one of them is in 100 groups
/// already (nobody joins).
pub(crate) async fn join(shared: Arc<Shared>, form: Params) -> ApiResult {
    let users = user_ids(&form, "userId", MAX_USERS_PER_CALL)?;
    let group = group_param(&form)?;
    let affected = shared
        .ultragroups
        .join(shared.store.as_ref(), group, &users, now_ms())
        .await?;
    resync(&shared, group, &affected);
    Ok(Map::new())
}

/// `/ultragroup/quit.json`: `userId` R (one, or a list of ≤ 1000), `groupId` R: they leave,
/// with their private-channel listings, mutes and allow-list entries. Non-members are
/// skipped; 24410 unknown group.
pub(crate) async fn quit(shared: Arc<Shared>, form: Params) -> ApiResult {
    let users = user_ids(&form, "userId", MAX_USERS_PER_CALL)?;
    let group = group_param(&form)?;
    let affected = shared
        .ultragroups
        .quit(shared.store.as_ref(), group, &users)
        .await?;
    resync(&shared, group, &affected);
    Ok(Map::new())
}

/// `/ultragroup/refresh.json`: `groupId` R, `groupName` R: renames the group (24410 unknown).
pub(crate) async fn refresh(shared: Arc<Shared>, form: Params) -> ApiResult {
    let group = group_param(&form)?;
    let name = group_name(&form)?;
    shared
        .ultragroups
        .rename(shared.store.as_ref(), group, name)
        .await?;
    Ok(Map::new())
}

/// `/ultragroup/member/exist.json`: `groupId` R, `userId` R => `{status: bool}` (24410
/// unknown group).
pub(crate) async fn member_exist(shared: Arc<Shared>, form: Params) -> ApiResult {
    let group = group_param(&form)?;
    let user = form.required("userId")?;
    check_user_id("userId", user)?;
    let status = shared
        .ultragroups
        .is_member(group, user)
        .map_err(|code| refused(code, group))?;
    let mut out = Map::new();
    out.insert("status".into(), json!(status));
    Ok(out)
}
