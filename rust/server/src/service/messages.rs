//! Sending and recalling messages: one path for client sends and Server API publishes, one
//! for client recalls and `/message/recall.json`.

use super::error::ServiceError;
use crate::model::{NewMessage, RecallRequest, RequestKey, MAX_ID_LEN};
use crate::store::{PendingSend, ServerStore};
use rcim_proto::{codes, conversation_type};

/// Checks what every stored message must satisfy: every field within its cap
/// ([`NewMessage::check_limits`]: the stored message always fits in one frame), a target and
/// an object name, a private or group conversation (others are not routed yet).
pub(crate) fn check(msg: &NewMessage) -> Result<(), ServiceError> {
    msg.check_limits().map_err(ServiceError::TooLong)?;
    if msg.to_id.is_empty() {
        return Err(ServiceError::Invalid("the target is required".into()));
    }
    if msg.object_name.is_empty() {
        return Err(ServiceError::Invalid("the object name is required".into()));
    }
    if !matches!(
        msg.conversation_type,
        conversation_type::PRIVATE | conversation_type::GROUP
    ) {
        return Err(ServiceError::Invalid(format!(
            "conversation type {} is not supported",
            msg.conversation_type
        )));
    }
    Ok(())
}

/// Checks a message ([`check`]) and queues it for storage and routing; the returned future
/// resolves with the outcome after the commit. Messages submitted one after the other by one
/// caller keep their order. The store applies the rest: dedupe on (sender, client message
/// id), group membership (22406 when `require_member`).
pub(crate) async fn submit(
    store: &dyn ServerStore,
    msg: NewMessage,
) -> Result<PendingSend, ServiceError> {
    check(&msg)?;
    Ok(store.submit_message(msg).await?)
}

/// Recalls a message; resolves with the recall time after the commit (the first recall's
/// time when it was recalled before, or when `request` is a repeat). 25101: unknown message
/// or a conversation that does not match it; 25107: the operator is not the sender.
pub(crate) async fn recall(
    store: &dyn ServerStore,
    req: RecallRequest,
    request: Option<RequestKey>,
) -> Result<i64, ServiceError> {
    if req.uid.is_empty() || req.uid.len() > MAX_ID_LEN || req.target_id.len() > MAX_ID_LEN {
        return Err(ServiceError::rejected(
            codes::RECALL_PARAMETER_INVALID,
            "no such message",
        ));
    }
    Ok(store.recall(req, request).await?)
}
