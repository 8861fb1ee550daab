//! The room engine's calls into KV ([`super::kv`]) and moderation ([`super::moderation`]),
//! in one place: what a join refuses, what a send refuses, who is never auto-kicked, and what
//! a departure does to the room's KV entries. (A join reads its KV page with
//! `kv::with_first_page`; a destroy deletes the entries itself, see [`super::lifecycle`].)

use super::{across_nodes, kv, moderation};
use crate::state::Shared;

/// `user` left `room` (left, kicked, auto-kicked): their `delete_when_left` entries go,
/// unless they are still a member through a connection of another node (or a node that
/// did not answer may hold them: then the entries stay).
pub(super) async fn member_left(shared: &Shared, room: &str, user: &str) {
    if across_nodes::may_be_member(shared, room, user).await {
        return;
    }
    kv::member_left(shared, room, user).await
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
