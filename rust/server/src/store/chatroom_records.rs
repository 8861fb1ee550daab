//! What the store keeps of chatrooms: the room records (so rooms survive a restart; members
//! and recent messages do not, clients re-join, R193) and the messages persisted in each
//! room's history (R199).

/// A chatroom as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RoomRecord {
    pub room_id: String,
    /// The name given at creation (Server API `chatroom[id]=name`; empty for rooms created by a
    /// join).
    pub name: String,
    /// Creation time (ms).
    pub created_at: i64,
    /// Destroyed when idle (RongCloud `destroyType` 0); false = only by the Server API (1).
    pub auto_destroy: bool,
    /// Idle minutes before the auto-destroy (RongCloud `destroyTime`); 0 = the server's
    /// `ChatroomConfig::idle_destroy`.
    pub idle_minutes: u32,
}

impl RoomRecord {
    /// A room created now with the server's destroy settings.
    pub(crate) fn new(room_id: impl Into<String>, name: impl Into<String>, now_ms: i64) -> Self {
        Self {
            room_id: room_id.into(),
            name: name.into(),
            created_at: now_ms,
            auto_destroy: true,
            idle_minutes: 0,
        }
    }
}

/// A page of a room's stored messages (`ChatRoomHistoryRequest`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChatroomHistoryQuery {
    pub room_id: String,
    /// Older (`newer` false: sent before it, 0 = from the newest) or newer (sent after it)
    /// than this time (ms).
    pub timestamp: i64,
    /// AFTER: ascending from `timestamp`; else BEFORE: descending.
    pub newer: bool,
    /// Most messages to return.
    pub count: u32,
}

/// A change of the chatroom tables (one writer command).
#[derive(Debug, Clone)]
pub(crate) enum ChatroomWrite {
    /// Creates the room unless it exists; true when it was created.
    Create(RoomRecord),
    /// Changes a room's destroy settings; true when the room exists.
    SetDestroy {
        room_id: String,
        auto_destroy: bool,
        idle_minutes: u32,
    },
    /// Deletes the room and its stored messages; true when the room existed.
    Delete(String),
    /// Stores a message of the room (`Message.to_id`) in its history; true.
    Append(Box<rcim_proto::v1::Message>),
}
