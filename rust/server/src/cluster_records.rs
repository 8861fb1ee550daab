//! Record notices from the other nodes ([`crate::bus::records`]) applied to this node's
//! memory: the ultra-group directory, the chatroom records, their moderation lists and the
//! chatroom KV caches; and the reload of those records from the store when notices may have
//! been lost.

use crate::bus::records::RecordChange;
use crate::service::ultragroup::directory_sync::ChangedByGroup;
use crate::service::ultragroup::{directory_apply::group_of, notify};
use crate::state::Shared;
use std::sync::Arc;

/// Applies a change another node made (and stored) to this node's memory.
pub(crate) fn apply(shared: &Shared, change: RecordChange) {
    match change {
        RecordChange::Ug { op } => {
            let Some(op) = op.into_write() else {
                tracing::warn!("an ultra-group directory notice of an unknown kind; ignored");
                return;
            };
            let affected = shared.ultragroups.apply_remote(&op);
            notify::resync(&shared.hub, group_of(&op), &affected);
        }
        RecordChange::RoomCreated { room } => shared.chatrooms.apply_created(room.into()),
        RecordChange::RoomDestroySettings {
            room_id,
            auto_destroy,
            idle_minutes,
        } => shared
            .chatrooms
            .apply_destroy_settings(&room_id, auto_destroy, idle_minutes),
        RecordChange::RoomDestroyed { room_id, status } => {
            shared.chatrooms.apply_destroyed(&room_id, status)
        }
        RecordChange::RoomRestrict {
            room_id,
            kind,
            users,
            until,
        } => {
            let kind = kind.into();
            shared
                .chatrooms
                .moderation
                .apply_restrict(&room_id, kind, &users, until);
            // A block kicks the members at once (R196), on whichever node they are.
            if kind == crate::model::RoomRestrictionKind::Block {
                for u in &users {
                    shared.chatrooms.kick_user(
                        &room_id,
                        u,
                        rcim_proto::codes::KICKED_FROM_CHATROOM,
                    );
                }
            }
        }
        RecordChange::RoomLift {
            room_id,
            kind,
            users,
        } => shared
            .chatrooms
            .moderation
            .apply_lift(&room_id, kind.into(), &users),
        RecordChange::RoomKv { room_id } => shared.chatrooms.kv.mark_stale(Some(&room_id)),
    }
}

/// Reads the records kept in memory again from the store: the whole ultra-group directory
/// (the online users whose channels changed are told to resync), the chatroom moderation
/// lists and KV entries (read again on next use). Chatroom records themselves are not read
/// again (the store offers them at start only).
pub(crate) async fn reload(shared: &Arc<Shared>) {
    shared.chatrooms.moderation.invalidate();
    shared.chatrooms.kv.mark_stale(None);
    match shared.ultragroups.reload(shared.store.as_ref()).await {
        Ok(changed) => resync_changed(shared, changed),
        Err(e) => tracing::error!(error = %e, "reading the ultra-group directory again failed"),
    }
}

fn resync_changed(shared: &Shared, changed: ChangedByGroup) {
    for (group, users) in changed {
        notify::resync(&shared.hub, &group, &users);
    }
}
