//! The reading side of an authenticated connection: every `Request` is dispatched by its body
//! to one handler, which calls `crate::service` and answers exactly one `Response` with the
//! request frame's `seq`. State-changing requests need a `request_id` (33003 without one):
//! the service executes a (user, request id) at most once and a resend gets the original
//! answer. Writes are answered after their commit, off the read loop, so one slow commit does
//! not hold up the connection's other requests (their order of execution is still the order
//! of arrival: each is queued to the store before the next frame is read). History pages are
//! read off the read loop too (sync packages are still read on it).
//!
//! Rate limits (sends: `ServerConfig::send_rate_per_sec`; recalls, read receipts, settings
//! changes and pages, expansion updates, deletions, clears, history pages, media upload
//! tickets, typing status, read-status syncs and group receipt requests and responses
//! together:
//! `ServerConfig::request_rate_per_sec`) refuse with
//! 20604, except a resend of a request already executed: it gets its original answer and
//! does not count. The store is
//! asked only when the limiter would refuse, so requests within the rate cost nothing extra;
//! the lookup is awaited on the read loop, so a flood over the rate costs one read at a time.
//! A resend whose original is not committed yet is not found and is refused like a new one.

use super::acks::{AckRx, AckTx};
use super::answers::{code_only, failure, history_body};
use super::fields;
use super::frames::{frame, log_frame_error, queue, Reader};
use super::rate::{RateLimiter, UserWindow};
use super::ultragroup_kinds::{
    default_ultragroup_channel, is_ultragroup_read, is_ultragroup_write, UgSendChain,
};
use crate::hub::{Outbound, OutboundTx};
use crate::metrics::InFlight;
use crate::model::{
    ExpansionUpdate, LoggedRequest, RecallRequest, RequestKey, MAX_CLIENT_MSG_ID_LEN,
};
use crate::service::{
    deletion, events, expansion, history, inbox, messages, receipts, replay, settings, typing,
    ServiceError,
};
use crate::state::Shared;
use crate::util::now_ms;
use futures::StreamExt as _;
use rcim_proto::codes;
use rcim_proto::v1::{
    client_frame, request, response, server_frame, ErrorReply, HistoryRequest, MediaUploadRequest,
    Pong, RecallMessage, RecallMessageResult, Request, Response, SettingsRequest, SyncPackage,
    SyncReadStatus, SyncRequest, UpdateExpansion,
};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;

/// Frames that may be queued before a sync request is served (sync packages are large).
const SYNC_BACKLOG: usize = 64;
/// How long a client may leave its queue above [`SYNC_BACKLOG`] before it counts as slow.
const SLOW_CLIENT_GRACE: Duration = Duration::from_secs(10);
/// Longest object name of a client send (bytes).
pub(super) const MAX_OBJECT_NAME_LEN: usize = 32;
/// Longest request id (bytes): it doubles as a message's client id.
const MAX_REQUEST_ID_LEN: usize = MAX_CLIENT_MSG_ID_LEN;

/// The reading side of an authenticated connection.
pub(crate) struct Conn {
    pub(super) shared: Arc<Shared>,
    pub(super) conn_id: u64,
    pub(super) user_id: String,
    /// The connected device (`Connect.device_id`).
    pub(super) device_id: String,
    peer: SocketAddr,
    pub(super) tx: OutboundTx,
    pub(super) cancel: CancellationToken,
    /// Sends per second (`ServerConfig::send_rate_per_sec`).
    pub(super) send_limiter: RateLimiter,
    /// Other state-changing requests per second (`ServerConfig::request_rate_per_sec`).
    pub(super) request_limiter: RateLimiter,
    /// Requests executing off the read loop (`LimitsConfig::max_in_flight_per_connection`):
    /// at the cap the read loop waits for one to complete.
    in_flight: Arc<Semaphore>,
    pub(super) ug_sends: UgSendChain,
    idle: Duration,
    /// Sends waiting for their commit, answered by the connection's [`super::acks`] loop.
    pub(super) acks: AckTx,
}

/// The original answer to `body` if `logged` is what executing it recorded; `None` when the
/// request id was used for another kind of request.
fn logged_answer(body: &request::Body, logged: LoggedRequest) -> Option<Response> {
    let result = match (body, logged) {
        (
            request::Body::RecallMessage(_) | request::Body::UltragroupRecall(_),
            LoggedRequest::Recall { recall_time },
        ) => Some(response::Body::RecallMessage(RecallMessageResult {
            recall_time,
            change_seq: 0,
        })),
        (
            request::Body::PrivateReadReceipt(_)
            | request::Body::ReadStatus(_)
            | request::Body::ReceiptRequest(_)
            | request::Body::ReceiptResponse(_)
            | request::Body::ConversationSetting(_)
            | request::Body::UpdateExpansion(_)
            | request::Body::DeleteMessages(_)
            | request::Body::ClearHistory(_)
            | request::Body::UserSetting(_)
            | request::Body::UltragroupModify(_)
            | request::Body::UltragroupExpansion(_)
            | request::Body::UltragroupClear(_)
            | request::Body::UltragroupSetLevel(_),
            LoggedRequest::Event,
        ) => None,
        _ => return None,
    };
    Some(Response {
        code: codes::OK,
        body: result,
    })
}

impl Conn {
    /// The request side of a connection admitted for `user_id`, and where it hands its
    /// sends to answer after their commit (for [`super::acks::ack_loop`]).
    pub(crate) fn new(
        shared: Arc<Shared>,
        conn_id: u64,
        user_id: String,
        device_id: String,
        peer: SocketAddr,
        tx: OutboundTx,
        cancel: CancellationToken,
    ) -> (Self, AckRx) {
        let idle = shared.idle_timeout();
        let limits = &shared.config.limits;
        // A user is never held below what one connection may do.
        let user = shared.user_rates.get(
            &user_id,
            limits
                .user_send_rate_per_sec
                .max(shared.config.send_rate_per_sec),
            limits
                .user_request_rate_per_sec
                .max(shared.config.request_rate_per_sec),
        );
        let send_limiter = RateLimiter::new(shared.config.send_rate_per_sec)
            .with_user(user.clone(), UserWindow::Sends);
        let request_limiter = RateLimiter::new(shared.config.request_rate_per_sec)
            .with_user(user, UserWindow::Requests);
        let in_flight = Arc::new(Semaphore::new(limits.max_in_flight_per_connection.max(1)));
        let (acks, ack_rx) = super::acks::channel();
        let conn = Self {
            shared,
            conn_id,
            user_id,
            device_id,
            peer,
            tx,
            cancel,
            send_limiter,
            request_limiter,
            in_flight,
            ug_sends: UgSendChain::default(),
            idle,
            acks,
        };
        (conn, ack_rx)
    }

    /// Reads frames until the client leaves, goes silent for three heartbeats, sends a bad
    /// frame, or the connection is cancelled.
    pub(crate) async fn read_loop(mut self, mut reader: Reader) {
        let mut graceful = false;
        // One timer for the connection, moved only when it fires early: a timeout per frame
        // would add and remove a timer entry for every wait on a busy connection. As before,
        // the silence is counted from when the loop starts waiting for the next frame.
        let idle = tokio::time::sleep(self.idle);
        tokio::pin!(idle);
        // Likewise one wait for the cancellation, registered once, not once per frame.
        let cancelled = self.cancel.clone().cancelled_owned();
        tokio::pin!(cancelled);
        loop {
            let waiting_since = tokio::time::Instant::now();
            let next = loop {
                tokio::select! {
                    biased;
                    () = &mut cancelled => break None,
                    r = reader.next() => break Some(r),
                    () = &mut idle => {
                        let due = waiting_since + self.idle;
                        if due <= tokio::time::Instant::now() {
                            tracing::debug!(peer = %self.peer, conn = self.conn_id, "heartbeat timeout; closing");
                            break None;
                        }
                        idle.as_mut().reset(due);
                    }
                }
            };
            let frame = match next {
                None | Some(None) => break,
                Some(Some(Err(e))) => {
                    log_frame_error(self.peer, self.conn_id, &e);
                    break;
                }
                Some(Some(Ok(f))) => f,
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
                Some(client_frame::Body::Request(r)) => {
                    // Boxed: a request's future is large, and an idle connection (waiting
                    // for its next frame) should not carry its space.
                    Box::pin(self.on_request(seq, r)).await
                }
                Some(client_frame::Body::Disconnect(d)) => {
                    tracing::debug!(conn = self.conn_id, user = %self.user_id,
                        receive_push = d.receive_push, "client disconnected");
                    // Durable before the socket closes: once the device is offline, the next
                    // message may be pushed to it.
                    if let Err(e) = self
                        .shared
                        .store
                        .set_push_enabled(
                            self.user_id.clone(),
                            self.device_id.clone(),
                            d.receive_push,
                        )
                        .await
                    {
                        tracing::warn!(error = %e, user = %self.user_id,
                            "recording the device's push choice failed");
                    }
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
    pub(super) fn respond(&self, seq: u64, response: Response) {
        self.reply(seq, server_frame::Body::Response(response));
    }

    /// Dispatches one request by its body.
    async fn on_request(&mut self, seq: u64, r: Request) {
        let Some(body) = r.body else {
            return self.respond(seq, code_only(codes::PARAMETER_INVALID));
        };
        if !fields::body_fits(&body) {
            return self.respond(seq, code_only(codes::PARAMETER_INVALID));
        }
        if let request::Body::Sync(s) = body {
            // A read: no request id, no rate limit (its backlog is bounded by `wait_for_room`).
            return self.on_sync(seq, s).await;
        }
        if let request::Body::MediaUpload(m) = body {
            // Read-like too (no request id, nothing recorded), but limited like the other
            // non-send requests.
            return self.on_media_upload(seq, &m);
        }
        if let request::Body::History(h) = body {
            // A read, limited like the other non-send requests.
            return self.on_history(seq, h).await;
        }
        if let request::Body::Settings(r) = body {
            // A read, limited like the other non-send requests.
            return self.on_settings(seq, r).await;
        }
        if let request::Body::Typing(t) = body {
            // Online only: nothing is recorded, so no request id is needed; limited like the
            // other non-send requests.
            if !self.request_limiter.try_acquire() {
                return self.respond(seq, code_only(codes::SEND_MSG_FREQUENCY_OVERRUN));
            }
            if t.conversation_type == rcim_proto::conversation_type::ULTRA_GROUP {
                let response = self.on_ultragroup_typing(t);
                return self.respond(seq, response);
            }
            let shared = &self.shared;
            let typed = typing::typing(
                shared.store.as_ref(),
                &shared.hub,
                &shared.bus,
                &shared.typing,
                &self.user_id,
                t,
            );
            let response = match typed.await {
                Ok(()) => code_only(codes::OK),
                Err(e) => failure(&e, "a typing status"),
            };
            return self.respond(seq, response);
        }
        if is_ultragroup_read(&body) {
            // Reads: no request id.
            return self.on_ultragroup_read(seq, body).await;
        }
        if is_chatroom_request(&body) {
            // Online-only and not recorded: no request id needed.
            return self.on_chatroom(seq, body).await;
        }
        if r.request_id.is_empty() || r.request_id.len() > MAX_REQUEST_ID_LEN {
            return self.respond(seq, code_only(codes::PARAMETER_INVALID));
        }
        if let request::Body::SendMessage(m) = body {
            return self.on_send(seq, r.request_id, m).await;
        }
        let key = RequestKey {
            user_id: self.user_id.clone(),
            request_id: r.request_id,
        };
        if !self.request_limiter.try_acquire() {
            let response = self.logged_original(key, &body).await;
            return self.respond(
                seq,
                response.unwrap_or_else(|| code_only(codes::SEND_MSG_FREQUENCY_OVERRUN)),
            );
        }
        if is_ultragroup_write(&body) {
            return self.on_ultragroup_write(seq, key, body).await;
        }
        if let request::Body::ReadStatus(r) = body {
            if r.conversation_type == rcim_proto::conversation_type::ULTRA_GROUP {
                return self.on_ultragroup_read_status(seq, key, r).await;
            }
            return self.on_read_status(seq, key, r).await;
        }
        let store = self.shared.store.clone();
        match body {
            request::Body::RecallMessage(r) => {
                let req = recall_request(&self.user_id, r, self.shared.config.recall_only_sender);
                self.answer_after(seq, "a recall", async move {
                    let recall_time = messages::recall(store.as_ref(), req, Some(key)).await?;
                    Ok(Some(response::Body::RecallMessage(RecallMessageResult {
                        recall_time,
                        change_seq: 0,
                    })))
                })
                .await
            }
            request::Body::PrivateReadReceipt(r) => {
                let reader = self.user_id.clone();
                self.answer_after(seq, "a read receipt", async move {
                    events::private_read_receipt(store.as_ref(), &reader, key, r).await?;
                    Ok(None)
                })
                .await
            }
            request::Body::ConversationSetting(mut r) => {
                default_ultragroup_channel(&mut r);
                let (user, device) = (self.user_id.clone(), self.device_id.clone());
                let max = self.shared.config.max_conversation_settings;
                self.answer_after(seq, "a conversation setting", async move {
                    events::conversation_setting(store.as_ref(), &user, &device, key, r, max)
                        .await?;
                    Ok(None)
                })
                .await
            }
            request::Body::UpdateExpansion(r) => {
                let update = expansion_update(&self.user_id, &self.device_id, r);
                self.answer_after(seq, "an expansion update", async move {
                    let max = crate::expansion::MAX_KEYS_PER_UPDATE;
                    expansion::update(store.as_ref(), update, max, Some(key)).await?;
                    Ok(None)
                })
                .await
            }
            request::Body::DeleteMessages(r) => {
                let (user, device) = (self.user_id.clone(), self.device_id.clone());
                self.answer_after(seq, "a deletion", async move {
                    deletion::delete_messages(store.as_ref(), &user, &device, Some(key), r).await?;
                    Ok(None)
                })
                .await
            }
            request::Body::ClearHistory(r) => {
                let (user, device) = (self.user_id.clone(), self.device_id.clone());
                self.answer_after(seq, "a history clear", async move {
                    deletion::clear_history(store.as_ref(), &user, &device, Some(key), r).await?;
                    Ok(None)
                })
                .await
            }
            request::Body::UserSetting(r) => {
                let (user, device) = (self.user_id.clone(), self.device_id.clone());
                self.answer_after(seq, "a user setting", async move {
                    settings::change(store.as_ref(), &user, &device, key, r).await?;
                    Ok(None)
                })
                .await
            }
            request::Body::ReceiptRequest(r) => {
                let (user, device) = (self.user_id.clone(), self.device_id.clone());
                self.answer_after(seq, "a receipt request", async move {
                    receipts::request_receipt(store.as_ref(), &user, &device, key, r).await?;
                    Ok(None)
                })
                .await
            }
            request::Body::ReceiptResponse(r) => {
                let (user, device) = (self.user_id.clone(), self.device_id.clone());
                self.answer_after(seq, "a receipt response", async move {
                    receipts::respond_receipt(store.as_ref(), &user, &device, key, r).await?;
                    Ok(None)
                })
                .await
            }
            request::Body::Sync(_)
            | request::Body::SendMessage(_)
            | request::Body::MediaUpload(_)
            | request::Body::History(_)
            | request::Body::Settings(_)
            | request::Body::Typing(_)
            | request::Body::JoinChatroom(_)
            | request::Body::LeaveChatroom(_)
            | request::Body::ChatroomHistory(_)
            | request::Body::ChatroomSetEntries(_)
            | request::Body::ChatroomRemoveEntries(_)
            | request::Body::ChatroomEntries(_)
            | request::Body::ReadStatus(_)
            | request::Body::UltragroupSync(_)
            | request::Body::UltragroupChanges(_)
            | request::Body::UltragroupMessages(_)
            | request::Body::UltragroupLevel(_)
            | request::Body::UltragroupModify(_)
            | request::Body::UltragroupRecall(_)
            | request::Body::UltragroupExpansion(_)
            | request::Body::UltragroupClear(_)
            | request::Body::UltragroupSetLevel(_) => {
                unreachable!("dispatched above")
            }
        }
    }

    /// A read-status sync of a private, group or system conversation.
    async fn on_read_status(&mut self, seq: u64, key: RequestKey, r: SyncReadStatus) {
        let (store, user) = (self.shared.store.clone(), self.user_id.clone());
        let device = self.device_id.clone();
        self.answer_after(seq, "a read status sync", async move {
            receipts::sync_read_status(store.as_ref(), &user, &device, key, r).await?;
            Ok(None)
        })
        .await
    }

    /// Over the rate: the original answer if `key` was already executed as this kind of
    /// request (a resend after a lost answer), else `None` (refused).
    async fn logged_original(&self, key: RequestKey, body: &request::Body) -> Option<Response> {
        let logged = tokio::select! {
            _ = self.cancel.cancelled() => return None,
            r = replay::original_result(self.shared.store.as_ref(), key) => r,
        };
        match logged {
            Ok(logged) => logged.and_then(|l| logged_answer(body, l)),
            Err(e) => {
                tracing::warn!(conn = self.conn_id, error = %e, "looking up a resent request failed");
                None
            }
        }
    }

    /// Waits for a slot among the connection's in-flight requests; `None` when the connection
    /// is closing.
    pub(super) async fn in_flight_slot(&self) -> Option<InFlight<OwnedSemaphorePermit>> {
        // The slot first: when one is free, the cancellation is not even waited for.
        tokio::select! {
            biased;
            p = self.in_flight.clone().acquire_owned() => p.ok().map(|p| self.shared.metrics.in_flight(p)),
            _ = self.cancel.cancelled() => None,
        }
    }

    /// Runs `work` off the read loop (holding an in-flight slot) and answers with its result.
    pub(super) async fn answer_after(
        &self,
        seq: u64,
        what: &'static str,
        work: impl Future<Output = Result<Option<response::Body>, ServiceError>> + Send + 'static,
    ) {
        let Some(permit) = self.in_flight_slot().await else {
            return;
        };
        let tx = self.tx.clone();
        let cancel = self.cancel.clone();
        self.shared.tracker.spawn(async move {
            let response = match work.await {
                Ok(body) => Response {
                    code: codes::OK,
                    body,
                },
                Err(e) => failure(&e, what),
            };
            queue(
                &tx,
                &cancel,
                frame(seq, server_frame::Body::Response(response)),
            );
            drop(permit);
        });
    }

    /// A media upload ticket (`MediaUploadTicket`), or the refusal's code (see
    /// [`crate::service::media::Media::ticket`], 20604 also for the user's upload quota);
    /// 20604 beyond the request rate.
    fn on_media_upload(&mut self, seq: u64, r: &MediaUploadRequest) {
        if !self.request_limiter.try_acquire() {
            return self.respond(seq, code_only(codes::SEND_MSG_FREQUENCY_OVERRUN));
        }
        let response = match self.shared.media.ticket(&self.user_id, r) {
            Ok(ticket) => Response {
                code: codes::OK,
                body: Some(response::Body::MediaUpload(ticket)),
            },
            Err(e) => failure(&e, "a media upload ticket"),
        };
        self.respond(seq, response);
    }

    /// A page of cloud history (see [`history::page`]); 20604 beyond the request rate. Read
    /// off the read loop like a write's commit (holding an in-flight slot), so a slow page
    /// does not hold up the connection's other requests; pages answer in any order (by
    /// `seq`). Each page may take a whole frame, so, as for sync packages, the read loop
    /// first waits until the client reads what is queued.
    async fn on_history(&mut self, seq: u64, r: HistoryRequest) {
        if !self.request_limiter.try_acquire() {
            return self.respond(seq, code_only(codes::SEND_MSG_FREQUENCY_OVERRUN));
        }
        if !self.wait_for_room().await {
            tracing::warn!(conn = self.conn_id, user = %self.user_id, "client does not read its history pages; disconnecting");
            self.cancel.cancel();
            return;
        }
        if r.conversation_type == rcim_proto::conversation_type::ULTRA_GROUP {
            return self.on_ultragroup_history(seq, r).await;
        }
        let (store, user) = (self.shared.store.clone(), self.user_id.clone());
        self.answer_after(seq, "a history page", async move {
            let p = history::page(store.as_ref(), &user, r).await?;
            Ok(Some(history_body(p)))
        })
        .await
    }

    /// A page of the user's settings (see [`settings::page`]); 20604 beyond the request rate.
    /// Read off the read loop and, as for history pages, only once the client reads what is
    /// queued (a page may take a whole frame).
    async fn on_settings(&mut self, seq: u64, r: SettingsRequest) {
        if !self.request_limiter.try_acquire() {
            return self.respond(seq, code_only(codes::SEND_MSG_FREQUENCY_OVERRUN));
        }
        if !self.wait_for_room().await {
            tracing::warn!(conn = self.conn_id, user = %self.user_id, "client does not read its settings pages; disconnecting");
            self.cancel.cancel();
            return;
        }
        let (store, user) = (self.shared.store.clone(), self.user_id.clone());
        self.answer_after(seq, "a settings page", async move {
            let page = settings::page(store.as_ref(), &user, r).await?;
            Ok(Some(response::Body::Settings(page)))
        })
        .await
    }

    /// Waits until at most [`SYNC_BACKLOG`] frames and half the queue's byte bound are
    /// queued, so a client that asks for sync packages without reading them cannot pile up
    /// large frames. False: give up (slow client).
    pub(super) async fn wait_for_room(&self) -> bool {
        let deadline = Instant::now() + SLOW_CLIENT_GRACE;
        let max_bytes = self.tx.max_bytes();
        while self.tx.queued() > SYNC_BACKLOG
            || (max_bytes > 0 && self.tx.queued_bytes() > max_bytes / 2)
        {
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
            p = inbox::sync(self.shared.store.as_ref(), &self.user_id, r.after, r.limit) => p,
        };
        let response = match page {
            Ok(p) => Response {
                code: codes::OK,
                body: Some(response::Body::Sync(SyncPackage {
                    entries: p.entries,
                    has_more: p.has_more,
                    inbox_head: p.head,
                })),
            },
            Err(e) => failure(&e, "reading the inbox"),
        };
        self.respond(seq, response);
    }
}

/// A client's recall of a message of one of its conversations.
fn recall_request(operator: &str, r: RecallMessage, only_sender: bool) -> RecallRequest {
    RecallRequest {
        operator_id: operator.to_owned(),
        only_sender,
        uid: r.uid,
        conversation_type: r.conversation_type,
        target_id: r.target_id,
        channel_id: r.channel_id,
    }
}

/// A client's expansion update: their other devices follow (the operator's inbox gets it).
fn expansion_update(operator: &str, device_id: &str, r: UpdateExpansion) -> ExpansionUpdate {
    ExpansionUpdate {
        operator_id: operator.to_owned(),
        operator_device_id: device_id.to_owned(),
        uid: r.uid,
        conversation_type: r.conversation_type,
        target_id: r.target_id,
        channel_id: r.channel_id,
        set: r.set,
        remove: r.remove,
        sync_operator: true,
    }
}

/// Whether `body` is a chatroom request (served by `Conn::on_chatroom`).
fn is_chatroom_request(body: &request::Body) -> bool {
    matches!(
        body,
        request::Body::JoinChatroom(_)
            | request::Body::LeaveChatroom(_)
            | request::Body::ChatroomHistory(_)
            | request::Body::ChatroomSetEntries(_)
            | request::Body::ChatroomRemoveEntries(_)
            | request::Body::ChatroomEntries(_)
    )
}
