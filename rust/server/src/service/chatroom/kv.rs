//! Chatroom KV entries (R202–R209): at most 100 keys per room, keys of `[A-Za-z0-9+=_-]` up to
//! 128 characters, values up to 4096 characters, at most 100 operations per second per room,
//! `delete_when_left` entries removed when their setter leaves, all destroyed with the room.
//!
//! Entries are written through to the store (they survive a restart) and kept in memory per
//! room once read ([`KvRooms`]). The operations of one room run one at a time (an async lock
//! per room held across the store write and the announcement), so the store and the members
//! see the room's changes in the order the limits were checked. The limits and codes are the
//! same for members (see [`super::kv_requests`]) and the Server API, except that the Server
//! API sets and removes as an administrator (it overwrites and removes any key).
//!
//! A full room (100 values of 4096 characters) does not fit in one frame: reads answer pages
//! of at most [`PAGE_BYTES`] in key order, and a change that large goes out as several
//! `entries_changed` events.

use super::rules::is_id_byte;
use crate::hub::ConnId;
use crate::limits::KeyedRates;
use crate::model::{ChatroomEntry, ChatroomKvWrite};
use crate::service::ServiceError;
use crate::state::Shared;
use crate::store::ServerStore;
use crate::util::now_ms;
use rcim_proto::codes;
use rcim_proto::v1::{chat_room_event, ChatRoomEntriesChanged};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Bound;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Most keys of a room (23423 beyond, R203).
pub(crate) const MAX_KEYS: usize = 100;
/// Most entries of one client set or remove (23429 beyond).
pub(crate) const MAX_BATCH: usize = 10;
/// Longest key (characters, R206).
pub(crate) const MAX_KEY_CHARS: usize = 128;
/// Longest value (characters, R206).
pub(crate) const MAX_VALUE_CHARS: usize = 4096;
/// Most KV operations per second in one room, every key counting (23425, R204).
pub(crate) const MAX_OPS_PER_SEC: u32 = 100;
/// Most bytes of entries in one read page, join answer or `entries_changed` event: half a
/// frame, so what else the frame carries (a join's messages) still fits.
pub(crate) const PAGE_BYTES: usize = rcim_proto::MAX_FRAME_LEN / 2;
/// What one entry adds to an encoded map beyond its key and value (tags and lengths).
const ENTRY_COST: usize = 16;

/// Whether `key` is a KV key: 1..=128 characters of `[A-Za-z0-9+=_-]`.
pub(crate) fn valid_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= MAX_KEY_CHARS && key.bytes().all(is_id_byte)
}

/// Whether `value` is a KV value: at most 4096 characters.
pub(crate) fn valid_value(value: &str) -> bool {
    // Characters, not bytes: a value of CJK text may take three bytes per character.
    value.len() <= MAX_VALUE_CHARS || value.chars().count() <= MAX_VALUE_CHARS
}

/// The encoded size an entry adds to a page or an event.
fn entry_bytes(key: &str, value: &str) -> usize {
    key.len() + value.len() + ENTRY_COST
}

/// The leading entries of `entries` that fit in [`PAGE_BYTES`] (at least one), and whether
/// some were left out.
fn fit_page<'a>(
    entries: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> (HashMap<String, String>, bool) {
    let mut page = HashMap::new();
    let mut bytes = 0;
    for (k, v) in entries {
        bytes += entry_bytes(k, v);
        if bytes > PAGE_BYTES && !page.is_empty() {
            return (page, true);
        }
        page.insert(k.to_owned(), v.to_owned());
    }
    (page, false)
}

/// `entries` cut into groups that each fit in [`PAGE_BYTES`] (one event each).
fn chunks(entries: &[ChatroomEntry]) -> Vec<HashMap<String, String>> {
    let mut out = Vec::new();
    let mut rest = entries;
    while !rest.is_empty() {
        let (page, _) = fit_page(rest.iter().map(|e| (e.key.as_str(), e.value.as_str())));
        rest = &rest[page.len()..];
        out.push(page);
    }
    out
}

/// The KV entries of the rooms in memory.
#[derive(Default)]
pub(crate) struct KvRooms {
    rooms: Mutex<HashMap<String, Arc<tokio::sync::Mutex<RoomKv>>>>,
    /// Rooms whose entries another node changed (or may have, after lost notices): read
    /// from the store again by their next operation (see `super::sync`).
    stale: Mutex<HashSet<String>>,
}

/// One room's entries.
#[derive(Default)]
struct RoomKv {
    /// False until the entries were read from the store.
    loaded: bool,
    entries: BTreeMap<String, ChatroomEntry>,
    /// The room was destroyed while this was held: a new room of that id gets a new one.
    gone: bool,
}

/// A room's KV operation rate ([`MAX_OPS_PER_SEC`], R204), counted across the nodes.
pub(super) struct OpRate<'a> {
    rates: &'a KeyedRates,
    key: String,
    now: Instant,
}

impl<'a> OpRate<'a> {
    pub(super) fn new(rates: &'a KeyedRates, room: &str, now: Instant) -> Self {
        Self {
            rates,
            key: format!("kv\0{room}"),
            now,
        }
    }

    /// Counts one operation; false when the current second's [`MAX_OPS_PER_SEC`] are used.
    fn take(&self) -> bool {
        self.rates
            .try_take_at(&self.key, MAX_OPS_PER_SEC, Duration::from_secs(1), self.now)
    }
}

impl RoomKv {
    /// Decides a set, key by key in key order (nothing changes yet): the entries to write
    /// and the refused keys with their codes.
    fn plan_set(&mut self, op: &SetEntries, rate: &OpRate, now_ms: i64) -> Planned {
        let mut planned = Planned::default();
        let mut added = 0;
        for (key, value) in &op.entries {
            if !rate.take() {
                planned.errors.insert(key.clone(), codes::KV_RATE_EXCEEDED);
                continue;
            }
            let exists = self.entries.contains_key(key);
            if exists && !op.overwrite {
                planned
                    .errors
                    .insert(key.clone(), codes::KV_OVERWRITE_REFUSED);
                continue;
            }
            if !exists && self.entries.len() + added >= MAX_KEYS {
                planned.errors.insert(key.clone(), codes::KV_STORE_FULL);
                continue;
            }
            if !exists {
                added += 1;
            }
            planned.entries.push(ChatroomEntry {
                key: key.clone(),
                value: value.clone(),
                owner: op.owner.clone(),
                auto_delete: op.auto_delete,
                set_time: now_ms,
            });
        }
        planned
    }

    /// Decides a removal, key by key in the order given (nothing changes yet): the entries
    /// to remove (with their last values) and the refused keys with their codes.
    fn plan_remove(
        &mut self,
        keys: &[String],
        operator: &str,
        force: bool,
        rate: &OpRate,
    ) -> Planned {
        let mut planned = Planned::default();
        for key in keys {
            if !rate.take() {
                planned.errors.insert(key.clone(), codes::KV_RATE_EXCEEDED);
                continue;
            }
            match self.entries.get(key) {
                None => {
                    planned.errors.insert(key.clone(), codes::KV_KEY_NOT_EXIST);
                }
                Some(e) if e.owner != operator && !force => {
                    planned
                        .errors
                        .insert(key.clone(), codes::KV_OVERWRITE_REFUSED);
                }
                Some(e) => planned.entries.push(e.clone()),
            }
        }
        planned
    }
}

/// What a set or a removal will do.
#[derive(Default)]
struct Planned {
    entries: Vec<ChatroomEntry>,
    errors: KeyErrors,
}

/// A set of KV entries in one room (keys and values already checked).
pub(crate) struct SetEntries {
    pub room_id: String,
    /// Key -> value, each key once.
    pub entries: BTreeMap<String, String>,
    /// The user setting them (their owner from now on).
    pub owner: String,
    pub auto_delete: bool,
    pub overwrite: bool,
}

/// Keys refused by a set or removal, with their codes (empty: everything was done).
pub(crate) type KeyErrors = BTreeMap<String, u32>;

/// The room's KV state, created on first use.
fn room_state(shared: &Shared, room: &str) -> Arc<tokio::sync::Mutex<RoomKv>> {
    let mut rooms = shared
        .chatrooms
        .kv
        .rooms
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    rooms.entry(room.to_owned()).or_default().clone()
}

/// Forgets `state` as `room`'s (unless another state replaced it).
fn drop_state(kv: &KvRooms, room: &str, state: &Arc<tokio::sync::Mutex<RoomKv>>) {
    let mut rooms = kv.rooms.lock().unwrap_or_else(|e| e.into_inner());
    if rooms.get(room).is_some_and(|s| Arc::ptr_eq(s, state)) {
        rooms.remove(room);
    }
}

/// Runs `f` on the room's entries (read from the store first if needed), holding the room's
/// lock; on the new state when the room was destroyed while this waited. 23410 when the room
/// does not exist once the lock is held: an operation that waited on a room destroyed
/// meanwhile writes nothing and leaves no state behind.
async fn with_room<T>(
    shared: &Shared,
    room: &str,
    f: impl AsyncFnOnce(&mut RoomKv) -> Result<T, ServiceError>,
) -> Result<T, ServiceError> {
    let mut state = room_state(shared, room);
    let mut guard = state.lock().await;
    if guard.gone {
        drop(guard);
        state = room_state(shared, room);
        guard = state.lock().await;
    }
    // Destroys take this lock to delete the entries, and a room is removed from memory
    // before that: checked here, a room that exists now has its entries until we release.
    if guard.gone || !shared.chatrooms.exists(room) {
        drop(guard);
        drop_state(&shared.chatrooms.kv, room, &state);
        return Err(ServiceError::rejected(
            codes::CHATROOM_NOT_EXIST,
            format!("chatroom {room} does not exist"),
        ));
    }
    if shared.chatrooms.kv.take_stale(room) {
        guard.loaded = false;
    }
    if !guard.loaded {
        let rows = shared.store.chatroom_entries(room.to_owned()).await?;
        guard.entries = rows.into_iter().map(|e| (e.key.clone(), e)).collect();
        guard.loaded = true;
    }
    f(&mut guard).await
}

/// Sets entries (checks of R203–R207 key by key, then one store write for the accepted ones)
/// and tells the room's members but `except_conn` what changed. Returns the refused keys.
pub(crate) async fn set_entries(
    shared: &Shared,
    op: SetEntries,
    except_conn: Option<ConnId>,
) -> Result<KeyErrors, ServiceError> {
    let room = op.room_id.clone();
    with_room(shared, &room, async |kv: &mut RoomKv| {
        let rate = OpRate::new(&shared.rates, &room, Instant::now());
        let planned = kv.plan_set(&op, &rate, now_ms());
        if !planned.entries.is_empty() {
            shared
                .store
                .chatroom_kv_write(ChatroomKvWrite::PutEntries {
                    room_id: room.clone(),
                    entries: planned.entries.clone(),
                })
                .await?;
            for e in &planned.entries {
                kv.entries.insert(e.key.clone(), e.clone());
            }
            notice_changed(shared, &room);
        }
        // Told with the room's lock held, so members hear of changes in their order.
        announce(
            shared,
            &room,
            false,
            &planned.entries,
            &op.owner,
            except_conn,
        );
        Ok(planned.errors)
    })
    .await
}

/// Removes keys (23427 missing, 23424 another user's without `force`) and tells the room's
/// members but `except_conn`. Returns the refused keys.
pub(crate) async fn remove_entries(
    shared: &Shared,
    room: &str,
    keys: &[String],
    operator: &str,
    force: bool,
    except_conn: Option<ConnId>,
) -> Result<KeyErrors, ServiceError> {
    with_room(shared, room, async |kv: &mut RoomKv| {
        let rate = OpRate::new(&shared.rates, room, Instant::now());
        let planned = kv.plan_remove(keys, operator, force, &rate);
        remove_planned(shared, room, kv, &planned.entries).await?;
        announce(shared, room, true, &planned.entries, operator, except_conn);
        Ok(planned.errors)
    })
    .await
}

/// Deletes `entries` from the store, then from memory.
async fn remove_planned(
    shared: &Shared,
    room: &str,
    kv: &mut RoomKv,
    entries: &[ChatroomEntry],
) -> Result<(), ServiceError> {
    if entries.is_empty() {
        return Ok(());
    }
    shared
        .store
        .chatroom_kv_write(ChatroomKvWrite::RemoveEntries {
            room_id: room.to_owned(),
            keys: entries.iter().map(|e| e.key.clone()).collect(),
        })
        .await?;
    for e in entries {
        kv.entries.remove(&e.key);
    }
    notice_changed(shared, room);
    Ok(())
}

/// Tells the other nodes that `room`'s entries changed (under the room's lock, so in the
/// order of the changes): they read them again on next use.
fn notice_changed(shared: &Shared, room: &str) {
    shared
        .chatrooms
        .notice(crate::bus::records::RecordChange::RoomKv {
            room_id: room.to_owned(),
        });
}

/// Every entry of `room`, by key.
pub(crate) async fn read_entries(
    shared: &Shared,
    room: &str,
) -> Result<Vec<ChatroomEntry>, ServiceError> {
    with_room(shared, room, async |kv: &mut RoomKv| {
        Ok(kv.entries.values().cloned().collect())
    })
    .await
}

/// Sends `entries_changed` to the room's members but `except_conn` (nothing when `entries`
/// is empty), in as many events as it takes to keep each within [`PAGE_BYTES`].
fn announce(
    shared: &Shared,
    room: &str,
    removed: bool,
    entries: &[ChatroomEntry],
    operator: &str,
    except_conn: Option<ConnId>,
) {
    // Several events when the change does not fit in one frame (a departing member's
    // `delete_when_left` entries may be the whole room).
    for part in chunks(entries) {
        let changed = ChatRoomEntriesChanged {
            removed,
            entries: part,
            operator_id: operator.to_owned(),
        };
        let body = chat_room_event::Body::EntriesChanged(changed);
        shared.chatrooms.broadcast(room, body, except_conn);
    }
}

/// A page of `room`'s entries in key order: the keys after `after` ("" = from the first), or
/// with `keys` only those of them that exist; as many as fit in [`PAGE_BYTES`] (at least
/// one), and whether entries follow the page.
pub(crate) async fn page(
    shared: &Shared,
    room: &str,
    after: &str,
    keys: &[String],
) -> Result<(HashMap<String, String>, bool), ServiceError> {
    with_room(shared, room, async |kv: &mut RoomKv| {
        let start = match after {
            "" => Bound::Unbounded,
            after => Bound::Excluded(after),
        };
        let selected = kv
            .entries
            .range::<str, _>((start, Bound::Unbounded))
            .filter(|(k, _)| keys.is_empty() || keys.contains(k))
            .map(|(k, e)| (k.as_str(), e.value.as_str()));
        Ok(fit_page(selected))
    })
    .await
}

// Hooks of the room registry.

/// Runs `f` on the first page of `room`'s entries (see [`page`]) and whether more follow,
/// holding the room's KV lock: no change of the entries happens until `f` returns (a join
/// starts the membership and queues its answer in `f`, so the changes after the page reach
/// the new member after the answer).
pub(crate) async fn with_first_page<T>(
    shared: &Shared,
    room: &str,
    f: impl FnOnce(HashMap<String, String>, bool) -> T,
) -> Result<T, ServiceError> {
    with_room(shared, room, async |kv: &mut RoomKv| {
        let all = kv
            .entries
            .iter()
            .map(|(k, e)| (k.as_str(), e.value.as_str()));
        let (entries, more) = fit_page(all);
        Ok(f(entries, more))
    })
    .await
}

/// `user` left `room` (leave, kick, auto-kick, R190): the entries they own with
/// `auto_delete` are removed and the remaining members told (R207). Nothing when the user
/// is a member again by the time the room's lock is held (a departure queued before a
/// re-join must not take the entries set since).
pub(crate) async fn member_left(shared: &Shared, room: &str, user: &str) {
    if !shared.chatrooms.exists(room) || shared.chatrooms.is_member(room, user) {
        // Destroyed meanwhile (its entries went with it), or back already.
        return;
    }
    let removed = with_room(shared, room, async |kv: &mut RoomKv| {
        if shared.chatrooms.is_member(room, user) {
            return Ok(());
        }
        let owned: Vec<ChatroomEntry> = kv
            .entries
            .values()
            .filter(|e| e.auto_delete && e.owner == user)
            .cloned()
            .collect();
        remove_planned(shared, room, kv, &owned).await?;
        announce(shared, room, true, &owned, user, None);
        Ok(())
    })
    .await;
    match removed {
        Ok(()) => {}
        Err(ServiceError::Rejected(r)) if r.code == codes::CHATROOM_NOT_EXIST => {}
        Err(e) => tracing::warn!(room, user, error = %e, "removing a leaving member's KV entries"),
    }
}

impl KvRooms {
    /// Another node changed `room`'s entries (`None`: every room's may have changed): this
    /// node reads them from the store again on next use.
    pub(crate) fn mark_stale(&self, room: Option<&str>) {
        let rooms = self.rooms.lock().unwrap_or_else(|e| e.into_inner());
        let mut stale = self.stale.lock().unwrap_or_else(|e| e.into_inner());
        match room {
            // A room not in memory reads its entries on first use anyway.
            Some(room) if rooms.contains_key(room) => {
                stale.insert(room.to_owned());
            }
            Some(_) => {}
            None => stale.extend(rooms.keys().cloned()),
        }
    }

    /// Whether `room`'s entries are to be read again (forgets the mark).
    fn take_stale(&self, room: &str) -> bool {
        self.stale
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(room)
    }

    /// Another node destroyed `room` and deleted its entries: forget them here.
    pub(crate) fn forget_memory(&self, room: &str) {
        let mut rooms = self.rooms.lock().unwrap_or_else(|e| e.into_inner());
        rooms.remove(room);
        self.stale
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(room);
    }

    /// `room` was destroyed (it is out of the registry already): its entries and moderation
    /// lists are deleted from the store (R202; the protected members' list goes with the
    /// room, as RongCloud's) and from memory. Runs under the room's KV lock, so an operation
    /// waiting on it finds the room gone.
    pub(crate) async fn room_destroyed(&self, store: &dyn ServerStore, room: &str) {
        let state = {
            let rooms = self.rooms.lock().unwrap_or_else(|e| e.into_inner());
            rooms.get(room).cloned()
        };
        let guard = match state.clone() {
            Some(state) => Some(state.lock_owned().await),
            None => None,
        };
        let forget = ChatroomKvWrite::ForgetRoom {
            room_id: room.to_owned(),
        };
        if let Err(e) = store.chatroom_kv_write(forget).await {
            tracing::warn!(room, error = %e, "deleting a destroyed chatroom's KV entries");
        }
        if let (Some(state), Some(mut guard)) = (state, guard) {
            guard.gone = true;
            guard.entries.clear();
            drop(guard);
            drop_state(self, room, &state);
        }
    }
}

#[cfg(test)]
mod tests;
