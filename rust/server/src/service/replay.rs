//! Answers for resends of requests already executed: a client resends a state-changing
//! request when its answer was lost, and must get the original result even where a new
//! request would be refused (the rate limits).

use super::error::ServiceError;
use crate::model::{LoggedRequest, RequestKey, SendOutcome};
use crate::store::ServerStore;

/// The original outcome of the send `key` (its request id is the message's client id), if
/// that message is stored.
pub(crate) async fn original_send(
    store: &dyn ServerStore,
    key: RequestKey,
) -> Result<Option<SendOutcome>, ServiceError> {
    Ok(store.sent_message(key).await?)
}

/// The original result of the recall / read receipt / conversation setting `key`, if it was
/// executed (only successes are logged).
pub(crate) async fn original_result(
    store: &dyn ServerStore,
    key: RequestKey,
) -> Result<Option<LoggedRequest>, ServiceError> {
    Ok(store.logged_request(key).await?)
}
