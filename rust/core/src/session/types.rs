//! The session core's vocabulary: what goes in ([`Input`]), what comes out ([`Action`]), and
//! the store work it asks for ([`StoreJob`], answered by a [`StoreDone`] input).

use super::command::{Command, StopReason};
use super::operations::{Effect, Entry, ExpansionUpdate};
use crate::event::{Event, EventId};
use crate::model::Message;
use rcim_proto::v1::{ClientFrame, ConnectAck, Request as WireRequest, ServerFrame};
use rcim_store::outbox::QueuedOperation;
use rcim_store::{
    ConversationKey, ConversationSettingUpdate, MessageRow, NewMessage, ReadMark, RecallUpdate,
    SettingsSnapshot, StoreError, UserSettingUpdate,
};
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

/// Something that happened, fed to the core with the current time.
pub(crate) enum Input {
    /// A call of the engine's API.
    Command(Command),
    /// A store job finished.
    Stored(Box<StoreDone>),
    /// The connection attempt got the server's `ConnectAck` (any code).
    Opened(ConnectAck),
    /// The connection attempt failed and may be retried.
    OpenFailed(String),
    /// The navigation server refused the app key: retrying cannot help.
    NaviRefused,
    /// A frame from the server.
    Frame(Box<ServerFrame>),
    /// The transport closed or failed.
    Closed,
    /// Time passed (the driver ticks regularly and at [`super::core::SessionCore::wake_at`]).
    Tick,
    /// Whether the events waiting for the embedder exceed what the session may add to.
    Backpressure(bool),
    /// The engine asks to stop.
    Stop(StopReason),
}

/// Something the driver must do, in order.
#[derive(Debug)]
pub(crate) enum Action {
    /// Put a frame on the open transport.
    Send(ClientFrame),
    /// Run a store job and feed its [`StoreDone`] back before anything else.
    Store(StoreJob),
    /// Hand an event to the embedder (never blocking the session).
    Emit(Box<Event>),
    /// After `after`, open a connection: navigation, TCP, then `connect` (a `Connect` frame);
    /// give up the attempt at `deadline`. Answered by `Opened`, `OpenFailed` or `NaviRefused`.
    Open {
        after: Duration,
        connect: ClientFrame,
        deadline: Option<Instant>,
    },
    /// Drop the transport (and forget cached gateways when `fresh_navi`).
    Close { fresh_navi: bool },
    /// The session is over: store what is still handed over, deliver pending events, end.
    Finish,
    /// Hand a signal to the engine's ultra-group task (see `ultragroup`).
    Ultragroup(super::ultragroup::UltragroupSignal),
}

/// Work for the store thread.
#[derive(Debug)]
pub(crate) enum StoreJob {
    /// Read the inbox cursor and the outbox.
    Load,
    /// Store an outgoing message (or reuse a resent one) and queue its send unless `queue` is
    /// false (over the app's rate limit: it fails at once).
    PersistSend {
        new: Box<NewMessage>,
        resend_id: Option<i64>,
        queue: bool,
        message: Box<Message>,
        event_id: EventId,
    },
    /// Queue an operation that has no message row.
    Enqueue {
        request: Box<WireRequest>,
        payload: Vec<u8>,
        event_id: EventId,
        arg: Option<Box<Message>>,
    },
    /// Apply the answer of a queued operation and remove it from the outbox.
    Complete {
        entry: Box<Entry>,
        code: u32,
        effect: Box<Effect>,
    },
    /// Store a package of inbox entries and move the cursor.
    ApplyInbox(Box<InboxBatch>),
    /// Move the inbox cursor (a first sync, the server's inbox was reset or went back in
    /// time) and record the server's inbox epoch it counts in (0: leave the stored one).
    SetCursor { cursor: u64, epoch: u64 },
    /// Delete outbox rows this build cannot read.
    Discard(Vec<i64>),
    /// Read the settings version the store applied.
    SettingsVersion,
    /// Replace the settings by the server's.
    ApplySettings(Box<SettingsSnapshot>),
    /// Store chatroom messages, delete the local messages of rooms left.
    Chatroom(Box<super::chatroom_job::ChatroomJob>),
}

/// Inbox entries to store, with what is needed to announce them afterwards.
#[derive(Debug, Default)]
pub(crate) struct InboxBatch {
    pub(crate) rows: Vec<NewMessage>,
    /// Received messages that are not stored (announced once the batch is applied).
    pub(crate) unstored: Vec<Message>,
    pub(crate) recalls: Vec<RecallUpdate>,
    pub(crate) marks: Vec<ReadMark>,
    pub(crate) settings: Vec<ConversationSettingUpdate>,
    /// Messages this user deleted on another device (by uid), applied after the messages.
    pub(crate) deletions: Vec<(ConversationKey, Vec<String>)>,
    /// Conversations this user cleared on another device, up to a sent time (0 = all).
    pub(crate) clears: Vec<(ConversationKey, i64)>,
    pub(crate) cursor: u64,
    /// Inbox seq of each message uid (the `offline` flag).
    pub(crate) seq_of_uid: HashMap<String, u64>,
    /// Recalls made by someone else (announced as remote recalls).
    pub(crate) remote_recalls: HashSet<String>,
    /// Expansion changes (`ExpansionChange` entries), in inbox order.
    pub(crate) expansions: Vec<ExpansionChangeEntry>,
    /// The rows the expansion changes updated (index in `expansions`), filled when applied.
    pub(crate) expanded: Vec<(usize, MessageRow)>,
    /// User-level setting changes (`UserSettingChanged` entries), in inbox order.
    pub(crate) user_settings: Vec<UserSettingUpdate>,
    /// The settings version applied once the batch is stored.
    pub(crate) settings_version: u64,
    /// Conversations whose level another device changed: announced with their pin state
    /// once stored (there is no level-synced listener).
    pub(crate) level_synced: Vec<ConversationKey>,
    /// Events announced after the messages (read receipts, synced settings).
    pub(crate) after: Vec<Event>,
    /// Read-state sync, group receipts, blocked messages.
    pub(crate) messaging: super::messaging::MessagingBatch,
    /// More packages remain on the server.
    pub(crate) has_more: bool,
    /// Answer to a sync request (not a live push).
    pub(crate) from_sync: bool,
}

/// An `ExpansionChange` inbox entry: the server's whole expansion to store, and what changed
/// (announced when someone else, or this user on another device, made the change).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ExpansionChangeEntry {
    /// Stores the whole expansion (`replace`).
    pub(crate) update: ExpansionUpdate,
    /// The changed pairs.
    pub(crate) set: HashMap<String, String>,
    /// The removed keys.
    pub(crate) remove: Vec<String>,
    /// Made elsewhere: announce it.
    pub(crate) remote: bool,
}

/// The result of a [`StoreJob`].
#[derive(Debug)]
pub(crate) enum StoreDone {
    /// The inbox cursor (`None`: never synced) and the outbox.
    Loaded(Result<(Option<u64>, u64, Vec<QueuedOperation>), StoreError>),
    SendPersisted {
        /// The row, whether it must be sent, and its outbox id when it was queued.
        result: Result<Option<(MessageRow, bool, Option<i64>)>, StoreError>,
        queue: bool,
        message: Box<Message>,
        event_id: EventId,
    },
    Enqueued {
        result: Result<i64, StoreError>,
        request: Box<WireRequest>,
        event_id: EventId,
        arg: Option<Box<Message>>,
    },
    Completed {
        entry: Box<Entry>,
        code: u32,
        /// The message row the effect returned; `Err` when the effect could not be stored.
        stored: Result<Option<MessageRow>, StoreError>,
    },
    InboxApplied {
        result: Result<(Vec<MessageRow>, Vec<MessageRow>), StoreError>,
        batch: Box<InboxBatch>,
    },
    CursorSet(Result<(), StoreError>),
    Discarded(Result<(), StoreError>),
    /// The applied settings version.
    SettingsVersion(Result<u64, StoreError>),
    /// The snapshot of that version was stored; the conversations whose pin or level it
    /// changed, with their pin state.
    SettingsApplied(Result<(u64, Vec<(ConversationKey, bool)>), StoreError>),
    /// A chatroom job ran: what to announce.
    Chatroom(Box<super::chatroom_job::ChatroomDone>),
}
