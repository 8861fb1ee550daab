//! Chatroom moderation set by the Server API: gagged members (23408 on send), blocked users
//! (kicked and refused on join with 23409, R196) and protected members (never auto-kicked,
//! R195).
//!
//! The lists live in the store (they survive a restart) and, all of them, in memory
//! ([`RoomModeration`]): a join or a send checks them without a database read. They are few
//! (set by hand through the Server API, at most 20 users per call), so the whole set is read
//! once, on first use. Restrictions end by themselves (`until`); the lists of a destroyed room
//! are forgotten with it.

use crate::bus::records::RecordChange;
use crate::model::{ChatroomKvWrite, Restriction, RoomRestrictionKind};
use crate::service::ServiceError;
use crate::state::Shared;
use crate::util::now_ms;
use rcim_proto::codes;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;

/// Longest gag or block, in minutes (30 days, as RongCloud).
pub(crate) const MAX_MINUTES: i64 = 43_200;
const MINUTE_MS: i64 = 60_000;

/// The restrictions of one room: (kind, user) -> end (ms).
type RoomLists = HashMap<(RoomRestrictionKind, String), i64>;

/// The in-memory copy of every room's lists (see the module docs).
#[derive(Default)]
pub(crate) struct RoomModeration {
    /// `None` until read from the store.
    lists: RwLock<Option<HashMap<String, RoomLists>>>,
    /// Held while the lists are read from the store and while they change, so a change and
    /// the first read cannot cross (the read would install the lists without the change).
    changes: tokio::sync::Mutex<()>,
    /// Counts the changes from other nodes (which do not take `changes`): a read from the
    /// store that one crossed is done again.
    remote_changes: AtomicU64,
}

impl RoomModeration {
    /// The end of `user`'s `kind` restriction in `room` if it is in force at `now`; `None`
    /// also while the lists are not loaded.
    fn until(&self, room: &str, kind: RoomRestrictionKind, user: &str, now: i64) -> Option<i64> {
        let lists = self.lists.read().unwrap_or_else(|e| e.into_inner());
        let until = *lists.as_ref()?.get(room)?.get(&(kind, user.to_owned()))?;
        (until > now).then_some(until)
    }

    fn is_loaded(&self) -> bool {
        self.lists
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// Whether `user` is blocked from `room` now (from memory: the registry asks under its
    /// lock, see `Chatrooms::join`; false while the lists are not loaded, which
    /// [`check_join`] does first).
    pub(crate) fn is_blocked(&self, room: &str, user: &str) -> bool {
        self.until(room, RoomRestrictionKind::Block, user, now_ms())
            .is_some()
    }

    /// Forgets `room`'s lists in memory (a destroy; the store's rows go with the room's KV
    /// entries, see `KvRooms::room_destroyed`).
    pub(crate) fn forget_room(&self, room: &str) {
        self.update(|lists| {
            lists.remove(room);
        });
    }

    /// Another node put `users` on `room`'s `kind` list until `until`.
    pub(crate) fn apply_restrict(
        &self,
        room: &str,
        kind: RoomRestrictionKind,
        users: &[String],
        until: i64,
    ) {
        self.remote_changes.fetch_add(1, Ordering::SeqCst);
        self.update(|lists| restrict_in(lists, room, kind, users, until));
    }

    /// Another node took `users` off `room`'s `kind` list.
    pub(crate) fn apply_lift(&self, room: &str, kind: RoomRestrictionKind, users: &[String]) {
        self.remote_changes.fetch_add(1, Ordering::SeqCst);
        self.update(|lists| lift_in(lists, room, kind, users));
    }

    /// Notices of other nodes' changes may have been lost: the lists are read from the
    /// store again on next use.
    pub(crate) fn invalidate(&self) {
        self.remote_changes.fetch_add(1, Ordering::SeqCst);
        *self.lists.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// Applies `f` to the loaded lists (no-op when they are not loaded).
    fn update(&self, f: impl FnOnce(&mut HashMap<String, RoomLists>)) {
        let mut lists = self.lists.write().unwrap_or_else(|e| e.into_inner());
        if let Some(lists) = lists.as_mut() {
            f(lists);
        }
    }
}

fn state(shared: &Shared) -> &RoomModeration {
    &shared.chatrooms.moderation
}

/// Reads the lists from the store unless they are in memory. Call with `changes` held.
async fn load_locked(shared: &Shared) -> Result<(), ServiceError> {
    let state = state(shared);
    if state.is_loaded() {
        return Ok(());
    }
    // A change from another node while the rows are read may be missing from them and
    // not applied to lists not yet installed: read again then (a few times at most).
    for attempt in 1..=3 {
        let seen = state.remote_changes.load(Ordering::SeqCst);
        let rows = shared.store.chatroom_restrictions(now_ms()).await?;
        let mut lists: HashMap<String, RoomLists> = HashMap::new();
        for r in rows {
            lists
                .entry(r.room_id)
                .or_default()
                .insert((r.kind, r.user_id), r.until);
        }
        let mut installed = state.lists.write().unwrap_or_else(|e| e.into_inner());
        if attempt == 3 || state.remote_changes.load(Ordering::SeqCst) == seen {
            *installed = Some(lists);
            break;
        }
    }
    Ok(())
}

/// Makes sure the lists are in memory.
async fn ensure_loaded(shared: &Shared) -> Result<(), ServiceError> {
    if state(shared).is_loaded() {
        return Ok(());
    }
    let _changes = state(shared).changes.lock().await;
    load_locked(shared).await
}

/// Whether `user` may join `room`: 23409 while blocked from it (25104 when the lists cannot
/// be read).
pub(crate) async fn check_join(shared: &Shared, room: &str, user: &str) -> Result<(), u32> {
    let kind = RoomRestrictionKind::Block;
    refuse_listed(shared, room, kind, user, codes::KICKED_FROM_CHATROOM).await
}

/// Whether `user` may send to `room`: 23408 while gagged in it (25104 when the lists cannot
/// be read).
pub(crate) async fn check_send(shared: &Shared, room: &str, user: &str) -> Result<(), u32> {
    let kind = RoomRestrictionKind::Gag;
    refuse_listed(shared, room, kind, user, codes::FORBIDDEN_IN_CHATROOM).await
}

/// `Err(code)` while `user` is on `room`'s `kind` list (25104 when the lists cannot be read).
async fn refuse_listed(
    shared: &Shared,
    room: &str,
    kind: RoomRestrictionKind,
    user: &str,
    code: u32,
) -> Result<(), u32> {
    ensure_loaded(shared).await.map_err(|e| {
        tracing::warn!(error = %e, "reading the chatroom moderation lists");
        e.client_code()
    })?;
    match state(shared).until(room, kind, user, now_ms()) {
        Some(_) => Err(code),
        None => Ok(()),
    }
}

/// Whether `user` is a protected member of `room` (never auto-kicked, R195). From memory
/// only: the lists are loaded by the member's join ([`check_join`]).
pub(crate) fn is_protected(shared: &Shared, room: &str, user: &str) -> bool {
    state(shared)
        .until(room, RoomRestrictionKind::Protected, user, now_ms())
        .is_some()
}

/// Writes a change of the lists to the store, then applies it to the lists in memory (a
/// failed write changes nothing), with `changes` held and the lists loaded first.
/// The other nodes get `notice` (under `changes`, so in the order of the changes).
async fn change(
    shared: &Shared,
    write: ChatroomKvWrite,
    apply: impl FnOnce(&mut HashMap<String, RoomLists>),
    notice: RecordChange,
) -> Result<(), ServiceError> {
    let state = state(shared);
    let _changes = state.changes.lock().await;
    load_locked(shared).await?;
    shared.store.chatroom_kv_write(write).await?;
    state.update(apply);
    shared.chatrooms.notice(notice);
    Ok(())
}

fn restrict_in(
    lists: &mut HashMap<String, RoomLists>,
    room: &str,
    kind: RoomRestrictionKind,
    users: &[String],
    until: i64,
) {
    let room_lists = lists.entry(room.to_owned()).or_default();
    for u in users {
        room_lists.insert((kind, u.clone()), until);
    }
}

fn lift_in(
    lists: &mut HashMap<String, RoomLists>,
    room: &str,
    kind: RoomRestrictionKind,
    users: &[String],
) {
    if let Some(room_lists) = lists.get_mut(room) {
        for u in users {
            room_lists.remove(&(kind, u.clone()));
        }
        if room_lists.is_empty() {
            lists.remove(room);
        }
    }
}

/// Puts `users` on `room`'s `kind` list until `until`.
async fn restrict(
    shared: &Shared,
    room: &str,
    kind: RoomRestrictionKind,
    users: &[String],
    until: i64,
) -> Result<(), ServiceError> {
    let write = ChatroomKvWrite::Restrict {
        room_id: room.to_owned(),
        kind,
        user_ids: users.to_vec(),
        until,
    };
    let notice = RecordChange::RoomRestrict {
        room_id: room.to_owned(),
        kind: kind.into(),
        users: users.to_vec(),
        until,
    };
    let apply =
        |lists: &mut HashMap<String, RoomLists>| restrict_in(lists, room, kind, users, until);
    change(shared, write, apply, notice).await
}

/// Takes `users` off `room`'s `kind` list (users not on it are ignored): lifts gags or
/// blocks, or takes users off the protected members.
pub(crate) async fn lift(
    shared: &Shared,
    room: &str,
    kind: RoomRestrictionKind,
    users: &[String],
) -> Result<(), ServiceError> {
    let write = ChatroomKvWrite::Lift {
        room_id: room.to_owned(),
        kind,
        user_ids: users.to_vec(),
    };
    let notice = RecordChange::RoomLift {
        room_id: room.to_owned(),
        kind: kind.into(),
        users: users.to_vec(),
    };
    let apply = |lists: &mut HashMap<String, RoomLists>| lift_in(lists, room, kind, users);
    change(shared, write, apply, notice).await
}

/// The end of a restriction of `minutes` (1..=[`MAX_MINUTES`], 1002 otherwise) from now.
fn end_after(minutes: i64) -> Result<i64, ServiceError> {
    if !(1..=MAX_MINUTES).contains(&minutes) {
        return Err(ServiceError::Invalid(format!(
            "minute must be 1..={MAX_MINUTES}"
        )));
    }
    Ok(now_ms().saturating_add(minutes * MINUTE_MS))
}

/// Gags `users` in `room` for `minutes`: their sends to it are refused with 23408.
pub(crate) async fn gag(
    shared: &Shared,
    room: &str,
    users: &[String],
    minutes: i64,
) -> Result<(), ServiceError> {
    let until = end_after(minutes)?;
    restrict(shared, room, RoomRestrictionKind::Gag, users, until).await
}

/// Blocks `users` from `room` for `minutes` (R196): members among them are kicked at once
/// (`ChatRoomEvent.kicked` 23409) and their joins are refused with 23409 until then.
pub(crate) async fn block(
    shared: &Shared,
    room: &str,
    users: &[String],
    minutes: i64,
) -> Result<(), ServiceError> {
    let until = end_after(minutes)?;
    restrict(shared, room, RoomRestrictionKind::Block, users, until).await?;
    for u in users {
        kick(shared, room, u);
    }
    Ok(())
}

/// Makes `users` protected members of `room` (never auto-kicked) until the room goes.
pub(crate) async fn protect(
    shared: &Shared,
    room: &str,
    users: &[String],
) -> Result<(), ServiceError> {
    restrict(
        shared,
        room,
        RoomRestrictionKind::Protected,
        users,
        i64::MAX,
    )
    .await
}

/// The users on `room`'s `kind` list now, by user id, with their ends.
pub(crate) async fn list(
    shared: &Shared,
    room: &str,
    kind: RoomRestrictionKind,
) -> Result<Vec<Restriction>, ServiceError> {
    ensure_loaded(shared).await?;
    let now = now_ms();
    let lists = state(shared)
        .lists
        .read()
        .unwrap_or_else(|e| e.into_inner());
    let mut out: Vec<Restriction> = lists
        .as_ref()
        .and_then(|l| l.get(room))
        .map(|room_lists| {
            room_lists
                .iter()
                .filter(|((k, _), until)| *k == kind && **until > now)
                .map(|((_, user), until)| Restriction {
                    user_id: user.clone(),
                    until: *until,
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort_by(|a, b| a.user_id.cmp(&b.user_id));
    Ok(out)
}

/// Kicks `user` out of `room` with 23409 if they are a member (a block); their
/// `delete_when_left` KV entries go (the registry queues that).
fn kick(shared: &Shared, room: &str, user: &str) {
    shared
        .chatrooms
        .kick_user(room, user, codes::KICKED_FROM_CHATROOM);
}

#[cfg(test)]
impl RoomModeration {
    /// Blocks `user` from `room` in memory only (unit tests of the registry).
    pub(crate) fn block_for_test(&self, room: &str, user: &str) {
        let mut lists = self.lists.write().unwrap_or_else(|e| e.into_inner());
        lists
            .get_or_insert_with(HashMap::new)
            .entry(room.to_owned())
            .or_default()
            .insert((RoomRestrictionKind::Block, user.to_owned()), i64::MAX);
    }
}
