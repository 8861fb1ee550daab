//! What the ultra-group endpoint files share: the group and channel parameters, user lists,
//! pages, and the answer of a directory refusal. The lowest of those files: it uses none of
//! them.
//!
//! Codes: RongCloud's Server API answers the ultra-group codes of the client SDKs (24406 not a
//! member, 24410 no such group, 24412 too many groups for a user, 24413 too many channels,
//! 24414 no such channel, 24416 not listed in a private channel), with HTTP 200 so every SDK
//! reads the body; parameter errors are 1002.

use super::checks::{check_group_id, check_user_id};
use super::params::Params;
use super::reply::ApiError;
use crate::service::ultragroup::directory::{is_valid_channel_id, MAX_CHANNEL_ID_CHARS};
use crate::service::ultragroup::{channel_or_default, notify, DEFAULT_CHANNEL};
use crate::state::Shared;

/// Most users of one list call (`userIds`).
pub(super) const MAX_LIST_USERS: usize = 20;

/// The `groupId` parameter, checked (1..=64 of `[A-Za-z0-9+=_-]`).
pub(super) fn group_param(form: &Params) -> Result<&str, ApiError> {
    let group = form.required("groupId")?;
    check_group_id("groupId", group)?;
    Ok(group)
}

/// Checks a `busChannel` value (1..=20 characters of `[A-Za-z0-9_-]`).
pub(super) fn check_channel_id(name: &str, id: &str) -> Result<(), ApiError> {
    if is_valid_channel_id(id) {
        Ok(())
    } else {
        Err(ApiError::param(format!(
            "{name} must be 1..={MAX_CHANNEL_ID_CHARS} characters of A-Z a-z 0-9 _ -"
        )))
    }
}

/// The required `busChannel` parameter, checked.
pub(super) fn channel_param(form: &Params) -> Result<&str, ApiError> {
    let channel = form.required("busChannel")?;
    check_channel_id("busChannel", channel)?;
    Ok(channel)
}

/// The optional `busChannel` of a message endpoint: absent or "" = "RCDefault".
pub(super) fn message_channel(form: &Params) -> Result<&str, ApiError> {
    match form.get("busChannel").unwrap_or("") {
        "" => Ok(DEFAULT_CHANNEL),
        c => {
            check_channel_id("busChannel", c)?;
            Ok(channel_or_default(c))
        }
    }
}

/// The optional `busChannel` of a list or setting that exists for the whole group too:
/// absent or "" = the group ("").
pub(super) fn scope_channel(form: &Params) -> Result<&str, ApiError> {
    match form.get("busChannel").unwrap_or("") {
        "" => Ok(""),
        c => {
            check_channel_id("busChannel", c)?;
            Ok(c)
        }
    }
}

/// The `key` user list (repeated keys or comma-separated): 1..=`max` valid ids, duplicates
/// removed (first wins).
pub(super) fn user_ids(form: &Params, key: &str, max: usize) -> Result<Vec<String>, ApiError> {
    let mut ids = form.list(key);
    if ids.is_empty() {
        return Err(ApiError::param(format!("{key} is required")));
    }
    if ids.len() > max {
        return Err(ApiError::param(format!("at most {max} {key} per call")));
    }
    for u in &ids {
        check_user_id(key, u)?;
    }
    let mut seen = std::collections::HashSet::new();
    ids.retain(|u| seen.insert(u.clone()));
    Ok(ids)
}

/// The page of a list call: `page` (1-based, default 1) and `size_key` (default
/// `default_size`, 1..=`max_size`); 1002 otherwise. Returns the range of items to answer.
pub(super) fn page(
    form: &Params,
    size_key: &str,
    default_size: usize,
    max_size: usize,
) -> Result<std::ops::Range<usize>, ApiError> {
    let page = match form.int("page")? {
        None => 1,
        Some(p) if p >= 1 => p as usize,
        Some(_) => return Err(ApiError::param("page must be at least 1")),
    };
    let size = match form.int(size_key)? {
        None => default_size,
        Some(s) if (1..=max_size as i64).contains(&s) => s as usize,
        Some(_) => {
            return Err(ApiError::param(format!(
                "{size_key} must be 1..={max_size}"
            )))
        }
    };
    let start = (page - 1).saturating_mul(size);
    Ok(start..start.saturating_add(size))
}

/// The items of `range` in `items`.
pub(super) fn slice<T: Clone>(items: &[T], range: std::ops::Range<usize>) -> Vec<T> {
    let end = range.end.min(items.len());
    items.get(range.start.min(end)..end).unwrap_or(&[]).to_vec()
}

/// The answer of a directory read that failed with `code`.
pub(super) fn refused(code: u32, group: &str) -> ApiError {
    let what = match code {
        rcim_proto::codes::ULTRA_GROUP_NOT_EXIST => "ultra group does not exist",
        rcim_proto::codes::ULTRA_GROUP_CHANNEL_ID_NOT_EXIST => "channel does not exist",
        rcim_proto::codes::NOT_IN_ULTRA_GROUP => "not a member of the ultra group",
        _ => "refused",
    };
    ApiError::business(code, format!("{group}: {what}"))
}

/// Tells the connections of `users` that their channels in `group` changed.
pub(super) fn resync(shared: &Shared, group: &str, users: &[String]) {
    notify::resync(&shared.hub, group, users);
}
