//! `/user/blacklist/*` endpoints (R060–R063): the same blacklist the client API changes. A
//! change appends `UserSettingChanged` entries (no device) to the owner's inbox, so their
//! devices follow as for a change made on another device.

use super::checks::check_user_id;
use super::params::Params;
use super::reply::{ApiError, ApiResult};
use crate::service;
use crate::state::Shared;
use serde_json::{json, Map};
use std::sync::Arc;

/// Most `blackUserId` per call (RongCloud: 20).
const MAX_PER_CALL: usize = 20;

/// `userId` R and `blackUserId` R (repeatable, ≤ 20), checked.
fn owner_and_ids(form: &Params) -> Result<(String, Vec<String>), ApiError> {
    let owner = form.required("userId")?;
    check_user_id("userId", owner)?;
    let ids = form.list("blackUserId");
    if ids.is_empty() {
        return Err(ApiError::param("blackUserId is required"));
    }
    if ids.len() > MAX_PER_CALL {
        return Err(ApiError::param(format!(
            "at most {MAX_PER_CALL} blackUserId per call"
        )));
    }
    for id in &ids {
        check_user_id("blackUserId", id)?;
    }
    Ok((owner.to_owned(), ids))
}

/// `/user/blacklist/add.json`: `userId` R, `blackUserId` R (repeatable, ≤ 20) => `{}`. All
/// or nothing: 20605 when the blacklist would hold more than 3000 users.
pub(crate) async fn add(shared: Arc<Shared>, form: Params) -> ApiResult {
    let (owner, ids) = owner_and_ids(&form)?;
    service::settings::change_blacklist(shared.store.as_ref(), &owner, ids, true).await?;
    Ok(Map::new())
}

/// `/user/blacklist/remove.json`: `userId` R, `blackUserId` R (repeatable, ≤ 20) => `{}`
/// (ids not on the list are ignored).
pub(crate) async fn remove(shared: Arc<Shared>, form: Params) -> ApiResult {
    let (owner, ids) = owner_and_ids(&form)?;
    service::settings::change_blacklist(shared.store.as_ref(), &owner, ids, false).await?;
    Ok(Map::new())
}

/// `/user/blacklist/query.json`: `userId` R => `{users: [id, ...]}`, the whole list in one
/// answer (at most 3000 ids; `pageToken` / `size` paging is not offered).
pub(crate) async fn query(shared: Arc<Shared>, form: Params) -> ApiResult {
    let owner = form.required("userId")?;
    check_user_id("userId", owner)?;
    let users = service::settings::blacklist(shared.store.as_ref(), owner).await?;
    let mut out = Map::new();
    out.insert("users".into(), json!(users));
    Ok(out)
}
