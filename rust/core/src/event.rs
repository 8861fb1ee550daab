//! Events the engine emits. Each variant is one `IRCIMIWListener` callback; `event_id` ties a
//! result to the call that asked for it (the 5.2.5 per-call callback objects).

use crate::model::{Conversation, Message};
use rcim_store::ConversationKey;

/// Correlates a result with the call that started it.
pub type EventId = Option<String>;

/// One engine event.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The local database was opened during connect (`onDatabaseOpened`).
    DatabaseOpened {
        /// 0 on success.
        code: i32,
        /// Call correlation.
        event_id: EventId,
    },
    /// Result of connect (`onConnected`).
    Connected {
        /// 0 on success, otherwise an IMLib code (31004, 34006, ...).
        code: i32,
        /// The user id ("" on failure).
        user_id: String,
        /// Call correlation.
        event_id: EventId,
    },
    /// `onConnectionStatusChanged` (`RCIMIWConnectionStatus`).
    ConnectionStatusChanged {
        /// New status.
        status: u32,
    },
    /// The message was stored locally (`onMessageAttached`).
    MessageAttached {
        /// The stored message.
        message: Message,
        /// Call correlation.
        event_id: EventId,
    },
    /// Final send result (`onMessageSent`).
    MessageSent {
        /// 0 on success.
        code: i32,
        /// The message with its new status.
        message: Message,
        /// Call correlation.
        event_id: EventId,
    },
    /// Result of recallMessage (`onMessageRecalled`).
    MessageRecalled {
        /// 0 on success, otherwise an IMLib code (25101, 25107, 30002...).
        code: i32,
        /// On success the stored recall notification (messageType RECALL); otherwise the
        /// message argument.
        message: Message,
        /// Call correlation.
        event_id: EventId,
    },
    /// A received message was recalled by its sender (`onRemoteMessageRecalled`); the message
    /// is the stored recall notification that replaced it.
    RemoteMessageRecalled {
        /// The converted message.
        message: Message,
    },
    /// Result of sendPrivateReadReceiptMessage (`onPrivateReadReceiptMessageSent`).
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
        event_id: EventId,
    },
    /// The peer read this user's private messages up to `timestamp`
    /// (`onPrivateReadReceiptReceived`); they are now stored as READ.
    PrivateReadReceiptReceived {
        /// The reader (the conversation).
        target_id: String,
        /// Channel id.
        channel_id: String,
        /// Sent time of the last message read.
        timestamp: i64,
    },
    /// An incoming message (`onMessageReceived`).
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
    /// Result of loadMessages/getMessages (`onMessagesLoaded`).
    MessagesLoaded {
        /// 0 on success.
        code: i32,
        /// The conversation argument.
        key: ConversationKey,
        /// Sent time argument.
        sent_time: i64,
        /// Order argument (`RCIMIWTimeOrder`).
        order: u32,
        /// The page.
        messages: Vec<Message>,
        /// Call correlation.
        event_id: EventId,
    },
    /// Result of loadConversations/getConversations (`onConversationsLoaded`).
    ConversationsLoaded {
        /// 0 on success.
        code: i32,
        /// Types argument.
        conversation_types: Vec<u32>,
        /// Channel id argument.
        channel_id: String,
        /// Start time argument.
        start_time: i64,
        /// Count argument.
        count: u32,
        /// The page.
        conversations: Vec<Conversation>,
        /// Call correlation.
        event_id: EventId,
    },
    /// Result of loadConversation/getConversation (`onConversationLoaded`).
    ConversationLoaded {
        /// 0 on success.
        code: i32,
        /// The conversation argument.
        key: ConversationKey,
        /// The conversation, if it exists.
        conversation: Option<Conversation>,
        /// Call correlation.
        event_id: EventId,
    },
    /// Result of loadUnreadCount/getUnreadCount (`onUnreadCountLoaded`).
    UnreadCountLoaded {
        /// 0 on success.
        code: i32,
        /// The conversation argument.
        key: ConversationKey,
        /// Unread count.
        count: u64,
        /// Call correlation.
        event_id: EventId,
    },
    /// Result of loadTotalUnreadCount/getTotalUnreadCount (`onTotalUnreadCountLoaded`).
    TotalUnreadCountLoaded {
        /// 0 on success.
        code: i32,
        /// Channel id argument.
        channel_id: String,
        /// Total unread count.
        count: u64,
        /// Call correlation.
        event_id: EventId,
    },
    /// Result of clearUnreadCount (`onUnreadCountCleared`).
    UnreadCountCleared {
        /// 0 on success.
        code: i32,
        /// The conversation argument.
        key: ConversationKey,
        /// Timestamp argument.
        timestamp: i64,
        /// Call correlation.
        event_id: EventId,
    },
    /// Result of removeConversation (`onConversationRemoved`).
    ConversationRemoved {
        /// 0 on success.
        code: i32,
        /// The conversation argument.
        key: ConversationKey,
        /// Call correlation.
        event_id: EventId,
    },
    /// Result of loadMessageCount/getMessageCount (`onMessageCountLoaded`).
    MessageCountLoaded {
        /// 0 on success.
        code: i32,
        /// The conversation argument.
        key: ConversationKey,
        /// Number of stored messages.
        count: u64,
        /// Call correlation.
        event_id: EventId,
    },
    /// Result of loadFirstUnreadMessage/getFirstUnreadMessage (`onFirstUnreadMessageLoaded`).
    FirstUnreadMessageLoaded {
        /// 0 on success.
        code: i32,
        /// The conversation argument.
        key: ConversationKey,
        /// The oldest unread message; `None` (JSON null) when nothing is unread.
        message: Option<Message>,
        /// Call correlation.
        event_id: EventId,
    },
    /// Result of loadUnreadCountByConversationTypes/getUnreadCountByConversationTypes
    /// (`onUnreadCountByConversationTypesLoaded`).
    UnreadCountByConversationTypesLoaded {
        /// 0 on success.
        code: i32,
        /// Types argument.
        conversation_types: Vec<u32>,
        /// Channel id argument.
        channel_id: String,
        /// Contain argument (count muted conversations too).
        contain: bool,
        /// Unread count.
        count: u64,
        /// Call correlation.
        event_id: EventId,
    },
    /// Result of changeConversationTopStatus (`onConversationTopStatusChanged`).
    ConversationTopStatusChanged {
        /// 0 on success (stored on the server and locally).
        code: i32,
        /// The conversation.
        key: ConversationKey,
        /// Top argument.
        top: bool,
        /// Call correlation.
        event_id: EventId,
    },
    /// Result of loadConversationTopStatus/getConversationTopStatus
    /// (`onConversationTopStatusLoaded`).
    ConversationTopStatusLoaded {
        /// 0 on success.
        code: i32,
        /// The conversation.
        key: ConversationKey,
        /// Pinned (false when the conversation does not exist).
        top: bool,
        /// Call correlation.
        event_id: EventId,
    },
    /// Result of loadTopConversations/getTopConversations (`onTopConversationsLoaded`).
    TopConversationsLoaded {
        /// 0 on success.
        code: i32,
        /// Types argument.
        conversation_types: Vec<u32>,
        /// Channel id argument.
        channel_id: String,
        /// The pinned conversations, newest first.
        conversations: Vec<Conversation>,
        /// Call correlation.
        event_id: EventId,
    },
    /// Another device of this user pinned or unpinned a conversation
    /// (`onConversationTopStatusSynced`); already stored.
    ConversationTopStatusSynced {
        /// The conversation.
        key: ConversationKey,
        /// New pin state.
        top: bool,
    },
    /// Result of changeConversationNotificationLevel (`onConversationNotificationLevelChanged`).
    ConversationNotificationLevelChanged {
        /// 0 on success.
        code: i32,
        /// The conversation.
        key: ConversationKey,
        /// Level argument.
        level: u32,
        /// Call correlation.
        event_id: EventId,
    },
    /// Result of loadConversationNotificationLevel/getConversationNotificationLevel
    /// (`onConversationNotificationLevelLoaded`).
    ConversationNotificationLevelLoaded {
        /// 0 on success.
        code: i32,
        /// The conversation.
        key: ConversationKey,
        /// The level (0 when never set).
        level: u32,
        /// Call correlation.
        event_id: EventId,
    },
    /// Result of loadBlockedConversations/getBlockedConversations
    /// (`onBlockedConversationsLoaded`): conversations whose level is do-not-disturb (2..=5).
    BlockedConversationsLoaded {
        /// 0 on success.
        code: i32,
        /// Types argument.
        conversation_types: Vec<u32>,
        /// Channel id argument.
        channel_id: String,
        /// The muted conversations, newest first.
        conversations: Vec<Conversation>,
        /// Call correlation.
        event_id: EventId,
    },
    /// Result of saveDraftMessage (`onDraftMessageSaved`).
    DraftMessageSaved {
        /// 0 on success.
        code: i32,
        /// The conversation argument.
        key: ConversationKey,
        /// Draft argument.
        draft: String,
        /// Call correlation.
        event_id: EventId,
    },
    /// Result of clearDraftMessage (`onDraftMessageCleared`).
    DraftMessageCleared {
        /// 0 on success.
        code: i32,
        /// The conversation argument.
        key: ConversationKey,
        /// Call correlation.
        event_id: EventId,
    },
    /// Result of loadDraftMessage/getDraftMessage (`onDraftMessageLoaded`).
    DraftMessageLoaded {
        /// 0 on success.
        code: i32,
        /// The conversation argument.
        key: ConversationKey,
        /// Draft text ("" when none).
        draft: String,
        /// Call correlation.
        event_id: EventId,
    },
    /// Result of searchMessages (`onMessagesSearched`).
    MessagesSearched {
        /// 0 on success.
        code: i32,
        /// The conversation argument.
        key: ConversationKey,
        /// Keyword argument.
        keyword: String,
        /// Start time argument.
        start_time: i64,
        /// Count argument.
        count: u32,
        /// Matches, newest first.
        messages: Vec<Message>,
        /// Call correlation.
        event_id: EventId,
    },
}
