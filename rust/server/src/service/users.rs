//! Users: registration, profile, token validity.

use super::error::ServiceError;
use crate::store::ServerStore;

/// Registers `user_id` or updates the given profile fields (`None` leaves one unchanged).
pub(crate) async fn register(
    store: &dyn ServerStore,
    user_id: &str,
    name: Option<String>,
    portrait: Option<String>,
) -> Result<(), ServiceError> {
    Ok(store
        .upsert_user(user_id.to_owned(), name, portrait)
        .await?)
}

/// Refuses from now on the tokens of `user_ids` issued before `time_ms` (live connections
/// stay up).
pub(crate) async fn expire_tokens(
    store: &dyn ServerStore,
    user_ids: Vec<String>,
    time_ms: i64,
) -> Result<(), ServiceError> {
    Ok(store.expire_tokens(user_ids, time_ms).await?)
}

/// True when a token of `user_id` issued at `issued_at_ms` is still valid (not expired by
/// [`expire_tokens`]).
pub(crate) async fn token_still_valid(
    store: &dyn ServerStore,
    user_id: &str,
    issued_at_ms: i64,
) -> Result<bool, ServiceError> {
    let valid_after = store.tokens_valid_after(user_id.to_owned()).await?;
    Ok(issued_at_ms >= valid_after)
}
