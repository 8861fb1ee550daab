//! `/ultragroup/userbanned|globalbanned|banned/whitelist/*` endpoints: who may not send in an
//! ultra group (24408 for their sends). Each list exists for the whole group (`busChannel`
//! absent or empty) and for each channel:
//! * `userbanned`: muted users (muted in the group = in every channel);
//! * `globalbanned`: the whole group or channel muted: only its allow list sends;
//! * `banned/whitelist`: the allow list of the same scope.
//!
//! Mutes last until lifted; a member who quits leaves every list of the group.

use super::params::Params;
use super::reply::{ApiError, ApiResult};
use super::ultragroup_params::{
    group_param, page, refused, scope_channel, slice, user_ids, MAX_LIST_USERS,
};
use crate::state::Shared;
use crate::store::UgListKind;
use serde_json::{json, Map, Value};
use std::sync::Arc;

async fn change(shared: Arc<Shared>, form: Params, kind: UgListKind, add: bool) -> ApiResult {
    let group = group_param(&form)?;
    let users = user_ids(&form, "userIds", MAX_LIST_USERS)?;
    let channel = scope_channel(&form)?;
    shared
        .ultragroups
        .change_list(shared.store.as_ref(), group, channel, kind, &users, add)
        .await?;
    Ok(Map::new())
}

/// `{users: [{id}]}`, sorted, one page (`page` default 1, `pageSize` 1..=200 default 50).
fn listed(shared: &Shared, form: &Params, kind: UgListKind) -> ApiResult {
    let group = group_param(form)?;
    let channel = scope_channel(form)?;
    let range = page(form, "pageSize", 50, 200)?;
    let users = shared
        .ultragroups
        .list(group, channel, kind)
        .map_err(|code| refused(code, group))?;
    let users: Vec<Value> = slice(&users, range)
        .into_iter()
        .map(|id| json!({ "id": id }))
        .collect();
    let mut out = Map::new();
    out.insert("users".into(), json!(users));
    Ok(out)
}

/// `/ultragroup/userbanned/add.json`: `groupId` R, `userIds` R (comma-separated, ≤ 20),
/// `busChannel` (absent: the whole group). 24410 / 24414.
pub(crate) async fn muted_add(shared: Arc<Shared>, form: Params) -> ApiResult {
    change(shared, form, UgListKind::Muted, true).await
}

/// `/ultragroup/userbanned/del.json`: as `add.json`, lifting the mutes.
pub(crate) async fn muted_del(shared: Arc<Shared>, form: Params) -> ApiResult {
    change(shared, form, UgListKind::Muted, false).await
}

/// `/ultragroup/userbanned/get.json`: `groupId` R, `busChannel`, `page`, `pageSize` =>
/// `{users: [{id}]}`.
pub(crate) async fn muted_get(shared: Arc<Shared>, form: Params) -> ApiResult {
    listed(&shared, &form, UgListKind::Muted)
}

/// `/ultragroup/banned/whitelist/add.json`: `groupId` R, `userIds` R (≤ 20), `busChannel`.
pub(crate) async fn allowed_add(shared: Arc<Shared>, form: Params) -> ApiResult {
    change(shared, form, UgListKind::Allowed, true).await
}

/// `/ultragroup/banned/whitelist/del.json`: as `add.json`.
pub(crate) async fn allowed_del(shared: Arc<Shared>, form: Params) -> ApiResult {
    change(shared, form, UgListKind::Allowed, false).await
}

/// `/ultragroup/banned/whitelist/get.json`: `groupId` R, `busChannel`, `page`, `pageSize`
/// => `{users: [{id}]}`.
pub(crate) async fn allowed_get(shared: Arc<Shared>, form: Params) -> ApiResult {
    listed(&shared, &form, UgListKind::Allowed)
}

/// `/ultragroup/globalbanned/set.json`: `groupId` R, `busChannel`, `status` R (true: muted).
pub(crate) async fn all_set(shared: Arc<Shared>, form: Params) -> ApiResult {
    let group = group_param(&form)?;
    let channel = scope_channel(&form)?;
    if form.get("status").unwrap_or("").is_empty() {
        return Err(ApiError::param("status is required"));
    }
    let muted = form.bool("status", false)?;
    shared
        .ultragroups
        .set_muted(shared.store.as_ref(), group, channel, muted)
        .await?;
    Ok(Map::new())
}

/// `/ultragroup/globalbanned/get.json`: `groupId` R, `busChannel` => `{status: bool}`.
pub(crate) async fn all_get(shared: Arc<Shared>, form: Params) -> ApiResult {
    let group = group_param(&form)?;
    let channel = scope_channel(&form)?;
    let status = shared
        .ultragroups
        .muted(group, channel)
        .map_err(|code| refused(code, group))?;
    let mut out = Map::new();
    out.insert("status".into(), json!(status));
    Ok(out)
}
