//! The connection task: navigation, connect, reconnect on the seed's schedule, heartbeat, the
//! send queue and inbox sync. One task per `connect()` call; it ends on disconnect, kick,
//! fatal refusal, timeout or engine shutdown.

use crate::codec;
use crate::codes;
use crate::config::reconnect_delay;
use crate::db::Db;
use crate::engine::Shared;
use crate::event::{Event, EventId};
use crate::model::{connection_status as status, Message};
use crate::navi::{self, NaviError};
use futures::{SinkExt, StreamExt};
use rcim_proto::v1::{
    client_frame, inbox_entry, request, response, server_frame, ChangeConversationSetting,
    ClientFrame, Connect, Disconnect, InboxEntry, Ping, Platform, PrivateReadReceipt,
    RecallMessage, Request as WireRequest, SendMessage, ServerFrame, SyncRequest,
};
use rcim_proto::{FrameCodec, MAX_SYNC_PACKAGE, PROTOCOL_VERSION};
use rcim_store::{
    sent_status, ConversationKey, ConversationSettingUpdate, MessageRow, NewMessage, ReadMark,
};
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};
use tokio_util::codec::Framed;

type Transport = Framed<TcpStream, FrameCodec<ServerFrame, ClientFrame>>;

/// At most this many sends per rolling second (IMLib's client limit, enforced by the server too).
const SENDS_PER_SECOND: usize = 5;

/// A message on the wire without an ack for this long fails with 30003 (it keeps its client id,
/// so resending it later is still deduplicated by the server).
const ACK_TIMEOUT: Duration = Duration::from_secs(20);

/// How often the session checks heartbeats and ack deadlines.
const SESSION_TICK: Duration = Duration::from_secs(5);

/// The rolling window of the user's send calls.
const USER_WINDOW: Duration = Duration::from_secs(1);

/// The rolling window of sends on the wire; a little longer than the server's second so network
/// jitter never makes paced resends look too fast.
const WIRE_WINDOW: Duration = Duration::from_millis(1050);

/// Requests to the connection task.
pub(crate) enum Command {
    /// Store, announce and send a message.
    Send {
        message: Box<Message>,
        event_id: EventId,
        /// When the app called `sendMessage`.
        requested: Instant,
    },
    /// Recall a sent message (`recallMessage`).
    Recall {
        message: Box<Message>,
        event_id: EventId,
    },
    /// Change a conversation setting (`changeConversationTopStatus`,
    /// `changeConversationNotificationLevel`).
    Setting(SettingChange),
    /// Send a private read receipt (`sendPrivateReadReceiptMessage`).
    ReadReceipt {
        target_id: String,
        channel_id: String,
        timestamp: i64,
        event_id: EventId,
    },
}

/// A conversation setting change (top and/or notification level).
#[derive(Debug)]
pub(crate) struct SettingChange {
    pub(crate) key: ConversationKey,
    pub(crate) top: Option<bool>,
    pub(crate) level: Option<u32>,
    pub(crate) event_id: EventId,
}

impl SettingChange {
    /// The result event (`onConversationTopStatusChanged` for a pin change, otherwise
    /// `onConversationNotificationLevelChanged`).
    fn result(self, code: i32) -> Event {
        match self.top {
            Some(top) => Event::ConversationTopStatusChanged {
                code,
                key: self.key,
                top,
                event_id: self.event_id,
            },
            None => Event::ConversationNotificationLevelChanged {
                code,
                key: self.key,
                level: self.level.unwrap_or(0),
                event_id: self.event_id,
            },
        }
    }
}

/// A request other than a send, waiting for the wire or for its answer. Not kept across
/// reconnects: a session that ends fails them with 30002.
enum Request {
    Recall {
        message: Box<Message>,
        event_id: EventId,
    },
    ReadReceipt {
        target_id: String,
        channel_id: String,
        timestamp: i64,
        event_id: EventId,
    },
    Setting(SettingChange),
}

impl Request {
    /// The failure event for this request.
    fn failed(self, code: u32) -> Event {
        let code = code as i32;
        match self {
            Request::Recall { message, event_id } => Event::MessageRecalled {
                code,
                message: *message,
                event_id,
            },
            Request::ReadReceipt {
                target_id,
                channel_id,
                timestamp,
                event_id,
            } => Event::PrivateReadReceiptMessageSent {
                code,
                target_id,
                channel_id,
                timestamp,
                event_id,
            },
            Request::Setting(change) => change.result(code),
        }
    }
}

/// Why the engine asks the task to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StopReason {
    /// Keep running.
    Run,
    /// `disconnect()`; push after logout is wanted or not.
    SignOut { receive_push: bool },
    /// The engine is being destroyed.
    Shutdown,
}

/// How a connected session ended.
enum SessionEnd {
    /// Transport lost: reconnect.
    Lost,
    /// Another device took over.
    Kicked,
    /// Stopped by the engine.
    Stopped(StopReason),
}

/// Why opening a session failed.
enum OpenError {
    /// Retry on the schedule.
    Transient(String),
    /// Do not retry; report this code.
    Fatal(u32),
    /// Stopped by the engine while connecting.
    Stopped(StopReason),
}

/// A message waiting for the wire or for its ack.
struct Outgoing {
    row: MessageRow,
    event_id: EventId,
    /// When it was queued, or put on the wire once in flight.
    since: Instant,
}

/// Everything the task owns.
pub(crate) struct ConnectionTask {
    pub(crate) shared: Arc<Shared>,
    pub(crate) db: Db,
    pub(crate) user_id: String,
    pub(crate) token: String,
    pub(crate) connect_event_id: EventId,
    pub(crate) deadline: Option<Instant>,
    pub(crate) commands: mpsc::Receiver<Command>,
    pub(crate) stop: watch::Receiver<StopReason>,
    pending: VecDeque<Outgoing>,
    inflight: HashMap<u64, Outgoing>,
    /// Requests (recalls, read receipts) to put on the wire, and those waiting for their
    /// answer (by request seq).
    requests: VecDeque<Request>,
    inflight_requests: HashMap<u64, Request>,
    /// A session is open (requests need one: they are not queued across reconnects).
    online: bool,
    recent_sends: VecDeque<Instant>,
    user_sends: VecDeque<Instant>,
    gateways: Vec<String>,
    status: Option<u32>,
    reported: bool,
    ever_connected: bool,
    cursor: u64,
    max_seen: u64,
    /// The seq of the outstanding SyncRequest, if any.
    syncing: Option<u64>,
    /// The inbox head when the session was accepted: entries up to it were stored while this
    /// device was offline (the `offline` flag of received messages).
    offline_head: u64,
    next_seq: u64,
    heartbeat: Duration,
}

impl ConnectionTask {
    /// A task for `user_id`; call [`ConnectionTask::run`] to start it.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        shared: Arc<Shared>,
        db: Db,
        user_id: String,
        token: String,
        connect_event_id: EventId,
        deadline: Option<Instant>,
        commands: mpsc::Receiver<Command>,
        stop: watch::Receiver<StopReason>,
    ) -> Self {
        Self {
            shared,
            db,
            user_id,
            token,
            connect_event_id,
            deadline,
            commands,
            stop,
            pending: VecDeque::new(),
            inflight: HashMap::new(),
            requests: VecDeque::new(),
            inflight_requests: HashMap::new(),
            online: false,
            recent_sends: VecDeque::new(),
            user_sends: VecDeque::new(),
            gateways: Vec::new(),
            status: None,
            reported: false,
            ever_connected: false,
            cursor: 0,
            max_seen: 0,
            syncing: None,
            offline_head: 0,
            next_seq: 1,
            heartbeat: Duration::from_secs(30),
        }
    }

    /// Runs until the connection is given up or stopped.
    pub(crate) async fn run(mut self) {
        match self.load_state().await {
            Ok(()) => {}
            Err(e) => {
                tracing::error!(error = %e, "cannot read local state");
                self.give_up(codes::DATABASE_ERROR as u32, status::UNCONNECTED)
                    .await;
                return;
            }
        }
        let mut attempt = 0usize;
        loop {
            if attempt > 0 {
                if let Some(reason) = self.wait(reconnect_delay(attempt - 1)).await {
                    self.stopped(reason).await;
                    return;
                }
            }
            if !self.reported && self.deadline.is_some_and(|d| Instant::now() >= d) {
                self.timed_out().await;
                return;
            }
            self.set_status(status::CONNECTING).await;
            let opened = match self.deadline.filter(|_| !self.reported) {
                Some(deadline) => {
                    match tokio::time::timeout_at(deadline.into(), self.open_session()).await {
                        Ok(result) => result,
                        Err(_) => Err(OpenError::Transient("connect timed out".into())),
                    }
                }
                None => self.open_session().await,
            };
            match opened {
                Ok(transport) => match self.session_then_fail_requests(transport).await {
                    SessionEnd::Lost => {
                        self.set_status(status::SUSPEND).await;
                        self.requeue_inflight();
                        attempt = 1;
                    }
                    SessionEnd::Kicked => {
                        self.give_up(codes::DISCONN_KICK, status::KICKED_OFFLINE_BY_OTHER_CLIENT)
                            .await;
                        return;
                    }
                    SessionEnd::Stopped(reason) => {
                        self.stopped(reason).await;
                        return;
                    }
                },
                Err(OpenError::Fatal(code)) => {
                    let new_status = match code {
                        codes::CONN_TOKEN_INCORRECT => status::TOKEN_INCORRECT,
                        codes::CONN_USER_BLOCKED => status::CONN_USER_BLOCKED,
                        codes::CONN_OTHER_DEVICE_LOGIN => status::KICKED_OFFLINE_BY_OTHER_CLIENT,
                        _ => status::UNCONNECTED,
                    };
                    self.give_up(code, new_status).await;
                    return;
                }
                Err(OpenError::Stopped(reason)) => {
                    self.stopped(reason).await;
                    return;
                }
                Err(OpenError::Transient(why)) => {
                    tracing::info!(user = %self.user_id, attempt, %why, "connect attempt failed");
                    self.gateways.clear();
                    attempt += 1;
                }
            }
        }
    }

    async fn load_state(&mut self) -> Result<(), crate::db::DbError> {
        let (cursor, pending) = self
            .db
            .call(|s| Ok((s.inbox_cursor()?, s.pending_outgoing()?)))
            .await?;
        self.cursor = cursor;
        self.max_seen = cursor;
        // Messages a previous run stored but never saw acknowledged: resend them (the server
        // dedupes on their client id), so they are sent exactly once or fail visibly.
        let now = Instant::now();
        self.pending.extend(pending.into_iter().map(|row| Outgoing {
            row,
            event_id: None,
            since: now,
        }));
        Ok(())
    }

    async fn emit(&self, event: Event) {
        self.shared.emit(event).await;
    }

    async fn set_status(&mut self, new_status: u32) {
        if self.status != Some(new_status) {
            self.status = Some(new_status);
            self.emit(Event::ConnectionStatusChanged { status: new_status })
                .await;
        }
    }

    /// Waits `delay` while still accepting sends; returns a stop reason if stopped meanwhile.
    async fn wait(&mut self, delay: Duration) -> Option<StopReason> {
        let until = tokio::time::Instant::now() + delay;
        loop {
            let tick = tokio::time::Instant::now() + Duration::from_millis(500);
            tokio::select! {
                _ = tokio::time::sleep_until(until.min(tick)) => {
                    self.expire_pending().await;
                    if tokio::time::Instant::now() >= until {
                        return None;
                    }
                    if !self.reported && self.deadline.is_some_and(|d| Instant::now() >= d) {
                        return None;
                    }
                }
                command = self.commands.recv() => match command {
                    Some(command) => self.accept(command).await,
                    None => return Some(StopReason::Shutdown),
                },
                reason = stop_signal(&mut self.stop) => return Some(reason),
            }
        }
    }

    /// Fails messages that waited longer than the send timeout for a connection.
    async fn expire_pending(&mut self) {
        let timeout = self.shared.config.send_timeout;
        let (expired, waiting): (Vec<Outgoing>, Vec<Outgoing>) = self
            .pending
            .drain(..)
            .partition(|o| o.since.elapsed() > timeout);
        self.pending = waiting.into();
        for item in expired {
            self.finish_send(item, codes::NETWORK_UNAVAILABLE, None, None)
                .await;
        }
    }

    async fn open_session(&mut self) -> Result<Transport, OpenError> {
        let mut stop = self.stop.clone();
        tokio::select! {
            result = self.handshake() => result,
            reason = stop_signal(&mut stop) => Err(OpenError::Stopped(reason)),
        }
    }

    async fn handshake(&mut self) -> Result<Transport, OpenError> {
        let config = &self.shared.config;
        if self.gateways.is_empty() {
            self.gateways =
                navi::fetch_gateways(&self.shared.http, &config.navi_server, &config.app_key)
                    .await
                    .map_err(|e| match e {
                        NaviError::Refused(_) => OpenError::Fatal(codes::CONN_ID_REJECT),
                        NaviError::Transient(why) => OpenError::Transient(why),
                    })?;
        }
        let step = config.connect_step_timeout;
        let mut last_error = String::from("no gateway");
        for gateway in self.gateways.clone() {
            let stream = match tokio::time::timeout(step, TcpStream::connect(&gateway)).await {
                Ok(Ok(stream)) => stream,
                Ok(Err(e)) => {
                    last_error = format!("{gateway}: {e}");
                    continue;
                }
                Err(_) => {
                    last_error = format!("{gateway}: connect timed out");
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            let mut transport = Framed::new(stream, FrameCodec::new());
            let connect = Connect {
                protocol_version: PROTOCOL_VERSION,
                app_key: config.app_key.clone(),
                token: self.token.clone(),
                device_id: self.shared.device_id.clone(),
                platform: Platform::Mobile as i32,
                is_reconnect: self.ever_connected,
                kick_reconnect_device: config.kick_reconnect_device,
                client_version: env!("CARGO_PKG_VERSION").to_string(),
            };
            let frame = ClientFrame {
                seq: 0,
                body: Some(client_frame::Body::Connect(connect)),
            };
            if let Err(e) = transport.send(frame).await {
                last_error = e.to_string();
                continue;
            }
            let ack = match tokio::time::timeout(step, transport.next()).await {
                Ok(Some(Ok(ServerFrame {
                    body: Some(server_frame::Body::ConnectAck(ack)),
                    ..
                }))) => ack,
                Ok(other) => {
                    last_error = format!("unexpected reply to connect: {other:?}");
                    continue;
                }
                Err(_) => {
                    last_error = "connect ack timed out".into();
                    continue;
                }
            };
            if ack.code != codes::OK {
                return Err(if is_fatal_connect_code(ack.code) {
                    OpenError::Fatal(ack.code)
                } else {
                    OpenError::Transient(format!("server answered {}", ack.code))
                });
            }
            // The server's inbox was reset (reinstalled, user recreated): follow it, or every
            // new entry would look like one we already have.
            self.offline_head = ack.inbox_head;
            if ack.inbox_head < self.cursor {
                tracing::warn!(
                    cursor = self.cursor,
                    head = ack.inbox_head,
                    "server inbox reset"
                );
                self.cursor = ack.inbox_head;
                self.max_seen = ack.inbox_head;
                let head = ack.inbox_head;
                self.db
                    .call(move |s| s.set_inbox_cursor(head))
                    .await
                    .map_err(|e| OpenError::Transient(e.to_string()))?;
            }
            self.heartbeat = self
                .shared
                .config
                .heartbeat
                .unwrap_or(Duration::from_secs(ack.heartbeat_secs.clamp(1, 300) as u64));
            return Ok(transport);
        }
        Err(OpenError::Transient(last_error))
    }

    /// Runs a session; requests not answered when it ends fail with 30002 (they are not
    /// retried by themselves: the app may call again).
    async fn session_then_fail_requests(&mut self, transport: Transport) -> SessionEnd {
        self.online = true;
        let end = self.session(transport).await;
        self.online = false;
        self.fail_requests(codes::NETWORK_UNAVAILABLE).await;
        end
    }

    /// Fails every queued and unanswered request with `code`.
    async fn fail_requests(&mut self, code: u32) {
        let mut failed: Vec<(u64, Request)> = self.inflight_requests.drain().collect();
        failed.sort_by_key(|(seq, _)| *seq);
        let failed = failed
            .into_iter()
            .map(|(_, r)| r)
            .chain(self.requests.drain(..))
            .collect::<Vec<_>>();
        for req in failed {
            self.emit(req.failed(code)).await;
        }
    }

    /// Applies the server's answer to a request.
    async fn finish_request(&mut self, req: Request, code: u32, recall_time: i64) {
        match req {
            Request::Setting(change) => self.finish_setting(change, code).await,
            Request::Recall { message, event_id } => {
                self.finish_recall(*message, event_id, code, recall_time)
                    .await
            }
            Request::ReadReceipt {
                target_id,
                channel_id,
                timestamp,
                event_id,
            } => {
                self.emit(Event::PrivateReadReceiptMessageSent {
                    code: code as i32,
                    target_id,
                    channel_id,
                    timestamp,
                    event_id,
                })
                .await
            }
        }
    }

    /// Applies the server's answer to a setting change: on success it is stored locally (the
    /// inbox entry the server appended brings it again, harmlessly).
    async fn finish_setting(&mut self, change: SettingChange, code: u32) {
        let mut code = code as i32;
        if code == 0 {
            let update = ConversationSettingUpdate {
                key: change.key.clone(),
                top: change.top,
                notification_level: change.level,
                time: now_ms(),
            };
            if let Err(e) = self
                .db
                .call(move |s| s.set_conversation_setting(&update))
                .await
            {
                tracing::error!(error = %e, "cannot store a conversation setting");
                code = codes::DATABASE_ERROR;
            }
        }
        self.emit(change.result(code)).await;
    }

    /// Applies the server's answer to a recall: on success the local row becomes the recall
    /// notification (`onMessageRecalled` with it), otherwise the code is reported.
    async fn finish_recall(
        &mut self,
        message: Message,
        event_id: EventId,
        code: u32,
        recall_time: i64,
    ) {
        if code != codes::OK {
            self.emit(Event::MessageRecalled {
                code: code as i32,
                message,
                event_id,
            })
            .await;
            return;
        }
        let uid = message.message_uid.clone().unwrap_or_default();
        let operator = self.user_id.clone();
        let sent_time = message.sent_time.unwrap_or(0);
        let converted = self
            .db
            .call(move |s| {
                let Some(row) = s.message_by_uid(&uid)? else {
                    return Ok(None);
                };
                let update =
                    codec::recall_update(&uid, &operator, &row.object_name, sent_time, recall_time);
                s.recall_message(&update)
            })
            .await;
        let message = match converted {
            Ok(Some(row)) => codec::message_from_row(&row),
            Ok(None) => {
                let mut message = message;
                message.message_type = crate::model::message_type::RECALL;
                message
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot store a recall");
                message
            }
        };
        self.emit(Event::MessageRecalled {
            code: 0,
            message,
            event_id,
        })
        .await;
    }

    /// The connected state: sync, send, receive, heartbeat.
    async fn session(&mut self, mut transport: Transport) -> SessionEnd {
        self.ever_connected = true;
        self.set_status(status::CONNECTED).await;
        if !self.reported {
            self.reported = true;
            let event_id = self.connect_event_id.take();
            self.emit(Event::Connected {
                code: 0,
                user_id: self.user_id.clone(),
                event_id,
            })
            .await;
        }
        self.recent_sends.clear();
        if self.request_sync(&mut transport).await.is_err() {
            return SessionEnd::Lost;
        }
        let heartbeat = self.heartbeat;
        let tick = heartbeat.min(SESSION_TICK);
        let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + tick, tick);
        let mut last_rx = Instant::now();
        let mut last_ping = Instant::now();
        loop {
            if self.flush(&mut transport).await.is_err() {
                return SessionEnd::Lost;
            }
            let pace = self.next_send_slot();
            tokio::select! {
                frame = transport.next() => {
                    last_rx = Instant::now();
                    match frame {
                        Some(Ok(frame)) => {
                            if let Some(end) = self.on_frame(frame, &mut transport).await {
                                return end;
                            }
                        }
                        Some(Err(e)) => {
                            tracing::warn!(error = %e, "bad frame from server");
                            return SessionEnd::Lost;
                        }
                        None => return SessionEnd::Lost,
                    }
                }
                command = self.commands.recv() => match command {
                    Some(command) => self.accept(command).await,
                    None => return SessionEnd::Stopped(StopReason::Shutdown),
                },
                reason = stop_signal(&mut self.stop) => {
                    if let StopReason::SignOut { receive_push } = reason {
                        self.settle_inflight(&mut transport).await;
                        let frame = ClientFrame {
                            seq: 0,
                            body: Some(client_frame::Body::Disconnect(Disconnect { receive_push })),
                        };
                        let _ = tokio::time::timeout(Duration::from_secs(1), transport.send(frame)).await;
                    }
                    return SessionEnd::Stopped(reason);
                }
                _ = ticker.tick() => {
                    if last_rx.elapsed() > heartbeat * 3 {
                        tracing::info!("heartbeat timeout");
                        return SessionEnd::Lost;
                    }
                    self.expire_inflight().await;
                    if last_ping.elapsed() >= heartbeat {
                        last_ping = Instant::now();
                        let ping = ClientFrame { seq: 0, body: Some(client_frame::Body::Ping(Ping {})) };
                        if transport.send(ping).await.is_err() {
                            return SessionEnd::Lost;
                        }
                    }
                }
                _ = sleep_until_opt(pace) => {}
            }
        }
    }

    async fn on_frame(
        &mut self,
        frame: ServerFrame,
        transport: &mut Transport,
    ) -> Option<SessionEnd> {
        match frame.body? {
            server_frame::Body::Response(resp) => {
                let code = resp.code;
                if let Some(item) = self.inflight.remove(&frame.seq) {
                    let (uid, sent_time) = match resp.body {
                        Some(response::Body::SendMessage(r)) => {
                            ((!r.uid.is_empty()).then_some(r.uid), Some(r.sent_time))
                        }
                        _ => (None, None),
                    };
                    self.finish_send(item, code, uid, sent_time).await;
                } else if let Some(req) = self.inflight_requests.remove(&frame.seq) {
                    let recall_time = match resp.body {
                        Some(response::Body::RecallMessage(r)) => r.recall_time,
                        _ => 0,
                    };
                    self.finish_request(req, code, recall_time).await;
                } else if self.syncing == Some(frame.seq) {
                    let Some(response::Body::Sync(package)) = resp.body else {
                        tracing::warn!(code, "sync refused");
                        // Without the sync, live pushes would be held back: start over.
                        return Some(SessionEnd::Lost);
                    };
                    if !self.apply_package(package.entries, package.has_more).await {
                        return Some(SessionEnd::Lost);
                    }
                    let more = package.has_more || self.max_seen > self.cursor;
                    if more {
                        if self.request_sync(transport).await.is_err() {
                            return Some(SessionEnd::Lost);
                        }
                    } else {
                        self.syncing = None;
                    }
                }
            }
            server_frame::Body::Push(push) => {
                let entry = push.entry?;
                self.max_seen = self.max_seen.max(entry.seq);
                if self.syncing.is_some() {
                    // The running sync (or the one after it) delivers this entry.
                } else if entry.seq == self.cursor + 1 {
                    if !self.apply_package(vec![entry], false).await {
                        return Some(SessionEnd::Lost);
                    }
                } else if entry.seq > self.cursor + 1 {
                    tracing::debug!(cursor = self.cursor, seq = entry.seq, "inbox gap, syncing");
                    if self.request_sync(transport).await.is_err() {
                        return Some(SessionEnd::Lost);
                    }
                }
            }
            server_frame::Body::Kicked(kicked) => {
                tracing::info!(code = kicked.code, reason = %kicked.reason, "kicked by server");
                return Some(SessionEnd::Kicked);
            }
            server_frame::Body::Error(error) => {
                tracing::warn!(code = error.code, message = %error.message, "server error");
                if self.syncing == Some(frame.seq) {
                    // Without the sync, live pushes would be held back: start over.
                    return Some(SessionEnd::Lost);
                }
            }
            server_frame::Body::Pong(_) | server_frame::Body::ConnectAck(_) => {}
        }
        None
    }

    async fn request_sync(&mut self, transport: &mut Transport) -> Result<(), ()> {
        let seq = self.take_seq();
        self.syncing = Some(seq);
        let frame = request_frame(
            seq,
            String::new(),
            request::Body::Sync(SyncRequest {
                after: self.cursor,
                limit: MAX_SYNC_PACKAGE,
            }),
        );
        transport.send(frame).await.map_err(|_| ())
    }

    /// Stores a package of inbox entries with the new cursor, then announces the new messages.
    /// Returns false when the entries could not be stored (the session then restarts, and the
    /// entries come again since the cursor did not move).
    async fn apply_package(&mut self, entries: Vec<InboxEntry>, has_more: bool) -> bool {
        let Some(last_seq) = entries.last().map(|e| e.seq) else {
            return true;
        };
        let now = now_ms();
        let mut seq_of_uid = HashMap::with_capacity(entries.len());
        let mut rows: Vec<NewMessage> = Vec::with_capacity(entries.len());
        let mut recalls = Vec::new();
        let mut marks = Vec::new();
        let mut receipts = Vec::new();
        let mut settings = Vec::new();
        let mut synced = Vec::new();
        // Recalls made by someone else: announced with onRemoteMessageRecalled. (The
        // operator's own devices just convert their row.)
        let mut remote_recalls = std::collections::HashSet::new();
        for e in &entries {
            match &e.body {
                Some(inbox_entry::Body::Message(m)) => {
                    seq_of_uid.insert(m.uid.clone(), e.seq);
                    rows.push(codec::row_from_wire(m, &self.user_id, now));
                }
                Some(inbox_entry::Body::ReadReceipt(r)) => {
                    let by_peer = r.reader_id != self.user_id;
                    // The conversation from this user's side: the reader (peer) or the target.
                    let other = if by_peer { &r.reader_id } else { &r.target_id };
                    marks.push(ReadMark {
                        key: ConversationKey::new(
                            rcim_proto::conversation_type::PRIVATE,
                            other,
                            &r.channel_id,
                        ),
                        timestamp: r.timestamp,
                        by_peer,
                    });
                    if by_peer {
                        receipts.push(Event::PrivateReadReceiptReceived {
                            target_id: r.reader_id.clone(),
                            channel_id: r.channel_id.clone(),
                            timestamp: r.timestamp,
                        });
                    }
                }
                Some(inbox_entry::Body::ConversationSetting(c)) => {
                    let key =
                        ConversationKey::new(c.conversation_type, &c.target_id, &c.channel_id);
                    // Changes made on this device were stored when acknowledged; only the
                    // other devices' pin changes are announced.
                    if let (Some(top), true) = (c.top, c.device_id != self.shared.device_id) {
                        synced.push(Event::ConversationTopStatusSynced {
                            key: key.clone(),
                            top,
                        });
                    }
                    settings.push(ConversationSettingUpdate {
                        key,
                        top: c.top,
                        notification_level: c.notification_level,
                        time: c.operation_time,
                    });
                }
                Some(inbox_entry::Body::Recall(r)) => {
                    if r.operator_id != self.user_id {
                        remote_recalls.insert(r.uid.clone());
                    }
                    recalls.push(codec::recall_update(
                        &r.uid,
                        &r.operator_id,
                        &r.object_name,
                        r.sent_time,
                        r.recall_time,
                    ));
                }
                None => {}
            }
        }
        let cursor = last_seq.max(self.cursor);
        let applied = self
            .db
            .call(move |s| s.apply_inbox_entries(&rows, &recalls, &marks, &settings, cursor))
            .await;
        let (inserted, recalled) = match applied {
            Ok(applied) => applied,
            Err(e) => {
                tracing::error!(error = %e, "cannot store received messages");
                return false;
            }
        };
        self.cursor = cursor;
        let total = inserted.len();
        for (i, row) in inserted.iter().enumerate() {
            let seq = row.uid.as_ref().and_then(|uid| seq_of_uid.get(uid));
            let offline = seq.is_some_and(|seq| *seq <= self.offline_head);
            let mut message = codec::message_from_row(row);
            message.offline = Some(offline);
            self.emit(Event::MessageReceived {
                message,
                left: (total - 1 - i) as u32,
                offline,
                has_package: has_more,
            })
            .await;
        }
        for row in recalled {
            if row
                .uid
                .as_ref()
                .is_some_and(|uid| remote_recalls.contains(uid))
            {
                self.emit(Event::RemoteMessageRecalled {
                    message: codec::message_from_row(&row),
                })
                .await;
            }
        }
        for receipt in receipts {
            self.emit(receipt).await;
        }
        for event in synced {
            self.emit(event).await;
        }
        true
    }

    /// Takes a command. A send beyond 5 per rolling second of the app's calls is stored and
    /// failed at once with 20604 (the client-side limit of IMLib).
    async fn accept(&mut self, command: Command) {
        match command {
            Command::Recall { message, event_id } => {
                self.request(Request::Recall { message, event_id }).await
            }
            Command::Setting(change) => self.request(Request::Setting(change)).await,
            Command::ReadReceipt {
                target_id,
                channel_id,
                timestamp,
                event_id,
            } => {
                self.request(Request::ReadReceipt {
                    target_id,
                    channel_id,
                    timestamp,
                    event_id,
                })
                .await
            }
            Command::Send {
                message,
                event_id,
                requested,
            } => {
                while self
                    .user_sends
                    .front()
                    .is_some_and(|t| requested.saturating_duration_since(*t) >= USER_WINDOW)
                {
                    self.user_sends.pop_front();
                }
                let over_limit = self.user_sends.len() >= SENDS_PER_SECOND;
                let Some(row) = self.persist(&message, event_id.clone()).await else {
                    return;
                };
                let item = Outgoing {
                    row,
                    event_id,
                    since: Instant::now(),
                };
                if over_limit {
                    self.finish_send(item, codes::SEND_MSG_FREQUENCY_OVERRUN, None, None)
                        .await;
                } else {
                    self.user_sends.push_back(requested);
                    self.pending.push_back(item);
                }
            }
        }
    }

    /// Queues a request for the open session, or fails it at once (30002) without one.
    async fn request(&mut self, req: Request) {
        if self.online {
            self.requests.push_back(req);
        } else {
            self.emit(req.failed(codes::NETWORK_UNAVAILABLE)).await;
        }
    }

    /// Stores the message and announces it (`MessageAttached`). Returns the row to send, or
    /// `None` when there is nothing to send: resending a message object that is already sent
    /// or still on its way does not create a second copy (the same object may be resent
    /// after a failure, as the seed recommends).
    async fn persist(&mut self, message: &Message, event_id: EventId) -> Option<MessageRow> {
        let (object_name, content) = codec::encode_content(message)?;
        let new = NewMessage {
            conversation_type: message.conversation_type,
            target_id: message.target_id.clone(),
            channel_id: message.channel_id.clone().unwrap_or_default(),
            message_type: message.message_type,
            object_name,
            content,
            uid: None,
            client_msg_id: Some(uuid::Uuid::new_v4().simple().to_string()),
            sender_id: self.user_id.clone(),
            direction: rcim_store::direction::SEND,
            sent_status: sent_status::SENDING,
            received_status: rcim_store::received_status::READ,
            sent_time: now_ms(),
            received_time: now_ms(),
            counted: false,
            extra_json: codec::extra_json(message),
        };
        let resend_id = message.message_id;
        let stored = self
            .db
            .call(move |s| {
                let previous = match resend_id {
                    Some(id) => s
                        .message(id)?
                        .filter(|old| old.direction == rcim_store::direction::SEND),
                    None => None,
                };
                match previous {
                    Some(old) if old.sent_status == sent_status::FAILED => Ok(s
                        .update_sent(old.id, sent_status::SENDING, None, None)?
                        .map(|row| (row, true))),
                    Some(old) => Ok(Some((old, false))),
                    None => s.insert_outgoing(&new).map(|row| Some((row, true))),
                }
            })
            .await;
        match stored {
            Ok(Some((row, to_send))) => {
                let announced = codec::message_from_row(&row);
                self.emit(Event::MessageAttached {
                    message: announced.clone(),
                    event_id: event_id.clone(),
                })
                .await;
                if !to_send && row.sent_status == sent_status::SENT {
                    self.emit(Event::MessageSent {
                        code: 0,
                        message: announced,
                        event_id,
                    })
                    .await;
                }
                to_send.then_some(row)
            }
            Ok(None) | Err(_) => {
                tracing::error!("cannot store outgoing message");
                let mut failed = message.clone();
                failed.sent_status = Some(sent_status::FAILED);
                self.emit(Event::MessageSent {
                    code: codes::DATABASE_ERROR,
                    message: failed,
                    event_id,
                })
                .await;
                None
            }
        }
    }

    /// When the next send may go out, if the wire window is full and a message waits.
    fn next_send_slot(&mut self) -> Option<Instant> {
        let now = Instant::now();
        while self
            .recent_sends
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WIRE_WINDOW)
        {
            self.recent_sends.pop_front();
        }
        (!self.pending.is_empty() && self.recent_sends.len() >= SENDS_PER_SECOND)
            .then(|| self.recent_sends[0] + WIRE_WINDOW)
    }

    /// Puts queued messages on the wire, never more than the server's rate limit.
    async fn flush(&mut self, transport: &mut Transport) -> Result<(), ()> {
        while let Some(req) = self.requests.pop_front() {
            let seq = self.take_seq();
            let body = match &req {
                Request::Recall { message: m, .. } => request::Body::RecallMessage(RecallMessage {
                    uid: m.message_uid.clone().unwrap_or_default(),
                    conversation_type: m.conversation_type,
                    target_id: m.target_id.clone(),
                    channel_id: m.channel_id.clone().unwrap_or_default(),
                    sent_time: m.sent_time.unwrap_or(0),
                }),
                Request::ReadReceipt {
                    target_id,
                    channel_id,
                    timestamp,
                    ..
                } => request::Body::PrivateReadReceipt(PrivateReadReceipt {
                    target_id: target_id.clone(),
                    channel_id: channel_id.clone(),
                    timestamp: *timestamp,
                }),
                Request::Setting(c) => {
                    request::Body::ConversationSetting(ChangeConversationSetting {
                        conversation_type: c.key.conversation_type,
                        target_id: c.key.target_id.clone(),
                        channel_id: c.key.channel_id.clone(),
                        top: c.top,
                        notification_level: c.level,
                    })
                }
            };
            let frame = request_frame(seq, uuid::Uuid::new_v4().simple().to_string(), body);
            self.inflight_requests.insert(seq, req);
            transport.send(frame).await.map_err(|_| ())?;
        }
        while !self.pending.is_empty() && self.next_send_slot().is_none() {
            let Some(item) = self.pending.pop_front() else {
                break;
            };
            let seq = self.take_seq();
            let row = &item.row;
            let frame = request_frame(
                seq,
                row.client_msg_id.clone().unwrap_or_default(),
                request::Body::SendMessage(SendMessage {
                    conversation_type: row.conversation_type,
                    target_id: row.target_id.clone(),
                    channel_id: row.channel_id.clone(),
                    object_name: row.object_name.clone(),
                    content: row.content.clone(),
                    persisted: true,
                    counted: true,
                    push_content: String::new(),
                    push_data: String::new(),
                }),
            );
            self.recent_sends.push_back(Instant::now());
            let mut item = item;
            item.since = Instant::now();
            self.inflight.insert(seq, item);
            transport.send(frame).await.map_err(|_| ())?;
        }
        Ok(())
    }

    /// On a graceful sign-out, waits briefly for the acks of messages already on the wire so
    /// their results are reported now; anything not settled is resent by the next connect.
    async fn settle_inflight(&mut self, transport: &mut Transport) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
        while !self.inflight.is_empty() {
            match tokio::time::timeout_at(deadline, transport.next()).await {
                Ok(Some(Ok(frame))) => {
                    if let Some(server_frame::Body::Response(_)) = &frame.body {
                        if self.inflight.contains_key(&frame.seq) {
                            let _ = self.on_frame(frame, transport).await;
                        }
                    }
                }
                _ => return,
            }
        }
    }

    /// Fails messages whose ack is overdue although the connection looks alive.
    async fn expire_inflight(&mut self) {
        let overdue: Vec<u64> = self
            .inflight
            .iter()
            .filter(|(_, o)| o.since.elapsed() > ACK_TIMEOUT)
            .map(|(seq, _)| *seq)
            .collect();
        for seq in overdue {
            if let Some(item) = self.inflight.remove(&seq) {
                self.finish_send(item, codes::MSG_RESPONSE_TIMEOUT, None, None)
                    .await;
            }
        }
    }

    /// After a lost connection, unacknowledged messages go back to the front of the queue, in
    /// their original order; the server dedupes them if they had arrived.
    fn requeue_inflight(&mut self) {
        let mut inflight: Vec<Outgoing> = self.inflight.drain().map(|(_, o)| o).collect();
        inflight.sort_by_key(|o| o.row.id);
        for mut item in inflight.into_iter().rev() {
            item.since = Instant::now();
            self.pending.push_front(item);
        }
    }

    /// Records a send result and announces it.
    async fn finish_send(
        &mut self,
        item: Outgoing,
        code: u32,
        uid: Option<String>,
        sent_time: Option<i64>,
    ) {
        let id = item.row.id;
        let new_status = if code == codes::OK {
            sent_status::SENT
        } else {
            sent_status::FAILED
        };
        let updated = self
            .db
            .call(move |s| s.update_sent(id, new_status, uid.as_deref(), sent_time))
            .await;
        let row = match updated {
            Ok(Some(row)) => row,
            _ => {
                let mut row = item.row.clone();
                row.sent_status = new_status;
                row
            }
        };
        self.emit(Event::MessageSent {
            code: code as i32,
            message: codec::message_from_row(&row),
            event_id: item.event_id,
        })
        .await;
    }

    /// Fails every queued and unacknowledged message with `code`.
    async fn fail_all(&mut self, code: u32) {
        let mut items: Vec<Outgoing> = self.inflight.drain().map(|(_, o)| o).collect();
        items.extend(self.pending.drain(..));
        items.sort_by_key(|o| o.row.id);
        for item in items {
            self.finish_send(item, code, None, None).await;
        }
    }

    /// Ends the task after a refusal, kick or timeout: reports it and fails queued messages.
    async fn give_up(&mut self, code: u32, new_status: u32) {
        self.set_status(new_status).await;
        if !self.reported {
            self.reported = true;
            let event_id = self.connect_event_id.take();
            self.emit(Event::Connected {
                code: code as i32,
                user_id: String::new(),
                event_id,
            })
            .await;
        }
        // Messages handed over before the end are stored and then failed visibly.
        self.take_remaining_commands().await;
        self.fail_all(code).await;
    }

    async fn timed_out(&mut self) {
        self.give_up(codes::CONNECT_TIMEOUT, status::TIMEOUT).await;
    }

    /// Ends the task on the engine's request. Queued messages stay stored as SENDING and are
    /// resent by the next connect, so nothing is lost.
    async fn stopped(&mut self, reason: StopReason) {
        self.take_remaining_commands().await;
        if let StopReason::SignOut { .. } = reason {
            self.set_status(status::SIGN_OUT).await;
        }
    }

    /// Stores (and announces) sends handed over before the end, so none is silently dropped.
    async fn take_remaining_commands(&mut self) {
        self.commands.close();
        while let Ok(command) = self.commands.try_recv() {
            self.accept(command).await;
        }
    }

    fn take_seq(&mut self) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        seq
    }
}

/// ConnectAck codes after which reconnecting cannot help; anything else is retried on the
/// schedule (the server uses other codes for transient trouble).
fn is_fatal_connect_code(code: u32) -> bool {
    matches!(
        code,
        codes::PROTOCOL_VERSION_ERROR
            | codes::CONN_ID_REJECT
            | codes::CONN_TOKEN_INCORRECT
            | codes::CONN_USER_BLOCKED
            | codes::CONN_OTHER_DEVICE_LOGIN
    )
}

/// A frame carrying one request.
fn request_frame(seq: u64, request_id: String, body: request::Body) -> ClientFrame {
    ClientFrame {
        seq,
        body: Some(client_frame::Body::Request(WireRequest {
            request_id,
            body: Some(body),
        })),
    }
}

/// Resolves when the engine asks to stop.
async fn stop_signal(stop: &mut watch::Receiver<StopReason>) -> StopReason {
    loop {
        let reason = *stop.borrow_and_update();
        if reason != StopReason::Run {
            return reason;
        }
        if stop.changed().await.is_err() {
            return StopReason::Shutdown;
        }
    }
}

async fn sleep_until_opt(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
        None => std::future::pending().await,
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
