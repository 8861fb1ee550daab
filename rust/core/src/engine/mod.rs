//! [`Engine`]: the typed API of one IM client. Each method returns the immediate status code of
//! the seed (0 = accepted, non-zero = rejected and nothing else happens); results arrive later as
//! [`Event`]s on the stream returned by [`Engine::new`].
//!
//! The methods live in one file per area: [`connection`] (connect, disconnect, shutdown),
//! [`messages`], [`conversations`], [`unread`], [`receipts`], [`settings`] (pin, notification
//! level), [`drafts`], [`search`]. This file holds the engine itself and the helpers they share.

pub mod connection;
pub mod conversations;
pub mod drafts;
pub mod messages;
pub mod receipts;
pub mod search;
pub mod settings;
pub mod unread;

use crate::codes;
use crate::config::EngineConfig;
use crate::db::Db;
use crate::event::Event;
use crate::session::{Command, StopReason};
use crate::shared::Shared;
use rcim_store::{ConversationKey, Store, StoreError};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;
use tokio::runtime::Handle;
use tokio::sync::{mpsc, watch};

/// How many events may wait for the embedder before the engine slows down.
pub const EVENT_QUEUE_LEN: usize = crate::config::DEFAULT_EVENT_QUEUE_LEN;

/// The running connection of one `connect()` call.
struct Session {
    /// Set by the session's task once the user's database is open.
    db: Arc<OnceLock<Db>>,
    commands: mpsc::Sender<Command>,
    stop: watch::Sender<StopReason>,
}

/// One IM client: connection, local store and events. Cheap to share behind an `Arc`.
pub struct Engine {
    shared: Arc<Shared>,
    runtime: Handle,
    session: Arc<Mutex<Option<Session>>>,
}

/// The stream of events of an [`Engine`].
pub type EventStream = mpsc::Receiver<Event>;

impl Engine {
    /// Creates an engine; call from within a Tokio runtime (its handle is kept for the tasks).
    pub fn new(config: EngineConfig) -> (Engine, EventStream) {
        let (events, stream) = mpsc::channel(config.event_queue_len.max(1));
        let device_id = load_device_id(&config);
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .build()
            .unwrap_or_default();
        let shared = Arc::new(Shared {
            config,
            http,
            device_id,
            events,
        });
        let engine = Engine {
            shared,
            runtime: Handle::current(),
            session: Arc::new(Mutex::new(None)),
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
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn db(&self) -> Option<Db> {
        self.lock_session()
            .as_ref()
            .and_then(|s| s.db.get().cloned())
    }

    /// Queues `query` on the database now (results come in call order) and emits
    /// `make(code, result)` when it is done.
    fn query<T, Q, M>(&self, query: Q, make: M) -> i32
    where
        T: Send + 'static,
        Q: FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
        M: FnOnce(i32, Option<T>) -> Event + Send + 'static,
    {
        let Some(db) = self.db() else {
            return codes::CLIENT_NOT_INIT;
        };
        let Ok(result) = db.submit(query) else {
            return codes::DATABASE_ERROR;
        };
        let shared = self.shared.clone();
        self.runtime.spawn(async move {
            let event = match result.await {
                Ok(value) => make(0, Some(value)),
                Err(e) => {
                    tracing::error!(error = %e, "local query failed");
                    make(codes::DATABASE_ERROR, None)
                }
            };
            shared.emit(event).await;
        });
        0
    }

    /// Runs `query` for one conversation (after checking the key) and emits
    /// `make(code, key, result)`.
    fn conversation_query<T, Q, M>(&self, key: ConversationKey, query: Q, make: M) -> i32
    where
        T: Send + 'static,
        Q: FnOnce(&mut Store, &ConversationKey) -> Result<T, StoreError> + Send + 'static,
        M: FnOnce(i32, ConversationKey, Option<T>) -> Event + Send + 'static,
    {
        if !valid_conversation(key.conversation_type, &key.target_id) {
            return codes::PARAM_ERROR;
        }
        let lookup = key.clone();
        self.query(
            move |s| query(s, &lookup),
            move |code, v| make(code, key, v),
        )
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
