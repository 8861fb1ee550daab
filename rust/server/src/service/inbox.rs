//! Reading a user's inbox.

use super::error::ServiceError;
use crate::model::SyncPage;
use crate::store::ServerStore;

/// Entries of `user`'s inbox after `after`: at most `min(limit, 200)` (0 = 200).
pub(crate) async fn sync(
    store: &dyn ServerStore,
    user: &str,
    after: u64,
    limit: u32,
) -> Result<SyncPage, ServiceError> {
    Ok(store.sync(user.to_owned(), after, limit).await?)
}

/// Highest sequence of `user`'s inbox.
pub(crate) async fn head(store: &dyn ServerStore, user: &str) -> Result<u64, ServiceError> {
    Ok(store.inbox_head(user.to_owned()).await?)
}
