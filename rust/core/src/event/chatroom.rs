//! The events of chatrooms (R184–R209): the results of the chatroom calls and what the
//! server reports about a joined room. They are [`super::Event::Chatroom`] and serialise the
//! same way as every other event: `{"name": "<listener>", "args": {...}}`.

use super::EventId;
use crate::model::Message;
use serde::Serialize;
use std::collections::BTreeMap;

/// `RCIMIWChatRoomEntriesOperationType` values.
pub mod entries_operation {
    /// Entries set or updated.
    pub const UPDATE: u32 = 0;
    /// Entries removed.
    pub const REMOVE: u32 = 1;
}

/// `RCIMIWChatRoomStatus` values.
pub mod chatroom_status {
    /// The room was reset.
    pub const RESET: u32 = 0;
    /// Destroyed through the Server API.
    pub const DESTROY_MANUAL: u32 = 1;
    /// Destroyed by the server (idle).
    pub const DESTROY_AUTO: u32 = 2;
}

/// One user joining or leaving a room (`RCIMIWChatRoomMemberAction`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatRoomMemberAction {
    /// The user.
    pub user_id: String,
    /// `RCIMIWChatRoomMemberActionType`: JOIN 1, LEAVE 2.
    pub action_type: u32,
}

/// One engine event of the chatroom features.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "name", content = "args", rename_all_fields = "camelCase")]
pub enum ChatroomEvent {
    /// A join starts (`onChatRoomJoining`).
    #[serde(rename = "onChatRoomJoining")]
    Joining {
        /// The room.
        target_id: String,
        /// Call correlation (no callback function; kept so the call stays pending).
        #[serde(skip)]
        event_id: EventId,
    },
    /// Result of joinChatRoom (`onChatRoomJoined`); also reported, without a call, when the
    /// engine joined a room again after a reconnect (R193).
    #[serde(rename = "onChatRoomJoined")]
    Joined {
        /// 0 on success.
        code: i32,
        /// The room.
        target_id: String,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Result of leaveChatRoom (`onChatRoomLeft`).
    #[serde(rename = "onChatRoomLeft")]
    Left {
        /// 0 on success.
        code: i32,
        /// The room.
        target_id: String,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Result of getChatRoomMessages / loadChatRoomMessages (`onChatRoomMessagesLoaded`).
    #[serde(rename = "onChatRoomMessagesLoaded")]
    MessagesLoaded {
        /// 0 on success.
        code: i32,
        /// The room.
        target_id: String,
        /// The page (in the requested order).
        messages: Vec<Message>,
        /// The timestamp for the next page in the same order.
        sync_time: i64,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Result of addChatRoomEntry (`onChatRoomEntryAdded`).
    #[serde(rename = "onChatRoomEntryAdded")]
    EntryAdded {
        /// 0 on success.
        code: i32,
        /// The room.
        target_id: String,
        /// The key argument.
        key: String,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Result of addChatRoomEntries (`onChatRoomEntriesAdded`): 23428 with `error_entries`
    /// when some keys were not set.
    #[serde(rename = "onChatRoomEntriesAdded")]
    EntriesAdded {
        /// 0 on success.
        code: i32,
        /// The room.
        target_id: String,
        /// The entries argument.
        entries: BTreeMap<String, String>,
        /// The keys that were not set, with their codes.
        error_entries: BTreeMap<String, u32>,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Result of getChatRoomEntry / loadChatRoomEntry (`onChatRoomEntryLoaded`).
    #[serde(rename = "onChatRoomEntryLoaded")]
    EntryLoaded {
        /// 0 on success; 23427 when the key does not exist.
        code: i32,
        /// The room.
        target_id: String,
        /// The key and its value.
        entry: BTreeMap<String, String>,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Result of getChatRoomAllEntries / loadChatRoomAllEntries / loadAllChatRoomEntries
    /// (`onChatRoomAllEntriesLoaded`).
    #[serde(rename = "onChatRoomAllEntriesLoaded")]
    AllEntriesLoaded {
        /// 0 on success.
        code: i32,
        /// The room.
        target_id: String,
        /// Every entry of the room.
        entries: BTreeMap<String, String>,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Result of removeChatRoomEntry (`onChatRoomEntryRemoved`).
    #[serde(rename = "onChatRoomEntryRemoved")]
    EntryRemoved {
        /// 0 on success.
        code: i32,
        /// The room.
        target_id: String,
        /// The key argument.
        key: String,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Result of removeChatRoomEntries (`onChatRoomEntriesRemoved`).
    #[serde(rename = "onChatRoomEntriesRemoved")]
    EntriesRemoved {
        /// 0 on success.
        code: i32,
        /// The room.
        target_id: String,
        /// The keys argument.
        keys: Vec<String>,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Users joined or left a joined room (`onChatRoomMemberChanged`).
    #[serde(rename = "onChatRoomMemberChanged")]
    MemberChanged {
        /// The room.
        target_id: String,
        /// Who joined or left, in order.
        actions: Vec<ChatRoomMemberAction>,
    },
    /// The room's entries were all reported after a join (`onChatRoomEntriesSynced`, R209).
    #[serde(rename = "onChatRoomEntriesSynced")]
    EntriesSynced {
        /// The room.
        room_id: String,
    },
    /// Entries of a joined room changed (`onChatRoomEntriesChanged`): all of them right after
    /// a join, then the changes made by others.
    #[serde(rename = "onChatRoomEntriesChanged")]
    EntriesChanged {
        /// UPDATE 0 or REMOVE 1 (see [`entries_operation`]).
        operation_type: u32,
        /// The room.
        room_id: String,
        /// The entries set (new values) or removed (last values).
        entries: BTreeMap<String, String>,
    },
    /// A joined room was reset or destroyed (`onChatRoomStatusChanged`, see
    /// [`chatroom_status`]).
    #[serde(rename = "onChatRoomStatusChanged")]
    StatusChanged {
        /// The room.
        target_id: String,
        /// `RCIMIWChatRoomStatus`.
        status: u32,
    },
}

impl ChatroomEvent {
    /// The correlation of the call this event answers, if any.
    pub fn event_id(&self) -> Option<&str> {
        match self {
            ChatroomEvent::Joining { event_id, .. }
            | ChatroomEvent::Joined { event_id, .. }
            | ChatroomEvent::Left { event_id, .. }
            | ChatroomEvent::MessagesLoaded { event_id, .. }
            | ChatroomEvent::EntryAdded { event_id, .. }
            | ChatroomEvent::EntriesAdded { event_id, .. }
            | ChatroomEvent::EntryLoaded { event_id, .. }
            | ChatroomEvent::AllEntriesLoaded { event_id, .. }
            | ChatroomEvent::EntryRemoved { event_id, .. }
            | ChatroomEvent::EntriesRemoved { event_id, .. } => event_id.as_deref(),
            ChatroomEvent::MemberChanged { .. }
            | ChatroomEvent::EntriesSynced { .. }
            | ChatroomEvent::EntriesChanged { .. }
            | ChatroomEvent::StatusChanged { .. } => None,
        }
    }
}
