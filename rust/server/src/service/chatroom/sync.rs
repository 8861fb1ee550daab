//! The chatroom records, moderation lists and KV entries on several nodes sharing one store:
//! each node holds the rooms in memory, so their changes travel as notices on the bus
//! (`crate::bus::records`), published by the node that made them after its store write, and
//! applied here by the others.
//!
//! Members, rings and activity are held by the node whose connections joined; what the
//! cluster must agree on of them is asked of every node ([`super::across_nodes`]). The KV
//! and auto-create rates are counted across the nodes ([`crate::limits::KeyedRates`]).

use super::registry::{lock, Chatrooms, Notices};
use crate::bus::records::RecordChange;
use crate::store::RoomRecord;
use std::time::Duration;

/// How long a join without auto-create waits for a room unknown here (see
/// [`Chatrooms::settle`]).
pub(crate) const SETTLE: Duration = Duration::from_millis(300);

impl Chatrooms {
    /// Sends this node's changes of room records, moderation lists and KV entries to the
    /// other nodes from now on.
    pub(crate) fn set_notices(&self, notices: Notices) {
        if self.notices.set(notices).is_err() {
            tracing::warn!("the chatroom notices were set twice; kept the first");
        }
    }

    /// Hands a change made here (and stored) to the other nodes.
    pub(crate) fn notice(&self, change: RecordChange) {
        if let Some(notices) = self.notices.get() {
            notices(change);
        }
    }

    /// Another node created the room of `record`: it exists here too (no members).
    pub(crate) fn apply_created(&self, record: RoomRecord) {
        let mut reg = lock(&self.inner);
        if !reg.rooms.contains_key(&record.room_id) {
            tracing::debug!(room = %record.room_id, "chatroom created on another node");
            self.insert_room(&mut reg, record);
        }
        drop(reg);
        self.arrived.notify_waiters();
    }

    /// On a cluster, waits at most [`SETTLE`] for `room` to be known here, in case another
    /// node just created it and its notice is on the way (a client told by that node's
    /// Server API that the room exists joins here at once).
    pub(crate) async fn settle(&self, room: &str) {
        if self.notices.get().is_none() {
            return;
        }
        let deadline = tokio::time::Instant::now() + SETTLE;
        loop {
            // Created before the check: a room applied in between still wakes it.
            let arrived = self.arrived.notified();
            if self.exists(room) || tokio::time::timeout_at(deadline, arrived).await.is_err() {
                return;
            }
        }
    }

    /// Another node changed a room's destroy settings.
    pub(crate) fn apply_destroy_settings(&self, room: &str, auto_destroy: bool, idle_minutes: u32) {
        let mut reg = lock(&self.inner);
        let Some(cell) = reg.rooms.get(room).cloned() else {
            return;
        };
        let mut r = lock(&cell);
        r.record.auto_destroy = auto_destroy;
        r.record.idle_minutes = idle_minutes;
        self.schedule_idle(&mut reg, room, &mut r);
    }

    /// Another node destroyed the room (and deleted what is stored of it): this node's
    /// members get `status` and are out, its entries and lists are forgotten here.
    pub(crate) fn apply_destroyed(&self, room: &str, status: u32) {
        self.take_room(room, status, false);
        self.kv.forget_memory(room);
        self.moderation.forget_room(room);
    }
}
