//! [`Engine`]: the typed API of one IM client. Each method returns the immediate status code of
//! the seed (0 = accepted, non-zero = rejected and nothing else happens); results arrive later as
//! [`Event`]s on the stream returned by [`Engine::new`].

use crate::codec;
use crate::codes;
use crate::config::{sanitize, EngineConfig};
use crate::db::Db;
use crate::event::{Event, EventId};
use crate::model::{connection_status, Message};
use crate::session::{Command, ConnectionTask, SessionContext, StopReason};
use crate::token;
use rcim_store::{ConversationKey, Store, StoreError, TimeOrder};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};
use tokio::runtime::Handle;
use tokio::sync::{mpsc, watch};

/// How many events may wait for the embedder before the engine slows down (the default of
/// [`EngineConfig::event_queue_len`]).
pub const EVENT_QUEUE_LEN: usize = crate::config::DEFAULT_EVENT_QUEUE_LEN;

/// How many sends may wait for the connection task.
const COMMAND_QUEUE_LEN: usize = 1_000;

/// Largest page of `loadMessages` (seed: 0 < count <= 20).
pub const MAX_MESSAGE_PAGE: u32 = 20;

/// Largest page of `loadConversations` (seed: count <= 50).
pub const MAX_CONVERSATION_PAGE: u32 = 50;

/// Largest page of `searchMessages` (seed: 0 < count <= 50).
pub const MAX_SEARCH_PAGE: u32 = 50;

/// State shared by the engine and its tasks.
pub(crate) struct Shared {
    pub(crate) config: EngineConfig,
    pub(crate) http: reqwest::Client,
    pub(crate) device_id: String,
    events: mpsc::Sender<Event>,
}

impl Shared {
    pub(crate) async fn emit(&self, event: Event) {
        if self.events.send(event).await.is_err() {
            tracing::debug!("event dropped: nobody listens");
        }
    }
}

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

    /// `connect(token, timeout)`: opens the user's database (`DatabaseOpened`), connects and keeps
    /// reconnecting on the seed's schedule. `timeout_secs` > 0 gives up after that long if no
    /// connection was made (`Connected` with 34006, status TIMEOUT). A previous connection of this
    /// engine is stopped first.
    pub fn connect(&self, token: &str, timeout_secs: i64, event_id: EventId) -> i32 {
        // A timeout too large to represent means "no deadline".
        let deadline = u64::try_from(timeout_secs)
            .ok()
            .filter(|secs| *secs > 0)
            .and_then(|secs| Instant::now().checked_add(Duration::from_secs(secs)));
        self.stop_session(StopReason::Shutdown);
        let shared = self.shared.clone();
        let claims = token::claims(token).filter(|(app, _)| *app == shared.config.app_key);
        let Some((_, user_id)) = claims else {
            self.runtime.spawn(async move {
                shared
                    .emit(Event::ConnectionStatusChanged {
                        status: connection_status::TOKEN_INCORRECT,
                    })
                    .await;
                shared
                    .emit(Event::Connected {
                        code: codes::CONN_TOKEN_INCORRECT as i32,
                        user_id: String::new(),
                        event_id,
                    })
                    .await;
            });
            return codes::OK as i32;
        };
        let (commands_tx, commands_rx) = mpsc::channel(COMMAND_QUEUE_LEN);
        let (stop_tx, stop_rx) = watch::channel(StopReason::Run);
        let db_slot = Arc::new(OnceLock::new());
        *self.lock_session() = Some(Session {
            db: db_slot.clone(),
            commands: commands_tx,
            stop: stop_tx,
        });
        let path = shared.config.database_path(&sanitize(&user_id));
        let token = token.to_string();
        self.runtime.spawn(async move {
            let db = match Db::open(path).await {
                Ok(db) => db,
                Err(e) => {
                    tracing::error!(error = %e, "cannot open the local database");
                    shared
                        .emit(Event::DatabaseOpened {
                            code: codes::DATABASE_ERROR,
                            event_id: event_id.clone(),
                        })
                        .await;
                    shared
                        .emit(Event::Connected {
                            code: codes::DATABASE_ERROR,
                            user_id: String::new(),
                            event_id,
                        })
                        .await;
                    return;
                }
            };
            let _ = db_slot.set(db.clone());
            shared
                .emit(Event::DatabaseOpened {
                    code: 0,
                    event_id: event_id.clone(),
                })
                .await;
            let ctx = SessionContext {
                config: shared.config.clone(),
                http: shared.http.clone(),
                device_id: shared.device_id.clone(),
                events: shared.events.clone(),
            };
            ConnectionTask::new(
                ctx,
                db,
                user_id,
                token,
                event_id,
                deadline,
                commands_rx,
                stop_rx,
            )
            .run()
            .await;
        });
        0
    }

    fn lock_session(&self) -> MutexGuard<'_, Option<Session>> {
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `disconnect(receivePush)`: leaves the connection (status SIGN_OUT) and stops reconnecting.
    /// The local database stays readable.
    pub fn disconnect(&self, receive_push: bool) -> i32 {
        let guard = self.lock_session();
        let Some(session) = guard.as_ref() else {
            return codes::CLIENT_NOT_INIT;
        };
        if session
            .stop
            .send(StopReason::SignOut { receive_push })
            .is_err()
        {
            // The connection had already ended (kicked, refused, timed out): report the
            // sign-out here.
            let shared = self.shared.clone();
            self.runtime.spawn(async move {
                shared
                    .emit(Event::ConnectionStatusChanged {
                        status: connection_status::SIGN_OUT,
                    })
                    .await;
            });
        }
        0
    }

    /// Stops everything (engine destroyed). The connection task stores the sends it was handed
    /// and ends; stored but unsent messages stay queued on disk for the next connect.
    pub fn shutdown(&self) {
        self.stop_session(StopReason::Shutdown);
    }

    fn stop_session(&self, reason: StopReason) {
        if let Some(session) = self.lock_session().take() {
            let _ = session.stop.send(reason);
        }
    }

    fn db(&self) -> Option<Db> {
        self.lock_session()
            .as_ref()
            .and_then(|s| s.db.get().cloned())
    }

    /// `sendMessage`: stores the message (`MessageAttached`), sends it, and reports the server's
    /// answer (`MessageSent`). Resending a failed message object reuses its stored row.
    pub fn send_message(&self, message: Message, event_id: EventId) -> i32 {
        if !valid_conversation(message.conversation_type, &message.target_id) {
            return codes::PARAM_ERROR;
        }
        let Some((_, content)) = codec::encode_content(&message) else {
            return codes::PARAM_ERROR;
        };
        if content.len() > rcim_proto::MAX_CONTENT_LEN {
            return codes::MSG_SIZE_OUT_OF_LIMIT as i32;
        }
        let guard = self.lock_session();
        let Some(session) = guard.as_ref() else {
            return codes::CLIENT_NOT_INIT;
        };
        let command = Command::Send {
            message: Box::new(message),
            event_id,
            requested: Instant::now(),
        };
        match session.commands.try_send(command) {
            Ok(()) => 0,
            Err(mpsc::error::TrySendError::Full(_)) => codes::SEND_MSG_FREQUENCY_OVERRUN as i32,
            Err(mpsc::error::TrySendError::Closed(_)) => codes::CLIENT_NOT_INIT,
        }
    }

    /// `recallMessage`: asks the server to recall a sent message (it needs its uid). The result
    /// comes as `MessageRecalled`: on success the local row has become the recall notification
    /// (messageType RECALL). Stored in the outbox first: made offline, it goes when the
    /// connection is back, even after an app restart.
    pub fn recall_message(&self, message: Message, event_id: EventId) -> i32 {
        if !valid_conversation(message.conversation_type, &message.target_id)
            || message.message_uid.as_deref().unwrap_or("").is_empty()
        {
            return codes::PARAM_ERROR;
        }
        let guard = self.lock_session();
        let Some(session) = guard.as_ref() else {
            return codes::CLIENT_NOT_INIT;
        };
        let command = Command::Recall {
            message: Box::new(message),
            event_id,
        };
        match session.commands.try_send(command) {
            Ok(()) => 0,
            Err(mpsc::error::TrySendError::Full(_)) => codes::SEND_MSG_FREQUENCY_OVERRUN as i32,
            Err(mpsc::error::TrySendError::Closed(_)) => codes::CLIENT_NOT_INIT,
        }
    }

    /// `sendPrivateReadReceiptMessage`: tells `target_id` that this user read their private
    /// messages up to `timestamp` (sent time of the last one read). Result:
    /// `PrivateReadReceiptMessageSent`; the peer gets `PrivateReadReceiptReceived` and its
    /// messages become READ. Queued like a recall while offline.
    pub fn send_private_read_receipt_message(
        &self,
        target_id: &str,
        channel_id: &str,
        timestamp: i64,
        event_id: EventId,
    ) -> i32 {
        if !valid_conversation(crate::model::conversation_type::PRIVATE, target_id) || timestamp < 0
        {
            return codes::PARAM_ERROR;
        }
        let guard = self.lock_session();
        let Some(session) = guard.as_ref() else {
            return codes::CLIENT_NOT_INIT;
        };
        let command = Command::ReadReceipt {
            target_id: target_id.to_string(),
            channel_id: channel_id.to_string(),
            timestamp,
            event_id,
        };
        match session.commands.try_send(command) {
            Ok(()) => 0,
            Err(mpsc::error::TrySendError::Full(_)) => codes::SEND_MSG_FREQUENCY_OVERRUN as i32,
            Err(mpsc::error::TrySendError::Closed(_)) => codes::CLIENT_NOT_INIT,
        }
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

    /// `loadMessages` / `getMessages` (local store; `count` 1..=20; `order` 0 = BEFORE,
    /// 1 = AFTER `sent_time`).
    pub fn load_messages(
        &self,
        key: ConversationKey,
        sent_time: i64,
        order: u32,
        count: u32,
        event_id: EventId,
    ) -> i32 {
        if !(1..=MAX_MESSAGE_PAGE).contains(&count) || order > 1 {
            return codes::PARAM_ERROR;
        }
        let time_order = if order == 0 {
            TimeOrder::Before
        } else {
            TimeOrder::After
        };
        self.conversation_query(
            key,
            move |s, key| s.messages(key, sent_time, time_order, count),
            move |code, key, rows| Event::MessagesLoaded {
                code,
                key,
                sent_time,
                order,
                messages: rows
                    .unwrap_or_default()
                    .iter()
                    .map(codec::message_from_row)
                    .collect(),
                event_id,
            },
        )
    }

    /// `getMessageById`: the stored message with local id `message_id`. The lookup is queued
    /// at once (in call order); the returned future resolves with the message or a code.
    pub fn get_message_by_id(
        &self,
        message_id: i64,
    ) -> impl std::future::Future<Output = Result<Message, i32>> + Send + 'static {
        let submitted = self.db().ok_or(codes::CLIENT_NOT_INIT).and_then(|db| {
            db.submit(move |s| s.message(message_id))
                .map_err(|_| codes::DATABASE_ERROR)
        });
        async move {
            match submitted?.await {
                Ok(Some(row)) => Ok(codec::message_from_row(&row)),
                Ok(None) => Err(codes::INVALID_MESSAGE_ID),
                Err(_) => Err(codes::DATABASE_ERROR),
            }
        }
    }

    /// `loadConversations` / `getConversations` (`count` 1..=50; `start_time` 0 = newest).
    pub fn load_conversations(
        &self,
        conversation_types: Vec<u32>,
        channel_id: &str,
        start_time: i64,
        count: u32,
        event_id: EventId,
    ) -> i32 {
        if conversation_types.is_empty()
            || !conversation_types.iter().all(|t| (1..=5).contains(t))
            || !(1..=MAX_CONVERSATION_PAGE).contains(&count)
        {
            return codes::PARAM_ERROR;
        }
        let channel = channel_id.to_string();
        let types = conversation_types.clone();
        self.query(
            move |s| s.conversations(&types, &channel, start_time, count),
            {
                let channel_id = channel_id.to_string();
                move |code, rows: Option<Vec<rcim_store::ConversationRow>>| {
                    Event::ConversationsLoaded {
                        code,
                        conversation_types,
                        channel_id,
                        start_time,
                        count,
                        conversations: rows
                            .unwrap_or_default()
                            .iter()
                            .map(codec::conversation_from_row)
                            .collect(),
                        event_id,
                    }
                }
            },
        )
    }

    /// `loadConversation` / `getConversation`.
    pub fn load_conversation(&self, key: ConversationKey, event_id: EventId) -> i32 {
        self.conversation_query(
            key,
            |s, key| s.conversation(key),
            move |code, key, row| Event::ConversationLoaded {
                code,
                key,
                conversation: row.flatten().as_ref().map(codec::conversation_from_row),
                event_id,
            },
        )
    }

    /// `loadUnreadCount` / `getUnreadCount`.
    pub fn load_unread_count(&self, key: ConversationKey, event_id: EventId) -> i32 {
        self.conversation_query(
            key,
            |s, key| s.unread_count(key),
            move |code, key, count| Event::UnreadCountLoaded {
                code,
                key,
                count: count.unwrap_or(0),
                event_id,
            },
        )
    }

    /// `loadTotalUnreadCount` / `getTotalUnreadCount`.
    pub fn load_total_unread_count(&self, channel_id: &str, event_id: EventId) -> i32 {
        let channel = channel_id.to_string();
        let channel_arg = channel.clone();
        self.query(
            move |s| s.total_unread_count(&channel),
            move |code, count| Event::TotalUnreadCountLoaded {
                code,
                channel_id: channel_arg,
                count: count.unwrap_or(0),
                event_id,
            },
        )
    }

    /// `clearUnreadCount`: marks messages up to `timestamp` read (0 = all).
    pub fn clear_unread_count(
        &self,
        key: ConversationKey,
        timestamp: i64,
        event_id: EventId,
    ) -> i32 {
        self.conversation_query(
            key,
            move |s, key| s.clear_unread(key, timestamp),
            move |code, key, _| Event::UnreadCountCleared {
                code,
                key,
                timestamp,
                event_id,
            },
        )
    }

    /// `removeConversation`: removes it from the list (messages stay).
    pub fn remove_conversation(&self, key: ConversationKey, event_id: EventId) -> i32 {
        self.conversation_query(
            key,
            |s, key| s.remove_conversation(key),
            move |code, key, _| Event::ConversationRemoved {
                code,
                key,
                event_id,
            },
        )
    }

    /// `loadMessageCount` / `getMessageCount`: messages stored for the conversation.
    pub fn load_message_count(&self, key: ConversationKey, event_id: EventId) -> i32 {
        self.conversation_query(
            key,
            |s, key| s.message_count(key),
            move |code, key, count| Event::MessageCountLoaded {
                code,
                key,
                count: count.unwrap_or(0),
                event_id,
            },
        )
    }

    /// `loadFirstUnreadMessage` / `getFirstUnreadMessage`: the oldest unread received message
    /// (none: code 0 and no message).
    pub fn load_first_unread_message(&self, key: ConversationKey, event_id: EventId) -> i32 {
        self.conversation_query(
            key,
            |s, key| s.first_unread_message(key),
            move |code, key, row| Event::FirstUnreadMessageLoaded {
                code,
                key,
                message: row.flatten().as_ref().map(codec::message_from_row),
                event_id,
            },
        )
    }

    /// `loadUnreadCountByConversationTypes` / `getUnreadCountByConversationTypes`: the unread
    /// count of the given types (chatrooms never count); `contain` = include muted
    /// conversations.
    pub fn load_unread_count_by_conversation_types(
        &self,
        conversation_types: Vec<u32>,
        channel_id: &str,
        contain: bool,
        event_id: EventId,
    ) -> i32 {
        if conversation_types.is_empty() || !conversation_types.iter().all(|t| (1..=5).contains(t))
        {
            return codes::PARAM_ERROR;
        }
        let channel = channel_id.to_string();
        let types = conversation_types.clone();
        let channel_arg = channel.clone();
        self.query(
            move |s| s.unread_count_by_types(&types, &channel, contain),
            move |code, count| Event::UnreadCountByConversationTypesLoaded {
                code,
                conversation_types,
                channel_id: channel_arg,
                contain,
                count: count.unwrap_or(0),
                event_id,
            },
        )
    }

    /// Sends a setting change to the server (queued in the outbox while offline).
    fn change_setting(&self, change: crate::session::SettingChange) -> i32 {
        if !valid_conversation(change.key.conversation_type, &change.key.target_id)
            || change.key.conversation_type == crate::model::conversation_type::CHATROOM
        {
            return codes::PARAM_ERROR;
        }
        let guard = self.lock_session();
        let Some(session) = guard.as_ref() else {
            return codes::CLIENT_NOT_INIT;
        };
        match session.commands.try_send(Command::Setting(change)) {
            Ok(()) => 0,
            Err(mpsc::error::TrySendError::Full(_)) => codes::SEND_MSG_FREQUENCY_OVERRUN as i32,
            Err(mpsc::error::TrySendError::Closed(_)) => codes::CLIENT_NOT_INIT,
        }
    }

    /// `changeConversationTopStatus`: pins or unpins a conversation (creating it) on the
    /// server, then locally; the user's other devices get `ConversationTopStatusSynced`.
    /// Result: `ConversationTopStatusChanged`; queued while offline.
    pub fn change_conversation_top_status(
        &self,
        key: ConversationKey,
        top: bool,
        event_id: EventId,
    ) -> i32 {
        self.change_setting(crate::session::SettingChange {
            key,
            top: Some(top),
            level: None,
            event_id,
        })
    }

    /// `changeConversationNotificationLevel` (`RCIMIWPushNotificationLevel` 0..=5), synced to
    /// the user's other devices like the pin. Result: `ConversationNotificationLevelChanged`.
    pub fn change_conversation_notification_level(
        &self,
        key: ConversationKey,
        level: u32,
        event_id: EventId,
    ) -> i32 {
        if level > MAX_NOTIFICATION_LEVEL {
            return codes::PARAM_ERROR;
        }
        self.change_setting(crate::session::SettingChange {
            key,
            top: None,
            level: Some(level),
            event_id,
        })
    }

    /// `loadConversationTopStatus` / `getConversationTopStatus` (local store).
    pub fn load_conversation_top_status(&self, key: ConversationKey, event_id: EventId) -> i32 {
        self.conversation_query(
            key,
            |s, key| s.conversation_top(key),
            move |code, key, top| Event::ConversationTopStatusLoaded {
                code,
                key,
                top: top.unwrap_or(false),
                event_id,
            },
        )
    }

    /// `loadConversationNotificationLevel` / `getConversationNotificationLevel`.
    pub fn load_conversation_notification_level(
        &self,
        key: ConversationKey,
        event_id: EventId,
    ) -> i32 {
        self.conversation_query(
            key,
            |s, key| s.conversation_notification_level(key),
            move |code, key, level| Event::ConversationNotificationLevelLoaded {
                code,
                key,
                level: level.unwrap_or(0),
                event_id,
            },
        )
    }

    /// `loadTopConversations` / `getTopConversations`: pinned conversations, newest first.
    pub fn load_top_conversations(
        &self,
        conversation_types: Vec<u32>,
        channel_id: &str,
        event_id: EventId,
    ) -> i32 {
        self.conversation_list(conversation_types, channel_id, false, event_id)
    }

    /// `loadBlockedConversations` / `getBlockedConversations`: conversations whose level is
    /// do-not-disturb (`rcim_store::notification_level::MUTED`); not for chatrooms.
    pub fn load_blocked_conversations(
        &self,
        conversation_types: Vec<u32>,
        channel_id: &str,
        event_id: EventId,
    ) -> i32 {
        self.conversation_list(conversation_types, channel_id, true, event_id)
    }

    fn conversation_list(
        &self,
        conversation_types: Vec<u32>,
        channel_id: &str,
        blocked: bool,
        event_id: EventId,
    ) -> i32 {
        if conversation_types.is_empty() || !conversation_types.iter().all(|t| (1..=5).contains(t))
        {
            return codes::PARAM_ERROR;
        }
        let channel = channel_id.to_string();
        let channel_id = channel_id.to_string();
        let types = conversation_types.clone();
        self.query(
            move |s| {
                if blocked {
                    s.blocked_conversations(&types, &channel)
                } else {
                    s.top_conversations(&types, &channel)
                }
            },
            move |code, rows: Option<Vec<rcim_store::ConversationRow>>| {
                let conversations = rows
                    .unwrap_or_default()
                    .iter()
                    .map(codec::conversation_from_row)
                    .collect();
                if blocked {
                    Event::BlockedConversationsLoaded {
                        code,
                        conversation_types,
                        channel_id,
                        conversations,
                        event_id,
                    }
                } else {
                    Event::TopConversationsLoaded {
                        code,
                        conversation_types,
                        channel_id,
                        conversations,
                        event_id,
                    }
                }
            },
        )
    }

    /// `saveDraftMessage`: stores the draft on the conversation (creating it) and moves the
    /// conversation up the list. An empty draft clears it.
    pub fn save_draft_message(&self, key: ConversationKey, draft: &str, event_id: EventId) -> i32 {
        if draft.len() > MAX_DRAFT_LEN {
            return codes::PARAM_ERROR;
        }
        let text = draft.to_string();
        let draft = draft.to_string();
        let now = crate::session::now_ms();
        self.conversation_query(
            key,
            move |s, key| s.save_draft(key, &text, now),
            move |code, key, _| Event::DraftMessageSaved {
                code,
                key,
                draft,
                event_id,
            },
        )
    }

    /// `clearDraftMessage`.
    pub fn clear_draft_message(&self, key: ConversationKey, event_id: EventId) -> i32 {
        self.conversation_query(
            key,
            |s, key| s.clear_draft(key),
            move |code, key, _| Event::DraftMessageCleared {
                code,
                key,
                event_id,
            },
        )
    }

    /// `loadDraftMessage` / `getDraftMessage` ("" when there is none).
    pub fn load_draft_message(&self, key: ConversationKey, event_id: EventId) -> i32 {
        self.conversation_query(
            key,
            |s, key| s.draft(key),
            move |code, key, draft| Event::DraftMessageLoaded {
                code,
                key,
                draft: draft.unwrap_or_default(),
                event_id,
            },
        )
    }

    /// `searchMessages`: messages of one conversation whose text contains `keyword`
    /// (case-insensitive, any CJK substring), newest first, older than `start_time`
    /// (0 = from the newest); `count` 1..=50. Not for chatrooms; the keyword must not be empty.
    pub fn search_messages(
        &self,
        key: ConversationKey,
        keyword: &str,
        start_time: i64,
        count: u32,
        event_id: EventId,
    ) -> i32 {
        if !(1..=MAX_SEARCH_PAGE).contains(&count)
            || keyword.is_empty()
            || keyword.len() > MAX_KEYWORD_LEN
            || key.conversation_type == crate::model::conversation_type::CHATROOM
        {
            return codes::PARAM_ERROR;
        }
        let lookup = keyword.to_string();
        let keyword = keyword.to_string();
        self.conversation_query(
            key,
            move |s, key| s.search_messages(key, &lookup, start_time, count),
            move |code, key, rows| Event::MessagesSearched {
                code,
                key,
                keyword,
                start_time,
                count,
                messages: rows
                    .unwrap_or_default()
                    .iter()
                    .map(codec::message_from_row)
                    .collect(),
                event_id,
            },
        )
    }
}

/// Highest `RCIMIWPushNotificationLevel` (BLOCKED).
pub const MAX_NOTIFICATION_LEVEL: u32 = 5;

/// Longest draft text, in bytes.
pub const MAX_DRAFT_LEN: usize = 64 * 1024;

/// Longest search keyword, in bytes.
pub const MAX_KEYWORD_LEN: usize = 1024;

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
