//! `/conversation/*` endpoints.

use super::checks::check_user_id;
use super::params::Params;
use super::reply::{ApiError, ApiResult};
use crate::service;
use crate::state::Shared;
use rcim_proto::conversation_type;
use rcim_proto::v1::ClearHistory;
use serde_json::Map;
use std::sync::Arc;

/// `/conversation/message/history/clean.json`: `conversationType` R (1 private, 3 group),
/// `fromUserId` R (whose view is cleared), `targetId` R, `msgTimestamp` (ms; messages sent at
/// or before it are cleared; absent or 0 = everything up to now), `busChannel` => `{}`.
/// Same effect as the client's `ClearHistory`: the user's other devices get a
/// `HistoryCleared` entry (with an empty device id).
pub(crate) async fn clean_history(shared: Arc<Shared>, form: Params) -> ApiResult {
    let conversation_type = match form.required("conversationType")? {
        "1" => conversation_type::PRIVATE,
        "3" => conversation_type::GROUP,
        other => {
            return Err(ApiError::param(format!(
                "conversationType {other} is not supported (1 private, 3 group)"
            )))
        }
    };
    let user = form.required("fromUserId")?;
    check_user_id("fromUserId", user)?;
    let target = form.required("targetId")?;
    check_user_id("targetId", target)?;
    let before_time = form.int("msgTimestamp")?.unwrap_or(0);
    if before_time < 0 {
        return Err(ApiError::param("msgTimestamp must not be negative"));
    }
    let r = ClearHistory {
        conversation_type,
        target_id: target.to_owned(),
        channel_id: form.get("busChannel").unwrap_or("").to_owned(),
        before_time,
    };
    service::deletion::clear_history(shared.store.as_ref(), user, "", None, r).await?;
    Ok(Map::new())
}
