//! SQLite storage: one writer thread with group commit, plus a small pool of read connections.
//!
//! Every mutation goes through [`Db::write`] as a [`WriteCmd`] on a bounded channel. The writer
//! thread takes a batch of commands (up to [`MAX_BATCH`]), applies them in one transaction,
//! commits, then hands inbox entries to the [`Hub`] for live delivery and answers the callers.
//! An ack therefore always follows a durable commit, and pushes to one user leave in inbox
//! sequence order.
//!
//! Schema (migration 1):
//! * `users(user_id, name, portrait, created_at, tokens_valid_after)`
//! * `messages(id, uid, ...)`: one row per message, shared by all inboxes that hold it
//! * `inbox(user_id, seq, msg_id, created_at)`: the dense per-user sequence
//! * `inbox_heads(user_id, head)`: highest sequence ever assigned (survives pruning)
//! * `dedupe(sender_id, client_msg_id, uid, sent_time, created_at)`: original acks for resends
//!
//! Migration 2: `groups(group_id, name, created_at)`, `group_members(group_id, user_id,
//! joined_at)`. A group message is stored once and appended to every member's inbox in the
//! same savepoint (up to [`MAX_GROUP_MEMBERS`] inbox rows).
//!
//! Migration 3: `messages.recalled_at` (0 = not recalled) and `inbox.event`: an inbox row that
//! is not a message (`msg_id` 0) carries its encoded `InboxEntry` body there (a recall).
//!
//! Migration 4: `request_log(user_id, request_id, kind, result, created_at)`: the state-changing
//! client requests already executed (other than sends, which `dedupe` covers), so a resend is
//! answered with the original result and changes nothing. Pruned with the offline retention.

use crate::hub::{Hub, Push};
use crate::util::now_ms;
use anyhow::{anyhow, Context as _};
use rcim_proto::v1::{inbox_entry, InboxEntry, Message};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

/// Largest number of commands applied in one transaction.
pub(crate) const MAX_BATCH: usize = 512;
/// Capacity of the writer's command queue.
const WRITE_QUEUE: usize = 8192;
/// Read connections kept open for reuse, and the most reads running at once.
const MAX_IDLE_READERS: usize = 8;
/// Byte budget of one sync package's entries (the frame cap minus room for the envelope).
/// An entry counts its encoded length plus [`ENTRY_OVERHEAD`].
const SYNC_BYTES: usize = rcim_proto::MAX_FRAME_LEN - 1024;
/// Bytes an inbox entry adds to a frame beyond its own encoding (field tag and length, at
/// most 1 + 3 bytes for anything below the frame cap, rounded up).
const ENTRY_OVERHEAD: usize = 8;
/// Inbox heads the writer caches before it forgets them all (they reload from the database).
const MAX_CACHED_HEADS: usize = 65_536;
/// Conversations whose last sent time the writer keeps before dropping the ones that no
/// longer matter (see [`Writer::trim_caches`]).
const MAX_CONVERSATION_CLOCKS: usize = 100_000;

/// Longest push content / push data (bytes, as RongCloud).
pub(crate) const MAX_PUSH_LEN: usize = 4096;
/// Longest channel id, in characters (RongCloud ultra-group channel ids: 20).
pub(crate) const MAX_CHANNEL_ID_CHARS: usize = 20;
/// Longest client message id (bytes).
pub(crate) const MAX_CLIENT_MSG_ID_LEN: usize = 64;
/// Longest user or target id (bytes, as RongCloud).
pub(crate) const MAX_ID_LEN: usize = 64;
/// Longest object name, in characters.
pub(crate) const MAX_OBJECT_NAME_CHARS: usize = 32;
/// Most members of one group (RongCloud: 3000).
pub(crate) const MAX_GROUP_MEMBERS: usize = 3000;
/// Client/API code: the sender is not a member of the group (NOT_IN_GROUP).
pub(crate) const NOT_IN_GROUP: u32 = rcim_proto::codes::NOT_IN_GROUP;

/// A send or group operation refused for a business reason (not a storage failure): the
/// caller answers with `code` instead of an internal error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rejected {
    pub code: u32,
    pub message: String,
}

impl std::fmt::Display for Rejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "rejected ({}): {}", self.code, self.message)
    }
}

impl std::error::Error for Rejected {}

impl Rejected {
    fn err(code: u32, message: impl Into<String>) -> anyhow::Error {
        anyhow::Error::new(Rejected {
            code,
            message: message.into(),
        })
    }
}

/// A change to group membership, applied by the writer.
#[derive(Debug, Clone)]
pub(crate) enum GroupOp {
    /// Create the group (or rename it) and add `members` (`/group/create.json`,
    /// `/group/join.json`). Refused with 1002 beyond [`MAX_GROUP_MEMBERS`].
    Add {
        group_id: String,
        name: String,
        members: Vec<String>,
    },
    /// Remove `members`; a group left without members is deleted.
    Quit {
        group_id: String,
        members: Vec<String>,
    },
    /// Delete the group and its membership.
    Dismiss { group_id: String },
}

/// Upper bound of the encoded size of any message that passes [`NewMessage::check_limits`]:
/// the capped fields (4 bytes per character where characters are counted), a 19-character
/// UID, and generous room for field tags, lengths and the numeric fields.
const MAX_MESSAGE_LEN: usize = rcim_proto::MAX_CONTENT_LEN
    + 2 * MAX_PUSH_LEN
    + 4 * MAX_CHANNEL_ID_CHARS
    + MAX_CLIENT_MSG_ID_LEN
    + 2 * MAX_ID_LEN
    + 4 * MAX_OBJECT_NAME_CHARS
    + 19
    + 256;
// Any accepted message fits in a push and in a sync package, whatever the field sizes.
const _: () = assert!(MAX_MESSAGE_LEN + 64 + ENTRY_OVERHEAD <= SYNC_BYTES);
/// Database file name under the data directory.
const DB_FILE: &str = "rcim.sqlite3";

/// A message to store and route, as produced by a client send or the Server API.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewMessage {
    pub sender_id: String,
    /// Client message id; empty = no dedupe (Server API publishes).
    pub client_msg_id: String,
    pub conversation_type: u32,
    /// Recipient user (private) or group id (group).
    pub to_id: String,
    pub channel_id: String,
    pub object_name: String,
    pub content: String,
    pub persisted: bool,
    pub counted: bool,
    pub push_content: String,
    pub push_data: String,
    /// Append to the sender's own inbox too (always for client sends, so the sender's devices
    /// converge; `isIncludeSender` for the Server API). The entry is pushed to every online
    /// device of the sender, the sending connection included: the client dedupes it by
    /// client message id / UID and just advances its inbox cursor.
    pub include_sender: bool,
    /// Group messages: only these members receive it (directed message); empty = everyone.
    pub directed: Vec<String>,
    /// Group messages: refuse with [`NOT_IN_GROUP`] unless the sender is a member (client
    /// sends; the Server API may publish as anyone).
    pub require_member: bool,
}

/// A field of a [`NewMessage`] beyond its cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LimitError {
    /// Field name as the Server API spells it.
    pub field: &'static str,
    /// The cap (bytes, or characters for `channelId` / `objectName`).
    pub max: usize,
    /// True for the size-type fields (content, push content, push data): the gateway answers
    /// 30016 for those and 33003 for the others.
    pub size: bool,
}

impl NewMessage {
    /// Checks every caller-supplied field against its cap, so that the stored message always
    /// fits in one frame when it is pushed or synced. Emptiness and character-set rules stay
    /// with the callers (they differ between the gateway and the Server API).
    pub(crate) fn check_limits(&self) -> Result<(), LimitError> {
        let err = |field, max, size| Err(LimitError { field, max, size });
        if self.content.len() > rcim_proto::MAX_CONTENT_LEN {
            return err("content", rcim_proto::MAX_CONTENT_LEN, true);
        }
        if self.push_content.len() > MAX_PUSH_LEN {
            return err("pushContent", MAX_PUSH_LEN, true);
        }
        if self.push_data.len() > MAX_PUSH_LEN {
            return err("pushData", MAX_PUSH_LEN, true);
        }
        if self.channel_id.chars().count() > MAX_CHANNEL_ID_CHARS {
            return err("channelId", MAX_CHANNEL_ID_CHARS, false);
        }
        if self.client_msg_id.len() > MAX_CLIENT_MSG_ID_LEN {
            return err("clientMsgId", MAX_CLIENT_MSG_ID_LEN, false);
        }
        if self.to_id.len() > MAX_ID_LEN {
            return err("toUserId", MAX_ID_LEN, false);
        }
        if self.sender_id.len() > MAX_ID_LEN {
            return err("fromUserId", MAX_ID_LEN, false);
        }
        if self.object_name.chars().count() > MAX_OBJECT_NAME_CHARS {
            return err("objectName", MAX_OBJECT_NAME_CHARS, false);
        }
        Ok(())
    }
}

/// Makes `entry` safe to send: if it cannot fit in a frame (a row stored before the caps of
/// [`NewMessage::check_limits`] existed, or written by hand), its message is dropped and only
/// the sequence number is sent, so the client's cursor moves past it instead of the connection
/// failing on every push and sync. Returns the entry's size as counted against a frame.
pub(crate) fn fit_entry(user_id: &str, entry: &mut InboxEntry) -> usize {
    let size = prost::Message::encoded_len(entry) + ENTRY_OVERHEAD;
    if size <= SYNC_BYTES {
        return size;
    }
    tracing::warn!(user = %user_id, seq = entry.seq, size,
        "inbox entry too large for a frame; sending it without its message");
    entry.body = None;
    prost::Message::encoded_len(entry) + ENTRY_OVERHEAD
}
/// The server's answer to a send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SendOutcome {
    pub uid: String,
    pub sent_time: i64,
    /// True when this was a resend of an already stored message (nothing was delivered).
    pub duplicate: bool,
}

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
    /// Delete inbox entries, messages and dedupe rows older than `before_ms`.
    Prune { before_ms: i64 },
    /// Append a non-message entry (a read receipt) to the inbox of each of `owners`, once per
    /// `request`.
    AppendEvent {
        owners: Vec<String>,
        body: inbox_entry::Body,
        request: Option<RequestKey>,
        reply: oneshot::Sender<anyhow::Result<()>>,
    },
    /// Recall a message; replies with the recall time (the original one for a repeated
    /// `request`).
    Recall {
        req: RecallRequest,
        request: Option<RequestKey>,
        reply: oneshot::Sender<anyhow::Result<i64>>,
    },
}

/// Identifies a client's state-changing request for idempotency: executed at most once per
/// (user, request id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RequestKey {
    pub user_id: String,
    pub request_id: String,
}

/// What a logged request was; a request id reused for another kind of request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RequestKind {
    Recall = 1,
    Event = 2,
}

/// A recall, from a client or the Server API.
#[derive(Debug, Clone, Default)]
pub(crate) struct RecallRequest {
    /// Who recalls: must be the message's sender (25107 otherwise).
    pub operator_id: String,
    pub uid: String,
    pub conversation_type: u32,
    /// The conversation as the operator sees it: the other user (private) or the group.
    pub target_id: String,
    pub channel_id: String,
}

/// One page of a user's inbox.
#[derive(Debug, Clone, Default)]
pub(crate) struct SyncPage {
    pub entries: Vec<InboxEntry>,
    pub has_more: bool,
    pub head: u64,
}

/// Handle to the database: the writer queue and the read pool.
pub(crate) struct Db {
    path: PathBuf,
    writer: mpsc::Sender<WriteCmd>,
    readers: Arc<Mutex<Vec<Connection>>>,
    /// Bounds concurrent reads (each holds a blocking thread and a connection).
    read_slots: Arc<tokio::sync::Semaphore>,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
    stop: CancellationToken,
    aborted: Arc<AtomicBool>,
    stats: Arc<WriterStats>,
}

impl Db {
    /// Opens (creating if needed) the database under `data_dir`, migrates it and starts the
    /// writer thread.
    pub(crate) fn open(data_dir: &Path, hub: Arc<Hub>) -> anyhow::Result<Self> {
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("creating data dir {}", data_dir.display()))?;
        let path = data_dir.join(DB_FILE);
        let mut conn = open_conn(&path)?;
        migrate(&mut conn)?;
        let (tx, rx) = mpsc::channel(WRITE_QUEUE);
        let stop = CancellationToken::new();
        let aborted = Arc::new(AtomicBool::new(false));
        let stats = Arc::new(WriterStats::default());
        let writer = Writer {
            conn,
            hub,
            heads: HashMap::new(),
            last_sent: HashMap::new(),
            max_heads: MAX_CACHED_HEADS,
            max_clocks: MAX_CONVERSATION_CLOCKS,
            stats: stats.clone(),
        };
        let thread = {
            let stop = stop.clone();
            let aborted = aborted.clone();
            std::thread::Builder::new()
                .name("rcim-db-writer".into())
                .spawn(move || writer.run(rx, stop, aborted))
                .context("spawning the writer thread")?
        };
        Ok(Self {
            path,
            writer: tx,
            readers: Arc::new(Mutex::new(Vec::new())),
            read_slots: Arc::new(tokio::sync::Semaphore::new(MAX_IDLE_READERS)),
            thread: Mutex::new(Some(thread)),
            stop,
            aborted,
            stats,
        })
    }

    /// Sizes of the writer's caches after its last batch: (inbox heads, conversation clocks).
    pub(crate) fn cache_sizes(&self) -> (usize, usize) {
        (
            self.stats.heads.load(Ordering::Relaxed),
            self.stats.conversation_clocks.load(Ordering::Relaxed),
        )
    }

    /// Queues a mutation (waits while the queue is full).
    pub(crate) async fn write(&self, cmd: WriteCmd) -> anyhow::Result<()> {
        self.writer
            .send(cmd)
            .await
            .map_err(|_| anyhow!("database writer stopped"))
    }

    /// Queues a message for storage and routing, in call order; the returned future resolves
    /// after the commit. Callers that need per-sender order submit sequentially and await the
    /// outcomes elsewhere.
    pub(crate) async fn submit(
        &self,
        msg: NewMessage,
    ) -> anyhow::Result<impl std::future::Future<Output = anyhow::Result<SendOutcome>>> {
        let (reply, rx) = oneshot::channel();
        self.write(WriteCmd::Send { msg, reply }).await?;
        Ok(async move { rx.await.map_err(|_| anyhow!("database writer stopped"))? })
    }

    /// Runs `f` on a read connection on the blocking pool.
    pub(crate) async fn read<T, F>(&self, f: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> anyhow::Result<T> + Send + 'static,
    {
        let readers = self.readers.clone();
        let path = self.path.clone();
        let slot = self
            .read_slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| anyhow!("database closed"))?;
        tokio::task::spawn_blocking(move || {
            let _slot = slot;
            let pooled = readers.lock().map(|mut v| v.pop()).unwrap_or(None);
            let conn = match pooled {
                Some(c) => c,
                None => open_conn(&path)?,
            };
            let out = f(&conn);
            if let Ok(mut v) = readers.lock() {
                if v.len() < MAX_IDLE_READERS {
                    v.push(conn);
                }
            }
            out
        })
        .await
        .context("read task")?
    }

    /// Highest inbox sequence of `user_id` (0 if none).
    pub(crate) async fn inbox_head(&self, user_id: String) -> anyhow::Result<u64> {
        self.read(move |c| read_head(c, &user_id)).await
    }

    /// The `tokens_valid_after` time of `user_id` (0 if unknown).
    pub(crate) async fn tokens_valid_after(&self, user_id: String) -> anyhow::Result<i64> {
        self.read(move |c| {
            let t = c
                .query_row(
                    "SELECT tokens_valid_after FROM users WHERE user_id = ?1",
                    [&user_id],
                    |r| r.get::<_, i64>(0),
                )
                .optional()?;
            Ok(t.unwrap_or(0))
        })
        .await
    }

    /// Inbox entries of `user_id` with `seq > after`, at most `limit`.
    pub(crate) async fn sync(
        &self,
        user_id: String,
        after: u64,
        limit: u32,
    ) -> anyhow::Result<SyncPage> {
        self.read(move |c| read_sync(c, &user_id, after, limit))
            .await
    }

    /// Member ids of `group_id` in join order (empty when there is no such group).
    pub(crate) async fn group_members(&self, group_id: String) -> anyhow::Result<Vec<String>> {
        self.read(move |c| read_members(c, &group_id)).await
    }

    /// Recalls a message; resolves with the recall time after the commit. Refusals are
    /// [`Rejected`] with 25101 (unknown message or mismatching conversation) or 25107 (not the
    /// sender).
    pub(crate) async fn recall(
        &self,
        req: RecallRequest,
        request: Option<RequestKey>,
    ) -> anyhow::Result<i64> {
        let (reply, rx) = oneshot::channel();
        self.write(WriteCmd::Recall {
            req,
            request,
            reply,
        })
        .await?;
        rx.await.map_err(|_| anyhow!("database writer stopped"))?
    }

    /// Appends `body` to the inbox of each of `owners` (duplicates ignored); resolves after the
    /// commit, the entries pushed to online devices. A repeated `request` appends nothing.
    pub(crate) async fn append_event(
        &self,
        owners: Vec<String>,
        body: inbox_entry::Body,
        request: Option<RequestKey>,
    ) -> anyhow::Result<()> {
        let (reply, rx) = oneshot::channel();
        self.write(WriteCmd::AppendEvent {
            owners,
            body,
            request,
            reply,
        })
        .await?;
        rx.await.map_err(|_| anyhow!("database writer stopped"))?
    }

    /// Applies a membership change; resolves with the member count after the commit.
    pub(crate) async fn group(&self, op: GroupOp) -> anyhow::Result<usize> {
        let (reply, rx) = oneshot::channel();
        self.write(WriteCmd::Group { op, reply }).await?;
        rx.await.map_err(|_| anyhow!("database writer stopped"))?
    }

    /// Stops the writer after it has applied every queued command, and waits for it.
    pub(crate) async fn close(&self) {
        self.stop.cancel();
        let handle = self.thread.lock().ok().and_then(|mut t| t.take());
        if let Some(h) = handle {
            let _ = tokio::task::spawn_blocking(move || h.join()).await;
        }
        if let Ok(mut v) = self.readers.lock() {
            v.clear();
        }
    }

    /// Stops the writer at once (queued commands are dropped, as in a crash) and waits for the
    /// batch in progress to end.
    pub(crate) fn abort(&self) {
        self.aborted.store(true, Ordering::SeqCst);
        self.stop.cancel();
        let handle = self.thread.lock().ok().and_then(|mut t| t.take());
        if let Some(h) = handle {
            let _ = h.join();
        }
        if let Ok(mut v) = self.readers.lock() {
            v.clear();
        }
    }
}

fn open_conn(path: &Path) -> anyhow::Result<Connection> {
    let conn = Connection::open(path).with_context(|| format!("opening {}", path.display()))?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    Ok(conn)
}

/// Numbered migrations; `PRAGMA user_version` records the last one applied.
const MIGRATIONS: &[&str] = &[
    // 1: users, messages, inboxes, dedupe.
    "CREATE TABLE users (
        user_id TEXT PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        portrait TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        tokens_valid_after INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        conversation_type INTEGER NOT NULL,
        to_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        sender_id TEXT NOT NULL,
        object_name TEXT NOT NULL,
        content TEXT NOT NULL,
        sent_time INTEGER NOT NULL,
        client_msg_id TEXT NOT NULL,
        persisted INTEGER NOT NULL,
        counted INTEGER NOT NULL,
        push_content TEXT NOT NULL,
        push_data TEXT NOT NULL
    );
    CREATE INDEX messages_sent_time ON messages(sent_time);
    CREATE TABLE inbox (
        user_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        msg_id INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, seq)
    ) WITHOUT ROWID;
    CREATE INDEX inbox_created_at ON inbox(created_at);
    CREATE TABLE inbox_heads (
        user_id TEXT PRIMARY KEY,
        head INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE dedupe (
        sender_id TEXT NOT NULL,
        client_msg_id TEXT NOT NULL,
        uid TEXT NOT NULL,
        sent_time INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (sender_id, client_msg_id)
    ) WITHOUT ROWID;
    CREATE INDEX dedupe_created_at ON dedupe(created_at);",
    // 2: groups and their members.
    "CREATE TABLE groups (
        group_id TEXT PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE group_members (
        group_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        joined_at INTEGER NOT NULL,
        PRIMARY KEY (group_id, user_id)
    ) WITHOUT ROWID;
    CREATE INDEX group_members_user ON group_members(user_id);",
    // 3: recalls (a recalled message and non-message inbox entries).
    "ALTER TABLE messages ADD COLUMN recalled_at INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE inbox ADD COLUMN event BLOB;
    CREATE INDEX inbox_msg ON inbox(msg_id);",
    // 4: executed client requests (idempotency by request id).
    "CREATE TABLE request_log (
        user_id TEXT NOT NULL,
        request_id TEXT NOT NULL,
        kind INTEGER NOT NULL,
        result INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, request_id)
    ) WITHOUT ROWID;
    CREATE INDEX request_log_created_at ON request_log(created_at);",
];

fn migrate(conn: &mut Connection) -> anyhow::Result<()> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate() {
        let n = i as i64 + 1;
        if n <= version {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(sql)
            .with_context(|| format!("migration {n}"))?;
        tx.pragma_update(None, "user_version", n)?;
        tx.commit()?;
        tracing::info!(migration = n, "database migrated");
    }
    Ok(())
}

fn read_head(c: &Connection, user_id: &str) -> anyhow::Result<u64> {
    let head = c
        .prepare_cached("SELECT head FROM inbox_heads WHERE user_id = ?1")?
        .query_row([user_id], |r| r.get::<_, i64>(0))
        .optional()?;
    Ok(head.unwrap_or(0).max(0) as u64)
}

fn read_members(c: &Connection, group_id: &str) -> anyhow::Result<Vec<String>> {
    let mut stmt = c.prepare_cached(
        "SELECT user_id FROM group_members WHERE group_id = ?1 ORDER BY joined_at, user_id",
    )?;
    let rows = stmt.query_map([group_id], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn member_count(c: &Connection, group_id: &str) -> anyhow::Result<usize> {
    let n: i64 = c
        .prepare_cached("SELECT COUNT(*) FROM group_members WHERE group_id = ?1")?
        .query_row([group_id], |r| r.get(0))?;
    Ok(n.max(0) as usize)
}

const MESSAGE_COLUMNS: &str = "m.uid, m.conversation_type, m.to_id, m.channel_id, m.sender_id, \
     m.object_name, m.content, m.sent_time, m.client_msg_id, m.persisted, m.counted, \
     m.push_content, m.push_data";

fn message_from_row(r: &rusqlite::Row<'_>, base: usize) -> rusqlite::Result<Message> {
    Ok(Message {
        uid: r.get(base)?,
        conversation_type: r.get(base + 1)?,
        to_id: r.get(base + 2)?,
        channel_id: r.get(base + 3)?,
        sender_id: r.get(base + 4)?,
        object_name: r.get(base + 5)?,
        content: r.get(base + 6)?,
        sent_time: r.get(base + 7)?,
        client_msg_id: r.get(base + 8)?,
        persisted: r.get(base + 9)?,
        counted: r.get(base + 10)?,
        push_content: r.get(base + 11)?,
        push_data: r.get(base + 12)?,
    })
}

fn read_sync(c: &Connection, user_id: &str, after: u64, limit: u32) -> anyhow::Result<SyncPage> {
    let max = rcim_proto::MAX_SYNC_PACKAGE;
    let limit = if limit == 0 { max } else { limit.min(max) };
    let head = read_head(c, user_id)?;
    let sql = format!(
        "SELECT i.seq, i.event, {MESSAGE_COLUMNS} FROM inbox i \
         LEFT JOIN messages m ON m.id = i.msg_id \
         WHERE i.user_id = ?1 AND i.seq > ?2 AND (i.event IS NOT NULL OR m.id IS NOT NULL) \
         ORDER BY i.seq LIMIT ?3"
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let after_i = i64::try_from(after).unwrap_or(i64::MAX);
    let rows = stmt.query_map(params![user_id, after_i, i64::from(limit) + 1], |r| {
        let seq = r.get::<_, i64>(0)?.max(0) as u64;
        let body = match r.get::<_, Option<Vec<u8>>>(1)? {
            // An undecodable event still moves the client's cursor (body None).
            Some(event) => <InboxEntry as prost::Message>::decode(event.as_slice())
                .ok()
                .and_then(|e| e.body),
            None => Some(inbox_entry::Body::Message(message_from_row(r, 2)?)),
        };
        Ok(InboxEntry { seq, body })
    })?;
    // A package must also fit in one frame: stop early (has_more) when the next entry would
    // overflow it. One entry always fits: `fit_entry` strips one that would not.
    let mut entries = Vec::new();
    let mut bytes = 0usize;
    let mut has_more = false;
    for row in rows {
        if entries.len() == limit as usize {
            has_more = true;
            break;
        }
        let mut entry = row?;
        let size = fit_entry(user_id, &mut entry);
        if !entries.is_empty() && bytes + size > SYNC_BYTES {
            has_more = true;
            break;
        }
        bytes += size;
        entries.push(entry);
    }
    Ok(SyncPage {
        entries,
        has_more,
        head,
    })
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
        }
    }
}

struct Writer {
    conn: Connection,
    hub: Arc<Hub>,
    /// Inbox heads of recently touched users (authoritative while present; a miss reads the
    /// database). Cleared when it holds more than `max_heads` users.
    heads: HashMap<String, u64>,
    /// Last sent time per conversation, so times are strictly increasing per conversation.
    last_sent: HashMap<String, i64>,
    max_heads: usize,
    max_clocks: usize,
    /// Sizes of the two maps after the last batch, for [`Db::memory_stats`].
    stats: Arc<WriterStats>,
}

/// Sizes of the writer's caches, published after each batch.
#[derive(Default)]
pub(crate) struct WriterStats {
    pub heads: AtomicUsize,
    pub conversation_clocks: AtomicUsize,
}

impl Writer {
    fn run(
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
                WriteCmd::AppendEvent {
                    owners,
                    body,
                    request,
                    reply,
                } => {
                    let heads = &self.heads;
                    let r = in_savepoint(&mut tx, |c| {
                        once_per_request(c, request.as_ref(), RequestKind::Event, |c| {
                            apply_event(c, heads, owners, body).map(|p| (0, p))
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
                WriteCmd::Prune { before_ms } => {
                    if let Err(e) = in_savepoint(&mut tx, |c| apply_prune(c, before_ms)) {
                        tracing::warn!(error = %e, "pruning failed");
                    }
                }
            }
        }
        if let Err(e) = tx.commit() {
            let err = anyhow::Error::from(e);
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
        self.trim_caches(now_ms());
        self.hub.deliver(pushes);
        for r in replies {
            r.deliver();
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
        | WriteCmd::AppendEvent { reply, .. } => Some(Reply::Unit(reply, Ok(()))),
        WriteCmd::Group { reply, .. } => Some(Reply::Count(reply, Ok(0))),
        WriteCmd::Recall { reply, .. } => Some(Reply::Time(reply, Ok(0))),
        WriteCmd::Prune { .. } => None,
    }
}

/// Runs `apply` unless `request` was executed before: then answers its logged result and
/// changes nothing. A successful execution is logged with its result (refusals are not: a
/// resend is checked again).
fn once_per_request(
    tx: &Connection,
    request: Option<&RequestKey>,
    kind: RequestKind,
    apply: impl FnOnce(&Connection) -> anyhow::Result<(i64, Vec<Push>)>,
) -> anyhow::Result<(i64, Vec<Push>)> {
    let Some(key) = request else {
        return apply(tx);
    };
    let logged = tx
        .prepare_cached(
            "SELECT kind, result FROM request_log WHERE user_id = ?1 AND request_id = ?2",
        )?
        .query_row(params![key.user_id, key.request_id], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
        })
        .optional()?;
    if let Some((logged_kind, result)) = logged {
        if logged_kind != kind as i64 {
            return Err(Rejected::err(
                rcim_proto::codes::PARAMETER_INVALID,
                format!("request id {} was used for another request", key.request_id),
            ));
        }
        return Ok((result, Vec::new()));
    }
    let (result, pushes) = apply(tx)?;
    tx.prepare_cached(
        "INSERT INTO request_log (user_id, request_id, kind, result, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        key.user_id,
        key.request_id,
        kind as i64,
        result,
        now_ms()
    ])?;
    Ok((result, pushes))
}

/// Key under which sent times are kept strictly increasing.
fn conversation_key(msg: &NewMessage) -> String {
    if msg.conversation_type != rcim_proto::conversation_type::PRIVATE {
        // Group-like conversations: one clock per target, whoever sends.
        return format!(
            "{}\u{1f}{}\u{1f}{}",
            msg.conversation_type, msg.to_id, msg.channel_id
        );
    }
    let (a, b) = if msg.sender_id <= msg.to_id {
        (&msg.sender_id, &msg.to_id)
    } else {
        (&msg.to_id, &msg.sender_id)
    };
    format!(
        "{}\u{1f}{a}\u{1f}{b}\u{1f}{}",
        msg.conversation_type, msg.channel_id
    )
}

/// Stores one message and its inbox entries; returns the outcome and the entries to push
/// (nothing for a duplicate). `heads` is only read: the caller applies the new heads once the
/// savepoint is released.
fn apply_send(
    tx: &Connection,
    heads: &HashMap<String, u64>,
    last_sent: &mut HashMap<String, i64>,
    msg: NewMessage,
) -> anyhow::Result<(SendOutcome, Vec<Push>)> {
    // Callers check first and answer with their own codes; this keeps any other path from
    // storing a message that cannot be delivered.
    if let Err(e) = msg.check_limits() {
        return Err(anyhow!("{} is longer than {}", e.field, e.max));
    }
    if !msg.client_msg_id.is_empty() {
        let original = tx
            .prepare_cached(
                "SELECT uid, sent_time FROM dedupe WHERE sender_id = ?1 AND client_msg_id = ?2",
            )?
            .query_row(params![msg.sender_id, msg.client_msg_id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })
            .optional()?;
        if let Some((uid, sent_time)) = original {
            let outcome = SendOutcome {
                uid,
                sent_time,
                duplicate: true,
            };
            return Ok((outcome, Vec::new()));
        }
    }
    let is_group = msg.conversation_type == rcim_proto::conversation_type::GROUP;
    // Inbox owners, read inside the transaction so membership and delivery agree.
    let owners: Vec<String> = if is_group {
        let members = read_members(tx, &msg.to_id)?;
        if msg.require_member && !members.contains(&msg.sender_id) {
            return Err(Rejected::err(
                NOT_IN_GROUP,
                format!("{} is not a member of group {}", msg.sender_id, msg.to_id),
            ));
        }
        let mut owners: Vec<String> = if msg.directed.is_empty() {
            members
        } else {
            let wanted: std::collections::HashSet<&str> =
                msg.directed.iter().map(String::as_str).collect();
            members
                .into_iter()
                .filter(|m| wanted.contains(m.as_str()) || *m == msg.sender_id)
                .collect()
        };
        if !msg.include_sender {
            owners.retain(|m| *m != msg.sender_id);
        } else if !owners.contains(&msg.sender_id) {
            owners.push(msg.sender_id.clone());
        }
        owners
    } else {
        let mut owners = vec![msg.to_id.clone()];
        if msg.include_sender && msg.sender_id != msg.to_id {
            owners.push(msg.sender_id.clone());
        }
        owners
    };
    let now = now_ms();
    let key = conversation_key(&msg);
    let sent_time = match last_sent.get(&key) {
        Some(&last) if last >= now => last + 1,
        _ => now,
    };
    last_sent.insert(key, sent_time);
    let uid = crate::util::new_uid(sent_time);
    tx.prepare_cached(
        "INSERT INTO messages (uid, conversation_type, to_id, channel_id, sender_id, object_name, \
         content, sent_time, client_msg_id, persisted, counted, push_content, push_data) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        uid,
        msg.conversation_type,
        msg.to_id,
        msg.channel_id,
        msg.sender_id,
        msg.object_name,
        msg.content,
        sent_time,
        msg.client_msg_id,
        msg.persisted,
        msg.counted,
        msg.push_content,
        msg.push_data,
    ])?;
    let msg_id = tx.last_insert_rowid();
    if !msg.client_msg_id.is_empty() {
        tx.prepare_cached(
            "INSERT INTO dedupe (sender_id, client_msg_id, uid, sent_time, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            msg.sender_id,
            msg.client_msg_id,
            uid,
            sent_time,
            now
        ])?;
    }
    let proto = Arc::new(inbox_entry::Body::Message(Message {
        uid: uid.clone(),
        conversation_type: msg.conversation_type,
        to_id: msg.to_id.clone(),
        channel_id: msg.channel_id.clone(),
        sender_id: msg.sender_id.clone(),
        object_name: msg.object_name,
        content: msg.content,
        sent_time,
        client_msg_id: msg.client_msg_id,
        persisted: msg.persisted,
        counted: msg.counted,
        push_content: msg.push_content,
        push_data: msg.push_data,
    }));
    let mut pushes = Vec::with_capacity(owners.len());
    for owner in owners {
        let seq = append_inbox(tx, heads, &owner, msg_id, None, sent_time)?;
        pushes.push(Push {
            user_id: owner,
            seq,
            body: proto.clone(),
        });
    }
    let outcome = SendOutcome {
        uid,
        sent_time,
        duplicate: false,
    };
    Ok((outcome, pushes))
}

/// Appends one entry to `owner`'s inbox (a message row, or an encoded event) and moves the
/// head; returns the entry's sequence.
fn append_inbox(
    tx: &Connection,
    heads: &HashMap<String, u64>,
    owner: &str,
    msg_id: i64,
    event: Option<&[u8]>,
    created_at: i64,
) -> anyhow::Result<u64> {
    let head = match heads.get(owner) {
        Some(h) => *h,
        None => read_head(tx, owner)?,
    };
    let seq = head + 1;
    tx.prepare_cached(
        "INSERT INTO inbox (user_id, seq, msg_id, created_at, event) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![owner, seq as i64, msg_id, created_at, event])?;
    tx.prepare_cached(
        "INSERT INTO inbox_heads (user_id, head) VALUES (?1, ?2) \
         ON CONFLICT(user_id) DO UPDATE SET head = excluded.head",
    )?
    .execute(params![owner, seq as i64])?;
    Ok(seq)
}

/// Appends an event entry to the inbox of each owner (once per distinct owner).
fn apply_event(
    tx: &Connection,
    heads: &HashMap<String, u64>,
    mut owners: Vec<String>,
    body: inbox_entry::Body,
) -> anyhow::Result<Vec<Push>> {
    let mut seen = std::collections::HashSet::new();
    owners.retain(|o| seen.insert(o.clone()));
    let event = prost::Message::encode_to_vec(&InboxEntry {
        seq: 0,
        body: Some(body.clone()),
    });
    let body = Arc::new(body);
    let now = now_ms();
    let mut pushes = Vec::with_capacity(owners.len());
    for owner in owners {
        let seq = append_inbox(tx, heads, &owner, 0, Some(&event), now)?;
        pushes.push(Push {
            user_id: owner,
            seq,
            body: body.clone(),
        });
    }
    Ok(pushes)
}

/// Marks a message recalled and appends a `Recall` entry to the inbox of everyone who holds
/// it, and of its sender (so all the sender's devices converge). Recalling a message again
/// answers with the first recall's time and appends nothing.
fn apply_recall(
    tx: &Connection,
    heads: &HashMap<String, u64>,
    req: RecallRequest,
) -> anyhow::Result<(i64, Vec<Push>)> {
    use rcim_proto::codes::{RECALL_PARAMETER_INVALID, RECALL_USER_INVALID};
    use rcim_proto::conversation_type::{GROUP, PRIVATE};
    let found = tx
        .prepare_cached(
            "SELECT id, conversation_type, to_id, channel_id, sender_id, sent_time, \
             object_name, recalled_at FROM messages WHERE uid = ?1",
        )?
        .query_row([&req.uid], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, i64>(7)?,
            ))
        })
        .optional()?;
    let Some((msg_id, ctype, to_id, channel_id, sender_id, sent_time, object_name, recalled_at)) =
        found
    else {
        return Err(Rejected::err(
            RECALL_PARAMETER_INVALID,
            format!("no message {}", req.uid),
        ));
    };
    // The conversation must be the message's, as the operator sees it.
    let target_matches = match ctype {
        PRIVATE => {
            req.target_id == to_id || (req.target_id == sender_id && to_id == req.operator_id)
        }
        GROUP => req.target_id == to_id,
        _ => false,
    };
    if ctype != req.conversation_type || !target_matches || channel_id != req.channel_id {
        return Err(Rejected::err(
            RECALL_PARAMETER_INVALID,
            "the conversation does not match the message",
        ));
    }
    if sender_id != req.operator_id {
        return Err(Rejected::err(
            RECALL_USER_INVALID,
            "only the sender may recall a message",
        ));
    }
    if recalled_at != 0 {
        return Ok((recalled_at, Vec::new()));
    }
    let now = now_ms();
    tx.prepare_cached("UPDATE messages SET recalled_at = ?2 WHERE id = ?1")?
        .execute(params![msg_id, now])?;
    let mut owners: Vec<String> = tx
        .prepare_cached("SELECT DISTINCT user_id FROM inbox WHERE msg_id = ?1")?
        .query_map([msg_id], |r| r.get::<_, String>(0))?
        .collect::<Result<_, _>>()?;
    if !owners.contains(&sender_id) {
        owners.push(sender_id.clone());
    }
    let body = inbox_entry::Body::Recall(rcim_proto::v1::Recall {
        uid: req.uid,
        operator_id: req.operator_id,
        conversation_type: ctype,
        to_id,
        channel_id,
        recall_time: now,
        sender_id,
        sent_time,
        object_name,
    });
    let event = prost::Message::encode_to_vec(&InboxEntry {
        seq: 0,
        body: Some(body.clone()),
    });
    let body = Arc::new(body);
    let mut pushes = Vec::with_capacity(owners.len());
    for owner in owners {
        let seq = append_inbox(tx, heads, &owner, 0, Some(&event), now)?;
        pushes.push(Push {
            user_id: owner,
            seq,
            body: body.clone(),
        });
    }
    Ok((now, pushes))
}

fn apply_group(tx: &Connection, op: GroupOp) -> anyhow::Result<usize> {
    let now = now_ms();
    match op {
        GroupOp::Add {
            group_id,
            name,
            members,
        } => {
            tx.prepare_cached(
                "INSERT INTO groups (group_id, name, created_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT(group_id) DO UPDATE SET name = CASE WHEN ?2 = '' THEN name \
                 ELSE ?2 END",
            )?
            .execute(params![group_id, name, now])?;
            for m in &members {
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO group_members (group_id, user_id, joined_at) \
                     VALUES (?1, ?2, ?3)",
                )?
                .execute(params![group_id, m, now])?;
            }
            let n = member_count(tx, &group_id)?;
            if n > MAX_GROUP_MEMBERS {
                // The savepoint rolls the additions back.
                return Err(Rejected::err(
                    1002,
                    format!("a group has at most {MAX_GROUP_MEMBERS} members"),
                ));
            }
            Ok(n)
        }
        GroupOp::Quit { group_id, members } => {
            for m in &members {
                tx.prepare_cached(
                    "DELETE FROM group_members WHERE group_id = ?1 AND user_id = ?2",
                )?
                .execute(params![group_id, m])?;
            }
            let n = member_count(tx, &group_id)?;
            if n == 0 {
                tx.prepare_cached("DELETE FROM groups WHERE group_id = ?1")?
                    .execute([&group_id])?;
            }
            Ok(n)
        }
        GroupOp::Dismiss { group_id } => {
            tx.prepare_cached("DELETE FROM group_members WHERE group_id = ?1")?
                .execute([&group_id])?;
            tx.prepare_cached("DELETE FROM groups WHERE group_id = ?1")?
                .execute([&group_id])?;
            Ok(0)
        }
    }
}

fn apply_upsert_user(
    tx: &Connection,
    user_id: &str,
    name: Option<String>,
    portrait: Option<String>,
) -> anyhow::Result<()> {
    tx.prepare_cached(
        "INSERT INTO users (user_id, name, portrait, created_at) \
         VALUES (?1, COALESCE(?2, ''), COALESCE(?3, ''), ?4) \
         ON CONFLICT(user_id) DO UPDATE SET name = COALESCE(?2, name), \
         portrait = COALESCE(?3, portrait)",
    )?
    .execute(params![user_id, name, portrait, now_ms()])?;
    Ok(())
}

fn apply_expire(tx: &Connection, user_ids: &[String], time_ms: i64) -> anyhow::Result<()> {
    let now = now_ms();
    for u in user_ids {
        tx.prepare_cached(
            "INSERT INTO users (user_id, created_at, tokens_valid_after) VALUES (?1, ?2, ?3) \
             ON CONFLICT(user_id) DO UPDATE SET tokens_valid_after = ?3",
        )?
        .execute(params![u, now, time_ms])?;
    }
    Ok(())
}

fn apply_prune(tx: &Connection, before_ms: i64) -> anyhow::Result<()> {
    let inbox = tx.execute("DELETE FROM inbox WHERE created_at < ?1", [before_ms])?;
    let messages = tx.execute("DELETE FROM messages WHERE sent_time < ?1", [before_ms])?;
    let dedupe = tx.execute("DELETE FROM dedupe WHERE created_at < ?1", [before_ms])?;
    let requests = tx.execute("DELETE FROM request_log WHERE created_at < ?1", [before_ms])?;
    if inbox + messages + dedupe + requests > 0 {
        tracing::info!(
            inbox,
            messages,
            dedupe,
            requests,
            "pruned expired offline entries"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn writer(dir: &Path, max_heads: usize, max_clocks: usize) -> Writer {
        let mut conn = open_conn(&dir.join(DB_FILE)).unwrap();
        migrate(&mut conn).unwrap();
        Writer {
            conn,
            hub: Arc::new(Hub::default()),
            heads: HashMap::new(),
            last_sent: HashMap::new(),
            max_heads,
            max_clocks,
            stats: Arc::default(),
        }
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
