//! The room engine's calls into KV ([`super::kv`]) and moderation ([`super::moderation`]),
//! in one place: what a join answers and refuses, what a send refuses, who is never
//! auto-kicked, and what a departure or a destroy does to the room's KV entries.

use super::{kv, moderation};
use crate::state::Shared;
use std::collections::HashMap;

/// The room's KV entries, for the join answer (R209).
pub(super) async fn entries(shared: &Shared, room: &str) -> HashMap<String, String> {
    kv::entries(shared, room).await
}

/// `user` left `room` (left, kicked, auto-kicked): their `delete_when_left` entries go.
pub(super) async fn member_left(shared: &Shared, room: &str, user: &str) {
    kv::member_left(shared, room, user).await
}

/// `room` was destroyed: its KV entries and moderation lists go with it (R202).
pub(super) async fn room_destroyed(shared: &Shared, room: &str) {
    kv::room_destroyed(shared, room).await
}

/// Whether `user` may join `room` (23409 when blocked, R196).
pub(super) async fn check_join(shared: &Shared, room: &str, user: &str) -> Result<(), u32> {
    moderation::check_join(shared, room, user).await
}

/// Whether `user` may send to `room` (23408 when gagged).
pub(super) async fn check_send(shared: &Shared, room: &str, user: &str) -> Result<(), u32> {
    moderation::check_send(shared, room, user).await
}

/// Whether `user` is on `room`'s protected list (never auto-kicked, R195).
pub(super) fn is_protected(shared: &Shared, room: &str, user: &str) -> bool {
    moderation::is_protected(shared, room, user)
}
