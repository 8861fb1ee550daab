//! What the store keeps of ultra-group channel streams (migration 13): each channel's
//! messages stored once (never per member), its counters (`conv_seq` for messages,
//! `change_seq` shared by messages and their later changes), and per (user, group, channel)
//! the read position and the cleared-before time.

use crate::model::{NewMessage, SendOutcome};
use rcim_proto::v1::Message;
use std::collections::HashMap;

/// A channel message to store: `msg.to_id` is the group, `msg.channel_id` the channel
/// (already defaulted), `msg.directed` the only readers besides the sender (empty = all).
#[derive(Debug, Clone)]
pub(crate) struct UgAppend {
    pub msg: NewMessage,
    /// The users `msg.content`'s `mentionedInfo` names (type 2).
    pub mentioned: Vec<String>,
    /// `mentionedInfo` type 1: "@all".
    pub mentions_all: bool,
}

/// A change of one stored message of a channel.
#[derive(Debug, Clone)]
pub(crate) struct UgChange {
    pub group_id: String,
    pub channel_id: String,
    pub uid: String,
    pub operator_id: String,
    pub kind: UgChangeKind,
}

/// What a [`UgChange`] does.
#[derive(Debug, Clone)]
pub(crate) enum UgChangeKind {
    /// New content (only the sender, same object name, not recalled: 34203 otherwise); the
    /// message's stored mentions follow the new content.
    Modify {
        object_name: String,
        content: String,
    },
    /// Replaced by its recall notification (only the sender unless `is_admin`: 34203).
    Recall { delete_remote: bool, is_admin: bool },
    /// Expansion keys set and removed (34008 without `can_expand`, 34010 over the caps; a
    /// directed message only by its sender and its users, 34203 otherwise).
    Expansion {
        set: HashMap<String, String>,
        remove: Vec<String>,
    },
}

/// One write to the ultra-group streams.
#[derive(Debug, Clone)]
pub(crate) enum UgWrite {
    /// Store a message (deduplicated by sender and client message id).
    Append(Box<UgAppend>),
    /// Change a message.
    Change(UgChange),
    /// `user` read the channel up to its newest message, at `time` (ms).
    Read {
        user_id: String,
        group_id: String,
        channel_id: String,
        time: i64,
    },
    /// `user` cleared the channel's messages sent at or before `before_time` (0: all of
    /// them, up to the channel's newest).
    Clear {
        user_id: String,
        group_id: String,
        channel_id: String,
        before_time: i64,
    },
}

/// What a [`UgWrite`] did.
#[derive(Debug, Clone)]
pub(crate) enum UgWritten {
    /// The message was stored (or found: `outcome.duplicate`, `message` then `None`).
    Appended {
        outcome: SendOutcome,
        message: Option<Box<Message>>,
    },
    /// The message changed: its new state (`None` for a repeated request or a recall of a
    /// recalled message), and the change's time (a recall's time).
    Changed {
        message: Option<Box<Message>>,
        time: i64,
        /// A directed message's readers (with its sender); empty = every reader.
        readers: Vec<String>,
    },
    /// A read position or clear time was recorded.
    Done,
}

/// "What changed in a channel after `after_seq`", as `user_id` may see it.
#[derive(Debug, Clone)]
pub(crate) struct UgChangesQuery {
    pub group_id: String,
    pub channel_id: String,
    pub user_id: String,
    pub after_seq: u64,
    /// 1..=100.
    pub count: u32,
    /// Retention: messages sent before this time (ms) are left out.
    pub since: i64,
    /// When set (not 0): only changes to messages the device holds (`conv_seq` <= this, or
    /// stored at or before `after_seq`), served from the index of changed messages.
    pub max_conv_seq: u64,
}

/// A page of changes, ascending by `change_seq`.
#[derive(Debug, Clone, Default)]
pub(crate) struct UgChangesPage {
    pub messages: Vec<Message>,
    pub head_seq: u64,
    pub more: bool,
}

/// A cloud history page of a channel (see `HistoryRequest`).
#[derive(Debug, Clone)]
pub(crate) struct UgHistoryQuery {
    pub group_id: String,
    pub channel_id: String,
    pub user_id: String,
    /// Bound of the page (0 = from the newest for BEFORE).
    pub sent_time: i64,
    pub after: bool,
    /// 1..=100.
    pub count: u32,
    pub since: i64,
}

/// The stream state of one channel for one user (see `UltraGroupChannelState`).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct UgChannelState {
    pub group_id: String,
    pub channel_id: String,
    pub head_seq: u64,
    pub last_message: Option<Message>,
    /// Capped at [`MAX_COUNTED_UNREAD`].
    pub unread: u32,
    pub unread_mentions: u32,
    pub read_time: i64,
    /// The read position by `conv_seq`: the channel's history head when the user last read
    /// it, or the newest history message from before they joined, whichever is later.
    pub read_seq: u64,
    pub cleared_before: i64,
}

/// The most unread (and unread mentioning) messages a state counts: the client shows at
/// most 999 (R230), so counting further would only cost time.
pub(crate) const MAX_COUNTED_UNREAD: u32 = 1000;
