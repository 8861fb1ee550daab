//! [`Engine`]: the typed API of one IM client.
//!
//! * Local calls (queries, drafts, unread marks) return `Result<Query<T>, Code>`: `Err` = rejected
//!   at once (nothing happens), `Ok` = queued on the database; await the [`Query`] for the value.
//! * Operations that go through the server (send, recall, read receipt, conversation settings)
//!   return `Result<(), Code>` at once; their outcome arrives later as an [`Event`] on the stream
//!   returned by [`Engine::new`], as do the session's own events (connection status, received
//!   messages, changes synced from the user's other devices). `connect` and `disconnect` still
//!   return the seed's status number (0 = accepted).
//!
//! The methods live in one file per area: [`connection`] (connect, disconnect, shutdown),
//! [`create`] (message objects), [`messages`], [`history`] (pages with a load policy),
//! [`deletion`] (deleting and clearing messages), [`conversations`], [`unread`], [`receipts`],
//! [`settings`] (pin, notification levels, quiet hours), [`blacklist`], [`push`] (device token,
//! push settings), [`platform`] (network and app state), [`drafts`], [`search`], [`media`]
//! (media messages: send with upload, download), [`insert`] (messages inserted locally), [`status`] (sent and
//! received status edits), [`mentions`], [`expansion`], [`typing`], [`group_receipts`],
//! [`directed`] (directed group messages), [`chatroom`] (chatrooms and their KV entries),
//! [`ultragroup`] (ultra groups; their streams are followed by `ultragroup_sync`). This file holds the engine itself and the helpers they share.

pub mod blacklist;
pub mod chatroom;
pub mod connection;
pub mod conversations;
pub mod create;
pub mod deletion;
pub mod directed;
pub mod drafts;
pub mod expansion;
pub mod group_receipts;
pub mod history;
pub mod insert;
pub mod media;
pub mod mentions;
pub mod messages;
pub mod platform;
pub mod push;
pub mod receipts;
pub mod search;
pub mod settings;
pub mod status;
pub mod typing;
pub mod ultragroup;
mod ultragroup_gaps;
mod ultragroup_link;
mod ultragroup_sync;
pub mod unread;

use crate::codes::Code;
use crate::config::EngineConfig;
use crate::db::Db;
use crate::query::Query;
use crate::session::{Command, StopReason};
use crate::shared::Shared;
use rcim_store::{ConversationKey, Store, StoreError};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;
use tokio::runtime::Handle;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

/// How many events may wait for the embedder before the engine slows down.
pub const EVENT_QUEUE_LEN: usize = crate::config::DEFAULT_EVENT_QUEUE_LEN;

/// The running connection of one `connect()` call.
struct Session {
    /// The user it connects.
    user_id: String,
    /// Set by the session's task once the user's database is open.
    db: Arc<OnceLock<Db>>,
    commands: mpsc::Sender<Command>,
    /// True while the session is connected and its inbox is not synced up to the server's
    /// head (see [`crate::session::InboxBehind`]).
    inbox_behind: crate::session::InboxBehind,
    stop: watch::Sender<StopReason>,
    /// The session's ultra-group task (weak: the task ends with the session's connection).
    ultragroup: mpsc::WeakSender<crate::session::UltragroupSignal>,
    /// The session's task (it owns the outbox until it ends: the next session waits for it).
    task: JoinHandle<()>,
}

/// One IM client: connection, local store and events. Cheap to share behind an `Arc`.
pub struct Engine {
    shared: Arc<Shared>,
    runtime: Handle,
    session: Arc<Mutex<Option<Session>>>,
    /// Media uploads and downloads in progress (to cancel them).
    transfers: Arc<media::transfers::Transfers>,
    /// History pages asked of the server (see [`Engine::history_requests`]).
    history_requests: Arc<std::sync::atomic::AtomicU64>,
    /// What the platform said (network, app state), watched by the running session.
    platform: watch::Sender<crate::session::PlatformState>,
    /// The device's push address (`setDeviceToken`), sent by the sessions of later
    /// `connect()` calls.
    push: Mutex<Option<rcim_proto::v1::PushRegistration>>,
}

/// The stream of events of an [`Engine`].
pub use crate::event_queue::EventStream;

impl Engine {
    /// Creates an engine; call from within a Tokio runtime (its handle is kept for the tasks).
    pub fn new(config: EngineConfig) -> (Engine, EventStream) {
        let (events, stream) =
            crate::event_queue::channel(config.event_queue_len, config.event_queue_bytes);
        let device_id = load_device_id(&config);
        let tls = crate::tls::client_config(&config.tls).unwrap_or_else(|e| {
            // No error path here: refuse every server rather than check less.
            tracing::error!(error = %e, "invalid TLS options; every TLS connection will fail");
            crate::tls::refusing_config(e.to_string())
        });
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls.clone())
            .timeout(Duration::from_secs(15))
            .build()
            .unwrap_or_default();
        // No overall or read timeout: a large upload may take long with nothing to read
        // meanwhile. Transfers fail on their own when nothing moves for the stall time
        // (`media::transfer::STALL_TIMEOUT`: body chunks, response headers); keepalive
        // notices dead peers.
        let media_http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls.clone())
            .connect_timeout(Duration::from_secs(10))
            .tcp_keepalive(Duration::from_secs(30))
            .build()
            .unwrap_or_default();
        let shared = Arc::new(Shared {
            config,
            http,
            media_http,
            tls: Arc::new(tls),
            device_id,
            events,
        });
        let engine = Engine {
            shared,
            runtime: Handle::current(),
            session: Arc::new(Mutex::new(None)),
            transfers: Arc::default(),
            history_requests: Arc::default(),
            platform: platform::platform_watch(),
            push: Mutex::default(),
        };
        (engine, stream)
    }

    /// The configuration.
    pub fn config(&self) -> &EngineConfig {
        &self.shared.config
    }

    /// This installation's device id.
    pub fn device_id(&self) -> &str {
        &self.shared.device_id
    }

    fn lock_session(&self) -> MutexGuard<'_, Option<Session>> {
        lock(&self.session)
    }

    /// Hands `command` to the running session: 33001 without one (before `connect`, or after
    /// it ended), 20604 when too many calls already wait for it.
    fn hand_over(&self, command: Command) -> Result<(), Code> {
        let guard = self.lock_session();
        guard.as_ref().ok_or(Code::CLIENT_NOT_INIT)?.take(command)
    }

    /// The user of the running session (`None` before `connect`).
    fn user_id(&self) -> Option<String> {
        self.lock_session().as_ref().map(|s| s.user_id.clone())
    }

    fn db(&self) -> Option<Db> {
        self.lock_session()
            .as_ref()
            .and_then(|s| s.db.get().cloned())
    }

    /// Queues `query` on the database now (so calls run in call order) and returns its result
    /// to come. 33001 when no database is open yet (before `connect`).
    fn query<T, Q>(&self, query: Q) -> Result<Query<T>, Code>
    where
        T: Send + 'static,
        Q: FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    {
        let db = self.db().ok_or(Code::CLIENT_NOT_INIT)?;
        let pending = db.submit(query).map_err(|_| Code::DATABASE_ERROR)?;
        Ok(Query::new(async move {
            pending.await.map_err(|e| {
                tracing::error!(error = %e, "local query failed");
                Code::DATABASE_ERROR
            })
        }))
    }

    /// [`Engine::query`] for one conversation, after checking its key.
    fn conversation_query<T, Q>(&self, key: ConversationKey, query: Q) -> Result<Query<T>, Code>
    where
        T: Send + 'static,
        Q: FnOnce(&mut Store, &ConversationKey) -> Result<T, StoreError> + Send + 'static,
    {
        check_conversation(&key)?;
        let key = normalised(key);
        self.query(move |s| query(s, &key))
    }
}

fn lock(session: &Mutex<Option<Session>>) -> MutexGuard<'_, Option<Session>> {
    session.lock().unwrap_or_else(|e| e.into_inner())
}

impl Session {
    /// Hands `command` to this session: 33001 when it ended, 20604 when too many calls
    /// already wait for it.
    fn take(&self, command: Command) -> Result<(), Code> {
        self.commands.try_send(command).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => Code::SEND_MSG_FREQUENCY_OVERRUN,
            mpsc::error::TrySendError::Closed(_) => Code::CLIENT_NOT_INIT,
        })
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn valid_conversation(conversation_type: u32, target_id: &str) -> bool {
    (1..=5).contains(&conversation_type) && !target_id.is_empty() && target_id.len() <= 64
}

/// PARAM_ERROR unless `key` names a conversation (type 1..=5, target id of 1..=64 bytes).
fn check_conversation(key: &ConversationKey) -> Result<(), Code> {
    if valid_conversation(key.conversation_type, &key.target_id) {
        Ok(())
    } else {
        Err(Code::PARAM_ERROR)
    }
}

/// Whether the server keeps a cloud history for conversations of this type: private and
/// group ones. Everything that lives on the cloud copy of a message follows: remote history
/// pages (R094), remote deletions and clears (R110), message expansion (R065, R123).
fn has_cloud_history(conversation_type: u32) -> bool {
    matches!(
        conversation_type,
        rcim_proto::conversation_type::PRIVATE | rcim_proto::conversation_type::GROUP
    )
}

/// `key` with its channel id dropped unless it is an ultra group (R064): other conversations
/// have no channels.
fn normalised(mut key: ConversationKey) -> ConversationKey {
    key.channel_id = crate::codec::channel_for(key.conversation_type, &key.channel_id);
    key
}

/// The channel filter of calls over several conversations (lists, unread counts, searches):
/// it selects ultra-group channels only, and "" is their default channel "RCDefault".
fn channel_filter(channel_id: &str) -> String {
    crate::codec::channel_for(crate::model::conversation_type::ULTRA_GROUP, channel_id)
}

/// Longest message uid, in bytes.
const MAX_UID_LEN: usize = 64;

/// PARAM_ERROR unless `uid` is a message uid (1..=64 bytes).
fn check_uid(uid: &str) -> Result<(), Code> {
    if uid.is_empty() || uid.len() > MAX_UID_LEN {
        Err(Code::PARAM_ERROR)
    } else {
        Ok(())
    }
}

/// PARAM_ERROR unless `types` is a non-empty list of conversation types (1..=5).
fn check_types(types: &[u32]) -> Result<(), Code> {
    if !types.is_empty() && types.iter().all(|t| (1..=5).contains(t)) {
        Ok(())
    } else {
        Err(Code::PARAM_ERROR)
    }
}

/// PARAM_ERROR when `types` names a chatroom (the unread and do-not-disturb calls do not
/// support chatrooms).
fn refuse_chatroom(types: &[u32]) -> Result<(), Code> {
    if types.contains(&crate::model::conversation_type::CHATROOM) {
        Err(Code::PARAM_ERROR)
    } else {
        Ok(())
    }
}

/// The installation's device id, created on first use and kept in the app's data directory.
fn load_device_id(config: &EngineConfig) -> String {
    let path = config.app_dir().join("device_id");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim();
        if !existing.is_empty() {
            return existing.to_string();
        }
    }
    let id = uuid::Uuid::new_v4().simple().to_string();
    let written =
        std::fs::create_dir_all(config.app_dir()).and_then(|_| std::fs::write(&path, &id));
    if let Err(e) = written {
        tracing::warn!(error = %e, "cannot persist the device id");
    }
    id
}
