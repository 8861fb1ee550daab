//! Chatroom KV entries (R202–R209): at most 100 keys per room, keys of `[A-Za-z0-9+=_-]` up to
//! 128 characters, values up to 4096 characters, at most 100 operations per second per room,
//! `delete_when_left` entries removed when their setter leaves, all destroyed with the room.
//!
//! Entries are written through to the store (they survive a restart) and kept in memory per
//! room once read ([`KvRooms`]). The operations of one room run one at a time (an async lock
//! per room held across the store write and the announcement), so the store and the members
//! see the room's changes in the order the limits were checked. The limits and codes are the same for members
//! (gateway) and the Server API, except that the Server API sets and removes as an
//! administrator (it overwrites and removes any key).

use super::super::error::ServiceError;
use crate::hub::ConnId;
use crate::model::{ChatroomEntry, ChatroomKvWrite};
use crate::state::Shared;
use crate::util::now_ms;
use rcim_proto::codes;
use rcim_proto::v1::{
    chat_room_event, ChatRoomEntries, ChatRoomEntriesChanged, ChatRoomEntriesRequest,
    ChatRoomEntriesResult, RemoveChatRoomEntries, SetChatRoomEntries,
};
use std::collections::{BTreeMap, HashMap};
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
/// Longest room id (bytes).
pub(crate) const MAX_ROOM_ID_LEN: usize = 64;

/// Whether `id` is a room id: 1..=64 bytes of `[A-Za-z0-9+=_-]`.
pub(crate) fn valid_room_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_ROOM_ID_LEN && id.bytes().all(is_id_byte)
}

/// Whether `key` is a KV key: 1..=128 characters of `[A-Za-z0-9+=_-]`.
pub(crate) fn valid_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= MAX_KEY_CHARS && key.bytes().all(is_id_byte)
}

/// Whether `value` is a KV value: at most 4096 characters.
pub(crate) fn valid_value(value: &str) -> bool {
    // Characters, not bytes: a value of CJK text may take three bytes per character.
    value.len() <= MAX_VALUE_CHARS || value.chars().count() <= MAX_VALUE_CHARS
}

fn is_id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'=' | b'_' | b'-')
}

/// The KV entries of the rooms in memory.
#[derive(Default)]
pub(crate) struct KvRooms {
    rooms: Mutex<HashMap<String, Arc<tokio::sync::Mutex<RoomKv>>>>,
}

/// One room's entries and operation rate.
#[derive(Default)]
struct RoomKv {
    /// False until the entries were read from the store.
    loaded: bool,
    entries: BTreeMap<String, ChatroomEntry>,
    /// The room was destroyed while this was held: a new room of that id gets a new one.
    gone: bool,
    /// Start of the current one-second rate window and the operations counted in it.
    window: Option<Instant>,
    ops: u32,
}

impl RoomKv {
    /// Counts one operation; false when the current second's [`MAX_OPS_PER_SEC`] are used.
    fn take_op(&mut self, now: Instant) -> bool {
        match self.window {
            Some(start) if now.duration_since(start) < Duration::from_secs(1) => {}
            _ => {
                self.window = Some(now);
                self.ops = 0;
            }
        }
        if self.ops >= MAX_OPS_PER_SEC {
            return false;
        }
        self.ops += 1;
        true
    }

    /// Decides a set, key by key in key order (nothing changes yet): the entries to write
    /// and the refused keys with their codes.
    fn plan_set(&mut self, op: &SetEntries, now: Instant, now_ms: i64) -> Planned {
        let mut planned = Planned::default();
        let mut added = 0;
        for (key, value) in &op.entries {
            if !self.take_op(now) {
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
        now: Instant,
    ) -> Planned {
        let mut planned = Planned::default();
        for key in keys {
            if !self.take_op(now) {
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

/// Runs `f` on the room's entries (read from the store first if needed), holding the room's
/// lock; retried on the new state when the room was destroyed meanwhile.
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
        let planned = kv.plan_set(&op, Instant::now(), now_ms());
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
        let planned = kv.plan_remove(keys, operator, force, Instant::now());
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
    Ok(())
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
/// is empty).
fn announce(
    shared: &Shared,
    room: &str,
    removed: bool,
    entries: &[ChatroomEntry],
    operator: &str,
    except_conn: Option<ConnId>,
) {
    if entries.is_empty() {
        return;
    }
    let changed = ChatRoomEntriesChanged {
        removed,
        entries: entries
            .iter()
            .map(|e| (e.key.clone(), e.value.clone()))
            .collect(),
        operator_id: operator.to_owned(),
    };
    broadcast(
        shared,
        room,
        chat_room_event::Body::EntriesChanged(changed),
        except_conn,
    );
}

/// Sends an event to the room's members (high priority) but `except_conn`.
fn broadcast(
    shared: &Shared,
    room: &str,
    body: chat_room_event::Body,
    except_conn: Option<ConnId>,
) {
    shared.chatrooms.broadcast(room, body, except_conn);
}

// Hooks of the room registry.

/// All KV entries of `room` (key -> value), for the answer to a join (R209). Empty when the
/// store cannot be read (logged): the join still succeeds.
pub(crate) async fn entries(shared: &Shared, room: &str) -> HashMap<String, String> {
    match read_entries(shared, room).await {
        Ok(entries) => entries.into_iter().map(|e| (e.key, e.value)).collect(),
        Err(e) => {
            tracing::warn!(room, error = %e, "reading chatroom KV entries for a join");
            HashMap::new()
        }
    }
}

/// `user` left `room` (leave, kick, auto-kick, R190): the entries they own with
/// `auto_delete` are removed and the remaining members told (R207).
pub(crate) async fn member_left(shared: &Shared, room: &str, user: &str) {
    if !shared.chatrooms.exists(room) {
        // Destroyed meanwhile: its entries went with it (and no state is kept for it).
        return;
    }
    let removed = with_room(shared, room, async |kv: &mut RoomKv| {
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
    if let Err(e) = removed {
        tracing::warn!(room, user, error = %e, "removing a leaving member's KV entries");
    }
}

/// `room` was destroyed: its entries and moderation lists are deleted (R202; the protected
/// members' list goes with the room, as RongCloud's).
pub(crate) async fn room_destroyed(shared: &Shared, room: &str) {
    if shared.chatrooms.exists(room) {
        // Created again since (a late hook): what is stored now belongs to the new room.
        return;
    }
    let state = room_state(shared, room);
    let mut guard = state.lock().await;
    let forget = ChatroomKvWrite::ForgetRoom {
        room_id: room.to_owned(),
    };
    if let Err(e) = shared.store.chatroom_kv_write(forget).await {
        tracing::warn!(room, error = %e, "deleting a destroyed chatroom's KV entries");
    }
    guard.gone = true;
    guard.entries.clear();
    {
        let mut rooms = shared
            .chatrooms
            .kv
            .rooms
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if rooms.get(room).is_some_and(|s| Arc::ptr_eq(s, &state)) {
            rooms.remove(room);
        }
    }
    super::moderation::forget_room(shared, room);
}

// The client requests (gateway).

/// The answer to a KV write: code 0 when every key was done; else the single key's code (a
/// one-key request) or 23428, with the refused keys.
fn write_answer(
    errors: KeyErrors,
    single: bool,
) -> Result<ChatRoomEntriesResult, (u32, ChatRoomEntriesResult)> {
    let Some(&first) = errors.values().next() else {
        return Ok(ChatRoomEntriesResult::default());
    };
    let code = if single {
        first
    } else {
        codes::KV_NOT_ALL_SUCCESS
    };
    Err((
        code,
        ChatRoomEntriesResult {
            errors: errors.into_iter().collect(),
        },
    ))
}

fn refused(code: u32) -> Result<ChatRoomEntriesResult, (u32, ChatRoomEntriesResult)> {
    Err((code, ChatRoomEntriesResult::default()))
}

/// `SetChatRoomEntries` of member `user` on connection `conn_id` (see the protocol's docs:
/// 33003 bad room id, no entries, bad key or value; 23429 more than 10; 23406 not a member;
/// then per key 23425, 23424, 23423).
pub(crate) async fn set(
    shared: &Shared,
    conn_id: ConnId,
    user: &str,
    req: SetChatRoomEntries,
) -> Result<ChatRoomEntriesResult, (u32, ChatRoomEntriesResult)> {
    if !valid_room_id(&req.room_id) || req.entries.is_empty() {
        return refused(codes::PARAMETER_INVALID);
    }
    if req.entries.len() > MAX_BATCH {
        return refused(codes::KV_BATCH_TOO_LARGE);
    }
    if !req
        .entries
        .iter()
        .all(|(k, v)| valid_key(k) && valid_value(v))
    {
        return refused(codes::PARAMETER_INVALID);
    }
    if !shared.chatrooms.is_member(&req.room_id, user) {
        return refused(codes::NOT_IN_CHATROOM);
    }
    let single = req.entries.len() == 1;
    let op = SetEntries {
        room_id: req.room_id,
        entries: req.entries.into_iter().collect(),
        owner: user.to_owned(),
        auto_delete: req.delete_when_left,
        overwrite: req.overwrite,
    };
    match set_entries(shared, op, Some(conn_id)).await {
        Ok(errors) => write_answer(errors, single),
        Err(e) => refused(e.client_code()),
    }
}

/// `RemoveChatRoomEntries` of member `user` on connection `conn_id` (33003 bad room id, no
/// keys, a bad key; 23429 more than 10; 23406 not a member; then per key 23425, 23427,
/// 23424).
pub(crate) async fn remove(
    shared: &Shared,
    conn_id: ConnId,
    user: &str,
    req: RemoveChatRoomEntries,
) -> Result<ChatRoomEntriesResult, (u32, ChatRoomEntriesResult)> {
    if !valid_room_id(&req.room_id) || req.keys.is_empty() {
        return refused(codes::PARAMETER_INVALID);
    }
    let mut keys = req.keys;
    let mut seen = std::collections::HashSet::new();
    keys.retain(|k| seen.insert(k.clone()));
    if keys.len() > MAX_BATCH {
        return refused(codes::KV_BATCH_TOO_LARGE);
    }
    if !keys.iter().all(|k| valid_key(k)) {
        return refused(codes::PARAMETER_INVALID);
    }
    if !shared.chatrooms.is_member(&req.room_id, user) {
        return refused(codes::NOT_IN_CHATROOM);
    }
    let single = keys.len() == 1;
    match remove_entries(shared, &req.room_id, &keys, user, req.force, Some(conn_id)).await {
        Ok(errors) => write_answer(errors, single),
        Err(e) => refused(e.client_code()),
    }
}

/// `ChatRoomEntriesRequest` of member `user`: the named keys that exist (none named: all).
/// 33003 bad room id, more than 100 keys or a bad key; 23406 not a member.
pub(crate) async fn get(
    shared: &Shared,
    user: &str,
    req: ChatRoomEntriesRequest,
) -> Result<ChatRoomEntries, u32> {
    if !valid_room_id(&req.room_id)
        || req.keys.len() > MAX_KEYS
        || !req.keys.iter().all(|k| valid_key(k))
    {
        return Err(codes::PARAMETER_INVALID);
    }
    if !shared.chatrooms.is_member(&req.room_id, user) {
        return Err(codes::NOT_IN_CHATROOM);
    }
    let all = read_entries(shared, &req.room_id)
        .await
        .map_err(|e| e.client_code())?;
    let entries = all
        .into_iter()
        .filter(|e| req.keys.is_empty() || req.keys.contains(&e.key))
        .map(|e| (e.key, e.value))
        .collect();
    Ok(ChatRoomEntries { entries })
}

#[cfg(test)]
mod tests;
