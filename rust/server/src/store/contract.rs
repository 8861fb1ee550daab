//! The storage contract: what the service layer needs from a database, whatever it is (the
//! embedded SQLite store today, a networked database later). Every method returns a boxed
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

use crate::model::{
    GroupOp, LoggedRequest, NewMessage, Push, RecallRequest, RequestKey, SendOutcome, SyncPage,
};
use futures::future::BoxFuture;
use rcim_proto::v1::inbox_entry;
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
    /// `require_member` refuses non-members with 22406.
    fn submit_message(&self, msg: NewMessage) -> BoxFuture<'_, StoreResult<PendingSend>>;

    /// Recalls a message; resolves with the recall time. Refusals: 25101 (unknown message or
    /// mismatching conversation), 25107 (not the sender). Recalling a recalled message
    /// answers the first recall's time and appends nothing; so does a repeated `request`.
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

    /// The outcome of the message `key.user_id` stored under the client message id
    /// `key.request_id` (`duplicate` set), if it is stored: what a resend is answered.
    fn sent_message(&self, key: RequestKey) -> BoxFuture<'_, StoreResult<Option<SendOutcome>>>;

    /// The request `key` executed by [`Self::recall`] or [`Self::append_event`] and its
    /// result, if it was (refusals are not logged).
    fn logged_request(&self, key: RequestKey) -> BoxFuture<'_, StoreResult<Option<LoggedRequest>>>;

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

    /// Deletes inbox entries, messages, dedupe records and logged requests older than
    /// `before_ms` (inbox heads stay).
    fn prune(&self, before_ms: i64) -> BoxFuture<'_, StoreResult<()>>;

    /// Sizes of the store's in-memory caches: (inbox heads, conversation clocks).
    fn cache_sizes(&self) -> (usize, usize);

    /// Stops after every queued write is applied; waits for it.
    fn close(&self) -> BoxFuture<'_, ()>;

    /// Stops at once, dropping queued writes (a crash, for tests).
    fn abort(&self);
}
