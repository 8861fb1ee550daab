//! Chatrooms (R184–R209): join, leave, the room's remote history and its KV entries. Every
//! call goes through the server (the session sends it once connected; 30002 when no
//! connection comes within the send timeout) and reports its outcome as a
//! [`crate::event::ChatroomEvent`]. The session remembers the rooms it joined and joins them
//! again after every reconnect (R193); their local messages go when the room is left (R186,
//! R201).
//!
//! Arguments are checked here and refused at once with PARAM_ERROR (nothing happens): room
//! ids of 1..=64 bytes of `[A-Za-z0-9+=_-]`, `messageCount` -1..=50, history `count` 1..=50,
//! keys of 1..=128 characters of `[A-Za-z0-9+=_-]`, values of at most 4096 characters. A
//! batch of more than 10 entries or keys is refused with 23429 (KV_BATCH_TOO_LARGE), as the
//! server would.

use super::Engine;
use crate::codes::{self, Code};
use crate::event::EventId;
use crate::session::{ChatroomCommand, ChatroomOp, Command};
use std::collections::BTreeMap;

/// Longest room id, in bytes.
pub const MAX_ROOM_ID_LEN: usize = 64;
/// Most recent messages a join may ask for.
pub const MAX_JOIN_MESSAGES: i32 = 50;
/// Recent messages a join returns when the app passes 0 (the SDK default).
pub const DEFAULT_JOIN_MESSAGES: u32 = 10;
/// Largest page of the room's history.
pub const MAX_HISTORY_PAGE: u32 = 50;
/// Longest KV key, in characters.
pub const MAX_KEY_CHARS: usize = 128;
/// Longest KV value, in characters.
pub const MAX_VALUE_CHARS: usize = 4096;
/// Most entries or keys in one KV call.
pub const MAX_KV_BATCH: usize = 10;

/// Whether `id` is a valid room id or KV key of at most `max` characters: the charset of
/// RongCloud's ids and keys (letters, digits, `+`, `=`, `-`, `_`).
fn valid_name(id: &str, max: usize) -> bool {
    !id.is_empty()
        && id.len() <= max
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'=' | b'-' | b'_'))
}

fn check_room(room_id: &str) -> Result<(), Code> {
    if valid_name(room_id, MAX_ROOM_ID_LEN) {
        Ok(())
    } else {
        Err(Code::PARAM_ERROR)
    }
}

fn check_key(key: &str) -> Result<(), Code> {
    if valid_name(key, MAX_KEY_CHARS) {
        Ok(())
    } else {
        Err(Code::PARAM_ERROR)
    }
}

fn check_value(value: &str) -> Result<(), Code> {
    if value.chars().count() <= MAX_VALUE_CHARS {
        Ok(())
    } else {
        Err(Code::PARAM_ERROR)
    }
}

/// 23429 for more than [`MAX_KV_BATCH`] entries or keys; PARAM_ERROR for none.
fn check_batch(len: usize) -> Result<(), Code> {
    match len {
        0 => Err(Code::PARAM_ERROR),
        n if n > MAX_KV_BATCH => Err(Code::of(codes::KV_BATCH_TOO_LARGE)),
        _ => Ok(()),
    }
}

/// The wire's message count for the API's `messageCount`: -1 none, 0 the default (10).
fn wire_message_count(message_count: i32) -> Result<u32, Code> {
    match message_count {
        -1 => Ok(0),
        0 => Ok(DEFAULT_JOIN_MESSAGES),
        n if (1..=MAX_JOIN_MESSAGES).contains(&n) => Ok(n as u32),
        _ => Err(Code::PARAM_ERROR),
    }
}

impl Engine {
    fn chatroom(&self, op: ChatroomOp, event_id: EventId) -> Result<(), Code> {
        self.hand_over(Command::Chatroom(ChatroomCommand { op, event_id }))
    }

    /// `joinChatRoom`: `onChatRoomJoining`, then the room's recent messages
    /// (`onMessageReceived`, oldest first: `message_count` -1 none, 0 ten, up to 50), all its
    /// KV entries (`onChatRoomEntriesChanged` then `onChatRoomEntriesSynced`) and
    /// `onChatRoomJoined`; the room's events that came meanwhile follow. A leave called before
    /// the join's answer wins: nothing of the answer is kept. `auto_create`: create a missing room (else 23410). Joining another
    /// room leaves the previous one by default (R190).
    pub fn join_chatroom(
        &self,
        room_id: &str,
        message_count: i32,
        auto_create: bool,
        event_id: EventId,
    ) -> Result<(), Code> {
        check_room(room_id)?;
        let message_count = wire_message_count(message_count)?;
        self.chatroom(
            ChatroomOp::Join {
                room_id: room_id.to_string(),
                message_count,
                auto_create,
            },
            event_id,
        )
    }

    /// `leaveChatRoom`: leaves the room (no re-join after reconnects) and deletes its local
    /// messages. Result `onChatRoomLeft`.
    pub fn leave_chatroom(&self, room_id: &str, event_id: EventId) -> Result<(), Code> {
        check_room(room_id)?;
        self.chatroom(
            ChatroomOp::Leave {
                room_id: room_id.to_string(),
            },
            event_id,
        )
    }

    /// `getChatRoomMessages` / `loadChatRoomMessages`: a page of the room's stored history
    /// (members only): `order` 0 before `timestamp` (0 = from the newest), newest first; 1
    /// after it, oldest first; `count` 1..=50. Result `onChatRoomMessagesLoaded` with the
    /// `syncTime` of the next page.
    pub fn chatroom_messages(
        &self,
        room_id: &str,
        timestamp: i64,
        order: u32,
        count: u32,
        event_id: EventId,
    ) -> Result<(), Code> {
        check_room(room_id)?;
        if timestamp < 0 || order > 1 || !(1..=MAX_HISTORY_PAGE).contains(&count) {
            return Err(Code::PARAM_ERROR);
        }
        self.chatroom(
            ChatroomOp::History {
                room_id: room_id.to_string(),
                timestamp,
                order,
                count,
            },
            event_id,
        )
    }

    /// `addChatRoomEntry` (`single`, result `onChatRoomEntryAdded`) / `addChatRoomEntries`
    /// (result `onChatRoomEntriesAdded` with the keys that failed): sets KV entries of a joined
    /// room; `delete_when_left` removes them when this user leaves; `overwrite` replaces an
    /// existing key (else 23424).
    pub fn add_chatroom_entries(
        &self,
        room_id: &str,
        entries: BTreeMap<String, String>,
        delete_when_left: bool,
        overwrite: bool,
        single: bool,
        event_id: EventId,
    ) -> Result<(), Code> {
        check_room(room_id)?;
        for (key, value) in &entries {
            check_key(key)?;
            check_value(value)?;
        }
        check_batch(entries.len())?;
        self.chatroom(
            ChatroomOp::SetEntries {
                room_id: room_id.to_string(),
                entries,
                delete_when_left,
                overwrite,
                single,
            },
            event_id,
        )
    }

    /// `removeChatRoomEntry` (`single`, result `onChatRoomEntryRemoved`) /
    /// `removeChatRoomEntries` (result `onChatRoomEntriesRemoved`): removes KV keys of a
    /// joined room; another user's key only with `force` (else 23424).
    pub fn remove_chatroom_entries(
        &self,
        room_id: &str,
        keys: Vec<String>,
        force: bool,
        single: bool,
        event_id: EventId,
    ) -> Result<(), Code> {
        check_room(room_id)?;
        for key in &keys {
            check_key(key)?;
        }
        check_batch(keys.len())?;
        let mut seen = std::collections::HashSet::new();
        let keys: Vec<String> = keys
            .into_iter()
            .filter(|k| seen.insert(k.clone()))
            .collect();
        self.chatroom(
            ChatroomOp::RemoveEntries {
                room_id: room_id.to_string(),
                keys,
                force,
                single,
            },
            event_id,
        )
    }

    /// `getChatRoomEntry` / `loadChatRoomEntry` (`Some(key)`: result `onChatRoomEntryLoaded`,
    /// 23427 when the key does not exist) and `getChatRoomAllEntries` /
    /// `loadChatRoomAllEntries` / `loadAllChatRoomEntries` (`None`: result
    /// `onChatRoomAllEntriesLoaded`): the room's KV entries, read from the server (all of
    /// them page after page when they do not fit in one answer).
    pub fn chatroom_entries(
        &self,
        room_id: &str,
        key: Option<&str>,
        event_id: EventId,
    ) -> Result<(), Code> {
        check_room(room_id)?;
        if let Some(key) = key {
            check_key(key)?;
        }
        self.chatroom(
            ChatroomOp::GetEntries {
                room_id: room_id.to_string(),
                key: key.map(str::to_string),
            },
            event_id,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_counts_map_to_the_wire() {
        assert_eq!(wire_message_count(-1), Ok(0));
        assert_eq!(wire_message_count(0), Ok(10));
        assert_eq!(wire_message_count(5), Ok(5));
        assert_eq!(wire_message_count(50), Ok(50));
        assert_eq!(wire_message_count(51), Err(Code::PARAM_ERROR));
        assert_eq!(wire_message_count(-2), Err(Code::PARAM_ERROR));
    }

    #[test]
    fn names_follow_the_kv_charset() {
        assert!(valid_name("a-Z_0+=", MAX_KEY_CHARS));
        assert!(!valid_name("", MAX_KEY_CHARS));
        assert!(!valid_name("with space", MAX_KEY_CHARS));
        assert!(!valid_name("ключ", MAX_KEY_CHARS));
        assert!(valid_name(&"k".repeat(128), MAX_KEY_CHARS));
        assert!(!valid_name(&"k".repeat(129), MAX_KEY_CHARS));
        assert!(check_value(&"é".repeat(4096)).is_ok());
        assert!(check_value(&"é".repeat(4097)).is_err());
        assert_eq!(check_batch(11), Err(Code::of(codes::KV_BATCH_TOO_LARGE)));
        assert_eq!(check_batch(0), Err(Code::PARAM_ERROR));
    }
}
