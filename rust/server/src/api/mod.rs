//! Server API endpoints, one file per RongCloud module. [`ENDPOINTS`] is the routing table:
//! search it for a path to find its handler.

mod group;
mod message;
mod user;

use crate::http::{ApiError, ApiResult, Form};
use crate::Shared;
use futures::future::BoxFuture;
use std::sync::Arc;

/// A Server API handler: parsed, authenticated parameters in, response fields out.
pub(crate) type Handler = fn(Arc<Shared>, Form) -> BoxFuture<'static, ApiResult>;

/// Path => handler, for every implemented endpoint.
pub(crate) const ENDPOINTS: &[(&str, Handler)] = &[
    ("/user/getToken.json", |s, f| {
        Box::pin(user::get_token(s, f))
    }),
    ("/user/refresh.json", |s, f| Box::pin(user::refresh(s, f))),
    ("/user/token/expire.json", |s, f| {
        Box::pin(user::expire_token(s, f))
    }),
    ("/user/checkOnline.json", |s, f| {
        Box::pin(user::check_online(s, f))
    }),
    ("/message/private/publish.json", |s, f| {
        Box::pin(message::private_publish(s, f))
    }),
    ("/message/group/publish.json", |s, f| {
        Box::pin(message::group_publish(s, f))
    }),
    ("/message/recall.json", |s, f| {
        Box::pin(message::recall(s, f))
    }),
    ("/group/create.json", |s, f| Box::pin(group::create(s, f))),
    ("/group/join.json", |s, f| Box::pin(group::join(s, f))),
    ("/group/quit.json", |s, f| Box::pin(group::quit(s, f))),
    ("/group/dismiss.json", |s, f| Box::pin(group::dismiss(s, f))),
    ("/group/user/query.json", |s, f| {
        Box::pin(group::query_users(s, f))
    }),
];

/// The handler of `path`, if the endpoint exists.
pub(crate) fn find(path: &str) -> Option<Handler> {
    ENDPOINTS.iter().find(|(p, _)| *p == path).map(|(_, h)| *h)
}

/// Longest user id (bytes).
pub(crate) const MAX_USER_ID_LEN: usize = 64;

/// Checks a user id: 1..=64 bytes of `[A-Za-z0-9+=_-]` (1002 otherwise).
pub(crate) fn check_user_id(name: &str, id: &str) -> Result<(), ApiError> {
    if id.is_empty() {
        return Err(ApiError::param(format!("{name} is required")));
    }
    if id.len() > MAX_USER_ID_LEN {
        return Err(ApiError::param(format!(
            "{name} is longer than {MAX_USER_ID_LEN} bytes"
        )));
    }
    if !id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'=' | b'_' | b'-'))
    {
        return Err(ApiError::param(format!(
            "{name} may only contain A-Z a-z 0-9 + = - _"
        )));
    }
    Ok(())
}

/// Checks an optional text parameter's length (1005 when too long).
pub(crate) fn check_len(name: &str, value: Option<&str>, max: usize) -> Result<(), ApiError> {
    match value {
        Some(v) if v.len() > max => Err(ApiError::too_long(name, max)),
        _ => Ok(()),
    }
}
