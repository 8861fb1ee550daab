//! The SQL implementation of [`ServerStore`], on embedded SQLite (one node; the default) or
//! on PostgreSQL (several nodes sharing one database): one writer thread with group commit
//! ([`writer`]), a small pool of read connections, the schemas in [`schema`] (SQLite) and
//! [`schema_postgres`].
//!
//! The rules are written once: every module speaks to the database through [`db::Db`], in
//! SQL both engines accept. What differs per engine is in the schema, the connection
//! settings, the inbox epoch ([`epoch`]) and how heads are read: on PostgreSQL other nodes
//! write too, so the writer keeps nothing across batches and reads each head under a row
//! lock held until its commit ([`heads`]).

mod apply;
mod chatroom;
mod chatroom_kv;
pub(crate) mod db;
mod epoch;
mod expansion;
mod heads;
mod history;
mod inbox;
mod lookup;
mod moderation;
mod prune;
mod push;
mod reads;
mod recall;
mod receipt_view;
mod receipts;
mod replies;
mod schema;
mod schema_postgres;
mod source;
pub use schema::disable_sqlite_memory_statistics;
mod settings;
mod ultragroup_directory;
mod ultragroup_prune;
mod ultragroup_reads;
mod ultragroup_stream;
mod visibility;
mod writer;

use crate::config::StorageConfig;
use crate::expansion::Stored;
use crate::model::{
    ChatroomEntry, ChatroomKvWrite, ExpansionUpdate, GroupOp, HistoryQuery, HistorySlice,
    LoggedRequest, ModerationOp, NewMessage, PruneCutoffs, RecallRequest, ReceiptAnswer,
    ReceiptAsk, RequestKey, Restriction, RoomRestriction, SendOutcome, SensitiveWord, SyncPage,
    UserConversation,
};
use crate::push::records::{AudiencePage, PushDevice, PushQuery, PushRecipient, PushTemplate};
use crate::settings::SettingsUpdate;
use crate::store::contract::{CommitSink, PendingSend, ServerStore, StoreResult};
use crate::store::ultragroup_stream_records::{
    UgChangesPage, UgChangesQuery, UgChannelState, UgHistoryQuery, UgWrite, UgWritten,
};
use crate::store::{
    ChatroomHistoryQuery, ChatroomWrite, RoomRecord, UgDirectorySnapshot, UgDirectoryWrite,
};
use anyhow::{anyhow, Context as _};
use db::{Db, Optional, PgConnector, PgRuntime};
use futures::future::BoxFuture;
use futures::FutureExt as _;
use prune::PruneRun;
use push::{PushWrite, PushWritten};
use rcim_proto::v1::{inbox_entry, UserSettings};
use source::Source;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;
use writer::{EventOp, WriteCmd, Writer, WriterStats};

/// Capacity of the writer's command queue.
const WRITE_QUEUE: usize = 8192;
/// Read connections kept open for reuse, and the most reads running at once.
const MAX_IDLE_READERS: usize = 8;

/// Handle to the database: the writer queue and the read pool.
pub(crate) struct SqlStore {
    source: Source,
    writer: mpsc::Sender<WriteCmd>,
    readers: Arc<Mutex<Vec<Db>>>,
    /// Bounds concurrent reads (each holds a blocking thread and a connection).
    read_slots: Arc<tokio::sync::Semaphore>,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
    stop: CancellationToken,
    aborted: Arc<AtomicBool>,
    stats: Arc<WriterStats>,
    /// The inbox epoch of this run (see [`epoch`]).
    epoch: u64,
    /// Rows per table of one prune step.
    prune_batch_rows: u32,
}

impl SqlStore {
    /// [`Self::open_with`] the default storage settings (tests).
    #[cfg(test)]
    pub(crate) fn open(data_dir: &Path, sink: CommitSink) -> anyhow::Result<Self> {
        Self::open_with(data_dir, &StorageConfig::default(), sink)
    }

    /// Opens (creating if needed) the database under `data_dir` with the durability and WAL
    /// bounds of `storage`, migrates it, settles the inbox epoch and starts the writer thread,
    /// which publishes its commits on `sink`. Blocking: call it from `spawn_blocking` in async
    /// code.
    pub(crate) fn open_with(
        data_dir: &Path,
        storage: &StorageConfig,
        sink: CommitSink,
    ) -> anyhow::Result<Self> {
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("creating data dir {}", data_dir.display()))?;
        let path = data_dir.join(schema::DB_FILE);
        let mut conn = schema::open_writer(&path, storage)?;
        schema::migrate(&mut conn)?;
        let state = epoch::settle(&conn, data_dir, storage)?;
        let stats = Arc::new(WriterStats::default());
        let writer = Writer::new(conn, sink, stats.clone())
            .with_epoch(state, epoch::HighWater::open(data_dir)?);
        Self::start(Source::Sqlite(path), writer, stats, state.epoch, storage)
    }

    /// Connects to the PostgreSQL database at `url` (shared with the other nodes of a
    /// cluster), migrates it, reads the inbox epoch and starts the writer thread, which
    /// publishes its commits on `sink`. Blocking: call it from `spawn_blocking` in async code.
    pub(crate) fn open_postgres(
        url: &str,
        storage: &StorageConfig,
        sink: CommitSink,
    ) -> anyhow::Result<Self> {
        let pg = PgConnector::new(url, PgRuntime::new()?)?;
        let conn = Db::postgres(
            pg.connect()
                .with_context(|| format!("connecting to {}", source::redact(url)))?,
        );
        schema_postgres::migrate(&conn)?;
        let epoch = epoch::settle_shared(&conn, storage)?;
        let stats = Arc::new(WriterStats::default());
        let writer = Writer::new(conn, sink, stats.clone());
        Self::start(Source::Postgres(pg), writer, stats, epoch, storage)
    }

    /// Starts the writer thread of an opened store.
    fn start(
        source: Source,
        writer: Writer,
        stats: Arc<WriterStats>,
        epoch: u64,
        storage: &StorageConfig,
    ) -> anyhow::Result<Self> {
        let (tx, rx) = mpsc::channel(WRITE_QUEUE);
        let stop = CancellationToken::new();
        let aborted = Arc::new(AtomicBool::new(false));
        let thread = {
            let stop = stop.clone();
            let aborted = aborted.clone();
            std::thread::Builder::new()
                .name("rcim-db-writer".into())
                .spawn(move || writer.run(rx, stop, aborted))
                .context("spawning the writer thread")?
        };
        Ok(Self {
            source,
            writer: tx,
            readers: Arc::new(Mutex::new(Vec::new())),
            read_slots: Arc::new(tokio::sync::Semaphore::new(MAX_IDLE_READERS)),
            thread: Mutex::new(Some(thread)),
            stop,
            aborted,
            stats,
            epoch,
            prune_batch_rows: storage.prune_batch_rows,
        })
    }

    /// The sensitive words, read at start on a connection of its own (blocking), so the read
    /// pool starts empty.
    pub(crate) fn words_at_start(&self) -> anyhow::Result<Vec<crate::model::SensitiveWord>> {
        moderation::read_words(&self.source.connect()?)
    }

    /// Every chatroom record, read at start on a connection of its own (blocking): rooms
    /// survive a restart, their members do not. So the KV entries set to go when their
    /// setter leaves (`delete_when_left`) go now: nobody of the last run is a member any
    /// more, and a setter who never comes back would keep them forever.
    pub(crate) fn chatrooms_at_start(&self) -> anyhow::Result<Vec<RoomRecord>> {
        let c = self.source.connect()?;
        let dropped = chatroom_kv::delete_auto_delete_entries(&c)?;
        if dropped > 0 {
            tracing::info!(dropped, "chatroom KV entries of departed members deleted");
        }
        chatroom::read_rooms(&c)
    }

    /// Queues a mutation (waits while the queue is full).
    async fn write(&self, cmd: WriteCmd) -> anyhow::Result<()> {
        self.writer
            .send(cmd)
            .await
            .map_err(|_| anyhow!("database writer stopped"))
    }

    /// Queues the command `make(reply)` and waits for its reply (after the commit).
    async fn write_and_wait<T>(
        &self,
        make: impl FnOnce(oneshot::Sender<anyhow::Result<T>>) -> WriteCmd,
    ) -> anyhow::Result<T> {
        let (reply, rx) = oneshot::channel();
        self.write(make(reply)).await?;
        rx.await.map_err(|_| anyhow!("database writer stopped"))?
    }

    /// Runs `f` on a read connection on the blocking pool.
    async fn read<T, F>(&self, f: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Db) -> anyhow::Result<T> + Send + 'static,
    {
        let readers = self.readers.clone();
        let source = self.source.clone();
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
                Some(mut c) => {
                    c.ensure_open()?;
                    c
                }
                None => source.connect()?,
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

    /// Queues the push store write `op` and waits for its commit.
    async fn push_write(&self, op: PushWrite) -> anyhow::Result<PushWritten> {
        self.write_and_wait(move |reply| WriteCmd::Push { op, reply })
            .await
    }

    /// Queues the event operation `op` (once per `request`) and waits for its commit.
    fn event(&self, op: EventOp, request: Option<RequestKey>) -> BoxFuture<'_, StoreResult<()>> {
        self.write_and_wait(move |reply| WriteCmd::Event { op, request, reply })
            .boxed()
    }

    /// Tells the writer to stop, drops the idle read connections, and returns the writer
    /// thread to join (`None` once taken).
    fn stop_writer(&self) -> Option<std::thread::JoinHandle<()>> {
        self.stop.cancel();
        if let Ok(mut v) = self.readers.lock() {
            v.clear();
        }
        self.thread.lock().ok().and_then(|mut t| t.take())
    }
}

impl ServerStore for SqlStore {
    fn submit_message(&self, msg: NewMessage) -> BoxFuture<'_, StoreResult<PendingSend>> {
        async move {
            let (reply, rx) = oneshot::channel();
            self.write(WriteCmd::Send { msg, reply }).await?;
            let pending: PendingSend =
                async move { rx.await.map_err(|_| anyhow!("database writer stopped"))? }.boxed();
            Ok(pending)
        }
        .boxed()
    }

    fn recall(
        &self,
        req: RecallRequest,
        request: Option<RequestKey>,
    ) -> BoxFuture<'_, StoreResult<i64>> {
        self.write_and_wait(move |reply| WriteCmd::Recall {
            req,
            request,
            reply,
        })
        .boxed()
    }

    fn append_event(
        &self,
        owners: Vec<String>,
        body: inbox_entry::Body,
        request: Option<RequestKey>,
    ) -> BoxFuture<'_, StoreResult<()>> {
        self.event(EventOp::Append { owners, body }, request)
    }

    fn update_expansion(
        &self,
        update: ExpansionUpdate,
        request: Option<RequestKey>,
    ) -> BoxFuture<'_, StoreResult<()>> {
        self.event(EventOp::Expansion(update), request)
    }

    fn expansion(&self, uid: String) -> BoxFuture<'_, StoreResult<Option<Stored>>> {
        self.read(move |c| expansion::read_expansion(c, &uid))
            .boxed()
    }

    fn delete_messages(
        &self,
        conv: UserConversation,
        uids: Vec<String>,
        device_id: String,
        request: Option<RequestKey>,
    ) -> BoxFuture<'_, StoreResult<()>> {
        let op = EventOp::Delete {
            conv,
            uids,
            device_id,
        };
        self.event(op, request)
    }

    fn clear_history(
        &self,
        conv: UserConversation,
        before_time: i64,
        device_id: String,
        request: Option<RequestKey>,
    ) -> BoxFuture<'_, StoreResult<()>> {
        let op = EventOp::Clear {
            conv,
            before_time,
            device_id,
        };
        self.event(op, request)
    }

    fn history(&self, q: HistoryQuery) -> BoxFuture<'_, StoreResult<HistorySlice>> {
        self.read(move |c| history::read_history(c, &q)).boxed()
    }

    fn inbox_seq_before(&self, user_id: String, time_ms: i64) -> BoxFuture<'_, StoreResult<u64>> {
        self.read(move |c| history::read_seq_before(c, &user_id, time_ms))
            .boxed()
    }

    fn sent_message(&self, key: RequestKey) -> BoxFuture<'_, StoreResult<Option<SendOutcome>>> {
        self.read(move |c| reads::read_sent(c, &key.user_id, &key.request_id))
            .boxed()
    }

    fn logged_request(&self, key: RequestKey) -> BoxFuture<'_, StoreResult<Option<LoggedRequest>>> {
        self.read(move |c| reads::read_logged_request(c, &key))
            .boxed()
    }

    fn change_settings(
        &self,
        update: SettingsUpdate,
        request: Option<RequestKey>,
    ) -> BoxFuture<'_, StoreResult<()>> {
        self.event(EventOp::Settings(update), request)
    }

    fn settings(
        &self,
        user_id: String,
        conversation_offset: u32,
        blacklist_offset: u32,
    ) -> BoxFuture<'_, StoreResult<UserSettings>> {
        self.read(move |c| {
            settings::read_settings(c, &user_id, conversation_offset, blacklist_offset)
        })
        .boxed()
    }

    fn settings_version(&self, user_id: String) -> BoxFuture<'_, StoreResult<u64>> {
        self.read(move |c| settings::read_version(c, &user_id))
            .boxed()
    }

    fn blacklisted(&self, owner: String, user: String) -> BoxFuture<'_, StoreResult<bool>> {
        self.read(move |c| settings::is_blacklisted(c, &owner, &user))
            .boxed()
    }

    fn blacklist(&self, owner: String) -> BoxFuture<'_, StoreResult<Vec<String>>> {
        self.read(move |c| settings::read_blacklist(c, &owner))
            .boxed()
    }

    fn upsert_user(
        &self,
        user_id: String,
        name: Option<String>,
        portrait: Option<String>,
    ) -> BoxFuture<'_, StoreResult<()>> {
        self.write_and_wait(move |reply| WriteCmd::UpsertUser {
            user_id,
            name,
            portrait,
            reply,
        })
        .boxed()
    }

    fn expire_tokens(&self, user_ids: Vec<String>, time_ms: i64) -> BoxFuture<'_, StoreResult<()>> {
        self.write_and_wait(move |reply| WriteCmd::ExpireTokens {
            user_ids,
            time_ms,
            reply,
        })
        .boxed()
    }

    fn tokens_valid_after(&self, user_id: String) -> BoxFuture<'_, StoreResult<i64>> {
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
        .boxed()
    }

    fn change_group(&self, op: GroupOp) -> BoxFuture<'_, StoreResult<usize>> {
        self.write_and_wait(move |reply| WriteCmd::Group { op, reply })
            .boxed()
    }

    fn group_members(&self, group_id: String) -> BoxFuture<'_, StoreResult<Vec<String>>> {
        self.read(move |c| reads::read_members(c, &group_id))
            .boxed()
    }

    fn inbox_head(&self, user_id: String) -> BoxFuture<'_, StoreResult<u64>> {
        self.read(move |c| reads::read_head(c, &user_id)).boxed()
    }

    fn sync(
        &self,
        user_id: String,
        after: u64,
        limit: u32,
    ) -> BoxFuture<'_, StoreResult<SyncPage>> {
        self.read(move |c| reads::read_sync(c, &user_id, after, limit))
            .boxed()
    }

    /// Small steps until nothing is left, each one writer command among the others.
    fn prune(&self, cutoffs: PruneCutoffs) -> BoxFuture<'_, StoreResult<()>> {
        async move {
            let limit = self.prune_batch_rows;
            let (mut rows, mut steps) = (0, 0u64);
            let mut run = PruneRun::new(cutoffs);
            while !run.finished() {
                let deleted;
                (deleted, run) = self
                    .write_and_wait(move |reply| WriteCmd::Prune { run, limit, reply })
                    .await?;
                rows += deleted;
                steps += 1;
                // Let the writer's other commands go first.
                tokio::task::yield_now().await;
            }
            if rows > 0 {
                tracing::info!(rows, steps, "pruned expired entries");
            }
            Ok(())
        }
        .boxed()
    }

    fn inbox_epoch(&self) -> u64 {
        self.epoch
    }

    fn moderate(&self, op: ModerationOp) -> BoxFuture<'_, StoreResult<()>> {
        self.write_and_wait(move |reply| WriteCmd::Moderation { op, reply })
            .boxed()
    }

    fn sensitive_words(&self) -> BoxFuture<'_, StoreResult<Vec<SensitiveWord>>> {
        self.read(moderation::read_words).boxed()
    }

    fn bans(
        &self,
        user_id: Option<String>,
        now_ms: i64,
    ) -> BoxFuture<'_, StoreResult<Vec<Restriction>>> {
        self.read(move |c| moderation::read_bans(c, user_id.as_deref(), now_ms))
            .boxed()
    }

    fn gags(
        &self,
        group_id: String,
        user_id: Option<String>,
        now_ms: i64,
    ) -> BoxFuture<'_, StoreResult<Vec<Restriction>>> {
        self.read(move |c| moderation::read_gags(c, &group_id, user_id.as_deref(), now_ms))
            .boxed()
    }

    fn chatroom_kv_write(&self, op: ChatroomKvWrite) -> BoxFuture<'_, StoreResult<()>> {
        self.write_and_wait(move |reply| WriteCmd::ChatroomKv { op, reply })
            .boxed()
    }

    fn chatroom_entries(&self, room_id: String) -> BoxFuture<'_, StoreResult<Vec<ChatroomEntry>>> {
        self.read(move |c| chatroom_kv::read_entries(c, &room_id))
            .boxed()
    }

    fn chatroom_restrictions(
        &self,
        now_ms: i64,
    ) -> BoxFuture<'_, StoreResult<Vec<RoomRestriction>>> {
        self.read(move |c| chatroom_kv::read_restrictions(c, now_ms))
            .boxed()
    }

    fn request_receipt(
        &self,
        ask: ReceiptAsk,
        request: Option<RequestKey>,
    ) -> BoxFuture<'_, StoreResult<()>> {
        self.event(EventOp::ReceiptRequest(ask), request)
    }

    fn respond_receipt(
        &self,
        answer: ReceiptAnswer,
        request: Option<RequestKey>,
    ) -> BoxFuture<'_, StoreResult<()>> {
        self.event(EventOp::ReceiptResponse(answer), request)
    }

    fn push_device_connected(
        &self,
        user_id: String,
        device_id: String,
        device: Option<PushDevice>,
    ) -> BoxFuture<'_, StoreResult<()>> {
        let op = PushWrite::DeviceConnected {
            user_id,
            device_id,
            device,
        };
        self.push_write(op).map(|r| r.map(drop)).boxed()
    }

    fn set_push_enabled(
        &self,
        user_id: String,
        device_id: String,
        enabled: bool,
    ) -> BoxFuture<'_, StoreResult<()>> {
        let op = PushWrite::SetEnabled {
            user_id,
            device_id,
            enabled,
        };
        self.push_write(op).map(|r| r.map(drop)).boxed()
    }

    fn remove_push_token(&self, device: PushDevice) -> BoxFuture<'_, StoreResult<()>> {
        self.push_write(PushWrite::RemoveToken(device))
            .map(|r| r.map(drop))
            .boxed()
    }

    fn push_recipients(&self, query: PushQuery) -> BoxFuture<'_, StoreResult<Vec<PushRecipient>>> {
        self.read(move |c| push::read_recipients(c, &query)).boxed()
    }

    fn bump_badges(
        &self,
        devices: Vec<(String, String)>,
        decided_at: i64,
    ) -> BoxFuture<'_, StoreResult<Vec<u32>>> {
        async move {
            if devices.is_empty() {
                return Ok(Vec::new());
            }
            let op = PushWrite::BumpBadges {
                devices,
                decided_at,
            };
            match self.push_write(op).await? {
                PushWritten::Badges(b) => Ok(b),
                other => Err(anyhow!("unexpected push write result {other:?}")),
            }
        }
        .boxed()
    }

    fn push_audience(
        &self,
        after_user: String,
        limit: u32,
    ) -> BoxFuture<'_, StoreResult<AudiencePage>> {
        self.read(move |c| push::read_audience(c, &after_user, limit))
            .boxed()
    }

    fn push_devices(
        &self,
        user_ids: Vec<String>,
    ) -> BoxFuture<'_, StoreResult<Vec<PushRecipient>>> {
        self.read(move |c| push::read_devices(c, &user_ids)).boxed()
    }

    fn put_push_template(&self, template: PushTemplate) -> BoxFuture<'_, StoreResult<()>> {
        self.push_write(PushWrite::PutTemplate(template))
            .map(|r| r.map(drop))
            .boxed()
    }

    fn delete_push_template(&self, id: String) -> BoxFuture<'_, StoreResult<bool>> {
        async move {
            match self.push_write(PushWrite::DeleteTemplate(id)).await? {
                PushWritten::Deleted(existed) => Ok(existed),
                other => Err(anyhow!("unexpected push write result {other:?}")),
            }
        }
        .boxed()
    }

    fn push_templates(&self) -> BoxFuture<'_, StoreResult<Vec<PushTemplate>>> {
        self.read(push::read_templates).boxed()
    }

    fn user_name(&self, user_id: String) -> BoxFuture<'_, StoreResult<String>> {
        self.read(move |c| push::read_name(c, false, &user_id))
            .boxed()
    }

    fn group_name(&self, group_id: String) -> BoxFuture<'_, StoreResult<String>> {
        self.read(move |c| push::read_name(c, true, &group_id))
            .boxed()
    }

    fn chatroom_write(&self, op: ChatroomWrite) -> BoxFuture<'_, StoreResult<bool>> {
        self.write_and_wait(move |reply| WriteCmd::Chatroom { op, reply })
            .boxed()
    }

    fn chatroom_history(
        &self,
        q: ChatroomHistoryQuery,
    ) -> BoxFuture<'_, StoreResult<Vec<rcim_proto::v1::Message>>> {
        self.read(move |c| chatroom::read_history(c, &q)).boxed()
    }

    fn ug_write(
        &self,
        op: UgWrite,
        request: Option<RequestKey>,
    ) -> BoxFuture<'_, StoreResult<UgWritten>> {
        self.write_and_wait(move |reply| WriteCmd::UltraGroup { op, request, reply })
            .boxed()
    }

    fn ug_changes(&self, q: UgChangesQuery) -> BoxFuture<'_, StoreResult<UgChangesPage>> {
        self.read(move |c| ultragroup_reads::read_changes(c, &q))
            .boxed()
    }

    fn ug_history(&self, q: UgHistoryQuery) -> BoxFuture<'_, StoreResult<HistorySlice>> {
        self.read(move |c| ultragroup_reads::read_history(c, &q))
            .boxed()
    }

    fn ug_messages(
        &self,
        group_id: String,
        channel_id: String,
        uids: Vec<String>,
        viewer: Option<String>,
    ) -> BoxFuture<'_, StoreResult<Vec<rcim_proto::v1::Message>>> {
        self.read(move |c| {
            ultragroup_reads::read_messages(c, &group_id, &channel_id, &uids, viewer.as_deref())
        })
        .boxed()
    }

    fn ug_expansion(
        &self,
        group_id: String,
        channel_id: String,
        uid: String,
    ) -> BoxFuture<'_, StoreResult<Option<Stored>>> {
        self.read(move |c| ultragroup_reads::read_expansion(c, &group_id, &channel_id, &uid))
            .boxed()
    }

    fn ug_states(
        &self,
        user_id: String,
        channels: Vec<(String, String)>,
        since: i64,
    ) -> BoxFuture<'_, StoreResult<Vec<UgChannelState>>> {
        self.read(move |c| ultragroup_reads::read_states(c, &user_id, &channels, since))
            .boxed()
    }

    fn ug_directory_write(&self, op: UgDirectoryWrite) -> BoxFuture<'_, StoreResult<()>> {
        self.write_and_wait(move |reply| WriteCmd::UgDirectory { op, reply })
            .boxed()
    }

    /// Read once at start, on a connection of its own: the read pool starts empty.
    fn ug_directory(&self) -> BoxFuture<'_, StoreResult<UgDirectorySnapshot>> {
        let source = self.source.clone();
        async move {
            tokio::task::spawn_blocking(move || {
                ultragroup_directory::read_ug_directory(&source.connect()?)
            })
            .await
            .context("directory read task")?
        }
        .boxed()
    }

    fn cache_sizes(&self) -> (usize, usize) {
        (
            self.stats.heads.load(Ordering::Relaxed),
            self.stats.conversation_clocks.load(Ordering::Relaxed),
        )
    }

    fn write_queue_depth(&self) -> usize {
        self.writer.max_capacity() - self.writer.capacity()
    }

    fn close(&self) -> BoxFuture<'_, ()> {
        async move {
            if let Some(h) = self.stop_writer() {
                let _ = tokio::task::spawn_blocking(move || h.join()).await;
            }
        }
        .boxed()
    }

    fn abort(&self) {
        self.aborted.store(true, Ordering::SeqCst);
        // Wait for the batch in progress to end (queued commands are dropped, as in a crash).
        if let Some(h) = self.stop_writer() {
            let _ = h.join();
        }
    }
}

#[cfg(test)]
mod conformance_tests {
    //! The [`ServerStore`] conformance suite, run against this implementation.
    use super::SqlStore;
    use crate::store::contract::CommitSink;

    fn open(dir: &std::path::Path, sink: CommitSink) -> SqlStore {
        SqlStore::open(dir, sink).expect("open the store")
    }

    crate::store::conformance::conformance_tests!(open);

    /// The case `a_join_follows_every_message_sent_before_it` is about: the embedded store
    /// commits a burst faster than one message per millisecond, so its sent times (strictly
    /// increasing per conversation) run ahead of the wall clock.
    #[tokio::test]
    async fn a_burst_runs_sent_times_ahead_of_the_clock() {
        use crate::store::conformance::{burst, group, Harness};
        let dir = tempfile::tempdir().unwrap();
        let h = Harness::start(|sink| open(dir.path(), sink));
        group(&h, "g", &["a", "b"]).await;
        let last = burst(&h, "a", "g", "x", "x", 300).await;
        let now = crate::util::now_ms();
        assert!(last > now, "last {last}, now {now}");
        h.close().await;
    }
}

#[cfg(test)]
#[path = "postgres_tests.rs"]
mod postgres_conformance_tests;
