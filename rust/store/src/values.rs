//! Stored values of the API's enums (sent and received status, direction, notification level).

/// Sent status values (`RCIMIWSentStatus`).
pub mod sent_status {
    /// Waiting for the server's ack.
    pub const SENDING: u8 = 0;
    /// Failed; may be resent.
    pub const FAILED: u8 = 1;
    /// Acknowledged by the server.
    pub const SENT: u8 = 2;
    /// The peer received it.
    pub const RECEIVED: u8 = 3;
    /// The peer read it (private read receipt).
    pub const READ: u8 = 4;
    /// The peer destroyed it.
    pub const DESTROYED: u8 = 5;
    /// Cancelled by the app (a media upload stopped by `cancelSendingMediaMessage`).
    pub const CANCELED: u8 = 6;
}

/// Conversation type values the store treats specially (`RCIMIWConversationType`).
pub mod conversation_type {
    /// Chatroom: its messages never make a conversation (see `chatroom`).
    pub const CHATROOM: u32 = 3;
    /// Ultra group: one conversation per channel (see `ultragroup`).
    pub const ULTRA_GROUP: u32 = 5;
}

/// Received status values (`RCIMIWReceivedStatus`).
pub mod received_status {
    /// Not read yet.
    pub const UNREAD: u8 = 0;
    /// Read.
    pub const READ: u8 = 1;
}

/// Message direction values (`RCIMIWMessageDirection`).
pub mod direction {
    /// Sent by this user.
    pub const SEND: u8 = 0;
    /// Received from someone else.
    pub const RECEIVE: u8 = 1;
}

/// `RCIMIWPushNotificationLevel` values as they concern unread counts.
pub mod notification_level {
    use std::ops::RangeInclusive;

    /// Notify for every message: set on a conversation, it wins over its type's level.
    pub const ALL_MESSAGE: u32 = 0;
    /// Not set (the stored default, as on the server): a conversation's type decides.
    pub const NONE: u32 = 1;
    /// Levels that mute a conversation (do-not-disturb: MENTION, MENTION_USERS, MENTION_ALL,
    /// BLOCKED): `getUnreadCountByConversationTypes` leaves them out unless `contain` is set.
    pub const MUTED: RangeInclusive<u32> = 2..=5;

    /// Whether `level` mutes the conversation.
    pub fn is_muted(level: u32) -> bool {
        MUTED.contains(&level)
    }

    /// Whether a conversation at `level` whose type is at `type_level` is do-not-disturb:
    /// its own muting level, or none set (NONE) and its type's level mutes; ALL_MESSAGE on
    /// the conversation overrides a muting type level.
    pub fn is_dnd(level: u32, type_level: u32) -> bool {
        match level {
            ALL_MESSAGE => false,
            NONE => is_muted(type_level),
            level => is_muted(level),
        }
    }
}
