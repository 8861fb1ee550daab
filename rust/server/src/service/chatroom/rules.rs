//! What every room operation checks and the values rooms announce: the room id rule, the
//! join's message limit, the status codes of `ChatRoomEvent.status`.

use crate::service::ServiceError;

/// Longest room id (bytes).
pub(crate) const MAX_ROOM_ID_LEN: usize = 64;
/// Most recent messages a join may ask for.
pub(crate) const MAX_JOIN_MESSAGES: u32 = 50;
/// `ChatRoomEvent.status`: destroyed through the Server API.
pub(crate) const STATUS_DESTROY_MANUAL: u32 = 1;
/// `ChatRoomEvent.status`: destroyed for being idle.
pub(crate) const STATUS_DESTROY_AUTO: u32 = 2;

/// Whether `id` is a valid room id: 1..=64 bytes of `[A-Za-z0-9+=_-]`.
pub(crate) fn is_valid_room_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ROOM_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'=' | b'_' | b'-'))
}

/// 33003 unless `id` is a valid room id.
pub(crate) fn check_room_id(id: &str) -> Result<(), ServiceError> {
    if is_valid_room_id(id) {
        Ok(())
    } else {
        Err(ServiceError::Invalid(format!("invalid chatroom id {id:?}")))
    }
}
