//! The single writer: one thread applies every mutation, in batches of up to [`MAX_BATCH`]
//! commands per transaction (group commit). A failing command leaves no partial writes: each
//! runs in its own savepoint, except consecutive sends, which share one (see
//! [`Caches::apply_sends`]). After the commit it publishes the batch's inbox entries on the
//! commit feed together with the callers' replies, which the feed's reader sends once the
//! entries are delivered: an answer always follows a durable commit, and pushes to one user
//! leave in inbox sequence order.

use super::apply::{apply_expire, apply_group, apply_send, apply_upsert_user, once_per_request};
use super::chatroom::apply_chatroom_write;
use super::chatroom_kv::apply_chatroom_kv_write;
use super::db::{Db, Dialect, SqlError};
use super::epoch::{count_commit, EpochState, HighWater};
use super::expansion::apply_expansion;
use super::heads::{HeadCache, Heads, HeadsUndo};
use super::inbox::apply_event;
use super::moderation::apply_moderation;
use super::prune::{prune_step, PruneRun};
use super::push::{apply_push_write, PushWrite, PushWritten};
use super::reads::RequestKind;
use super::recall::apply_recall;
use super::receipts::{apply_receipt_request, apply_receipt_response};
use super::replies::Reply;
use super::settings::apply_settings;
use super::ultragroup_directory::apply_ug_directory_write;
use super::ultragroup_stream::apply_ug_once;
use super::visibility::{apply_clear, apply_delete};
use crate::model::{
    ChatroomKvWrite, ExpansionUpdate, GroupOp, ModerationOp, NewMessage, Push, RecallRequest,
    ReceiptAnswer, ReceiptAsk, RequestKey, SendOutcome, UserConversation,
};
use crate::settings::SettingsUpdate;
use crate::store::contract::{publish, CommitBatch, CommitSink, Release};
use crate::store::ultragroup_stream_records::{UgWrite, UgWritten};
use crate::store::{ChatroomWrite, UgDirectoryWrite};
use crate::util::now_ms;
use anyhow::anyhow;
use rcim_proto::v1::inbox_entry;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

/// Largest number of commands applied in one transaction.
pub(crate) const MAX_BATCH: usize = 512;
/// Inbox heads (and, apart, history heads) the writer caches before it forgets them all (they
/// reload from the database).
const MAX_CACHED_HEADS: usize = 65_536;
/// Conversations whose last sent time the writer keeps before dropping the ones that no
/// longer matter (see [`Writer::trim_caches`]).
const MAX_CONVERSATION_CLOCKS: usize = 100_000;

/// A mutation applied by the writer thread.
pub(crate) enum WriteCmd {
    /// Store and route a message.
    Send {
        msg: NewMessage,
        reply: oneshot::Sender<anyhow::Result<SendOutcome>>,
    },
    /// Register a user or refresh their profile fields (`None` = leave unchanged).
    UpsertUser {
        user_id: String,
        name: Option<String>,
        portrait: Option<String>,
        reply: oneshot::Sender<anyhow::Result<()>>,
    },
    /// Change group membership; replies with the member count afterwards.
    Group {
        op: GroupOp,
        reply: oneshot::Sender<anyhow::Result<usize>>,
    },
    /// Invalidate tokens of these users issued before `time_ms`.
    ExpireTokens {
        user_ids: Vec<String>,
        time_ms: i64,
        reply: oneshot::Sender<anyhow::Result<()>>,
    },
    /// One step of a prune `run`: delete up to `limit` rows per table of what the retentions
    /// no longer keep; replies with the rows deleted and the run's progress.
    Prune {
        run: PruneRun,
        limit: u32,
        reply: oneshot::Sender<anyhow::Result<(usize, PruneRun)>>,
    },
    /// An operation that appends inbox events and has no result, once per `request`.
    Event {
        op: EventOp,
        request: Option<RequestKey>,
        reply: oneshot::Sender<anyhow::Result<()>>,
    },
    /// Change the moderation state (sensitive words, bans, gags).
    Moderation {
        op: ModerationOp,
        reply: oneshot::Sender<anyhow::Result<()>>,
    },
    /// Change chatroom KV entries or moderation lists (no inbox entries).
    ChatroomKv {
        op: ChatroomKvWrite,
        reply: oneshot::Sender<anyhow::Result<()>>,
    },
    /// Recall a message; replies with the recall time (the original one for a repeated
    /// `request`).
    Recall {
        req: RecallRequest,
        request: Option<RequestKey>,
        reply: oneshot::Sender<anyhow::Result<i64>>,
    },
    /// Change push registrations, badges or templates (no inbox entries).
    Push {
        op: PushWrite,
        reply: oneshot::Sender<anyhow::Result<PushWritten>>,
    },
    /// Change a chatroom record or store a chatroom message (no inbox entries).
    Chatroom {
        op: ChatroomWrite,
        reply: oneshot::Sender<anyhow::Result<bool>>,
    },
    /// Write to the ultra-group streams (no inbox entries), once per `request`.
    UltraGroup {
        op: UgWrite,
        request: Option<RequestKey>,
        reply: oneshot::Sender<anyhow::Result<UgWritten>>,
    },
    /// Change the ultra-group directory (no inbox entries).
    UgDirectory {
        op: UgDirectoryWrite,
        reply: oneshot::Sender<anyhow::Result<()>>,
    },
}

/// The operations of [`WriteCmd::Event`]. Short-lived (one per request, moved once into the
/// writer), so the size of the inbox entry it carries inline does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
pub(crate) enum EventOp {
    /// Append `body` to the inbox of each of `owners` (a read receipt, a setting).
    Append {
        owners: Vec<String>,
        body: inbox_entry::Body,
    },
    /// Change a message's expansion.
    Expansion(ExpansionUpdate),
    /// Delete messages from a user's view.
    Delete {
        conv: UserConversation,
        uids: Vec<String>,
        device_id: String,
    },
    /// Clear a user's view of a conversation up to a time.
    Clear {
        conv: UserConversation,
        before_time: i64,
        device_id: String,
    },
    /// Change a user's settings.
    Settings(SettingsUpdate),
    /// Ask a group's members for read receipts of a message.
    ReceiptRequest(ReceiptAsk),
    /// A member's read receipts of group messages.
    ReceiptResponse(ReceiptAnswer),
}

impl EventOp {
    fn apply(self, c: &Db, heads: &HeadCache) -> anyhow::Result<Vec<Push>> {
        match self {
            EventOp::Append { owners, body } => apply_event(c, heads, owners, body),
            EventOp::Expansion(u) => apply_expansion(c, heads, u),
            EventOp::Delete {
                conv,
                uids,
                device_id,
            } => apply_delete(c, heads, conv, uids, device_id),
            EventOp::Clear {
                conv,
                before_time,
                device_id,
            } => apply_clear(c, heads, conv, before_time, device_id),
            EventOp::Settings(update) => apply_settings(c, heads, update),
            EventOp::ReceiptRequest(ask) => apply_receipt_request(c, heads, ask, now_ms()),
            EventOp::ReceiptResponse(answer) => apply_receipt_response(c, heads, answer, now_ms()),
        }
    }
}

pub(crate) struct Writer {
    conn: Db,
    /// Where committed inbox entries go (live delivery), with the replies to send after them.
    sink: CommitSink,
    /// The heads and clocks the commands read and move.
    caches: Caches,
    max_clocks: usize,
    /// Sizes of the two maps after the last batch, for [`Db::memory_stats`].
    stats: Arc<WriterStats>,
    /// Write batches committed (stored in `meta` with each batch, see [`super::epoch`]).
    commits: u64,
    /// The inbox epoch, recorded with `commits` in the high-water file after each commit.
    epoch: u64,
    highwater: Option<HighWater>,
}

/// Sizes of the writer's caches, published after each batch.
#[derive(Default)]
pub(crate) struct WriterStats {
    pub heads: AtomicUsize,
    pub conversation_clocks: AtomicUsize,
}

impl Writer {
    /// A writer on `conn` (migrated) publishing its commits on `sink`.
    pub(crate) fn new(conn: Db, sink: CommitSink, stats: Arc<WriterStats>) -> Self {
        // Where other nodes write too (PostgreSQL), no head survives the batch: heads are read
        // again under lock, and history times continue from the stored ones (`apply_send`).
        let (max_heads, max_clocks) = match conn.dialect() {
            Dialect::Sqlite => (MAX_CACHED_HEADS, MAX_CONVERSATION_CLOCKS),
            Dialect::Postgres => (0, 0),
        };
        Self {
            conn,
            sink,
            caches: Caches {
                heads: Heads::new(max_heads, max_heads),
                last_sent: HashMap::new(),
            },
            max_clocks,
            stats,
            commits: 0,
            epoch: 0,
            highwater: None,
        }
    }

    /// Continues the commit count of `state` and records it in `highwater` after each commit.
    pub(crate) fn with_epoch(mut self, state: EpochState, highwater: HighWater) -> Self {
        self.commits = state.commits;
        self.epoch = state.epoch;
        self.highwater = Some(highwater);
        self
    }

    /// Applies commands in batches until `stop` (then drains the queue, unless `aborted`).
    pub(crate) fn run(
        mut self,
        mut rx: mpsc::Receiver<WriteCmd>,
        stop: CancellationToken,
        aborted: Arc<AtomicBool>,
    ) {
        tracing::debug!("database writer started");
        loop {
            let first = futures::executor::block_on(async {
                tokio::select! {
                    biased;
                    cmd = rx.recv() => cmd,
                    _ = stop.cancelled() => None,
                }
            });
            let Some(first) = first else { break };
            if aborted.load(Ordering::SeqCst) {
                break;
            }
            let mut batch = Vec::with_capacity(16);
            batch.push(first);
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(c) => batch.push(c),
                    Err(_) => break,
                }
            }
            tracing::trace!(commands = batch.len(), "applying a batch");
            self.apply(batch);
        }
        if !aborted.load(Ordering::SeqCst) {
            // Graceful stop: apply what is still queued, then checkpoint the WAL.
            rx.close();
            let mut rest = Vec::new();
            while let Ok(c) = rx.try_recv() {
                rest.push(c);
                if rest.len() == MAX_BATCH {
                    self.apply(std::mem::take(&mut rest));
                }
            }
            if !rest.is_empty() {
                self.apply(rest);
            }
            if let Some(c) = self.conn.as_sqlite() {
                if let Err(e) = c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())) {
                    tracing::warn!(error = %e, "WAL checkpoint at shutdown failed");
                }
            }
        }
        tracing::debug!("database writer stopped");
    }

    /// Applies one batch in one transaction, then delivers pushes and replies.
    fn apply(&mut self, batch: Vec<WriteCmd>) {
        let mut out = BatchOut {
            replies: Vec::with_capacity(batch.len()),
            pushes: Vec::new(),
        };
        let begun = self
            .conn
            .ensure_open()
            .and_then(|()| self.conn.execute_batch("BEGIN"));
        if let Err(e) = begun {
            let err = anyhow::Error::from(e);
            tracing::error!(error = %err, "cannot begin a transaction");
            for cmd in batch {
                reply_of(cmd).into_iter().for_each(|r| r.fail(&err));
            }
            return;
        }
        let tx = &self.conn;
        let mut cmds = batch.into_iter().peekable();
        let mut fresh = true;
        while let Some(cmd) = cmds.next() {
            let cmd = match cmd {
                WriteCmd::Send { msg, reply } => {
                    let mut run = vec![(msg, reply)];
                    while matches!(cmds.peek(), Some(WriteCmd::Send { .. })) {
                        if let Some(WriteCmd::Send { msg, reply }) = cmds.next() {
                            run.push((msg, reply));
                        }
                    }
                    self.caches.apply_sends(tx, fresh, run, &mut out);
                    fresh = false;
                    if !tx.in_transaction() {
                        return self.fail_batch(&transaction_lost(), out, cmds);
                    }
                    continue;
                }
                other => other,
            };
            // Other commands may read heads with SQL (a join reads the history heads).
            if let Err(err) = self.caches.heads.flush(tx) {
                tracing::error!(error = %err, "writing the heads failed");
                return self.fail_batch(&err, out, std::iter::once(cmd).chain(cmds));
            }
            self.caches.apply_other(tx, cmd, &mut out);
            fresh = false;
            if !tx.in_transaction() {
                return self.fail_batch(&transaction_lost(), out, cmds);
            }
        }
        // A PostgreSQL block a failed statement aborted would "commit" as a rollback.
        if !tx.in_transaction() {
            return self.fail_batch(&transaction_lost(), out, std::iter::empty());
        }
        // The heads and the commit counter go with the batch (the counter lets the high-water
        // file tell a database that went back in time).
        let committed = self
            .caches
            .heads
            .flush(tx)
            .and_then(|()| match &self.highwater {
                Some(_) => count_commit(tx, self.commits + 1),
                None => Ok(()),
            })
            .and_then(|()| tx.execute_batch("COMMIT").map_err(anyhow::Error::from));
        if let Err(err) = committed {
            tracing::error!(error = %err, "commit failed");
            return self.fail_batch(&err, out, std::iter::empty());
        }
        self.commits += 1;
        if let Some(mark) = &mut self.highwater {
            if let Err(e) = mark.record(self.epoch, self.commits) {
                tracing::warn!(error = %e, "cannot record the commit in the high-water file");
            }
        }
        self.caches.heads.end_batch();
        self.trim_caches(now_ms());
        let BatchOut { replies, pushes } = out;
        let release = Release::new(move || {
            for r in replies {
                r.deliver();
            }
        });
        if pushes.is_empty() {
            release.run();
        } else {
            // Delivery first, then the answers: a request's own pushes precede its answer.
            publish(
                &self.sink,
                CommitBatch {
                    entries: pushes,
                    release,
                },
            );
        }
    }

    /// The batch is rolled back: every command fails with `err`.
    fn fail_batch(
        &mut self,
        err: &anyhow::Error,
        out: BatchOut,
        rest: impl Iterator<Item = WriteCmd>,
    ) {
        if self.conn.has_open_block() {
            if let Err(e) = self.conn.execute_batch("ROLLBACK") {
                tracing::warn!(error = %e, "rolling the failed batch back");
            }
        }
        // Cached heads may be ahead of what is stored: they reload lazily.
        self.caches.heads.forget_batch();
        for r in out.replies {
            r.fail(err);
        }
        for cmd in rest {
            reply_of(cmd).into_iter().for_each(|r| r.fail(err));
        }
    }
}

/// What the commands read and move, apart from the connection (which the batch's
/// transaction borrows).
struct Caches {
    /// Inbox heads of recently touched users and history heads of recently used
    /// conversations, written once per batch (see [`super::heads`]).
    heads: Heads,
    /// Last sent time per conversation, so times are strictly increasing per conversation.
    last_sent: HashMap<String, i64>,
}

impl Caches {
    /// Applies a run of consecutive sends together: in the batch's transaction itself when the
    /// run opens the batch (`fresh`), else in one savepoint. A savepoint copies each page it
    /// changes before the change, so one per send cost more than the sends' own writes. A send
    /// refused before it writes anything (see [`apply_send`]) is answered and the run goes on;
    /// one that fails after writing rolls the run back, and the run is applied again with a
    /// savepoint per send, so a failure never takes another send with it.
    fn apply_sends(
        &mut self,
        tx: &Db,
        fresh: bool,
        run: Vec<(NewMessage, SendReply)>,
        out: &mut BatchOut,
    ) {
        let mut done = RunDone::default();
        let together = if fresh {
            let r = self.send_all(tx, &run, &mut done);
            if r.is_err() {
                // Nothing else is in the transaction yet: start it again (SQLite may have
                // rolled it back already, after an I/O error or a full disk).
                let restarted = if !tx.has_open_block() {
                    tx.execute_batch("BEGIN")
                } else {
                    tx.execute_batch("ROLLBACK; BEGIN")
                };
                if let Err(e) = restarted {
                    tracing::error!(error = %e, "cannot restart the batch's transaction");
                }
            }
            r
        } else {
            in_savepoint(tx, |sp| self.send_all(sp, &run, &mut done))
        };
        let RunDone {
            undo,
            results,
            pushes,
        } = done;
        match together {
            Ok(()) => {
                out.pushes.extend(pushes);
                for ((_, reply), r) in run.into_iter().zip(results) {
                    out.replies.push(Reply::Send(reply, r));
                }
            }
            Err(e) if !tx.in_transaction() => {
                // The transaction is gone: the batch fails (see `Writer::apply`); nothing may
                // run outside it.
                self.heads.restore(undo);
                for (_, reply) in run {
                    out.replies.push(Reply::Send(reply, Err(anyhow!("{e:#}"))));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, sends = run.len(), "a run of sends failed: applying it one by one");
                self.heads.restore(undo);
                for (msg, reply) in run {
                    let mut r = self.send_alone(tx, msg.clone());
                    if r.as_ref().is_err_and(SqlError::is_conflict) {
                        // Another node's commit took a key first (the same client message id
                        // resent through it) or a deadlock picked this send: once more, now
                        // that the other transaction is over, a resend finds the original.
                        r = self.send_alone(tx, msg);
                    }
                    let r = r.map(|(outcome, new_pushes)| {
                        out.pushes.extend(new_pushes);
                        outcome
                    });
                    out.replies.push(Reply::Send(reply, r));
                }
            }
        }
    }

    /// Applies one send in a savepoint of its own.
    fn send_alone(&mut self, tx: &Db, msg: NewMessage) -> anyhow::Result<(SendOutcome, Vec<Push>)> {
        let heads = &self.heads;
        let last_sent = &mut self.last_sent;
        let r = in_savepoint(tx, |c| apply_send(c, heads, last_sent, msg));
        self.kept(r)
    }

    /// Applies each send of `run` on `c`; stops at the first that fails after writing.
    fn send_all(
        &mut self,
        c: &Db,
        run: &[(NewMessage, SendReply)],
        done: &mut RunDone,
    ) -> anyhow::Result<()> {
        for (msg, _) in run {
            let written = c.total_changes();
            match apply_send(c, &self.heads, &mut self.last_sent, msg.clone()) {
                Ok((outcome, pushes)) => {
                    self.heads.apply_staged(Some(&mut done.undo));
                    done.pushes.extend(pushes);
                    done.results.push(Ok(outcome));
                }
                Err(e) if c.total_changes() == written => {
                    self.heads.drop_staged();
                    done.results.push(Err(e));
                }
                Err(e) => {
                    self.heads.drop_staged();
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// Keeps or drops the heads staged by a command applied in its own savepoint.
    fn kept<T>(&mut self, r: anyhow::Result<T>) -> anyhow::Result<T> {
        match &r {
            Ok(_) => self.heads.apply_staged(None),
            Err(_) => self.heads.drop_staged(),
        }
        r
    }

    /// Applies a command in its own savepoint (a send as a run of one); once more when it
    /// lost a conflict to another node's transaction ([`retried`]).
    fn apply_other(&mut self, tx: &Db, cmd: WriteCmd, out: &mut BatchOut) {
        let heads = &mut self.heads;
        let reply = match cmd {
            // Sends come as runs (see `Writer::apply`); a lone one is a run of one.
            WriteCmd::Send { msg, reply } => {
                return self.apply_sends(tx, false, vec![(msg, reply)], out);
            }
            WriteCmd::UpsertUser {
                user_id,
                name,
                portrait,
                reply,
            } => {
                let r = retried(heads, tx, |c, _| {
                    apply_upsert_user(c, &user_id, name.clone(), portrait.clone())
                });
                Reply::Unit(reply, r)
            }
            WriteCmd::Group { op, reply } => {
                Reply::Count(reply, retried(heads, tx, |c, _| apply_group(c, op.clone())))
            }
            WriteCmd::ExpireTokens {
                user_ids,
                time_ms,
                reply,
            } => Reply::Unit(
                reply,
                retried(heads, tx, |c, _| apply_expire(c, &user_ids, time_ms)),
            ),
            WriteCmd::Event { op, request, reply } => {
                let r = retried(heads, tx, |c, h| {
                    once_per_request(c, request.as_ref(), RequestKind::Event, |c| {
                        op.clone().apply(c, h).map(|p| (0, p))
                    })
                });
                let r = r.map(|(_, p)| out.pushes.extend(p));
                Reply::Unit(reply, r)
            }
            WriteCmd::Recall {
                req,
                request,
                reply,
            } => {
                let r = retried(heads, tx, |c, h| {
                    once_per_request(c, request.as_ref(), RequestKind::Recall, |c| {
                        apply_recall(c, h, req.clone())
                    })
                });
                let r = r.map(|(time, p)| {
                    out.pushes.extend(p);
                    time
                });
                Reply::Time(reply, r)
            }
            WriteCmd::Moderation { op, reply } => Reply::Unit(
                reply,
                retried(heads, tx, |c, _| apply_moderation(c, op.clone(), now_ms())),
            ),
            WriteCmd::ChatroomKv { op, reply } => Reply::Unit(
                reply,
                retried(heads, tx, |c, _| {
                    apply_chatroom_kv_write(c, op.clone(), now_ms())
                }),
            ),
            WriteCmd::Push { op, reply } => Reply::Push(
                reply,
                retried(heads, tx, |c, _| apply_push_write(c, op.clone(), now_ms())),
            ),
            WriteCmd::Chatroom { op, reply } => Reply::Flag(
                reply,
                retried(heads, tx, |c, _| apply_chatroom_write(c, op.clone())),
            ),
            WriteCmd::UltraGroup { op, request, reply } => Reply::Ug(
                reply,
                retried(heads, tx, |c, _| {
                    apply_ug_once(c, op.clone(), request.as_ref(), now_ms())
                }),
            ),
            WriteCmd::UgDirectory { op, reply } => Reply::Unit(
                reply,
                retried(heads, tx, |c, _| apply_ug_directory_write(c, op.clone())),
            ),
            WriteCmd::Prune {
                mut run,
                limit,
                reply,
            } => {
                let r = in_savepoint(tx, |c| prune_step(c, &mut run, limit));
                if let Err(e) = &r {
                    tracing::warn!(error = %e, "pruning failed");
                }
                Reply::Pruned(reply, r.map(|p| (p.total(), run)))
            }
        };
        // What the command staged is kept with its writes.
        if reply.succeeded() {
            self.heads.apply_staged(None);
        } else {
            self.heads.drop_staged();
        }
        out.replies.push(reply);
    }
}

/// The batch's transaction cannot commit: SQLite rolled it back by itself (an I/O error, a
/// full disk), a failed statement left the PostgreSQL block aborted, or the connection went.
/// What ran in it is gone, and what is left of the batch must not run outside a transaction
/// (each statement would commit on its own).
fn transaction_lost() -> anyhow::Error {
    tracing::error!("the database rolled the batch back: the batch fails");
    anyhow!("the database rolled the batch's transaction back")
}

/// What a batch has to deliver once it is committed.
struct BatchOut {
    replies: Vec<Reply>,
    pushes: Vec<Push>,
}

type SendReply = oneshot::Sender<anyhow::Result<SendOutcome>>;

/// What a run of sends applied together did, kept only if the whole run is.
#[derive(Default)]
struct RunDone {
    undo: HeadsUndo,
    results: Vec<anyhow::Result<SendOutcome>>,
    pushes: Vec<Push>,
}

impl Writer {
    /// Keeps the caches bounded; called after a commit, so the database has every head.
    ///
    /// * `heads` is a read-through cache: dropping it all costs one indexed read per user on
    ///   their next message.
    /// * `last_sent`: a new message gets `max(now, last + 1)`, so an entry only matters while
    ///   `last >= now`; once the clock has passed it, any new time is already greater. Entries
    ///   with `last < now` are dropped, which keeps sent times strictly increasing per
    ///   conversation (as long as the wall clock does not step back, which nothing here can
    ///   guard against across restarts anyway).
    fn trim_caches(&mut self, now: i64) {
        if self.caches.last_sent.len() > self.max_clocks {
            self.caches.last_sent.retain(|_, t| *t >= now);
        }
        self.stats
            .heads
            .store(self.caches.heads.len(), Ordering::Relaxed);
        self.stats
            .conversation_clocks
            .store(self.caches.last_sent.len(), Ordering::Relaxed);
    }
}

/// Runs `f` inside a savepoint of `tx`: its writes are kept only if it succeeds.
fn in_savepoint<T>(tx: &Db, f: impl FnOnce(&Db) -> anyhow::Result<T>) -> anyhow::Result<T> {
    tx.execute_batch("SAVEPOINT cmd")?;
    let done = f(tx).and_then(|out| {
        tx.execute_batch("RELEASE cmd")?;
        Ok(out)
    });
    match done {
        Ok(out) => Ok(out),
        Err(e) => {
            // Leaves the transaction as it was before `f` (on PostgreSQL, usable again).
            if tx.has_open_block() {
                if let Err(undo) = tx.execute_batch("ROLLBACK TO cmd; RELEASE cmd") {
                    tracing::warn!(error = %undo, "rolling a command back");
                }
            }
            Err(e)
        }
    }
}

/// Runs `f` in a savepoint of its own, and once more when it lost a race with another
/// node's transaction on a shared PostgreSQL (a deadlock victim, a key taken meanwhile):
/// the second try waits for that transaction and sees its rows. Not after a lock wait that
/// timed out (the writer would wait as long again). What the first try staged is dropped.
/// On SQLite (one writer) nothing conflicts.
fn retried<T>(
    heads: &mut Heads,
    tx: &Db,
    mut f: impl FnMut(&Db, &HeadCache) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let r = in_savepoint(tx, |c| f(c, &heads.inbox));
    if !(r.as_ref().is_err_and(SqlError::is_lost_race) && tx.in_transaction()) {
        return r;
    }
    heads.drop_staged();
    tracing::debug!("a write lost a conflict to another node; trying it once more");
    in_savepoint(tx, |c| f(c, &heads.inbox))
}

/// The reply of a command that will not be applied (its batch failed first).
fn reply_of(cmd: WriteCmd) -> Option<Reply> {
    match cmd {
        WriteCmd::Send { reply, .. } => Some(Reply::Send(reply, Err(anyhow!("unused")))),
        WriteCmd::UpsertUser { reply, .. }
        | WriteCmd::ExpireTokens { reply, .. }
        | WriteCmd::Event { reply, .. }
        | WriteCmd::Moderation { reply, .. }
        | WriteCmd::ChatroomKv { reply, .. }
        | WriteCmd::UgDirectory { reply, .. } => Some(Reply::Unit(reply, Ok(()))),
        WriteCmd::Prune { reply, .. } => Some(Reply::Pruned(reply, Err(anyhow!("unused")))),
        WriteCmd::Group { reply, .. } => Some(Reply::Count(reply, Ok(0))),
        WriteCmd::Recall { reply, .. } => Some(Reply::Time(reply, Ok(0))),
        WriteCmd::Push { reply, .. } => Some(Reply::Push(reply, Ok(PushWritten::Done))),
        WriteCmd::Chatroom { reply, .. } => Some(Reply::Flag(reply, Ok(false))),
        WriteCmd::UltraGroup { reply, .. } => Some(Reply::Ug(reply, Ok(UgWritten::Done))),
    }
}

#[cfg(test)]
#[path = "writer_tests.rs"]
mod tests;
