//! The client gateway: TCP, length-prefixed protobuf frames (`rcim_proto::FrameCodec`).
//!
//! One task per connection runs a reader loop and a writer loop side by side. The writer owns
//! the socket's write half and drains a bounded queue ([`OUTBOUND_QUEUE`] frames); whoever finds
//! that queue full disconnects the client. Any protocol violation (first frame not `Connect`,
//! malformed or oversize frame) closes that connection only.

use crate::hub::{Admission, Outbound, Session};
use crate::store::{
    NewMessage, RecallRequest, Rejected, RequestKey, MAX_CLIENT_MSG_ID_LEN, MAX_ID_LEN,
};
use crate::util::now_ms;
use crate::Shared;
use futures::{SinkExt as _, StreamExt as _};
use rcim_proto::v1::{
    client_frame, request, response, server_frame, ChangeConversationSetting, ClientFrame, Connect,
    ConnectAck, ErrorReply, Platform, Pong, PrivateReadReceipt, RecallMessage, RecallMessageResult,
    Request, Response, SendMessage, SendMessageResult, ServerFrame, SyncPackage, SyncRequest,
};
use rcim_proto::{codes, conversation_type, FrameCodec, FrameError};
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt as _;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};
use tokio_util::codec::{FramedRead, FramedWrite};
use tokio_util::sync::CancellationToken;

/// Frames a connection may have queued for writing before it counts as a slow client.
pub(crate) const OUTBOUND_QUEUE: usize = 1024;
/// Frames that may be queued before a sync request is served (sync packages are large).
const SYNC_BACKLOG: usize = 64;
/// How long a client may leave its queue above [`SYNC_BACKLOG`] before it counts as slow.
const SLOW_CLIENT_GRACE: Duration = Duration::from_secs(10);
/// State-changing requests of one connection waiting for their commit at the same time.
const MAX_IN_FLIGHT_REQUESTS: usize = 256;
/// Frames written before one flush.
const WRITE_BATCH: usize = 64;
/// Longest accepted object name (bytes).
const MAX_OBJECT_NAME_LEN: usize = 32;
/// ConnectAck code for trouble on the server's side during a login (a database read failed,
/// the new session's queue is full).
///
/// The client gives up for good on the *fatal* ConnectAck codes: 31001 (protocol version),
/// 31002 (app key), 31004 (token), 31009 (user blocked) and 31023 (another mobile device is
/// online, `kickReconnectDevice`). Every other code is *transient*: the client retries on its
/// reconnect schedule. A failure that retrying can cure must therefore never use a fatal code;
/// every such path answers with this one (30002, NETWORK_UNAVAILABLE).
pub(crate) const TRANSIENT_CONNECT_ERROR: u32 = codes::NETWORK_UNAVAILABLE;
/// Code for an internal failure while storing a message (RC_SERVER_UNKNOWN_ERROR).
const SERVER_UNKNOWN_ERROR: u32 = codes::SERVER_UNKNOWN_ERROR;
/// Longest request id (bytes): it doubles as a message's client id.
const MAX_REQUEST_ID_LEN: usize = MAX_CLIENT_MSG_ID_LEN;
/// Accepted state-changing requests other than sends (recalls, read receipts, conversation
/// settings) per connection in any sliding second; beyond it they are answered 20604.
const REQUEST_RATE_PER_SEC: u32 = 50;
/// Highest `RCIMIWPushNotificationLevel` (BLOCKED).
const MAX_NOTIFICATION_LEVEL: u32 = 5;

type Reader = FramedRead<tokio::net::tcp::OwnedReadHalf, FrameCodec<ClientFrame, ServerFrame>>;
type Writer = FramedWrite<OwnedWriteHalf, FrameCodec<ClientFrame, ServerFrame>>;

/// Accepts client connections until the server stops.
pub(crate) async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let accepted = tokio::select! {
            biased;
            _ = shared.stop.cancelled() => break,
            _ = shared.kill.cancelled() => break,
            r = listener.accept() => r,
        };
        match accepted {
            Ok((stream, peer)) => {
                let _ = stream.set_nodelay(true);
                let s = shared.clone();
                let kill = shared.kill.clone();
                shared.tracker.spawn(async move {
                    tokio::select! {
                        _ = kill.cancelled() => {}
                        _ = handle_connection(stream, peer, s) => {}
                    }
                });
            }
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
    tracing::debug!("gateway stopped accepting");
}

fn frame(seq: u64, body: server_frame::Body) -> ServerFrame {
    ServerFrame {
        seq,
        body: Some(body),
    }
}

fn ack_frame(seq: u64, ack: ConnectAck) -> ServerFrame {
    frame(seq, server_frame::Body::ConnectAck(ack))
}

/// Writes one frame and closes the socket (refused logins).
async fn refuse(mut writer: Writer, seq: u64, code: u32) {
    let ack = ConnectAck {
        code,
        ..Default::default()
    };
    let _ = tokio::time::timeout(Duration::from_secs(5), async {
        let _ = writer.send(ack_frame(seq, ack)).await;
        let _ = writer.get_mut().shutdown().await;
    })
    .await;
}

async fn handle_connection(stream: TcpStream, peer: SocketAddr, shared: Arc<Shared>) {
    let conn_id = shared.next_conn_id();
    let (rd, wr) = stream.into_split();
    let mut reader: Reader = FramedRead::new(rd, FrameCodec::new());
    let writer: Writer = FramedWrite::new(wr, FrameCodec::new());
    let idle = shared.idle_timeout();

    let first = tokio::select! {
        _ = shared.stop.cancelled() => return,
        r = tokio::time::timeout(idle, reader.next()) => r,
    };
    let (seq, connect) = match first {
        Ok(Some(Ok(ClientFrame {
            seq,
            body: Some(client_frame::Body::Connect(c)),
        }))) => (seq, c),
        Ok(Some(Ok(_))) => {
            tracing::warn!(%peer, conn = conn_id, "first frame is not Connect; closing");
            return;
        }
        Ok(Some(Err(e))) => {
            log_frame_error(peer, conn_id, &e);
            return;
        }
        Ok(None) => return,
        Err(_) => {
            tracing::debug!(%peer, conn = conn_id, "no Connect frame in time; closing");
            return;
        }
    };

    let user_id = match authenticate(&shared, &connect).await {
        Ok(u) => u,
        Err(code) => {
            tracing::info!(%peer, conn = conn_id, code, "login refused");
            refuse(writer, seq, code).await;
            return;
        }
    };
    // Heads published from here on are recorded by the hub until the admission is decided.
    let login = shared.hub.begin_login(&user_id);
    let db_head = match shared.db.inbox_head(user_id.clone()).await {
        Ok(h) => h,
        Err(e) => {
            tracing::error!(error = %e, "reading the inbox head failed");
            drop(login);
            refuse(writer, seq, TRANSIENT_CONNECT_ERROR).await;
            return;
        }
    };

    let (tx, rx) = mpsc::channel(OUTBOUND_QUEUE);
    let cancel = CancellationToken::new();
    let platform = Platform::try_from(connect.platform).unwrap_or(Platform::Unspecified);
    let session = Session {
        conn_id,
        user_id: user_id.clone(),
        device_id: connect.device_id.clone(),
        platform,
        tx: tx.clone(),
        cancel: cancel.clone(),
    };
    let heartbeat_secs = shared.config.heartbeat_secs;
    let ack_user = user_id.clone();
    let admission = shared.hub.admit(
        &login,
        session,
        connect.is_reconnect,
        connect.kick_reconnect_device,
        db_head,
        |inbox_head| {
            ack_frame(
                seq,
                ConnectAck {
                    code: codes::OK,
                    user_id: ack_user,
                    server_time: now_ms(),
                    inbox_head,
                    heartbeat_secs,
                },
            )
        },
    );
    drop(login);
    match admission {
        Admission::Refused(code) => {
            tracing::info!(%peer, conn = conn_id, user = %user_id, code, "login refused by device rules");
            refuse(writer, seq, code).await;
            return;
        }
        Admission::Accepted { inbox_head } => {
            tracing::debug!(%peer, conn = conn_id, user = %user_id, device = %connect.device_id,
                ?platform, inbox_head, "connected");
        }
    }
    if shared.stop.is_cancelled() {
        let _ = tx.try_send(Outbound::Close);
    }

    let conn = Conn {
        shared: shared.clone(),
        conn_id,
        user_id: user_id.clone(),
        device_id: connect.device_id.clone(),
        peer,
        tx,
        cancel: cancel.clone(),
        limiter: RateLimiter::new(shared.config.send_rate_per_sec),
        request_limiter: RateLimiter::new(REQUEST_RATE_PER_SEC),
        in_flight: Arc::new(Semaphore::new(MAX_IN_FLIGHT_REQUESTS)),
        idle,
    };
    tokio::join!(
        conn.read_loop(reader),
        write_loop(writer, rx, cancel.clone())
    );
    shared.hub.remove(&user_id, conn_id);
    tracing::debug!(%peer, conn = conn_id, user = %user_id, "disconnected");
}

fn log_frame_error(peer: SocketAddr, conn_id: u64, e: &FrameError) {
    match e {
        FrameError::Decode(_) => {
            tracing::warn!(%peer, conn = conn_id, error = %e, "malformed frame; closing")
        }
        FrameError::Io(io) if io.kind() == std::io::ErrorKind::InvalidData => {
            tracing::warn!(%peer, conn = conn_id, error = %e, "oversize frame; closing")
        }
        FrameError::Io(_) => tracing::debug!(%peer, conn = conn_id, error = %e, "read failed"),
    }
}

/// Checks a `Connect` and returns the user id, or the ConnectAck code to refuse with.
async fn authenticate(shared: &Shared, c: &Connect) -> Result<String, u32> {
    if c.protocol_version != rcim_proto::PROTOCOL_VERSION {
        return Err(codes::PROTOCOL_VERSION_ERROR);
    }
    if c.app_key != shared.config.app_key {
        return Err(codes::CONN_ID_REJECT);
    }
    let claims = crate::token::verify_signature(&c.token, &shared.config.app_secret)
        .ok_or(codes::CONN_TOKEN_INCORRECT)?;
    if claims.app_key != shared.config.app_key
        || claims.user_id.is_empty()
        || claims.user_id.len() > MAX_ID_LEN
    {
        return Err(codes::CONN_TOKEN_INCORRECT);
    }
    if claims.expiry_ms != 0 && claims.expiry_ms <= now_ms() {
        return Err(codes::CONN_TOKEN_INCORRECT);
    }
    let valid_after = shared
        .db
        .tokens_valid_after(claims.user_id.clone())
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "reading tokens_valid_after failed");
            TRANSIENT_CONNECT_ERROR
        })?;
    if claims.issued_at_ms < valid_after {
        return Err(codes::CONN_TOKEN_INCORRECT);
    }
    Ok(claims.user_id)
}

/// Sliding-window limit on accepted sends of one connection.
struct RateLimiter {
    per_sec: usize,
    accepted: VecDeque<Instant>,
}

impl RateLimiter {
    fn new(per_sec: u32) -> Self {
        Self {
            per_sec: per_sec as usize,
            accepted: VecDeque::new(),
        }
    }

    /// True (and counted) if one more send fits in the last second; 0 = unlimited.
    fn try_acquire(&mut self) -> bool {
        if self.per_sec == 0 {
            return true;
        }
        let now = Instant::now();
        while let Some(&t) = self.accepted.front() {
            if now.duration_since(t) >= Duration::from_secs(1) {
                self.accepted.pop_front();
            } else {
                break;
            }
        }
        if self.accepted.len() < self.per_sec {
            self.accepted.push_back(now);
            true
        } else {
            false
        }
    }
}

/// The reading side of an authenticated connection.
struct Conn {
    shared: Arc<Shared>,
    conn_id: u64,
    user_id: String,
    /// The connected device (`Connect.device_id`).
    device_id: String,
    peer: SocketAddr,
    tx: mpsc::Sender<Outbound>,
    cancel: CancellationToken,
    /// Sends per second.
    limiter: RateLimiter,
    /// Other state-changing requests per second.
    request_limiter: RateLimiter,
    /// Requests waiting for their commit.
    in_flight: Arc<Semaphore>,
    idle: Duration,
}

/// Queues a frame; a full queue disconnects the (slow) client.
fn queue(tx: &mpsc::Sender<Outbound>, cancel: &CancellationToken, f: ServerFrame) {
    match tx.try_send(Outbound::Frame(f)) {
        Ok(()) => {}
        Err(mpsc::error::TrySendError::Full(_)) => {
            tracing::warn!("outbound queue full; disconnecting slow client");
            cancel.cancel();
        }
        // The connection is already gone.
        Err(mpsc::error::TrySendError::Closed(_)) => cancel.cancel(),
    }
}

impl Conn {
    async fn read_loop(mut self, mut reader: Reader) {
        let mut graceful = false;
        loop {
            let next = tokio::select! {
                biased;
                _ = self.cancel.cancelled() => break,
                r = tokio::time::timeout(self.idle, reader.next()) => r,
            };
            let frame = match next {
                Err(_) => {
                    tracing::debug!(peer = %self.peer, conn = self.conn_id, "heartbeat timeout; closing");
                    break;
                }
                Ok(None) => break,
                Ok(Some(Err(e))) => {
                    log_frame_error(self.peer, self.conn_id, &e);
                    break;
                }
                Ok(Some(Ok(f))) => f,
            };
            let seq = frame.seq;
            tracing::trace!(conn = self.conn_id, seq, "frame received");
            match frame.body {
                Some(client_frame::Body::Ping(_)) => self.reply(
                    seq,
                    server_frame::Body::Pong(Pong {
                        server_time: now_ms(),
                    }),
                ),
                Some(client_frame::Body::Request(r)) => self.on_request(seq, r).await,
                Some(client_frame::Body::Disconnect(d)) => {
                    tracing::debug!(conn = self.conn_id, user = %self.user_id,
                        receive_push = d.receive_push, "client disconnected");
                    let _ = self.tx.try_send(Outbound::Close);
                    graceful = true;
                    break;
                }
                Some(client_frame::Body::Connect(_)) => self.reply(
                    seq,
                    server_frame::Body::Error(ErrorReply {
                        code: codes::CONNECTION_EXIST,
                        message: "already connected".into(),
                    }),
                ),
                None => self.reply(
                    seq,
                    server_frame::Body::Error(ErrorReply {
                        code: codes::PARAMETER_INVALID,
                        message: "unknown request".into(),
                    }),
                ),
            }
        }
        if graceful {
            // Let the writer flush what is queued and close; it cancels the token when done.
            let _ = tokio::time::timeout(Duration::from_secs(5), self.cancel.cancelled()).await;
        }
        self.cancel.cancel();
    }

    fn reply(&self, seq: u64, body: server_frame::Body) {
        queue(&self.tx, &self.cancel, frame(seq, body));
    }

    /// Answers the request of frame `seq`.
    fn respond(&self, seq: u64, response: Response) {
        self.reply(seq, server_frame::Body::Response(response));
    }

    /// Dispatches one request by its body; every request gets exactly one `Response`.
    async fn on_request(&mut self, seq: u64, r: Request) {
        let Some(body) = r.body else {
            return self.respond(seq, code_only(codes::PARAMETER_INVALID));
        };
        if let request::Body::Sync(s) = body {
            // A read: no request id, no rate limit (its backlog is bounded by `wait_for_room`).
            return self.on_sync(seq, s).await;
        }
        // State-changing requests: the request id makes a resend idempotent.
        if r.request_id.is_empty() || r.request_id.len() > MAX_REQUEST_ID_LEN {
            return self.respond(seq, code_only(codes::PARAMETER_INVALID));
        }
        let request_id = r.request_id;
        match body {
            request::Body::SendMessage(m) => self.on_send(seq, request_id, m).await,
            other => {
                if !self.request_limiter.try_acquire() {
                    return self.respond(seq, code_only(codes::SEND_MSG_FREQUENCY_OVERRUN));
                }
                let key = RequestKey {
                    user_id: self.user_id.clone(),
                    request_id,
                };
                match other {
                    request::Body::RecallMessage(r) => self.on_recall(seq, key, r).await,
                    request::Body::PrivateReadReceipt(r) => self.on_read_receipt(seq, key, r).await,
                    request::Body::ConversationSetting(r) => {
                        self.on_conversation_setting(seq, key, r).await
                    }
                    request::Body::Sync(_) | request::Body::SendMessage(_) => {
                        unreachable!("handled above")
                    }
                }
            }
        }
    }

    /// Waits for a slot among the connection's in-flight requests; `None` when the connection
    /// is closing.
    async fn in_flight_slot(&self) -> Option<OwnedSemaphorePermit> {
        tokio::select! {
            _ = self.cancel.cancelled() => None,
            p = self.in_flight.clone().acquire_owned() => p.ok(),
        }
    }

    async fn on_send(&mut self, seq: u64, request_id: String, m: SendMessage) {
        let msg = NewMessage {
            sender_id: self.user_id.clone(),
            // The request id is the message's client id: the dedupe on (sender, client id)
            // answers a resend with the original uid and sent time.
            client_msg_id: request_id,
            conversation_type: m.conversation_type,
            to_id: m.target_id,
            channel_id: m.channel_id,
            object_name: m.object_name,
            content: m.content,
            persisted: m.persisted,
            counted: m.counted,
            push_content: m.push_content,
            push_data: m.push_data,
            include_sender: true,
            directed: Vec::new(),
            // Group sends: only members may send (22406 otherwise), checked by the writer in
            // the same transaction that fans the message out.
            require_member: true,
        };
        // Every field is capped, so the stored message always fits in a push or sync frame:
        // 30016 for the size-type fields (content, push content, push data), 33003 otherwise.
        if let Err(e) = msg.check_limits() {
            let code = if e.size {
                codes::MSG_SIZE_OUT_OF_LIMIT
            } else {
                codes::PARAMETER_INVALID
            };
            return self.respond(seq, code_only(code));
        }
        if msg.to_id.is_empty()
            || msg.object_name.is_empty()
            || msg.object_name.len() > MAX_OBJECT_NAME_LEN
            || !matches!(
                msg.conversation_type,
                conversation_type::PRIVATE | conversation_type::GROUP
            )
        {
            return self.respond(seq, code_only(codes::PARAMETER_INVALID));
        }
        if !self.limiter.try_acquire() {
            return self.respond(seq, code_only(codes::SEND_MSG_FREQUENCY_OVERRUN));
        }
        let Some(permit) = self.in_flight_slot().await else {
            return;
        };
        tracing::trace!(conn = self.conn_id, seq, "send accepted");
        // Queue in arrival order (so one connection's messages keep their order), then wait
        // for the commit off the read loop.
        let submitted = tokio::select! {
            _ = self.cancel.cancelled() => return,
            r = self.shared.db.submit(msg) => r,
        };
        let tx = self.tx.clone();
        let cancel = self.cancel.clone();
        self.shared.tracker.spawn(async move {
            let outcome = match submitted {
                Ok(pending) => pending.await,
                Err(e) => Err(e),
            };
            let response = match outcome {
                Ok(o) => Response {
                    code: codes::OK,
                    body: Some(response::Body::SendMessage(SendMessageResult {
                        uid: o.uid,
                        sent_time: o.sent_time,
                    })),
                },
                Err(e) => code_only(failure_code(&e, "storing a message")),
            };
            tracing::trace!(seq, code = response.code, "send committed");
            queue(
                &tx,
                &cancel,
                frame(seq, server_frame::Body::Response(response)),
            );
            drop(permit);
        });
    }

    /// A private read receipt: appended to the inbox of the peer (whose messages were read)
    /// and of the reader (their other devices); answered after the commit.
    async fn on_read_receipt(&mut self, seq: u64, key: RequestKey, r: PrivateReadReceipt) {
        if r.target_id.is_empty()
            || r.target_id.len() > MAX_ID_LEN
            || r.channel_id.chars().count() > crate::store::MAX_CHANNEL_ID_CHARS
            || r.timestamp < 0
        {
            return self.respond(seq, code_only(codes::PARAMETER_INVALID));
        }
        let owners = vec![r.target_id.clone(), self.user_id.clone()];
        let body = rcim_proto::v1::inbox_entry::Body::ReadReceipt(rcim_proto::v1::ReadReceipt {
            reader_id: self.user_id.clone(),
            target_id: r.target_id,
            channel_id: r.channel_id,
            timestamp: r.timestamp,
            conversation_type: conversation_type::PRIVATE,
        });
        self.append_event_then_respond(seq, key, owners, body, "a read receipt")
            .await;
    }

    /// A conversation setting (top, notification level): appended to this user's own inbox
    /// (their other devices apply it); answered after the commit.
    async fn on_conversation_setting(
        &mut self,
        seq: u64,
        key: RequestKey,
        r: ChangeConversationSetting,
    ) {
        if !(conversation_type::PRIVATE..=conversation_type::ULTRA_GROUP)
            .contains(&r.conversation_type)
            || r.conversation_type == conversation_type::CHATROOM
            || r.target_id.is_empty()
            || r.target_id.len() > MAX_ID_LEN
            || r.channel_id.chars().count() > crate::store::MAX_CHANNEL_ID_CHARS
            || (r.top.is_none() && r.notification_level.is_none())
            || r.notification_level
                .is_some_and(|l| l > MAX_NOTIFICATION_LEVEL)
        {
            return self.respond(seq, code_only(codes::PARAMETER_INVALID));
        }
        let owners = vec![self.user_id.clone()];
        let body = rcim_proto::v1::inbox_entry::Body::ConversationSetting(
            rcim_proto::v1::ConversationSetting {
                conversation_type: r.conversation_type,
                target_id: r.target_id,
                channel_id: r.channel_id,
                top: r.top,
                notification_level: r.notification_level,
                device_id: self.device_id.clone(),
                operation_time: now_ms(),
            },
        );
        self.append_event_then_respond(seq, key, owners, body, "a conversation setting")
            .await;
    }

    /// Appends an event entry to the inboxes of `owners` (through the writer, off the read
    /// loop) and answers after the commit. A repeat of `key` appends nothing.
    async fn append_event_then_respond(
        &self,
        seq: u64,
        key: RequestKey,
        owners: Vec<String>,
        body: rcim_proto::v1::inbox_entry::Body,
        what: &'static str,
    ) {
        let Some(permit) = self.in_flight_slot().await else {
            return;
        };
        let shared = self.shared.clone();
        let tx = self.tx.clone();
        let cancel = self.cancel.clone();
        self.shared.tracker.spawn(async move {
            let code = match shared.db.append_event(owners, body, Some(key)).await {
                Ok(()) => codes::OK,
                Err(e) => failure_code(&e, what),
            };
            queue(
                &tx,
                &cancel,
                frame(seq, server_frame::Body::Response(code_only(code))),
            );
            drop(permit);
        });
    }

    /// Recalls a message of this user; answered after the commit (off the read loop).
    async fn on_recall(&mut self, seq: u64, key: RequestKey, r: RecallMessage) {
        let req = RecallRequest {
            operator_id: self.user_id.clone(),
            uid: r.uid,
            conversation_type: r.conversation_type,
            target_id: r.target_id,
            channel_id: r.channel_id,
        };
        if req.uid.is_empty() || req.uid.len() > MAX_ID_LEN || req.target_id.len() > MAX_ID_LEN {
            return self.respond(seq, code_only(codes::RECALL_PARAMETER_INVALID));
        }
        let Some(permit) = self.in_flight_slot().await else {
            return;
        };
        let shared = self.shared.clone();
        let tx = self.tx.clone();
        let cancel = self.cancel.clone();
        self.shared.tracker.spawn(async move {
            let response = match shared.db.recall(req, Some(key)).await {
                Ok(recall_time) => Response {
                    code: codes::OK,
                    body: Some(response::Body::RecallMessage(RecallMessageResult {
                        recall_time,
                    })),
                },
                Err(e) => code_only(failure_code(&e, "recalling a message")),
            };
            queue(
                &tx,
                &cancel,
                frame(seq, server_frame::Body::Response(response)),
            );
            drop(permit);
        });
    }

    /// Waits until at most [`SYNC_BACKLOG`] frames are queued, so a client that asks for sync
    /// packages without reading them cannot pile up large frames. False: give up (slow client).
    async fn wait_for_room(&self) -> bool {
        let deadline = Instant::now() + SLOW_CLIENT_GRACE;
        while self.tx.max_capacity() - self.tx.capacity() > SYNC_BACKLOG {
            if Instant::now() > deadline || self.cancel.is_cancelled() {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        true
    }

    async fn on_sync(&mut self, seq: u64, r: SyncRequest) {
        if !self.wait_for_room().await {
            tracing::warn!(conn = self.conn_id, user = %self.user_id, "client does not read its sync packages; disconnecting");
            self.cancel.cancel();
            return;
        }
        let page = tokio::select! {
            _ = self.cancel.cancelled() => return,
            p = self.shared.db.sync(self.user_id.clone(), r.after, r.limit) => p,
        };
        match page {
            Ok(p) => self.respond(
                seq,
                Response {
                    code: codes::OK,
                    body: Some(response::Body::Sync(SyncPackage {
                        entries: p.entries,
                        has_more: p.has_more,
                        inbox_head: p.head,
                    })),
                },
            ),
            Err(e) => {
                tracing::error!(error = %e, "reading the inbox failed");
                self.respond(seq, code_only(SERVER_UNKNOWN_ERROR));
            }
        }
    }
}

/// A response without a body.
fn code_only(code: u32) -> Response {
    Response { code, body: None }
}

/// The code of a failed store operation: a business refusal keeps its code, anything else is
/// an internal error (logged).
fn failure_code(e: &anyhow::Error, what: &str) -> u32 {
    match e.downcast_ref::<Rejected>() {
        Some(r) => {
            tracing::debug!(reason = %r, "{what} refused");
            r.code
        }
        None => {
            tracing::error!(error = %e, "{what} failed");
            SERVER_UNKNOWN_ERROR
        }
    }
}

/// Writes queued frames until `Close`, cancellation or a write error; then cancels the token
/// so the reader stops too.
async fn write_loop(
    mut writer: Writer,
    mut rx: mpsc::Receiver<Outbound>,
    cancel: CancellationToken,
) {
    loop {
        let first = tokio::select! {
            biased;
            _ = cancel.cancelled() => break,
            m = rx.recv() => m,
        };
        let Some(first) = first else { break };
        let written = tokio::select! {
            _ = cancel.cancelled() => break,
            r = write_batch(&mut writer, first, &mut rx) => r,
        };
        match written {
            Ok(true) => continue,
            Ok(false) => {
                // Close requested: everything before it has been flushed.
                let _ =
                    tokio::time::timeout(Duration::from_secs(2), writer.get_mut().shutdown()).await;
                break;
            }
            Err(e) => {
                tracing::debug!(error = %e, "write failed");
                break;
            }
        }
    }
    cancel.cancel();
}

/// Writes `first` and whatever else is queued (up to a batch), then flushes.
/// Returns `Ok(false)` when a `Close` was reached.
async fn write_batch(
    writer: &mut Writer,
    first: Outbound,
    rx: &mut mpsc::Receiver<Outbound>,
) -> Result<bool, FrameError> {
    let mut next = Some(first);
    let mut n = 0;
    while let Some(item) = next.take() {
        match item {
            Outbound::Frame(f) => writer.feed(f).await?,
            Outbound::Close => {
                writer.flush().await?;
                return Ok(false);
            }
        }
        n += 1;
        if n < WRITE_BATCH {
            next = rx.try_recv().ok();
        }
    }
    writer.flush().await?;
    Ok(true)
}
