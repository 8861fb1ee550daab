//! `/ultragroup/notdisturb/*` endpoints: the default notification level of a group
//! (`busChannel` absent or empty) or of one channel, for members who set none themselves
//! (R243–R244; the push decision is in `service::ultragroup::push`).
//!
//! The Server API numbers levels as RongCloud's `unpushLevel`; the clients and the store as
//! `RCIMIWPushNotificationLevel` (`TypeNotificationLevel` on the wire):
//!
//! | meaning | `unpushLevel` | client |
//! |---|---|---|
//! | all messages | -1 | ALL_MESSAGE 0 |
//! | not set | 0 | NONE 1 |
//! | mentions (of me or all) | 1 | MENTION 2 |
//! | mentions of me | 2 | MENTION_USERS 3 |
//! | mentions of all | 4 | MENTION_ALL 4 |
//! | nothing | 5 | BLOCKED 5 |

use super::params::Params;
use super::reply::{ApiError, ApiResult};
use super::ultragroup_params::{group_param, refused, scope_channel};
use crate::service::ultragroup::channel_or_default;
use crate::state::Shared;
use rcim_proto::codes;
use serde_json::{json, Map};
use std::sync::Arc;

/// The client level of an `unpushLevel` (`None` for a value RongCloud does not define).
pub(crate) fn level_from_unpush(unpush: i64) -> Option<u32> {
    match unpush {
        -1 => Some(0),
        0 => Some(1),
        1 => Some(2),
        2 => Some(3),
        4 => Some(4),
        5 => Some(5),
        _ => None,
    }
}

/// The `unpushLevel` of a client level (unknown levels read as "not set").
pub(crate) fn unpush_of_level(level: u32) -> i64 {
    match level {
        0 => -1,
        2 => 1,
        3 => 2,
        4 => 4,
        5 => 5,
        _ => 0,
    }
}

/// `/ultragroup/notdisturb/set.json`: `groupId` R, `unpushLevel` R (-1, 0, 1, 2, 4, 5; 1002
/// otherwise), `busChannel` (absent: the group's level). 24410 / 24414.
pub(crate) async fn set(shared: Arc<Shared>, form: Params) -> ApiResult {
    let group = group_param(&form)?;
    let channel = scope_channel(&form)?;
    let unpush = form
        .int("unpushLevel")?
        .ok_or_else(|| ApiError::param("unpushLevel is required"))?;
    let level = level_from_unpush(unpush)
        .ok_or_else(|| ApiError::param("unpushLevel must be -1, 0, 1, 2, 4 or 5"))?;
    shared
        .ultragroups
        .set_default_level(shared.store.as_ref(), group, channel, level)
        .await?;
    Ok(Map::new())
}

/// `/ultragroup/notdisturb/get.json`: `groupId` R, `busChannel` => `{groupId, busChannel,
/// unpushLevel}` (the group's level when `busChannel` is absent, else the channel's own).
/// 24410 / 24414.
pub(crate) async fn get(shared: Arc<Shared>, form: Params) -> ApiResult {
    let group = group_param(&form)?;
    let channel = scope_channel(&form)?;
    let dir = &shared.ultragroups;
    let (group_level, channel_level) = match dir.default_levels(group, channel) {
        Some(levels) => levels,
        None if !dir.exists(group) => return Err(refused(codes::ULTRA_GROUP_NOT_EXIST, group)),
        None => {
            return Err(refused(
                codes::ULTRA_GROUP_CHANNEL_ID_NOT_EXIST,
                channel_or_default(channel),
            ))
        }
    };
    let level = if channel.is_empty() {
        group_level
    } else {
        channel_level
    };
    let mut out = Map::new();
    out.insert("groupId".into(), json!(group));
    out.insert("busChannel".into(), json!(channel));
    out.insert("unpushLevel".into(), json!(unpush_of_level(level)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_map_both_ways() {
        for unpush in [-1, 0, 1, 2, 4, 5] {
            let level = level_from_unpush(unpush).unwrap();
            assert_eq!(unpush_of_level(level), unpush);
        }
        assert_eq!(level_from_unpush(3), None);
        assert_eq!(level_from_unpush(-2), None);
        assert_eq!(level_from_unpush(0), Some(crate::settings::LEVEL_NOT_SET));
    }
}
