//! The API's data types (`RCIMIWMessage`, `RCIMIWConversation`, ...) with the 5.2.5 field names
//! and the official enum numbers, as the engine hands them to its embedder.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `RCIMIWConversationType` values.
pub mod conversation_type {
    /// Reserved.
    pub const INVALID: u32 = 0;
    /// One-to-one.
    pub const PRIVATE: u32 = 1;
    /// Group.
    pub const GROUP: u32 = 2;
    /// Chatroom.
    pub const CHATROOM: u32 = 3;
    /// System.
    pub const SYSTEM: u32 = 4;
    /// Ultra group.
    pub const ULTRA_GROUP: u32 = 5;
}

/// `RCIMIWMessageType` values.
pub mod message_type {
    /// Unrecognised object name (`objectName`, `rawData`).
    pub const UNKNOWN: u32 = 0;
    /// Custom message (`identifier`, `policy`, `fields`).
    pub const CUSTOM: u32 = 1;
    /// Text.
    pub const TEXT: u32 = 2;
    // The media types are shared with the server (upload tickets name them).
    pub use rcim_proto::media_type::{FILE, GIF, IMAGE, SIGHT, VOICE};
    /// Recall notification (`RCIMIWRecallNotificationMessage`), replaces a recalled message.
    pub const RECALL: u32 = 8;
    /// Reply quoting another message.
    pub const REFERENCE: u32 = 9;
    /// Command: neither stored nor counted.
    pub const COMMAND: u32 = 10;
    /// Command notification: stored, not counted.
    pub const COMMAND_NOTIFICATION: u32 = 11;
    /// Location.
    pub const LOCATION: u32 = 12;
}

/// `RCIMIWCustomMessagePolicy` values.
pub mod custom_policy {
    /// Neither stored nor counted; delivered offline.
    pub const COMMAND: u32 = 0;
    /// Stored and counted.
    pub const NORMAL: u32 = 1;
    /// Online only: neither stored nor counted, never delivered offline.
    pub const STATUS: u32 = 2;
    /// Stored, not counted.
    pub const STORAGE: u32 = 3;
}

/// `RCIMIWConnectionStatus` values.
pub mod connection_status {
    /// Network unavailable; the SDK reconnects.
    pub const NETWORK_UNAVAILABLE: u32 = 0;
    /// Connected.
    pub const CONNECTED: u32 = 1;
    /// Connecting.
    pub const CONNECTING: u32 = 2;
    /// Not connected.
    pub const UNCONNECTED: u32 = 3;
    /// Kicked by another device of the same user.
    pub const KICKED_OFFLINE_BY_OTHER_CLIENT: u32 = 4;
    /// Token invalid or expired.
    pub const TOKEN_INCORRECT: u32 = 5;
    /// User blocked by the server.
    pub const CONN_USER_BLOCKED: u32 = 6;
    /// The app called disconnect.
    pub const SIGN_OUT: u32 = 7;
    /// Connection lost; the SDK reconnects.
    pub const SUSPEND: u32 = 8;
    /// connect() timed out; the SDK stopped retrying.
    pub const TIMEOUT: u32 = 9;
}

/// `RCIMIWMessage` and its subtypes. Type-specific fields (`text`, `objectName`, `rawData`, ...)
/// live in [`Message::fields`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// `RCIMIWConversationType`.
    #[serde(default)]
    pub conversation_type: u32,
    /// `RCIMIWMessageType`.
    #[serde(default)]
    pub message_type: u32,
    /// Conversation id.
    #[serde(default)]
    pub target_id: String,
    /// Ultra-group channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<String>,
    /// Local database id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<i64>,
    /// Server uid.
    #[serde(
        default,
        rename = "messageUId",
        alias = "messageUid",
        skip_serializing_if = "Option::is_none"
    )]
    pub message_uid: Option<String>,
    /// Delivered as an offline message.
    #[serde(default, rename = "offLine", skip_serializing_if = "Option::is_none")]
    pub offline: Option<bool>,
    /// Receive time (ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_time: Option<i64>,
    /// Send time (ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_time: Option<i64>,
    /// `RCIMIWReceivedStatus`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_status: Option<u8>,
    /// `RCIMIWSentStatus`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_status: Option<u8>,
    /// Sender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_user_id: Option<String>,
    /// `RCIMIWMessageDirection`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<u8>,
    /// `RCIMIWUserInfo` carried with the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_info: Option<Value>,
    /// `RCIMIWMentionedInfo`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentioned_info: Option<Value>,
    /// `RCIMIWMessagePushOptions` (sender side only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push_options: Option<Value>,
    /// Extra string delivered to the receiver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<String>,
    /// Expansion key/values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expansion: Option<Map<String, Value>>,
    /// `RCIMIWGroupReadReceiptInfo` (group messages a receipt was asked for).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_read_receipt_info: Option<rcim_store::GroupReceipt>,
    /// The members a directed group message goes to (`sendGroupMessageToDesignatedUsers`);
    /// kept with the stored message, not part of the API object.
    #[serde(skip)]
    pub directed_user_ids: Option<Vec<String>>,
    /// Subtype fields: `text` (TEXT), `objectName` + `rawData` (UNKNOWN), ...
    #[serde(flatten)]
    pub fields: Map<String, Value>,
}

impl Message {
    /// The `text` of a text message.
    pub fn text(&self) -> Option<&str> {
        self.fields.get("text").and_then(Value::as_str)
    }
}

/// `RCIMIWConversation`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Conversation {
    /// `RCIMIWConversationType`.
    pub conversation_type: u32,
    /// Conversation id.
    pub target_id: String,
    /// Ultra-group channel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<String>,
    /// Unread messages.
    pub unread_count: u64,
    /// Unread messages mentioning the user.
    pub mentioned_count: u64,
    /// Pinned.
    pub top: bool,
    /// Draft text.
    pub draft: String,
    /// Newest message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_message: Option<Message>,
    /// `RCIMIWPushNotificationLevel`.
    pub notification_level: u32,
    /// The conversation's time in the list (ms): what orders it (its last message's, or a
    /// later draft's or setting's). The cursor of the next conversation page when the last
    /// conversation of a page has no last message (RongCloud's `operationTime`).
    #[serde(default)]
    pub operation_time: i64,
}
