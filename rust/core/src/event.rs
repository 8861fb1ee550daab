//! Events the engine emits: the outcomes of operations that go through the server, and what the
//! session reports by itself (connection status, received messages, changes from the user's
//! other devices). Each variant is one `IRCIMIWListener` callback; `event_id` ties an outcome to
//! the call that asked for it (the 5.2.5 per-call callback objects). Results of local calls are
//! not events: they are returned by the engine's methods (see [`crate::Query`]).
//!
//! Serialised with serde as the listener call: `{"name": "<listener>", "args": {...}}` with the
//! listener's parameter names (camelCase; a conversation key as `type`, `targetId`,
//! `channelId`); `event_id` is not part of `args` (see [`Event::event_id`]).

mod chatroom;
mod messaging;
mod ultragroup;

pub use chatroom::{chatroom_status, entries_operation, ChatRoomMemberAction, ChatroomEvent};
pub use messaging::{BlockedMessageInfo, MessagingEvent, TypingStatus};
pub use ultragroup::{UltraGroupTypingStatusInfo, UltragroupCallResult, UltragroupEvent};

use crate::model::Message;
use rcim_store::ConversationKey;
use serde::Serialize;
use serde_json::{Map, Value};

/// Correlates a result with the call that started it.
pub type EventId = Option<String>;

/// One engine event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "name", content = "args", rename_all_fields = "camelCase")]
pub enum Event {
    /// The local database was opened during connect (`onDatabaseOpened`).
    #[serde(rename = "onDatabaseOpened")]
    DatabaseOpened {
        /// 0 on success.
        code: i32,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Result of connect (`onConnected`).
    #[serde(rename = "onConnected")]
    Connected {
        /// 0 on success, otherwise an IMLib code (31004, 34006, ...).
        code: i32,
        /// The user id ("" on failure).
        user_id: String,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// `onConnectionStatusChanged` (`RCIMIWConnectionStatus`).
    #[serde(rename = "onConnectionStatusChanged")]
    ConnectionStatusChanged {
        /// New status.
        status: u32,
    },
    /// The message was stored locally (`onMessageAttached`).
    #[serde(rename = "onMessageAttached")]
    MessageAttached {
        /// The stored message.
        message: Message,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Final send result (`onMessageSent`).
    #[serde(rename = "onMessageSent")]
    MessageSent {
        /// 0 on success.
        code: i32,
        /// The message with its new status.
        message: Message,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// A media message was stored and its upload starts (`onMediaMessageAttached`).
    #[serde(rename = "onMediaMessageAttached")]
    MediaMessageAttached {
        /// The stored message (SENDING, `local` set).
        message: Message,
        /// Call correlation (`sendMediaMessage`).
        #[serde(skip)]
        event_id: EventId,
    },
    /// Upload progress of a media message (`onMediaMessageSending`): rising integer percents,
    /// 100 once the file service accepted the file.
    #[serde(rename = "onMediaMessageSending")]
    MediaMessageSending {
        /// The message being sent.
        message: Message,
        /// 0..=100.
        progress: u8,
        /// Call correlation (`sendMediaMessage`).
        #[serde(skip)]
        event_id: EventId,
    },
    /// Final result of sendMediaMessage (`onMediaMessageSent`).
    #[serde(rename = "onMediaMessageSent")]
    MediaMessageSent {
        /// 0 on success; 34011 when the upload failed (the message is FAILED, `local` kept).
        code: i32,
        /// The message with its new status (and `remote` once uploaded).
        message: Message,
        /// Call correlation (`sendMediaMessage`).
        #[serde(skip)]
        event_id: EventId,
    },
    /// An upload was cancelled by cancelSendingMediaMessage (`onSendingMediaMessageCanceled`):
    /// answers the cancel call and ends the send call (its message is CANCELED).
    #[serde(rename = "onSendingMediaMessageCanceled")]
    SendingMediaMessageCanceled {
        /// 0: cancelled.
        code: i32,
        /// The message, CANCELED.
        message: Message,
        /// Call correlation (`cancelSendingMediaMessage`).
        #[serde(skip)]
        event_id: EventId,
        /// The `sendMediaMessage` call this ends.
        #[serde(skip)]
        ended_event_id: EventId,
    },
    /// Download progress (`onMediaMessageDownloading`): rising integer percents, 100 last.
    #[serde(rename = "onMediaMessageDownloading")]
    MediaMessageDownloading {
        /// The message being downloaded.
        message: Message,
        /// 0..=100.
        progress: u8,
        /// Call correlation (`downloadMediaMessage`).
        #[serde(skip)]
        event_id: EventId,
    },
    /// Result of downloadMediaMessage (`onMediaMessageDownloaded`).
    #[serde(rename = "onMediaMessageDownloaded")]
    MediaMessageDownloaded {
        /// 0 on success; -3 when the file service has no such file, 34011 on another failure.
        code: i32,
        /// The message, with `local` set to the downloaded file on success.
        message: Message,
        /// Call correlation (`downloadMediaMessage`).
        #[serde(skip)]
        event_id: EventId,
    },
    /// A download was cancelled by cancelDownloadingMediaMessage
    /// (`onDownloadingMediaMessageCanceled`): answers the cancel call and ends the download
    /// call; the part downloaded so far is kept to resume.
    #[serde(rename = "onDownloadingMediaMessageCanceled")]
    DownloadingMediaMessageCanceled {
        /// 0: cancelled.
        code: i32,
        /// The message.
        message: Message,
        /// Call correlation (`cancelDownloadingMediaMessage`).
        #[serde(skip)]
        event_id: EventId,
        /// The `downloadMediaMessage` call this ends.
        #[serde(skip)]
        ended_event_id: EventId,
    },
    /// Result of recallMessage (`onMessageRecalled`).
    #[serde(rename = "onMessageRecalled")]
    MessageRecalled {
        /// 0 on success, otherwise an IMLib code (25101, 25107, 30002...).
        code: i32,
        /// On success the stored recall notification (messageType RECALL); otherwise the
        /// message argument.
        message: Message,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// A received message was recalled by its sender (`onRemoteMessageRecalled`); the message
    /// is the stored recall notification that replaced it.
    #[serde(rename = "onRemoteMessageRecalled")]
    RemoteMessageRecalled {
        /// The converted message.
        message: Message,
    },
    /// Result of sendPrivateReadReceiptMessage (`onPrivateReadReceiptMessageSent`).
    #[serde(rename = "onPrivateReadReceiptMessageSent")]
    PrivateReadReceiptMessageSent {
        /// 0 on success.
        code: i32,
        /// Target id argument.
        target_id: String,
        /// Channel id argument.
        channel_id: String,
        /// Timestamp argument.
        timestamp: i64,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// The peer read this user's private messages up to `timestamp`
    /// (`onPrivateReadReceiptReceived`); they are now stored as READ.
    #[serde(rename = "onPrivateReadReceiptReceived")]
    PrivateReadReceiptReceived {
        /// The reader (the conversation).
        target_id: String,
        /// Channel id.
        channel_id: String,
        /// Sent time of the last message read.
        timestamp: i64,
    },
    /// An incoming message (`onMessageReceived`).
    #[serde(rename = "onMessageReceived")]
    MessageReceived {
        /// The stored message.
        message: Message,
        /// Messages still to come from the current package.
        left: u32,
        /// Delivered by the offline sync after connecting.
        offline: bool,
        /// More packages remain on the server.
        has_package: bool,
    },
    /// Result of changeConversationTopStatus (`onConversationTopStatusChanged`).
    #[serde(rename = "onConversationTopStatusChanged")]
    ConversationTopStatusChanged {
        /// 0 on success (stored on the server and locally).
        code: i32,
        /// The conversation.
        #[serde(flatten)]
        key: ConversationKey,
        /// Top argument.
        top: bool,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Another device of this user pinned or unpinned a conversation, or changed its
    /// notification level (no listener of its own: `top` is then the current pin state)
    /// (`onConversationTopStatusSynced`); already stored.
    #[serde(rename = "onConversationTopStatusSynced")]
    ConversationTopStatusSynced {
        /// The conversation.
        #[serde(flatten)]
        key: ConversationKey,
        /// New pin state.
        top: bool,
    },
    /// Result of changeConversationTypeNotificationLevel
    /// (`onConversationTypeNotificationLevelChanged`).
    #[serde(rename = "onConversationTypeNotificationLevelChanged")]
    ConversationTypeNotificationLevelChanged {
        /// 0 on success (stored on the server and locally).
        code: i32,
        /// The conversation type.
        #[serde(rename = "type")]
        conversation_type: u32,
        /// Level argument.
        level: u32,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Result of changeNotificationQuietHours (`onNotificationQuietHoursChanged`).
    #[serde(rename = "onNotificationQuietHoursChanged")]
    NotificationQuietHoursChanged {
        /// 0 on success.
        code: i32,
        /// "HH:MM:SS".
        start_time: String,
        /// 1..=1439.
        span_minutes: u32,
        /// `RCIMIWPushNotificationQuietHoursLevel`.
        level: u32,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Result of removeNotificationQuietHours (`onNotificationQuietHoursRemoved`).
    #[serde(rename = "onNotificationQuietHoursRemoved")]
    NotificationQuietHoursRemoved {
        /// 0 on success.
        code: i32,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Result of addToBlacklist (`onBlacklistAdded`).
    #[serde(rename = "onBlacklistAdded")]
    BlacklistAdded {
        /// 0 on success.
        code: i32,
        /// The user argument.
        user_id: String,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Result of changePushLanguage (`onPushLanguageChanged`).
    #[serde(rename = "onPushLanguageChanged")]
    PushLanguageChanged {
        /// 0 on success.
        code: i32,
        /// The language argument.
        language: String,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Result of changePushContentShowStatus (`onPushContentShowStatusChanged`).
    #[serde(rename = "onPushContentShowStatusChanged")]
    PushContentShowStatusChanged {
        /// 0 on success.
        code: i32,
        /// The showContent argument.
        show_content: bool,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Result of changePushReceiveStatus (`onPushReceiveStatusChanged`).
    #[serde(rename = "onPushReceiveStatusChanged")]
    PushReceiveStatusChanged {
        /// 0 on success.
        code: i32,
        /// The receive argument.
        receive: bool,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Result of removeFromBlacklist (`onBlacklistRemoved`).
    #[serde(rename = "onBlacklistRemoved")]
    BlacklistRemoved {
        /// 0 on success.
        code: i32,
        /// The user argument.
        user_id: String,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Result of changeConversationNotificationLevel (`onConversationNotificationLevelChanged`).
    #[serde(rename = "onConversationNotificationLevelChanged")]
    ConversationNotificationLevelChanged {
        /// 0 on success.
        code: i32,
        /// The conversation.
        #[serde(flatten)]
        key: ConversationKey,
        /// Level argument.
        level: u32,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Result of deleteMessages (`onMessagesDeleted`): the messages were deleted locally at
    /// the call; `code` is the server's answer to deleting them from the cloud history.
    #[serde(rename = "onMessagesDeleted")]
    MessagesDeleted {
        /// 0 on success.
        code: i32,
        /// The conversation.
        #[serde(flatten)]
        key: ConversationKey,
        /// The messages argument (after an app restart: named by `messageUId` only).
        messages: Vec<Message>,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Result of updateMessageExpansion (`onMessageExpansionUpdated`).
    #[serde(rename = "onMessageExpansionUpdated")]
    MessageExpansionUpdated {
        /// 0 on success; 1 unknown message, 34008 expansion not enabled, 34010 over a limit,
        /// or the server's code.
        code: i32,
        /// The message's uid.
        #[serde(rename = "messageUId")]
        message_uid: String,
        /// The pairs set by the call.
        expansion: Map<String, Value>,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Result of clearMessages (`onMessagesCleared`).
    #[serde(rename = "onMessagesCleared")]
    MessagesCleared {
        /// 0 on success; 1 when the timestamp is out of range (R111).
        code: i32,
        /// The conversation.
        #[serde(flatten)]
        key: ConversationKey,
        /// Timestamp argument.
        timestamp: i64,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Result of removeMessageExpansionForKeys (`onMessageExpansionForKeysRemoved`).
    #[serde(rename = "onMessageExpansionForKeysRemoved")]
    MessageExpansionForKeysRemoved {
        /// 0 on success (codes as [`Event::MessageExpansionUpdated`]).
        code: i32,
        /// The message's uid.
        #[serde(rename = "messageUId")]
        message_uid: String,
        /// The keys removed by the call.
        keys: Vec<String>,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Someone else, or this user on another device, set expansion pairs of a message
    /// (`onRemoteMessageExpansionUpdated`); already stored.
    #[serde(rename = "onRemoteMessageExpansionUpdated")]
    RemoteMessageExpansionUpdated {
        /// Only the changed pairs (R128); the whole expansion is `message.expansion`.
        expansion: Map<String, Value>,
        /// The stored message.
        message: Message,
    },
    /// Someone else, or this user on another device, removed expansion keys of a message
    /// (`onRemoteMessageExpansionForKeyRemoved`); already stored.
    #[serde(rename = "onRemoteMessageExpansionForKeyRemoved")]
    RemoteMessageExpansionForKeyRemoved {
        /// The stored message.
        message: Message,
        /// The removed keys.
        keys: Vec<String>,
    },
    /// Typing, read-state sync, group read receipts, directed group messages and blocked
    /// messages (see [`MessagingEvent`]).
    #[serde(untagged)]
    Messaging(MessagingEvent),
    /// Chatroom call results and room events (see [`ChatroomEvent`]).
    #[serde(untagged)]
    Chatroom(ChatroomEvent),
    /// Ultra-group stream changes, typing and read-time sync (see [`UltragroupEvent`]).
    #[serde(untagged)]
    Ultragroup(UltragroupEvent),
    /// Results of ultra-group calls that went through the server (see
    /// [`UltragroupCallResult`]).
    #[serde(untagged)]
    UltragroupResult(UltragroupCallResult),
}

impl Event {
    /// The correlation of the call this event answers, if any.
    pub fn event_id(&self) -> Option<&str> {
        match self {
            Event::DatabaseOpened { event_id, .. }
            | Event::Connected { event_id, .. }
            | Event::MessageAttached { event_id, .. }
            | Event::MessageSent { event_id, .. }
            | Event::MediaMessageAttached { event_id, .. }
            | Event::MediaMessageSending { event_id, .. }
            | Event::MediaMessageSent { event_id, .. }
            | Event::SendingMediaMessageCanceled { event_id, .. }
            | Event::MediaMessageDownloading { event_id, .. }
            | Event::MediaMessageDownloaded { event_id, .. }
            | Event::DownloadingMediaMessageCanceled { event_id, .. }
            | Event::MessageRecalled { event_id, .. }
            | Event::PrivateReadReceiptMessageSent { event_id, .. }
            | Event::ConversationTopStatusChanged { event_id, .. }
            | Event::ConversationNotificationLevelChanged { event_id, .. }
            | Event::ConversationTypeNotificationLevelChanged { event_id, .. }
            | Event::NotificationQuietHoursChanged { event_id, .. }
            | Event::NotificationQuietHoursRemoved { event_id, .. }
            | Event::BlacklistAdded { event_id, .. }
            | Event::BlacklistRemoved { event_id, .. }
            | Event::PushLanguageChanged { event_id, .. }
            | Event::PushContentShowStatusChanged { event_id, .. }
            | Event::PushReceiveStatusChanged { event_id, .. }
            | Event::MessagesDeleted { event_id, .. }
            | Event::MessagesCleared { event_id, .. }
            | Event::MessageExpansionUpdated { event_id, .. }
            | Event::MessageExpansionForKeysRemoved { event_id, .. } => event_id.as_deref(),
            Event::Messaging(event) => event.event_id(),
            Event::Chatroom(event) => event.event_id(),
            Event::Ultragroup(event) => event.event_id(),
            Event::UltragroupResult(result) => result.event_id.as_deref(),
            Event::ConnectionStatusChanged { .. }
            | Event::RemoteMessageRecalled { .. }
            | Event::PrivateReadReceiptReceived { .. }
            | Event::MessageReceived { .. }
            | Event::ConversationTopStatusSynced { .. }
            | Event::RemoteMessageExpansionUpdated { .. }
            | Event::RemoteMessageExpansionForKeyRemoved { .. } => None,
        }
    }

    /// The correlation of another call this event ends: the cancel events answer the cancel
    /// call ([`Event::event_id`]) and also end the transfer call they cancelled.
    pub fn ended_event_id(&self) -> Option<&str> {
        match self {
            Event::SendingMediaMessageCanceled { ended_event_id, .. }
            | Event::DownloadingMediaMessageCanceled { ended_event_id, .. } => {
                ended_event_id.as_deref()
            }
            _ => None,
        }
    }
}
