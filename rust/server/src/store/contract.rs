//! The storage contract: what the service layer needs from a database, whatever it is (the
//! embedded SQLite store, or PostgreSQL shared by several nodes). Every method returns a boxed
//! future, so an implementation may wait on the network, and the trait stays usable as
//! `dyn ServerStore`.
//!
//! Rules every implementation keeps (checked by [`super::conformance`]):
//! * A write's future resolves after its effects are durable.
//! * Each user's inbox is one dense sequence (1, 2, 3, ...); the head survives pruning.
//! * Inbox entries a write commits are published on the store's commit feed
//!   ([`CommitBatch`]), in commit order, *before* that write's future resolves: live delivery
//!   then pushes them in sequence order, and a request's own pushes precede its answer.
//! * Refusals for a business reason are [`crate::model::Rejected`] errors (downcast from
//!   `anyhow::Error`) carrying the code to answer; any other error is a storage failure.

use crate::expansion::Stored;
use crate::model::{
    ChatroomEntry, ChatroomKvWrite, ExpansionUpdate, GroupOp, HistoryQuery, HistorySlice,
    LoggedRequest, ModerationOp, NewMessage, PruneCutoffs, Push, RecallRequest, ReceiptAnswer,
    ReceiptAsk, RequestKey, Restriction, RoomRestriction, SendOutcome, SensitiveWord, SyncPage,
    UserConversation,
};
use crate::push::records::{AudiencePage, PushDevice, PushQuery, PushRecipient, PushTemplate};
use crate::settings::SettingsUpdate;
use crate::store::ultragroup_stream_records::{
    UgChangesPage, UgChangesQuery, UgChannelState, UgHistoryQuery, UgWrite, UgWritten,
};
use crate::store::{ChatroomHistoryQuery, ChatroomWrite, UgDirectorySnapshot, UgDirectoryWrite};
use futures::future::BoxFuture;
use rcim_proto::v1::{inbox_entry, UserSettings};
use tokio::sync::mpsc;

/// A store operation's outcome (see the module docs for the error convention).
pub(crate) type StoreResult<T> = anyhow::Result<T>;

/// A send the store has queued: resolves with the outcome once committed.
pub(crate) type PendingSend = BoxFuture<'static, StoreResult<SendOutcome>>;

/// Answers the callers of a committed batch; run it once the batch's entries were handed to
/// live delivery.
pub(crate) struct Release(Box<dyn FnOnce() + Send>);

impl Release {
    /// Wraps the code that answers the batch's callers.
    pub(crate) fn new(f: impl FnOnce() + Send + 'static) -> Self {
        Self(Box::new(f))
    }

    /// Answers the callers.
    pub(crate) fn run(self) {
        (self.0)()
    }
}

/// Inbox entries committed together, in commit order.
pub(crate) struct CommitBatch {
    /// The entries, per user in sequence order.
    pub entries: Vec<Push>,
    /// Answers the writes of this batch: run after `entries` were delivered.
    pub release: Release,
}

/// The sending half of a commit feed, held by the store.
pub(crate) type CommitSink = mpsc::UnboundedSender<CommitBatch>;
/// The receiving half of a commit feed, read by the wiring that connects it to live delivery.
pub(crate) type CommitFeed = mpsc::UnboundedReceiver<CommitBatch>;

/// A new commit feed. Unbounded on purpose: the store's writer must never wait for delivery
/// (delivery itself never blocks, and the store's own queue bounds what can be in flight).
/// When nobody reads the feed any more, the store answers its callers directly.
pub(crate) fn commit_feed() -> (CommitSink, CommitFeed) {
    mpsc::unbounded_channel()
}

/// Publishes `batch` on `sink`, or answers its callers at once when nobody listens.
pub(crate) fn publish(sink: &CommitSink, batch: CommitBatch) {
    if let Err(unsent) = sink.send(batch) {
        unsent.0.release.run();
    }
}

/// Server-side storage. See the module docs for the rules every implementation keeps.
pub(crate) trait ServerStore: Send + Sync + 'static {
    /// Queues a message for storage and routing. Messages queued by one caller commit in the
    /// order their outer futures resolved; the returned [`PendingSend`] resolves after the
    /// commit. A message whose (sender, client message id) was stored before is not stored
    /// again: its outcome is the original one with `duplicate` set. Group messages go to every
    /// member's inbox (only `directed` ones when set, the sender when `include_sender`);
    /// `require_member` refuses non-members with 22406; `check_blacklist` refuses a private
    /// message whose recipient blacklisted the sender with 405.
    fn submit_message(&self, msg: NewMessage) -> BoxFuture<'_, StoreResult<PendingSend>>;

    /// Recalls a message; resolves with the recall time. Any participant may recall (private:
    /// either user; group: a member, or the sender). The stored message is replaced by its
    /// recall notification (`RC:RcNtf`, no expansion, no push text): sync and history return
    /// only that from then on. A `Recall` entry goes to every inbox holding the message and to
    /// the sender's. Refusals: 25101 (unknown message, or a conversation the operator is not
    /// in), 25107 (not the sender while `req.only_sender`), 22406 (a group non-member other
    /// than the sender). Recalling a recalled message answers the first recall's time and
    /// appends nothing; so does a repeated `request`.
    fn recall(
        &self,
        req: RecallRequest,
        request: Option<RequestKey>,
    ) -> BoxFuture<'_, StoreResult<i64>>;

    /// Appends `body` to the inbox of each of `owners` (duplicates ignored), once per
    /// `request`: a repeat appends nothing and succeeds. A request id already used for
    /// another kind of request is refused (33003).
    fn append_event(
        &self,
        owners: Vec<String>,
        body: inbox_entry::Body,
        request: Option<RequestKey>,
    ) -> BoxFuture<'_, StoreResult<()>>;

    /// Changes a message's expansion (keys and values already checked by the caller) and
    /// appends an `ExpansionChange` to every participant's inbox (private: both users; group:
    /// the current members; the operator only with `sync_operator`), once per `request`.
    /// Refusals: 34203 unknown message or a conversation the operator is not in, 34008 sent
    /// without expansion, 22406 a group non-member, 34010 more than 300 keys or
    /// [`crate::expansion::MAX_BYTES`] afterwards (nothing changed); 33003 a request id used
    /// for another kind of request.
    fn update_expansion(
        &self,
        update: ExpansionUpdate,
        request: Option<RequestKey>,
    ) -> BoxFuture<'_, StoreResult<()>>;

    /// The stored expansion of message `uid` (`None` when unknown).
    fn expansion(&self, uid: String) -> BoxFuture<'_, StoreResult<Option<Stored>>>;

    /// Hides the messages `uids` of `conv` from its user's history and removes them from
    /// the user's inbox (their sequences stay; sync skips them); uids unknown or of another
    /// conversation are ignored. Appends `MessagesDeleted` (from `device_id`) to the user's
    /// own inbox, once per `request`.
    fn delete_messages(
        &self,
        conv: UserConversation,
        uids: Vec<String>,
        device_id: String,
        request: Option<RequestKey>,
    ) -> BoxFuture<'_, StoreResult<()>>;

    /// Hides the messages of `conv` sent at or before `before_time` from its user's history
    /// (inbox copies stay; a lower time than a previous clear changes nothing) and appends
    /// `HistoryCleared` (from `device_id`) to the user's own inbox, once per `request`.
    fn clear_history(
        &self,
        conv: UserConversation,
        before_time: i64,
        device_id: String,
        request: Option<RequestKey>,
    ) -> BoxFuture<'_, StoreResult<()>>;

    /// A page of the cloud history of `q.conversation` as its user may see it (not deleted,
    /// not cleared, in a group only from their join time), per the protocol's `HistoryPage`:
    /// ascending sequences, the covered interval, `has_more`. Refusal: 22406 for a group
    /// the user is not a member of. A page also stops before it would not fit in a frame.
    fn history(&self, q: HistoryQuery) -> BoxFuture<'_, StoreResult<HistorySlice>>;

    /// The highest inbox sequence of `user_id` created before `time_ms` (0 if none).
    fn inbox_seq_before(&self, user_id: String, time_ms: i64) -> BoxFuture<'_, StoreResult<u64>>;

    /// The outcome of the message `key.user_id` stored under the client message id
    /// `key.request_id` (`duplicate` set), if it is stored: what a resend is answered.
    fn sent_message(&self, key: RequestKey) -> BoxFuture<'_, StoreResult<Option<SendOutcome>>>;

    /// The request `key` executed by [`Self::recall`], [`Self::append_event`],
    /// [`Self::update_expansion`], [`Self::delete_messages`] or [`Self::clear_history`] and its
    /// result, if it was (refusals are not logged).
    fn logged_request(&self, key: RequestKey) -> BoxFuture<'_, StoreResult<Option<LoggedRequest>>>;

    /// Applies `update` to its user's settings, which never expire (pruning leaves them):
    /// each change bumps the user's settings version and appends its entry, carrying that
    /// version, to the user's own inbox (`ConversationSetting` / `UserSettingChanged`, from
    /// `update.device_id`), once per `request`. A conversation back to the defaults (not
    /// pinned, level NONE) and a type level set to NONE are forgotten. Refusals: 20605 when
    /// the blacklist would hold more than [`crate::settings::MAX_BLACKLIST`] users (nothing
    /// changed); 33003 a request id used for another kind of request.
    fn change_settings(
        &self,
        update: SettingsUpdate,
        request: Option<RequestKey>,
    ) -> BoxFuture<'_, StoreResult<()>>;

    /// A page of `user_id`'s settings as of one version (see `SettingsRequest`):
    /// conversations ordered by (type, target, channel) and blacklisted ids in order, from the
    /// given offsets; `has_more` when either list goes on. A page fits in a frame.
    fn settings(
        &self,
        user_id: String,
        conversation_offset: u32,
        blacklist_offset: u32,
    ) -> BoxFuture<'_, StoreResult<UserSettings>>;

    /// The settings version of `user_id` (0 = never changed).
    fn settings_version(&self, user_id: String) -> BoxFuture<'_, StoreResult<u64>>;

    /// Whether `owner` blacklisted `user`.
    fn blacklisted(&self, owner: String, user: String) -> BoxFuture<'_, StoreResult<bool>>;

    /// The blacklist of `owner`, in the order of the settings pages.
    fn blacklist(&self, owner: String) -> BoxFuture<'_, StoreResult<Vec<String>>>;

    /// Registers a user or refreshes their profile (`None` leaves a field unchanged).
    fn upsert_user(
        &self,
        user_id: String,
        name: Option<String>,
        portrait: Option<String>,
    ) -> BoxFuture<'_, StoreResult<()>>;

    /// Tokens of these users issued before `time_ms` are refused from now on.
    fn expire_tokens(&self, user_ids: Vec<String>, time_ms: i64) -> BoxFuture<'_, StoreResult<()>>;

    /// The time before which `user_id`'s tokens are invalid (0 if none / unknown user).
    fn tokens_valid_after(&self, user_id: String) -> BoxFuture<'_, StoreResult<i64>>;

    /// Applies a membership change; resolves with the member count afterwards. At most
    /// [`crate::model::MAX_GROUP_MEMBERS`] members (1002 beyond, nothing changed).
    fn change_group(&self, op: GroupOp) -> BoxFuture<'_, StoreResult<usize>>;

    /// Member ids of a group in join order (empty for an unknown group).
    fn group_members(&self, group_id: String) -> BoxFuture<'_, StoreResult<Vec<String>>>;

    /// Highest inbox sequence of `user_id` ever assigned (0 if none).
    fn inbox_head(&self, user_id: String) -> BoxFuture<'_, StoreResult<u64>>;

    /// Inbox entries with `seq > after`: at most `min(limit, 200)` (0 = 200), fewer when the
    /// package would not fit in a frame; `has_more` says whether entries remain.
    fn sync(&self, user_id: String, after: u64, limit: u32)
        -> BoxFuture<'_, StoreResult<SyncPage>>;

    /// Deletes what is older than the retentions (see [`PruneCutoffs`]): inbox entries,
    /// messages outside the history, dedupe records and logged requests before
    /// `offline_before`; history messages (and the deletion and clear records about them)
    /// before `history_before`. Inbox and conversation heads stay, so sequences continue.
    fn prune(&self, cutoffs: PruneCutoffs) -> BoxFuture<'_, StoreResult<()>>;

    /// Changes the moderation state. A new sensitive word beyond `AddWord.max_words` is refused
    /// with its `over_limit_code`. A group message of a client (`require_member`) whose sender
    /// is gagged in the group is refused by [`Self::submit_message`] with 22408; a `blocked`
    /// message is answered like a stored one (deduped by client id) but only appends a
    /// `MessageBlocked` entry to its sender's inbox.
    fn moderate(&self, op: ModerationOp) -> BoxFuture<'_, StoreResult<()>>;

    /// Every sensitive word, oldest first.
    fn sensitive_words(&self) -> BoxFuture<'_, StoreResult<Vec<SensitiveWord>>>;

    /// Bans in force at `now_ms` (of `user_id` only, when given), by user id.
    fn bans(
        &self,
        user_id: Option<String>,
        now_ms: i64,
    ) -> BoxFuture<'_, StoreResult<Vec<Restriction>>>;

    /// Gags in force at `now_ms` in `group_id` (of `user_id` only, when given), by user id.
    fn gags(
        &self,
        group_id: String,
        user_id: Option<String>,
        now_ms: i64,
    ) -> BoxFuture<'_, StoreResult<Vec<Restriction>>>;

    /// Changes chatroom KV entries or per-room moderation lists (see [`ChatroomKvWrite`]). The
    /// KV limits and codes are the caller's: the store keeps what it is told. A restriction
    /// given again replaces its end.
    fn chatroom_kv_write(&self, op: ChatroomKvWrite) -> BoxFuture<'_, StoreResult<()>>;

    /// Every KV entry of `room_id`, ordered by key.
    fn chatroom_entries(&self, room_id: String) -> BoxFuture<'_, StoreResult<Vec<ChatroomEntry>>>;

    /// Every per-room restriction in force at `now_ms` (ends after it), ordered by room, kind
    /// and user.
    fn chatroom_restrictions(
        &self,
        now_ms: i64,
    ) -> BoxFuture<'_, StoreResult<Vec<RoomRestriction>>>;

    /// Marks a group message as asking for read receipts and appends `ReceiptRequested` to
    /// every member's inbox, once per `request` (asking again appends nothing). Refusals:
    /// 22406 the requester is not a member, 34203 not a message of this group and channel
    /// sent by the requester. History pages and sync then carry `Message.receipt`.
    fn request_receipt(
        &self,
        ask: ReceiptAsk,
        request: Option<RequestKey>,
    ) -> BoxFuture<'_, StoreResult<()>>;

    /// Records a member's first response to each message asking for receipts (others are
    /// skipped) and appends `ReceiptResponded` to the sender's inbox (every response) and the
    /// reader's (theirs), once per `request`. Refusal: 22406 the reader is not a member.
    fn respond_receipt(
        &self,
        answer: ReceiptAnswer,
        request: Option<RequestKey>,
    ) -> BoxFuture<'_, StoreResult<()>>;

    /// A device of `user_id` connected: its pushes are enabled again, its badge is back to 0,
    /// and `device` (when the device sent a token) becomes its registration. A token
    /// registered for another (user, device) moves to this one. A user keeps at most
    /// [`MAX_PUSH_DEVICES`](crate::push::records::MAX_PUSH_DEVICES) registrations: a new
    /// one beyond that evicts the device that connected least recently.
    fn push_device_connected(
        &self,
        user_id: String,
        device_id: String,
        device: Option<PushDevice>,
    ) -> BoxFuture<'_, StoreResult<()>>;

    /// Stops (`false`) or resumes pushes to one device (`Disconnect.receive_push`).
    fn set_push_enabled(
        &self,
        user_id: String,
        device_id: String,
        enabled: bool,
    ) -> BoxFuture<'_, StoreResult<()>>;

    /// Forgets a token the provider called unregistered (whichever device holds it).
    fn remove_push_token(&self, device: PushDevice) -> BoxFuture<'_, StoreResult<()>>;

    /// The receivers of `query` that have an enabled device with a token, with what the
    /// push decision needs about each, in the order of `query.receivers`. One read for the
    /// whole batch (a group of thousands must not cost a query per member).
    fn push_recipients(&self, query: PushQuery) -> BoxFuture<'_, StoreResult<Vec<PushRecipient>>>;

    /// Adds one to the badge of each (user, device) and returns the badges, in order (0 for
    /// a device not registered).
    ///
    /// A device's badge is the number of pushes sent to it since it last connected (reset to
    /// 0 by [`Self::push_device_connected`]); it is not the unread count of the device's
    /// local store, which the server does not know. `decided_at` (ms, the server clock) is
    /// when the push decision began, before it looked at who is online: a device that
    /// connected at or after it is not counted (its badge is returned as it is), since a
    /// decision that saw it offline just before it came online must not count against the
    /// badge its connect has just reset.
    fn bump_badges(
        &self,
        devices: Vec<(String, String)>,
        decided_at: i64,
    ) -> BoxFuture<'_, StoreResult<Vec<u32>>>;

    /// Every user with at least one enabled device, with those devices (a broadcast push),
    /// from `after_user` (exclusive) on, at most `limit` users, ordered by user id.
    fn push_audience(
        &self,
        after_user: String,
        limit: u32,
    ) -> BoxFuture<'_, StoreResult<AudiencePage>>;

    /// The enabled devices of `user_ids` (a per-user push), with their push settings.
    fn push_devices(&self, user_ids: Vec<String>)
        -> BoxFuture<'_, StoreResult<Vec<PushRecipient>>>;

    /// Creates or replaces a push template (all its languages). Refusal: 20605 (too many)
    /// beyond [`crate::push::records::MAX_TEMPLATES`] templates.
    fn put_push_template(&self, template: PushTemplate) -> BoxFuture<'_, StoreResult<()>>;

    /// Deletes a push template; false when there was none.
    fn delete_push_template(&self, id: String) -> BoxFuture<'_, StoreResult<bool>>;

    /// Every push template, ordered by id.
    fn push_templates(&self) -> BoxFuture<'_, StoreResult<Vec<PushTemplate>>>;

    /// The display names of a user and of a group (empty when unknown or unnamed): the
    /// default push title (R249) and a template's `{name}`.
    fn user_name(&self, user_id: String) -> BoxFuture<'_, StoreResult<String>>;
    fn group_name(&self, group_id: String) -> BoxFuture<'_, StoreResult<String>>;

    /// Changes the chatroom tables (see [`ChatroomWrite`] for the flag it resolves with);
    /// rooms survive a reopen (the implementation lists them at start). A room's stored
    /// messages are deleted with it; [`Self::prune`] deletes those sent before
    /// `PruneCutoffs::chatroom_before`.
    fn chatroom_write(&self, op: ChatroomWrite) -> BoxFuture<'_, StoreResult<bool>>;

    /// A page of a room's stored messages: sent before `q.timestamp` newest first (0 = from
    /// the newest), or after it oldest first with `q.newer`; at most `q.count`.
    fn chatroom_history(
        &self,
        q: ChatroomHistoryQuery,
    ) -> BoxFuture<'_, StoreResult<Vec<rcim_proto::v1::Message>>>;

    /// Writes to the ultra-group channel streams (see [`UgWrite`]; no inbox entries). A
    /// message is deduplicated by (sender, client message id) like [`Self::submit_message`]
    /// (its resend answers the original outcome, [`Self::sent_message`] finds it too); other
    /// writes are executed once per `request` (a repeat answers `Changed{message: None}`
    /// with a recall's original time). Refusals: 34203 an unknown uid of the channel, a
    /// modify by another user than the sender, of a recalled message or with another
    /// object name, a recall by another user than the sender without `is_admin`; 34008 an
    /// expansion change of a message sent without expansion; 34010 over the expansion caps.
    fn ug_write(
        &self,
        op: UgWrite,
        request: Option<RequestKey>,
    ) -> BoxFuture<'_, StoreResult<UgWritten>>;

    /// The messages of a channel whose `change_seq` is above `q.after_seq`, as `q.user_id`
    /// may see them (see `UltraGroupChangesRequest`), with the channel's change counter.
    fn ug_changes(&self, q: UgChangesQuery) -> BoxFuture<'_, StoreResult<UgChangesPage>>;

    /// A page of a channel's cloud history as `q.user_id` may see it (`HistoryPage`).
    fn ug_history(&self, q: UgHistoryQuery) -> BoxFuture<'_, StoreResult<HistorySlice>>;

    /// The messages `uids` of a channel as they are now, those `viewer` may see (`None`:
    /// all), in the order asked; unknown uids are left out.
    fn ug_messages(
        &self,
        group_id: String,
        channel_id: String,
        uids: Vec<String>,
        viewer: Option<String>,
    ) -> BoxFuture<'_, StoreResult<Vec<rcim_proto::v1::Message>>>;

    /// The stored expansion of message `uid` of a channel (`None` when unknown).
    fn ug_expansion(
        &self,
        group_id: String,
        channel_id: String,
        uid: String,
    ) -> BoxFuture<'_, StoreResult<Option<Stored>>>;

    /// The state of each of `channels` (group, channel) for `user_id`, in order, leaving out
    /// messages sent before `since` (retention).
    fn ug_states(
        &self,
        user_id: String,
        channels: Vec<(String, String)>,
        since: i64,
    ) -> BoxFuture<'_, StoreResult<Vec<UgChannelState>>>;

    /// Changes the ultra-group directory tables (see [`UgDirectoryWrite`]); the rules are the
    /// caller's. Never pruned; survives a reopen.
    fn ug_directory_write(&self, op: UgDirectoryWrite) -> BoxFuture<'_, StoreResult<()>>;

    /// Every row of the ultra-group directory (read once at start).
    fn ug_directory(&self) -> BoxFuture<'_, StoreResult<UgDirectorySnapshot>>;

    /// Sizes of the store's in-memory caches: (inbox heads, conversation clocks).
    fn cache_sizes(&self) -> (usize, usize);

    /// Writes queued and not yet taken by the writer (metrics; 0 when not known).
    fn write_queue_depth(&self) -> usize {
        0
    }

    /// The identity of the inbox sequence space (`ConnectAck.inbox_epoch`, never 0): it
    /// changes when the database went back in time, so devices resynchronise.
    fn inbox_epoch(&self) -> u64;

    /// Stops after every queued write is applied; waits for it.
    fn close(&self) -> BoxFuture<'_, ()>;

    /// Stops at once, dropping queued writes (a crash, for tests).
    fn abort(&self);
}
