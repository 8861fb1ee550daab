//! Syntax checks of Server API parameters (the business rules are in `crate::service`).

use super::reply::ApiError;

/// Longest user, group or message id (bytes).
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

/// Checks a group id: same rules as a user id (1..=64 bytes of `[A-Za-z0-9+=_-]`).
pub(crate) fn check_group_id(name: &str, id: &str) -> Result<(), ApiError> {
    check_user_id(name, id)
}

/// Checks an optional text parameter's length (1005 when too long).
pub(crate) fn check_len(name: &str, value: Option<&str>, max: usize) -> Result<(), ApiError> {
    match value {
        Some(v) if v.len() > max => Err(ApiError::too_long(name, max)),
        _ => Ok(()),
    }
}
