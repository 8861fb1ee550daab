//! Message expansion updates (R065–R066, R123–R128), from clients and the Server API.

use super::error::ServiceError;
use crate::expansion::{check_change, Stored};
use crate::model::{ExpansionUpdate, RequestKey, MAX_ID_LEN};
use crate::store::ServerStore;
use rcim_proto::codes;

/// Changes a message's expansion; resolves after the commit. 33003: nothing to set or
/// remove, or a bad conversation; 34203: a uid too long to exist (and the store's 34203);
/// 34010: a key or value beyond the limits or more than `max_keys` keys; the store's 34008,
/// 22406 and per-message 34010.
pub(crate) async fn update(
    store: &dyn ServerStore,
    u: ExpansionUpdate,
    max_keys: usize,
    request: Option<RequestKey>,
) -> Result<(), ServiceError> {
    let mut u = u;
    let conv = super::conversation::conversation(
        &u.operator_id,
        u.conversation_type,
        std::mem::take(&mut u.target_id),
        std::mem::take(&mut u.channel_id),
    )?;
    (u.target_id, u.channel_id) = (conv.target_id, conv.channel_id);
    if u.set.is_empty() && u.remove.is_empty() {
        return Err(ServiceError::Invalid("nothing to set or remove".into()));
    }
    if u.uid.is_empty() || u.uid.len() > MAX_ID_LEN {
        return Err(ServiceError::rejected(
            codes::INVALID_MESSAGE_UID,
            "no such message",
        ));
    }
    let mut seen = std::collections::HashSet::new();
    u.remove.retain(|k| seen.insert(k.clone()));
    check_change(&u.set, &u.remove, max_keys)
        .map_err(|e| ServiceError::rejected(codes::EXPANSION_SIZE_LIMIT_EXCEED, e.0))?;
    Ok(store.update_expansion(u, request).await?)
}

/// The stored expansion of message `uid` (`None`: unknown message).
pub(crate) async fn query(
    store: &dyn ServerStore,
    uid: &str,
) -> Result<Option<Stored>, ServiceError> {
    if uid.is_empty() || uid.len() > MAX_ID_LEN {
        return Ok(None);
    }
    Ok(store.expansion(uid.to_owned()).await?)
}
