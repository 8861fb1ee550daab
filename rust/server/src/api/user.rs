//! `/user/*` endpoints: tokens, registration, online status.

use super::checks::{check_len, check_user_id};
use super::params::Params;
use super::reply::{ApiError, ApiResult};
use crate::service;
use crate::state::Shared;
use crate::util::now_ms;
use serde_json::{json, Map};
use std::sync::Arc;

/// Longest user name (bytes).
const MAX_NAME_LEN: usize = 128;
/// Longest portrait URI (bytes).
const MAX_PORTRAIT_LEN: usize = 1024;
/// Most users per token-expire call.
const MAX_EXPIRE_USERS: usize = 20;

async fn upsert_user(
    shared: &Shared,
    user_id: &str,
    name: Option<String>,
    portrait: Option<String>,
) -> Result<(), ApiError> {
    Ok(service::users::register(shared.store.as_ref(), user_id, name, portrait).await?)
}

/// `/user/getToken.json`: `userId` R, `name`, `portraitUri` => `{userId, token}`; registers
/// the user (or refreshes the given profile fields).
pub(crate) async fn get_token(shared: Arc<Shared>, form: Params) -> ApiResult {
    let user_id = form.required("userId")?;
    check_user_id("userId", user_id)?;
    let name = form.get("name");
    let portrait = form.get("portraitUri");
    check_len("name", name, MAX_NAME_LEN)?;
    check_len("portraitUri", portrait, MAX_PORTRAIT_LEN)?;
    upsert_user(
        &shared,
        user_id,
        name.map(str::to_owned),
        portrait.map(str::to_owned),
    )
    .await?;
    let cfg = &shared.config;
    let token = crate::token::issue_token(&cfg.app_key, &cfg.app_secret, user_id, now_ms(), 0);
    let mut out = Map::new();
    out.insert("userId".into(), json!(user_id));
    out.insert("token".into(), json!(token));
    Ok(out)
}

/// `/user/refresh.json`: `userId` R, `name`, `portraitUri` (only given fields change).
pub(crate) async fn refresh(shared: Arc<Shared>, form: Params) -> ApiResult {
    let user_id = form.required("userId")?;
    check_user_id("userId", user_id)?;
    let name = form.get("name");
    let portrait = form.get("portraitUri");
    check_len("name", name, MAX_NAME_LEN)?;
    check_len("portraitUri", portrait, MAX_PORTRAIT_LEN)?;
    upsert_user(
        &shared,
        user_id,
        name.map(str::to_owned),
        portrait.map(str::to_owned),
    )
    .await?;
    Ok(Map::new())
}

/// `/user/token/expire.json`: `userId` R (repeatable, ≤ 20), `time` R (ms): tokens of these
/// users issued before `time` are refused from now on (live connections stay up).
pub(crate) async fn expire_token(shared: Arc<Shared>, form: Params) -> ApiResult {
    let user_ids = form.list("userId");
    if user_ids.is_empty() {
        return Err(ApiError::param("userId is required"));
    }
    if user_ids.len() > MAX_EXPIRE_USERS {
        return Err(ApiError::param(format!(
            "at most {MAX_EXPIRE_USERS} userId per call"
        )));
    }
    for u in &user_ids {
        check_user_id("userId", u)?;
    }
    let time_ms = form
        .int("time")?
        .ok_or_else(|| ApiError::param("time is required"))?;
    service::users::expire_tokens(shared.store.as_ref(), user_ids, time_ms).await?;
    Ok(Map::new())
}

/// `/user/checkOnline.json`: `userId` R => `{status: "1" | "0"}` (a string, as RongCloud).
pub(crate) async fn check_online(shared: Arc<Shared>, form: Params) -> ApiResult {
    let user_id = form.required("userId")?;
    check_user_id("userId", user_id)?;
    // Online on this node, or on another one of the cluster.
    let online =
        shared.hub.is_online(user_id) || !shared.bus.remote_devices(user_id).await.is_empty();
    let mut out = Map::new();
    out.insert("status".into(), json!(if online { "1" } else { "0" }));
    Ok(out)
}
