//! `/user/block*` (bans: a banned user cannot connect) and `/group/user/gag/*` (gags: a
//! gagged member cannot send to the group) endpoints.

use super::checks::{check_group_id, check_user_id};
use super::params::Params;
use super::reply::{ApiError, ApiResult};
use crate::model::Restriction;
use crate::service::moderation;
use crate::state::Shared;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// Most users of one ban or gag call.
const MAX_USERS: usize = 20;

/// The `userId` list: 1..=20 valid ids.
fn users(form: &Params) -> Result<Vec<String>, ApiError> {
    let users = form.list("userId");
    if users.is_empty() {
        return Err(ApiError::param("userId is required"));
    }
    if users.len() > MAX_USERS {
        return Err(ApiError::param(format!(
            "at most {MAX_USERS} userId per call"
        )));
    }
    for u in &users {
        check_user_id("userId", u)?;
    }
    Ok(users)
}

fn minutes(form: &Params) -> Result<i64, ApiError> {
    form.int("minute")?
        .ok_or_else(|| ApiError::param("minute is required"))
}

/// A restriction's end as RongCloud writes it, `YYYY-MM-DD hh:mm:ss` (UTC); a permanent gag
/// ends at `9999-12-31 23:59:59`.
pub(crate) fn format_time(ms: i64) -> String {
    const MAX_SECS: i64 = 253_402_300_799; // 9999-12-31 23:59:59
    let secs = ms.div_euclid(1000).min(MAX_SECS);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn restrictions(list: Vec<Restriction>, time_key: &str) -> Value {
    json!(list
        .into_iter()
        .map(|r| json!({"userId": r.user_id, time_key: format_time(r.until)}))
        .collect::<Vec<_>>())
}

/// `/user/block.json`: `userId` R (repeatable, ≤ 20), `minute` R (1..=43200): the users cannot
/// connect until then (31009) and their online sessions are closed (`Kicked{31009}`).
pub(crate) async fn block(shared: Arc<Shared>, form: Params) -> ApiResult {
    let users = users(&form)?;
    let minutes = minutes(&form)?;
    moderation::ban(
        shared.store.as_ref(),
        &shared.hub,
        &shared.bus,
        users,
        minutes,
    )
    .await?;
    Ok(Map::new())
}

/// `/user/unblock.json`: `userId` R (repeatable, ≤ 20).
pub(crate) async fn unblock(shared: Arc<Shared>, form: Params) -> ApiResult {
    let users = users(&form)?;
    moderation::unban(shared.store.as_ref(), users).await?;
    Ok(Map::new())
}

/// `/user/block/query.json` => `{users: [{userId, blockEndTime}]}` (the bans in force).
pub(crate) async fn block_query(shared: Arc<Shared>, _form: Params) -> ApiResult {
    let bans = moderation::bans(shared.store.as_ref()).await?;
    let mut out = Map::new();
    out.insert("users".into(), restrictions(bans, "blockEndTime"));
    Ok(out)
}

/// `/group/user/gag/add.json`: `userId` R (repeatable, ≤ 20), `groupId` R, `minute` R
/// (0 = permanent, ≤ 43200): the members' group sends are refused with 22408 until then.
pub(crate) async fn gag_add(shared: Arc<Shared>, form: Params) -> ApiResult {
    let users = users(&form)?;
    let group = form.required("groupId")?;
    check_group_id("groupId", group)?;
    let minutes = minutes(&form)?;
    moderation::gag(shared.store.as_ref(), group.to_owned(), users, minutes).await?;
    Ok(Map::new())
}

/// `/group/user/gag/rollback.json`: `userId` R (repeatable, ≤ 20), `groupId` R.
pub(crate) async fn gag_rollback(shared: Arc<Shared>, form: Params) -> ApiResult {
    let users = users(&form)?;
    let group = form.required("groupId")?;
    check_group_id("groupId", group)?;
    moderation::ungag(shared.store.as_ref(), group.to_owned(), users).await?;
    Ok(Map::new())
}

/// `/group/user/gag/list.json`: `groupId` R => `{users: [{time, userId}]}` (`time`: the end).
pub(crate) async fn gag_list(shared: Arc<Shared>, form: Params) -> ApiResult {
    let group = form.required("groupId")?;
    check_group_id("groupId", group)?;
    let gags = moderation::gags(shared.store.as_ref(), group.to_owned()).await?;
    let mut out = Map::new();
    out.insert("users".into(), restrictions(gags, "time"));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::format_time;

    #[test]
    fn times() {
        assert_eq!(format_time(0), "1970-01-01 00:00:00");
        assert_eq!(format_time(1_420_939_700_000), "2015-01-11 01:28:20");
        assert_eq!(format_time(951_782_400_000), "2000-02-29 00:00:00");
        assert_eq!(format_time(i64::MAX), "9999-12-31 23:59:59");
    }
}
