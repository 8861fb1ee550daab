//! A user's own view of their conversations: deleting messages (`DeleteMessages`, R105,
//! R106, R110) and clearing history (`ClearHistory`, R111). The other participants are not
//! affected; the user's other devices follow through their inbox.

use super::conversation::conversation;
use super::error::ServiceError;
use crate::model::{RequestKey, MAX_ID_LEN};
use crate::store::ServerStore;
use crate::util::now_ms;
use rcim_proto::v1::{ClearHistory, DeleteMessages};

/// Most uids of one deletion.
pub(crate) const MAX_DELETE: usize = 100;

/// Deletes messages of a conversation from `user`'s view (from device `device_id`). 33003:
/// bad conversation, no uid, more than 100, or an empty or over-long uid.
pub(crate) async fn delete_messages(
    store: &dyn ServerStore,
    user: &str,
    device_id: &str,
    request: Option<RequestKey>,
    r: DeleteMessages,
) -> Result<(), ServiceError> {
    let conv = conversation(user, r.conversation_type, r.target_id, r.channel_id)?;
    if r.uids.is_empty() || r.uids.len() > MAX_DELETE {
        return Err(ServiceError::Invalid(format!(
            "{} uids (1..={MAX_DELETE})",
            r.uids.len()
        )));
    }
    if r.uids.iter().any(|u| u.is_empty() || u.len() > MAX_ID_LEN) {
        return Err(ServiceError::Invalid("invalid uid".into()));
    }
    Ok(store
        .delete_messages(conv, r.uids, device_id.to_owned(), request)
        .await?)
}

/// Clears `user`'s view of a conversation up to `before_time` (0 = now). 33003: bad
/// conversation or a negative time. Resolves with the time used.
pub(crate) async fn clear_history(
    store: &dyn ServerStore,
    user: &str,
    device_id: &str,
    request: Option<RequestKey>,
    r: ClearHistory,
) -> Result<i64, ServiceError> {
    let conv = conversation(user, r.conversation_type, r.target_id, r.channel_id)?;
    if r.before_time < 0 {
        return Err(ServiceError::Invalid("negative time".into()));
    }
    let before_time = if r.before_time == 0 {
        now_ms()
    } else {
        r.before_time
    };
    store
        .clear_history(conv, before_time, device_id.to_owned(), request)
        .await?;
    Ok(before_time)
}
