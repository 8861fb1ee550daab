//! Group membership.

use super::error::ServiceError;
use crate::model::GroupOp;
use crate::store::ServerStore;

/// Applies a membership change; resolves with the member count afterwards (1002 beyond
/// [`crate::model::MAX_GROUP_MEMBERS`] members, nothing changed).
pub(crate) async fn change(store: &dyn ServerStore, op: GroupOp) -> Result<usize, ServiceError> {
    Ok(store.change_group(op).await?)
}

/// Members of `group_id` in join order (empty for an unknown group).
pub(crate) async fn members(
    store: &dyn ServerStore,
    group_id: &str,
) -> Result<Vec<String>, ServiceError> {
    Ok(store.group_members(group_id.to_owned()).await?)
}
