//! What the engine asks of the session: the commands of its API calls and why it stops.

use crate::event::EventId;
use crate::model::Message;
use rcim_store::ConversationKey;
use std::time::Instant;

/// Requests of the engine to the session.
pub(crate) enum Command {
    /// Store, announce and send a message.
    Send {
        message: Box<Message>,
        event_id: EventId,
        /// When the app called `sendMessage`.
        requested: Instant,
    },
    /// Recall a sent message (`recallMessage`).
    Recall {
        message: Box<Message>,
        event_id: EventId,
    },
    /// Change a conversation setting (`changeConversationTopStatus`,
    /// `changeConversationNotificationLevel`).
    Setting(SettingChange),
    /// Send a private read receipt (`sendPrivateReadReceiptMessage`).
    ReadReceipt {
        target_id: String,
        channel_id: String,
        timestamp: i64,
        event_id: EventId,
    },
}

/// A conversation setting change (top and/or notification level).
#[derive(Debug)]
pub(crate) struct SettingChange {
    pub(crate) key: ConversationKey,
    pub(crate) top: Option<bool>,
    pub(crate) level: Option<u32>,
    pub(crate) event_id: EventId,
}

/// Why the engine asks the session to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StopReason {
    /// Keep running.
    Run,
    /// `disconnect()`; push after logout is wanted or not.
    SignOut { receive_push: bool },
    /// The engine is being destroyed.
    Shutdown,
}
