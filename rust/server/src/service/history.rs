//! Cloud history pages (`HistoryRequest`, R092–R098) and the offline compensation start of
//! a new device (R053, R144).

use super::conversation::conversation;
use super::error::ServiceError;
use crate::model::{HistoryQuery, HistorySlice};
use crate::store::ServerStore;
use rcim_proto::v1::HistoryRequest;

/// Most messages of one page.
pub(crate) const MAX_PAGE: u32 = 100;

/// A page of `user`'s view of a conversation's history. 33003: not private/group, count out
/// of 1..=100, order > 1, negative time; 22406: a group the user is not a member of.
pub(crate) async fn page(
    store: &dyn ServerStore,
    user: &str,
    r: HistoryRequest,
) -> Result<HistorySlice, ServiceError> {
    if r.count == 0 || r.count > MAX_PAGE {
        return Err(ServiceError::Invalid(format!(
            "count {} is not within 1..={MAX_PAGE}",
            r.count
        )));
    }
    if r.order > 1 {
        return Err(ServiceError::Invalid(format!("order {}", r.order)));
    }
    if r.sent_time < 0 {
        return Err(ServiceError::Invalid("negative sent time".into()));
    }
    let conversation = conversation(user, r.conversation_type, r.target_id, r.channel_id)?;
    let q = HistoryQuery {
        conversation,
        sent_time: r.sent_time,
        after: r.order == 1,
        count: r.count,
    };
    Ok(store.history(q).await?)
}

/// Where a device of `user` without an inbox cursor starts syncing: the highest inbox
/// sequence created before `since` (`None` = the head: nothing older is sent).
pub(crate) async fn compensation_after(
    store: &dyn ServerStore,
    user: &str,
    since: Option<i64>,
    head: u64,
) -> Result<u64, ServiceError> {
    match since {
        None => Ok(head),
        Some(t) => Ok(store.inbox_seq_before(user.to_owned(), t).await?.min(head)),
    }
}
