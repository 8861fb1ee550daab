//! Rooms coming and going: creation (by the Server API, or by a join with `auto_create`
//! within the server's limits), destroy (by the Server API, or for being idle, R185/R189)
//! with the room's stored rows, KV entries and moderation lists, and the index of idle
//! checks that keeps the idle destroy from walking every room.
//!
//! Creations and destroys hold [`Chatrooms::lifecycle`], one at a time. A destroy takes the
//! room out of memory first (a send or KV write arriving later finds no room), then deletes
//! what is stored: a message a send stamped just before may still be appended, and is kept
//! out of a later room of the same id by its time (history pages start at the room's
//! creation).

use super::delivery::{encode_event, offer, Priority};
use super::registry::{lock, unlink_conn, unlink_user, Chatrooms, Registry};
use super::room::Room;
use crate::bus::records::RecordChange;
use crate::limits::KeyedRates;
use crate::store::{ChatroomWrite, RoomRecord, ServerStore};
use crate::util::now_ms;
use rcim_proto::codes;
use rcim_proto::v1::chat_room_event;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The window of `ChatroomConfig::auto_create_per_minute`.
const AUTO_CREATE_WINDOW: Duration = Duration::from_secs(60);

impl Chatrooms {
    /// Puts the room of `record` in memory (no members) and schedules its idle check.
    pub(super) fn insert_room(&self, reg: &mut Registry, record: RoomRecord) {
        let id = record.room_id.clone();
        let mut room = Room::new(record, self.config.ring_len);
        self.schedule_idle(reg, &id, &mut room);
        reg.rooms.insert(id, Arc::new(Mutex::new(room)));
    }

    /// How long `r` may stay idle: its own `idle_minutes`, else the server's `idle_destroy`;
    /// `None` when it is never destroyed for that.
    fn idle_time(&self, r: &Room) -> Option<Duration> {
        let idle = match r.record.idle_minutes {
            0 => self.config.idle_destroy,
            m => Duration::from_secs(u64::from(m) * 60),
        };
        (r.record.auto_destroy && !idle.is_zero()).then_some(idle)
    }

    /// Whether room `r` is set to auto-destroy and idle past its time.
    fn is_idle(&self, r: &Room) -> bool {
        self.idle_time(r).is_some_and(|idle| r.idle_for(idle))
    }

    /// Schedules the next idle check of room `id` when it would be idle past its time.
    pub(super) fn schedule_idle(&self, reg: &mut Registry, id: &str, r: &mut Room) {
        if let Some(old) = r.idle_check.take() {
            reg.idle_checks.remove(&(old, id.to_owned()));
        }
        r.idle_check = self.idle_time(r).map(|idle| r.last_activity + idle);
        if let Some(at) = r.idle_check {
            reg.idle_checks.insert((at, id.to_owned()));
        }
    }

    /// Creates room `room` named `name` with the server's destroy settings; false when it
    /// exists (nothing changes).
    pub(crate) async fn create(
        &self,
        store: &dyn ServerStore,
        room: &str,
        name: &str,
    ) -> anyhow::Result<bool> {
        self.create_record(store, RoomRecord::new(room, name, now_ms()))
            .await
    }

    /// Creates the room of `record` (stored first); false when it exists.
    pub(crate) async fn create_record(
        &self,
        store: &dyn ServerStore,
        record: RoomRecord,
    ) -> anyhow::Result<bool> {
        let _lifecycle = self.lifecycle.lock().await;
        if self.exists(&record.room_id) {
            return Ok(false);
        }
        store
            .chatroom_write(ChatroomWrite::Create(record.clone()))
            .await?;
        let mut reg = lock(&self.inner);
        tracing::debug!(room = %record.room_id, "chatroom created");
        self.notice(RecordChange::RoomCreated {
            room: (&record).into(),
        });
        self.insert_room(&mut reg, record);
        Ok(true)
    }

    /// Whether `user` may create one more room by joining (counted when allowed): 20604
    /// beyond `auto_create_per_minute` rooms in a minute, 23410 when the node holds
    /// `max_rooms` rooms (the room does not exist and is not made). The Server API's
    /// creations are not limited.
    pub(crate) fn allow_auto_create(&self, rates: &KeyedRates, user: &str) -> Result<(), u32> {
        let rooms = lock(&self.inner).rooms.len();
        if rooms >= self.config.max_rooms {
            tracing::warn!(user, rooms, "chatroom limit reached");
            return Err(codes::CHATROOM_NOT_EXIST);
        }
        // Counted across the nodes: the user's connections may be on several.
        let key = format!("ac\0{user}");
        let limit = self.config.auto_create_per_minute;
        if limit == 0 || !rates.try_take(&key, limit, AUTO_CREATE_WINDOW) {
            return Err(codes::SEND_MSG_FREQUENCY_OVERRUN);
        }
        Ok(())
    }

    /// Changes a room's destroy settings (`idle_minutes` 0 = the server's); false when the
    /// room does not exist.
    pub(crate) async fn set_destroy(
        &self,
        store: &dyn ServerStore,
        room: &str,
        auto_destroy: bool,
        idle_minutes: u32,
    ) -> anyhow::Result<bool> {
        let _lifecycle = self.lifecycle.lock().await;
        if !self.exists(room) {
            return Ok(false);
        }
        let op = ChatroomWrite::SetDestroy {
            room_id: room.to_owned(),
            auto_destroy,
            idle_minutes,
        };
        store.chatroom_write(op).await?;
        let mut reg = lock(&self.inner);
        let Some(cell) = reg.rooms.get(room).cloned() else {
            return Ok(false);
        };
        let mut r = lock(&cell);
        r.record.auto_destroy = auto_destroy;
        r.record.idle_minutes = idle_minutes;
        self.schedule_idle(&mut reg, room, &mut r);
        self.notice(RecordChange::RoomDestroySettings {
            room_id: room.to_owned(),
            auto_destroy,
            idle_minutes,
        });
        Ok(true)
    }

    /// Destroys `room`: its members get `status` (DESTROY_MANUAL 1, DESTROY_AUTO 2) and are
    /// out, its record, stored messages, KV entries and moderation lists are deleted. False
    /// when there was no such room.
    pub(crate) async fn destroy(
        &self,
        store: &dyn ServerStore,
        room: &str,
        status: u32,
    ) -> anyhow::Result<bool> {
        self.destroy_room(store, room, status, false).await
    }

    /// Destroys `room` with DESTROY_AUTO if it is still idle past its time.
    pub(crate) async fn destroy_if_idle(
        &self,
        store: &dyn ServerStore,
        room: &str,
        status: u32,
    ) -> anyhow::Result<bool> {
        self.destroy_room(store, room, status, true).await
    }

    async fn destroy_room(
        &self,
        store: &dyn ServerStore,
        room: &str,
        status: u32,
        only_if_idle: bool,
    ) -> anyhow::Result<bool> {
        let _lifecycle = self.lifecycle.lock().await;
        let removed = self.take_room(room, status, only_if_idle);
        if only_if_idle && !removed {
            return Ok(false);
        }
        let stored = store
            .chatroom_write(ChatroomWrite::Delete(room.to_owned()))
            .await;
        if removed || matches!(stored, Ok(true)) {
            // Within the lifecycle lock: a room created again right after starts without
            // the old entries and lists.
            self.kv.room_destroyed(store, room).await;
            self.moderation.forget_room(room);
            // An idle destroy was judged on every node's activity (`ops::destroy_idle`).
            self.notice(RecordChange::RoomDestroyed {
                room_id: room.to_owned(),
                status,
            });
        }
        Ok(stored? || removed)
    }

    /// Removes `room` from memory and sends `status` to its members; with `only_if_idle`,
    /// only if it is set to auto-destroy and still idle past its time.
    pub(super) fn take_room(&self, room: &str, status: u32, only_if_idle: bool) -> bool {
        let mut reg = lock(&self.inner);
        let Some(cell) = reg.rooms.get(room).cloned() else {
            return false;
        };
        let mut r = lock(&cell);
        if only_if_idle && !self.is_idle(&r) {
            return false;
        }
        reg.rooms.remove(room);
        reg.dirty.remove(room);
        if let Some(at) = r.idle_check.take() {
            reg.idle_checks.remove(&(at, room.to_owned()));
        }
        let frame = encode_event(room, chat_room_event::Body::Status(status));
        for (_, conn) in r.conns() {
            self.counters.count(offer(conn, &frame, Priority::High));
            unlink_conn(&mut reg, conn.conn_id, room);
        }
        for user in r.members.keys() {
            unlink_user(&mut reg, user, room);
        }
        // A send that found the room just before has nobody left to reach.
        r.members.clear();
        tracing::info!(room, status, "chatroom destroyed");
        true
    }

    /// Rooms idle past their time (candidates for [`Self::destroy_if_idle`]). Only the rooms
    /// whose scheduled check is due are looked at; a busy one gets its next check at its
    /// last activity plus its idle time.
    pub(super) fn idle_rooms(&self) -> Vec<String> {
        let now = Instant::now();
        let mut reg = lock(&self.inner);
        let reg = &mut *reg;
        let mut due = Vec::new();
        while let Some((at, id)) = reg.idle_checks.first().cloned() {
            if at > now {
                break;
            }
            reg.idle_checks.pop_first();
            let Some(cell) = reg.rooms.get(&id).cloned() else {
                continue;
            };
            let mut r = lock(&cell);
            if r.idle_check != Some(at) {
                continue;
            }
            match self.idle_time(&r) {
                Some(idle) if r.idle_for(idle) => {
                    // Looked at again later should the destroy find it busy after all.
                    r.idle_check = Some(now + idle);
                    reg.idle_checks.insert((now + idle, id.clone()));
                    due.push(id);
                }
                _ => self.schedule_idle(reg, &id, &mut r),
            }
        }
        due
    }

    /// How many idle checks are scheduled (tests: the index does not grow with churn).
    #[cfg(test)]
    pub(super) fn idle_checks(&self) -> usize {
        lock(&self.inner).idle_checks.len()
    }
}
