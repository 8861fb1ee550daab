//! The single writer: one thread applies every mutation, in batches of up to [`MAX_BATCH`]
//! commands per transaction (group commit), each command in its own savepoint so a failing
//! one leaves no partial writes. After the commit it publishes the batch's inbox entries on the
//! commit feed together with the callers' replies, which the feed's reader sends once the
//! entries are delivered: an answer always follows a durable commit, and pushes to one user
//! leave in inbox sequence order.

use super::apply::{apply_expire, apply_group, apply_send, apply_upsert_user, once_per_request};
use super::chatroom::apply_chatroom_write;
use super::chatroom_kv::apply_chatroom_kv_write;
use super::epoch::{count_commit, EpochState, HighWater};
use super::expansion::apply_expansion;
use super::inbox::apply_event;
use super::moderation::apply_moderation;
use super::prune::{prune_step, PruneRun};
use super::push::{apply_push_write, PushWrite, PushWritten};
use super::reads::RequestKind;
use super::recall::apply_recall;
use super::receipts::{apply_receipt_request, apply_receipt_response};
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
use rusqlite::{Connection, Transaction};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

/// Largest number of commands applied in one transaction.
pub(crate) const MAX_BATCH: usize = 512;
/// Inbox heads the writer caches before it forgets them all (they reload from the database).
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
    fn apply(self, c: &Connection, heads: &HashMap<String, u64>) -> anyhow::Result<Vec<Push>> {
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

/// A reply to send once the batch is committed.
enum Reply {
    Send(
        oneshot::Sender<anyhow::Result<SendOutcome>>,
        anyhow::Result<SendOutcome>,
    ),
    Unit(oneshot::Sender<anyhow::Result<()>>, anyhow::Result<()>),
    Count(
        oneshot::Sender<anyhow::Result<usize>>,
        anyhow::Result<usize>,
    ),
    Time(oneshot::Sender<anyhow::Result<i64>>, anyhow::Result<i64>),
    Push(
        oneshot::Sender<anyhow::Result<PushWritten>>,
        anyhow::Result<PushWritten>,
    ),
    Flag(oneshot::Sender<anyhow::Result<bool>>, anyhow::Result<bool>),
    Ug(
        oneshot::Sender<anyhow::Result<UgWritten>>,
        anyhow::Result<UgWritten>,
    ),
    Pruned(
        oneshot::Sender<anyhow::Result<(usize, PruneRun)>>,
        anyhow::Result<(usize, PruneRun)>,
    ),
}

impl Reply {
    fn fail(self, err: &anyhow::Error) {
        match self {
            Reply::Send(tx, _) => {
                let _ = tx.send(Err(anyhow!("commit failed: {err:#}")));
            }
            Reply::Unit(tx, _) => {
                let _ = tx.send(Err(anyhow!("commit failed: {err:#}")));
            }
            Reply::Count(tx, _) => {
                let _ = tx.send(Err(anyhow!("commit failed: {err:#}")));
            }
            Reply::Time(tx, _) => {
                let _ = tx.send(Err(anyhow!("commit failed: {err:#}")));
            }
            Reply::Push(tx, _) => {
                let _ = tx.send(Err(anyhow!("commit failed: {err:#}")));
            }
            Reply::Flag(tx, _) => {
                let _ = tx.send(Err(anyhow!("commit failed: {err:#}")));
            }
            Reply::Ug(tx, _) => {
                let _ = tx.send(Err(anyhow!("commit failed: {err:#}")));
            }
            Reply::Pruned(tx, _) => {
                let _ = tx.send(Err(anyhow!("commit failed: {err:#}")));
            }
        }
    }

    fn deliver(self) {
        match self {
            Reply::Send(tx, r) => {
                let _ = tx.send(r);
            }
            Reply::Unit(tx, r) => {
                let _ = tx.send(r);
            }
            Reply::Count(tx, r) => {
                let _ = tx.send(r);
            }
            Reply::Time(tx, r) => {
                let _ = tx.send(r);
            }
            Reply::Push(tx, r) => {
                let _ = tx.send(r);
            }
            Reply::Flag(tx, r) => {
                let _ = tx.send(r);
            }
            Reply::Ug(tx, r) => {
                let _ = tx.send(r);
            }
            Reply::Pruned(tx, r) => {
                let _ = tx.send(r);
            }
        }
    }
}

pub(crate) struct Writer {
    conn: Connection,
    /// Where committed inbox entries go (live delivery), with the replies to send after them.
    sink: CommitSink,
    /// Inbox heads of recently touched users (authoritative while present; a miss reads the
    /// database). Cleared when it holds more than `max_heads` users.
    heads: HashMap<String, u64>,
    /// Last sent time per conversation, so times are strictly increasing per conversation.
    last_sent: HashMap<String, i64>,
    max_heads: usize,
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
    pub(crate) fn new(conn: Connection, sink: CommitSink, stats: Arc<WriterStats>) -> Self {
        Self {
            conn,
            sink,
            heads: HashMap::new(),
            last_sent: HashMap::new(),
            max_heads: MAX_CACHED_HEADS,
            max_clocks: MAX_CONVERSATION_CLOCKS,
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
            if let Err(e) = self
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            {
                tracing::warn!(error = %e, "WAL checkpoint at shutdown failed");
            }
        }
        tracing::debug!("database writer stopped");
    }

    /// Applies one batch in one transaction, then delivers pushes and replies.
    fn apply(&mut self, batch: Vec<WriteCmd>) {
        let mut replies = Vec::with_capacity(batch.len());
        let mut pushes: Vec<Push> = Vec::new();
        let mut tx = match self.conn.transaction() {
            Ok(tx) => tx,
            Err(e) => {
                let err = anyhow::Error::from(e);
                tracing::error!(error = %err, "cannot begin a transaction");
                for cmd in batch {
                    reply_of(cmd).into_iter().for_each(|r| r.fail(&err));
                }
                return;
            }
        };
        // Each command runs in its own savepoint, so a failing one leaves no partial writes
        // and the others still commit.
        let mut heads_touched: Vec<(String, u64)> = Vec::new();
        for cmd in batch {
            match cmd {
                WriteCmd::Send { msg, reply } => {
                    let heads = &self.heads;
                    let last_sent = &mut self.last_sent;
                    let r = in_savepoint(&mut tx, |c| apply_send(c, heads, last_sent, msg));
                    let r = r.map(|(outcome, new_pushes)| {
                        for p in &new_pushes {
                            heads_touched.push((p.user_id.clone(), p.seq));
                            self.heads.insert(p.user_id.clone(), p.seq);
                        }
                        pushes.extend(new_pushes);
                        outcome
                    });
                    replies.push(Reply::Send(reply, r));
                }
                WriteCmd::UpsertUser {
                    user_id,
                    name,
                    portrait,
                    reply,
                } => {
                    let r =
                        in_savepoint(&mut tx, |c| apply_upsert_user(c, &user_id, name, portrait));
                    replies.push(Reply::Unit(reply, r));
                }
                WriteCmd::Group { op, reply } => {
                    let r = in_savepoint(&mut tx, |c| apply_group(c, op));
                    replies.push(Reply::Count(reply, r));
                }
                WriteCmd::ExpireTokens {
                    user_ids,
                    time_ms,
                    reply,
                } => {
                    let r = in_savepoint(&mut tx, |c| apply_expire(c, &user_ids, time_ms));
                    replies.push(Reply::Unit(reply, r));
                }
                WriteCmd::Event { op, request, reply } => {
                    let heads = &self.heads;
                    let r = in_savepoint(&mut tx, |c| {
                        once_per_request(c, request.as_ref(), RequestKind::Event, |c| {
                            op.apply(c, heads).map(|p| (0, p))
                        })
                    });
                    let r = r.map(|(_, p)| p);
                    let r = r.map(|new_pushes| {
                        for p in &new_pushes {
                            heads_touched.push((p.user_id.clone(), p.seq));
                            self.heads.insert(p.user_id.clone(), p.seq);
                        }
                        pushes.extend(new_pushes);
                    });
                    replies.push(Reply::Unit(reply, r));
                }
                WriteCmd::Recall {
                    req,
                    request,
                    reply,
                } => {
                    let heads = &self.heads;
                    let r = in_savepoint(&mut tx, |c| {
                        once_per_request(c, request.as_ref(), RequestKind::Recall, |c| {
                            apply_recall(c, heads, req)
                        })
                    });
                    let r = r.map(|(time, new_pushes)| {
                        for p in &new_pushes {
                            heads_touched.push((p.user_id.clone(), p.seq));
                            self.heads.insert(p.user_id.clone(), p.seq);
                        }
                        pushes.extend(new_pushes);
                        time
                    });
                    replies.push(Reply::Time(reply, r));
                }
                WriteCmd::Moderation { op, reply } => {
                    let r = in_savepoint(&mut tx, |c| apply_moderation(c, op, now_ms()));
                    replies.push(Reply::Unit(reply, r));
                }
                WriteCmd::ChatroomKv { op, reply } => {
                    let r = in_savepoint(&mut tx, |c| apply_chatroom_kv_write(c, op, now_ms()));
                    replies.push(Reply::Unit(reply, r));
                }
                WriteCmd::Push { op, reply } => {
                    let r = in_savepoint(&mut tx, |c| apply_push_write(c, op, now_ms()));
                    replies.push(Reply::Push(reply, r));
                }
                WriteCmd::Chatroom { op, reply } => {
                    let r = in_savepoint(&mut tx, |c| apply_chatroom_write(c, op));
                    replies.push(Reply::Flag(reply, r));
                }
                WriteCmd::UltraGroup { op, request, reply } => {
                    let r = in_savepoint(&mut tx, |c| {
                        apply_ug_once(c, op, request.as_ref(), now_ms())
                    });
                    replies.push(Reply::Ug(reply, r));
                }
                WriteCmd::UgDirectory { op, reply } => {
                    let r = in_savepoint(&mut tx, |c| apply_ug_directory_write(c, op));
                    replies.push(Reply::Unit(reply, r));
                }
                WriteCmd::Prune {
                    mut run,
                    limit,
                    reply,
                } => {
                    let r = in_savepoint(&mut tx, |c| prune_step(c, &mut run, limit));
                    if let Err(e) = &r {
                        tracing::warn!(error = %e, "pruning failed");
                    }
                    replies.push(Reply::Pruned(reply, r.map(|p| (p.total(), run))));
                }
            }
        }
        // The commit counter goes with the batch, so the high-water file can tell a database
        // that went back in time.
        let committed = count_commit(&tx, self.commits + 1)
            .and_then(|()| tx.commit().map_err(anyhow::Error::from));
        if let Err(err) = committed {
            tracing::error!(error = %err, "commit failed");
            // Cached heads may be ahead of what is stored: reload them lazily.
            for (user, _) in heads_touched {
                self.heads.remove(&user);
            }
            for r in replies {
                r.fail(&err);
            }
            return;
        }
        self.commits += 1;
        if let Some(mark) = &mut self.highwater {
            if let Err(e) = mark.record(self.epoch, self.commits) {
                tracing::warn!(error = %e, "cannot record the commit in the high-water file");
            }
        }
        self.trim_caches(now_ms());
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
        if self.heads.len() > self.max_heads {
            tracing::debug!(users = self.heads.len(), "clearing the inbox head cache");
            self.heads.clear();
        }
        if self.last_sent.len() > self.max_clocks {
            self.last_sent.retain(|_, t| *t >= now);
        }
        self.stats.heads.store(self.heads.len(), Ordering::Relaxed);
        self.stats
            .conversation_clocks
            .store(self.last_sent.len(), Ordering::Relaxed);
    }
}

/// Runs `f` inside a savepoint of `tx`: its writes are kept only if it succeeds.
fn in_savepoint<T>(
    tx: &mut Transaction<'_>,
    f: impl FnOnce(&Connection) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let sp = tx.savepoint()?;
    let out = f(&sp)?; // dropping `sp` on error rolls it back
    sp.commit()?;
    Ok(out)
}

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
mod tests {
    use super::super::reads::read_head;
    use super::super::schema::{migrate, open_conn, DB_FILE};
    use super::*;
    use crate::store::contract::commit_feed;
    use std::path::Path;

    fn writer(dir: &Path, max_heads: usize, max_clocks: usize) -> Writer {
        let mut conn = open_conn(&dir.join(DB_FILE)).unwrap();
        migrate(&mut conn).unwrap();
        // Nobody reads the feed: the writer answers at once.
        let (sink, _) = commit_feed();
        let mut w = Writer::new(conn, sink, Arc::default());
        w.max_heads = max_heads;
        w.max_clocks = max_clocks;
        w
    }

    fn send(w: &mut Writer, from: &str, to: &str) -> SendOutcome {
        let (reply, mut rx) = oneshot::channel();
        let msg = NewMessage {
            sender_id: from.into(),
            conversation_type: rcim_proto::conversation_type::PRIVATE,
            to_id: to.into(),
            object_name: "RC:TxtMsg".into(),
            content: "{}".into(),
            ..Default::default()
        };
        w.apply(vec![WriteCmd::Send { msg, reply }]);
        rx.try_recv().unwrap().unwrap()
    }

    fn inbox_seqs(w: &Writer, user: &str) -> Vec<i64> {
        let mut stmt = w
            .conn
            .prepare("SELECT seq FROM inbox WHERE user_id = ?1 ORDER BY seq")
            .unwrap();
        stmt.query_map([user], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn head_cache_is_bounded_and_reloads() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = writer(dir.path(), 4, 1000);
        for round in 0..2 {
            for i in 0..10 {
                send(&mut w, "s", &format!("u{i}"));
                assert!(w.heads.len() <= 4, "round {round}: {} heads", w.heads.len());
                assert_eq!(w.stats.heads.load(Ordering::Relaxed), w.heads.len());
            }
        }
        for i in 0..10 {
            assert_eq!(inbox_seqs(&w, &format!("u{i}")), vec![1, 2]);
            assert_eq!(read_head(&w.conn, &format!("u{i}")).unwrap(), 2);
        }
    }

    fn group_msg(from: &str, group: &str, channel: &str) -> NewMessage {
        NewMessage {
            sender_id: from.into(),
            conversation_type: rcim_proto::conversation_type::GROUP,
            to_id: group.into(),
            channel_id: channel.into(),
            object_name: "RC:TxtMsg".into(),
            content: "{}".into(),
            persisted: true,
            ..Default::default()
        }
    }

    fn join(w: &mut Writer, group: &str, member: &str) -> i64 {
        let (reply, mut rx) = oneshot::channel();
        let op = GroupOp::Add {
            group_id: group.into(),
            name: String::new(),
            members: vec![member.into()],
        };
        w.apply(vec![WriteCmd::Group { op, reply }]);
        rx.try_recv().unwrap().unwrap();
        super::super::reads::joined_at(&w.conn, group, member)
            .unwrap()
            .unwrap()
    }

    /// A join is stamped after every message already sent to the group, from the stored
    /// messages: also when the writer's clocks are gone (a restart) and the burst was in
    /// another channel. What is sent after the join is stamped no earlier than it.
    #[test]
    fn a_join_is_after_the_group_clocks_even_after_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = writer(dir.path(), 1000, 1000);
        join(&mut w, "g", "a");
        // One batch of 1000 messages: the clock of channel "x" runs ~1 s ahead.
        let mut replies = Vec::new();
        let batch = (0..1000)
            .map(|_| {
                let (reply, rx) = oneshot::channel();
                replies.push(rx);
                WriteCmd::Send {
                    msg: group_msg("a", "g", "x"),
                    reply,
                }
            })
            .collect();
        w.apply(batch);
        let last = replies
            .iter_mut()
            .map(|rx| rx.try_recv().unwrap().unwrap().sent_time)
            .max()
            .unwrap();
        assert!(last > now_ms(), "the burst did not run ahead");
        drop(w);
        let mut w = writer(dir.path(), 1000, 1000);
        assert!(w.last_sent.is_empty());
        let joined = join(&mut w, "g", "b");
        assert!(joined > last, "joined {joined}, last sent {last}");
        // The default channel's clock (empty) is behind the join: its next message is not.
        let (reply, mut rx) = oneshot::channel();
        w.apply(vec![WriteCmd::Send {
            msg: group_msg("a", "g", ""),
            reply,
        }]);
        let sent = rx.try_recv().unwrap().unwrap().sent_time;
        assert!(sent >= joined, "sent {sent} before the join {joined}");
        // A member already in the group keeps their join time.
        assert_eq!(join(&mut w, "g", "b"), joined);
    }

    /// The latest sent time of a group is a seek of `conv_heads` and one index seek per
    /// channel, whatever the number of messages.
    #[test]
    fn group_last_sent_is_indexed() {
        let dir = tempfile::tempdir().unwrap();
        let w = writer(dir.path(), 1000, 1000);
        let plan: Vec<String> = w
            .conn
            .prepare(&format!(
                "EXPLAIN QUERY PLAN {}",
                super::super::apply::GROUP_LAST_SENT
            ))
            .unwrap()
            .query_map(["a", "b"], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            plan.iter()
                .any(|p| p.contains("SEARCH h USING PRIMARY KEY (conv_key>? AND conv_key<?)")),
            "{plan:?}"
        );
        assert!(
            plan.iter()
                .any(|p| p.contains("SEARCH m USING INDEX messages_history_time (conv_key=?)")),
            "{plan:?}"
        );
        assert!(
            !plan
                .iter()
                .any(|p| p.starts_with("SCAN") || p.contains("TEMP B-TREE")),
            "{plan:?}"
        );
    }

    #[test]
    fn sent_times_stay_strictly_increasing_when_clocks_are_trimmed() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = writer(dir.path(), 1000, 2);
        let mut last: HashMap<String, i64> = HashMap::new();
        for n in 0..600 {
            let to = format!("peer{}", n % 3);
            let t = send(&mut w, "me", &to).sent_time;
            if let Some(prev) = last.insert(to.clone(), t) {
                assert!(t > prev, "message {n} to {to}: {t} after {prev}");
            }
            // Only entries that can still collide (time >= now) survive a trim.
            assert!(w.last_sent.len() <= 3);
        }
    }
}
