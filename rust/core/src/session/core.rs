//! [`SessionCore`]: the client session without I/O. It holds the state (connection phase and
//! reconnect schedule, heartbeat timing, the operation queue, request correlation by seq, inbox
//! sync) and turns each [`Input`] into [`Action`]s for the driver. Time comes in with every
//! input, so the core is tested by feeding frames and ticks and reading the actions.

use super::command::Command;
use super::inbox::{Inbox, PushOutcome};
use super::operations::{self, Entry};
use super::queue::Queue;
use super::reads::Reads;
use super::settings::SettingsRead;
use super::types::{Action, Input, StoreJob};

mod chatroom;
mod ending;
mod messaging;
mod platform;
mod settings;
mod stored;
use crate::codec;
use crate::codes;
use crate::config::reconnect_delay;
use crate::event::{Event, EventId};
use crate::model::{connection_status as status, Message};
use prost::Message as _;
use rcim_proto::v1::{
    client_frame, response, server_frame, ClientFrame, Connect, ConnectAck, Ping, Platform,
    PushRegistration, Request as WireRequest, ServerFrame,
};
use rcim_proto::PROTOCOL_VERSION;
use rcim_store::sent_status;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// What the session needs to know about its user and engine.
#[derive(Debug, Clone)]
pub(crate) struct SessionParams {
    pub(crate) user_id: String,
    pub(crate) token: String,
    pub(crate) app_key: String,
    pub(crate) device_id: String,
    pub(crate) kick_reconnect_device: bool,
    /// The device's push address (`setDeviceToken`), sent on every connection attempt.
    pub(crate) push: Option<PushRegistration>,
    /// Overrides the server's heartbeat interval.
    pub(crate) heartbeat: Option<Duration>,
    /// How long a send may wait for a connection.
    pub(crate) send_timeout: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    /// Reading the cursor and the outbox.
    Loading,
    /// Waiting to open a connection at `until`.
    Waiting { until: Instant },
    /// A connection attempt runs.
    Connecting,
    /// Connected.
    Online {
        heartbeat: Duration,
        last_rx: Instant,
        last_ping: Instant,
    },
    /// Signing out: waiting until `until` for the answers of operations on the wire.
    Closing { until: Instant, receive_push: bool },
    /// No network (the platform said so): no attempt until it comes back.
    Paused,
    /// Over.
    Ended,
}

/// The session core of one `connect()` call.
pub(crate) struct SessionCore {
    params: SessionParams,
    connect_event_id: EventId,
    deadline: Option<Instant>,
    phase: Phase,
    /// Failed attempts since the last connection (the reconnect schedule's position).
    attempt: usize,
    status: Option<u32>,
    /// `Connected` was reported.
    reported: bool,
    ever_connected: bool,
    /// Why the session gave up (sends handed over afterwards fail with it).
    ended_code: Option<u32>,
    next_seq: u64,
    queue: Queue,
    /// Server reads (history pages, media upload tickets).
    reads: Reads,
    /// Chatroom calls and the rooms joined.
    chatrooms: super::chatroom::Chatrooms,
    inbox: Inbox,
    /// The settings read at login.
    settings: SettingsRead,
    /// The platform reported no network.
    no_network: bool,
    /// The messages arguments of queued remote deletions, by request id (reported back with
    /// their outcome; bounded by the operations queued in this session).
    call_messages: HashMap<String, Vec<Message>>,
    /// Commands that came before the state was loaded.
    early: Vec<Command>,
    /// Who types where, and when this device last said it types.
    typing: super::typing::Typing,
    /// The time of the input being handled.
    now: Instant,
    out: Vec<Action>,
}

impl SessionCore {
    /// A session for `params`; `deadline` ends connecting with 34006 if nothing connected by
    /// then.
    pub(crate) fn new(
        params: SessionParams,
        connect_event_id: EventId,
        deadline: Option<Instant>,
    ) -> Self {
        Self {
            params,
            connect_event_id,
            deadline,
            phase: Phase::Loading,
            attempt: 0,
            status: None,
            reported: false,
            ever_connected: false,
            ended_code: None,
            next_seq: 1,
            queue: Queue::default(),
            reads: Reads::default(),
            chatrooms: Default::default(),
            inbox: Inbox::default(),
            settings: SettingsRead::default(),
            no_network: false,
            call_messages: HashMap::new(),
            early: Vec::new(),
            typing: Default::default(),
            now: Instant::now(),
            out: Vec::new(),
        }
    }

    /// The first actions: load the state (the load also deletes the local chatroom messages
    /// an earlier session left).
    pub(crate) fn start(&mut self) -> Vec<Action> {
        vec![Action::Store(StoreJob::Load)]
    }

    /// Whether the session is over.
    #[cfg(test)]
    pub(crate) fn is_ended(&self) -> bool {
        self.phase == Phase::Ended
    }

    /// Whether the session is connected and its inbox behind the server's (see
    /// [`super::inbox::InboxBehind`]). Offline the store is all there is: not behind.
    pub(crate) fn inbox_behind(&self) -> bool {
        matches!(self.phase, Phase::Online { .. }) && self.inbox.behind()
    }

    /// When the core wants a [`Input::Tick`] at the latest (besides the driver's regular tick).
    pub(crate) fn wake_at(&mut self, now: Instant) -> Option<Instant> {
        let wake = match self.phase {
            Phase::Waiting { until } => Some(until),
            Phase::Online { .. } => self.queue.next_slot(now),
            _ => None,
        };
        match (wake, self.typing.next_expiry()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Takes one input and returns the actions it causes, in order.
    pub(crate) fn handle(&mut self, now: Instant, input: Input) -> Vec<Action> {
        self.now = now;
        match input {
            Input::Command(command) => {
                let read = matches!(
                    command,
                    Command::MediaTicket(_) | Command::Read(_) | Command::Chatroom(_)
                );
                self.command(command);
                if read {
                    self.flush(now);
                }
            }
            Input::Stored(done) => self.stored(now, *done),
            Input::Opened(ack) => self.opened(now, ack),
            Input::OpenFailed(why) => {
                if self.phase == Phase::Connecting {
                    self.handle_open_failure(now, why);
                }
            }
            Input::NaviRefused => {
                if self.phase == Phase::Connecting {
                    self.give_up(codes::CONN_ID_REJECT, status::UNCONNECTED);
                }
            }
            Input::Frame(frame) => self.frame(now, *frame),
            Input::Closed => match self.phase {
                Phase::Online { .. } => self.lost(now),
                Phase::Closing { .. } => self.signed_out(),
                _ => {}
            },
            Input::Tick => self.tick(now),
            Input::Backpressure(paused) => {
                self.inbox.set_paused(paused);
                self.flush(now);
            }
            Input::Stop(reason) => self.stop(now, reason),
        }
        std::mem::take(&mut self.out)
    }

    fn emit(&mut self, event: Event) {
        let event = messaging::retag(event);
        let typing = match &event {
            Event::MessageReceived { message, .. } => self.typing.message_received(message),
            _ => None,
        };
        self.out.push(Action::Emit(Box::new(event)));
        if let Some(typing) = typing {
            self.out.push(Action::Emit(Box::new(typing)));
        }
    }

    fn set_status(&mut self, new_status: u32) {
        if self.status != Some(new_status) {
            self.status = Some(new_status);
            self.emit(Event::ConnectionStatusChanged { status: new_status });
        }
    }

    /// Waits for the next attempt on the reconnect schedule (or gives up at the deadline).
    fn wait(&mut self, now: Instant) {
        if !self.reported && self.deadline.is_some_and(|d| now >= d) {
            self.give_up(codes::CONNECT_TIMEOUT, status::TIMEOUT);
            return;
        }
        if self.no_network {
            self.phase = Phase::Paused;
            self.set_status(status::NETWORK_UNAVAILABLE);
            return;
        }
        let until = if self.attempt == 0 {
            now
        } else {
            now + reconnect_delay(self.attempt - 1)
        };
        self.phase = Phase::Waiting { until };
        if until <= now {
            self.open();
        }
    }

    fn open(&mut self) {
        self.set_status(status::CONNECTING);
        self.phase = Phase::Connecting;
        let connect = Connect {
            protocol_version: PROTOCOL_VERSION,
            app_key: self.params.app_key.clone(),
            token: self.params.token.clone(),
            device_id: self.params.device_id.clone(),
            platform: Platform::Mobile as i32,
            is_reconnect: self.ever_connected,
            kick_reconnect_device: self.params.kick_reconnect_device,
            client_version: env!("CARGO_PKG_VERSION").to_string(),
            push: self.params.push.clone(),
        };
        self.out.push(Action::Open {
            after: Duration::ZERO,
            connect: ClientFrame {
                seq: 0,
                body: Some(client_frame::Body::Connect(connect)),
            },
            deadline: self.deadline.filter(|_| !self.reported),
        });
    }

    fn opened(&mut self, now: Instant, ack: ConnectAck) {
        if self.phase != Phase::Connecting {
            return;
        }
        if ack.code != codes::OK {
            if is_fatal_connect_code(ack.code) {
                let new_status = match ack.code {
                    codes::CONN_TOKEN_INCORRECT => status::TOKEN_INCORRECT,
                    codes::CONN_USER_BLOCKED => status::CONN_USER_BLOCKED,
                    codes::CONN_OTHER_DEVICE_LOGIN => status::KICKED_OFFLINE_BY_OTHER_CLIENT,
                    _ => status::UNCONNECTED,
                };
                self.out.push(Action::Close { fresh_navi: false });
                self.give_up(ack.code, new_status);
            } else {
                self.handle_open_failure(now, format!("server answered {}", ack.code));
            }
            return;
        }
        if let Some((cursor, epoch)) =
            self.inbox
                .opened(ack.inbox_head, ack.compensation_after, ack.inbox_epoch)
        {
            self.out
                .push(Action::Store(StoreJob::SetCursor { cursor, epoch }));
        }
        let heartbeat = self
            .params
            .heartbeat
            .unwrap_or(Duration::from_secs(ack.heartbeat_secs.clamp(1, 300) as u64));
        self.phase = Phase::Online {
            heartbeat,
            last_rx: now,
            last_ping: now,
        };
        self.attempt = 0;
        self.ever_connected = true;
        self.set_status(status::CONNECTED);
        self.settings_opened(ack.settings_version);
        self.chatroom_opened(now);
        self.out.push(Action::Ultragroup(
            super::ultragroup::UltragroupSignal::Connected,
        ));
        if !self.reported {
            self.reported = true;
            let event_id = self.connect_event_id.take();
            let user_id = self.params.user_id.clone();
            self.emit(Event::Connected {
                code: 0,
                user_id,
                event_id,
            });
        }
        self.flush(now);
    }

    fn handle_open_failure(&mut self, now: Instant, why: String) {
        tracing::info!(user = %self.params.user_id, attempt = self.attempt, %why, "connect attempt failed");
        self.out.push(Action::Close { fresh_navi: true });
        self.attempt += 1;
        self.wait(now);
    }

    /// The connection was lost: unanswered operations are queued again; reconnect at once.
    fn lost(&mut self, now: Instant) {
        self.drop_connection(now, false);
        self.set_status(status::SUSPEND);
        self.attempt = 1;
        self.wait(now);
    }

    /// Closes the connection of an online session: what was on the wire goes again once
    /// connected, and the inbox sync and settings read start over with the next connection.
    fn drop_connection(&mut self, now: Instant, fresh_navi: bool) {
        self.out.push(Action::Close { fresh_navi });
        self.queue.requeue_inflight(now);
        self.reads.requeue_inflight(now);
        self.chatrooms.requeue_inflight(now);
        self.inbox.closed();
        self.settings_closed();
    }

    /// Puts on the wire what may go now: a due sync, then queued operations.
    fn flush(&mut self, now: Instant) {
        if !matches!(self.phase, Phase::Online { .. } | Phase::Closing { .. }) {
            return;
        }
        let mut next = self.next_seq;
        if let Some(frame) = self.inbox.sync_frame(|| {
            next += 1;
            next - 1
        }) {
            self.out.push(Action::Send(frame));
        }
        if matches!(self.phase, Phase::Online { .. }) {
            // Chatroom requests first: the re-joins of a new connection go before the sends
            // that need the membership.
            let frames = self.chatrooms.take_ready(now, || {
                next += 1;
                next - 1
            });
            self.out.extend(frames.into_iter().map(Action::Send));
            let frames = self.queue.take_ready(now, || {
                next += 1;
                next - 1
            });
            self.out.extend(frames.into_iter().map(Action::Send));
            let frames = self.reads.take_ready(now, || {
                next += 1;
                next - 1
            });
            self.out.extend(frames.into_iter().map(Action::Send));
        }
        self.next_seq = next;
    }

    fn tick(&mut self, now: Instant) {
        for event in self.typing.expire(now) {
            self.emit(event);
        }
        match self.phase {
            Phase::Loading | Phase::Ended => {}
            Phase::Waiting { until } => {
                self.expire_waiting(now);
                if !self.reported && self.deadline.is_some_and(|d| now >= d) {
                    self.give_up(codes::CONNECT_TIMEOUT, status::TIMEOUT);
                } else if now >= until {
                    self.open();
                }
            }
            Phase::Connecting => self.expire_waiting(now),
            Phase::Paused => {
                self.expire_waiting(now);
                if !self.reported && self.deadline.is_some_and(|d| now >= d) {
                    self.give_up(codes::CONNECT_TIMEOUT, status::TIMEOUT);
                }
            }
            Phase::Online {
                heartbeat,
                last_rx,
                last_ping,
            } => {
                if now.saturating_duration_since(last_rx) > heartbeat * 3 {
                    tracing::info!("heartbeat timeout");
                    self.lost(now);
                    return;
                }
                for entry in self.queue.take_overdue(now) {
                    self.complete(entry, codes::MSG_RESPONSE_TIMEOUT, None);
                }
                self.reads.expire(now, self.params.send_timeout);
                self.chatroom_expire(now);
                self.settings_tick(now);
                if now.saturating_duration_since(last_ping) >= heartbeat {
                    self.phase = Phase::Online {
                        heartbeat,
                        last_rx,
                        last_ping: now,
                    };
                    self.out.push(Action::Send(ClientFrame {
                        seq: 0,
                        body: Some(client_frame::Body::Ping(Ping {})),
                    }));
                }
                self.flush(now);
            }
            Phase::Closing { until, .. } => {
                if now >= until {
                    self.signed_out();
                }
            }
        }
    }

    /// Fails sends that waited longer than the send timeout for a connection.
    fn expire_waiting(&mut self, now: Instant) {
        for entry in self.queue.take_expired(now, self.params.send_timeout) {
            self.complete(entry, codes::NETWORK_UNAVAILABLE, None);
        }
        self.reads.expire(now, self.params.send_timeout);
        self.chatroom_expire(now);
    }

    /// Takes the server's answer `code` to `entry`. 20604 means the connection went over the
    /// server's request rate: the operation stays queued and goes again after the window
    /// (while signing out it simply stays in the outbox for the next connect). Any other
    /// answer completes it.
    fn answer(&mut self, now: Instant, entry: Entry, code: u32, result: Option<&response::Body>) {
        if code == codes::SEND_MSG_FREQUENCY_OVERRUN {
            tracing::debug!(
                outbox_id = entry.outbox_id,
                "rate limited by the server; retrying later"
            );
            if matches!(self.phase, Phase::Online { .. }) {
                self.queue.retry_later(entry, now);
            }
            return;
        }
        self.complete(entry, code, result);
    }

    /// Applies an answer: the store job that records it and reports it afterwards (a send
    /// that is not stored is reported at once).
    fn complete(&mut self, entry: Entry, code: u32, result: Option<&response::Body>) {
        if let Some(signal) = super::ultragroup::own_change(&entry.request, code, result) {
            self.out.push(Action::Ultragroup(signal));
        }
        if entry.is_transient() {
            self.emit(operations::transient_outcome(entry, code, result));
            return;
        }
        let effect = operations::effect(
            &entry,
            code,
            result,
            &self.params.user_id,
            super::clock::now_ms(),
        );
        self.out.push(Action::Store(StoreJob::Complete {
            entry: Box::new(entry),
            code,
            effect: Box::new(effect),
        }));
    }

    fn frame(&mut self, now: Instant, frame: ServerFrame) {
        let Phase::Online {
            heartbeat,
            last_ping,
            ..
        } = self.phase
        else {
            if let Phase::Closing { .. } = self.phase {
                // Only the answers of operations on the wire matter now.
                let answer = match frame.body {
                    Some(server_frame::Body::Response(resp)) => Some((resp.code, resp.body)),
                    Some(server_frame::Body::Error(error)) => Some((error.code, None)),
                    _ => None,
                };
                if let Some((code, body)) = answer {
                    if let Some(entry) = self.queue.answered(frame.seq) {
                        self.answer(now, entry, code, body.as_ref());
                    }
                }
                if !self.queue.has_inflight() {
                    self.signed_out();
                }
            }
            return;
        };
        self.phase = Phase::Online {
            heartbeat,
            last_rx: now,
            last_ping,
        };
        let Some(body) = frame.body else {
            return;
        };
        match body {
            server_frame::Body::Response(resp) => {
                if self.inbox.is_sync(frame.seq) {
                    match resp.body {
                        Some(response::Body::Sync(package)) if resp.code == codes::OK => {
                            let batch = self.inbox.package(
                                package.entries,
                                package.has_more,
                                &self.params.user_id,
                                &self.params.device_id,
                                super::clock::now_ms(),
                            );
                            self.out.push(Action::Store(StoreJob::ApplyInbox(batch)));
                        }
                        _ => {
                            tracing::warn!(code = resp.code, "sync refused");
                            // Without the sync, live pushes would be held back: start over.
                            self.lost(now);
                            return;
                        }
                    }
                } else if self.settings.is_read(frame.seq) {
                    let result = if resp.code == codes::OK {
                        Ok(resp.body)
                    } else {
                        Err(resp.code)
                    };
                    self.settings_page(now, result);
                } else if let Some(read) = self.reads.answered(frame.seq) {
                    read.answer(if resp.code == codes::OK {
                        Ok(resp.body)
                    } else {
                        Err(resp.code)
                    });
                } else if let Some(pending) = self.chatrooms.answered(frame.seq) {
                    self.chatroom_answered(pending, resp.code, resp.body);
                } else if let Some(entry) = self.queue.answered(frame.seq) {
                    self.answer(now, entry, resp.code, resp.body.as_ref());
                }
            }
            server_frame::Body::Push(push) => {
                let Some(entry) = push.entry else {
                    return;
                };
                match self.inbox.push(
                    entry,
                    &self.params.user_id,
                    &self.params.device_id,
                    super::clock::now_ms(),
                ) {
                    PushOutcome::Apply(batch) => {
                        self.out.push(Action::Store(StoreJob::ApplyInbox(batch)))
                    }
                    PushOutcome::Announce(event) => self.emit(*event),
                    PushOutcome::Sync | PushOutcome::Skip => {}
                }
            }
            server_frame::Body::Kicked(kicked) => {
                tracing::info!(code = kicked.code, reason = %kicked.reason, "kicked by server");
                self.out.push(Action::Close { fresh_navi: false });
                // A ban closes the session like a refused connect: reconnecting cannot help.
                if kicked.code == codes::CONN_USER_BLOCKED {
                    self.give_up(codes::CONN_USER_BLOCKED, status::CONN_USER_BLOCKED);
                } else {
                    self.give_up(codes::DISCONN_KICK, status::KICKED_OFFLINE_BY_OTHER_CLIENT);
                }
                return;
            }
            server_frame::Body::Error(error) => {
                tracing::warn!(code = error.code, message = %error.message, "server error");
                if self.inbox.is_sync(frame.seq) {
                    self.lost(now);
                    return;
                }
                if self.settings.is_read(frame.seq) {
                    self.settings_page(now, Err(error.code));
                }
                if let Some(read) = self.reads.answered(frame.seq) {
                    read.answer(Err(error.code));
                }
                if let Some(pending) = self.chatrooms.answered(frame.seq) {
                    self.chatroom_answered(pending, error.code, None);
                }
                if let Some(entry) = self.queue.answered(frame.seq) {
                    self.answer(now, entry, error.code, None);
                }
            }
            server_frame::Body::Pong(_) | server_frame::Body::ConnectAck(_) => {}
            server_frame::Body::Transient(transient) => self.transient(now, transient),
            server_frame::Body::Chatroom(event) => self.chatroom_event(event),
            // The engine's ultra-group task handles them (see `ultragroup`).
            server_frame::Body::Ultragroup(event) => self.out.push(Action::Ultragroup(
                super::ultragroup::UltragroupSignal::Event(Box::new(event)),
            )),
        }
        self.flush(now);
    }

    fn command(&mut self, command: Command) {
        if self.phase == Phase::Loading {
            self.early.push(command);
            return;
        }
        match command {
            Command::Send {
                message,
                event_id,
                requested,
            } => self.send(message, event_id, requested),
            Command::Operation(op) => {
                if !op.messages.is_empty() {
                    self.call_messages
                        .insert(op.request.request_id.clone(), op.messages);
                }
                self.enqueue(*op.request, op.event_id, op.arg)
            }
            Command::MediaTicket(ticket) => self.read(ticket.into()),
            Command::Read(read) => self.read(*read),
            Command::Platform(event) => self.platform(event),
            Command::Typing(typing) => self.send_typing(typing),
            Command::Chatroom(chatroom) => self.chatroom_command(chatroom),
        }
    }

    /// Queues a server read; sent by the next flush (right after its command when online).
    fn read(&mut self, read: super::reads::ReadRequest) {
        match self.phase {
            Phase::Ended | Phase::Closing { .. } => read.answer(Err(self
                .ended_code
                .unwrap_or(codes::CLIENT_NOT_INIT as u32))),
            _ => self.reads.push(read),
        }
    }

    /// Persists an operation first; it is queued once stored.
    fn enqueue(&mut self, request: WireRequest, event_id: EventId, arg: Option<Box<Message>>) {
        let payload = request.encode_to_vec();
        self.out.push(Action::Store(StoreJob::Enqueue {
            request: Box::new(request),
            payload,
            event_id,
            arg,
        }));
    }

    /// Stores (and then announces) a message. A send beyond 5 per rolling second of the app's
    /// calls is stored and failed at once with 20604 (the client-side limit of IMLib).
    fn send(&mut self, message: Box<Message>, event_id: EventId, requested: Instant) {
        let Some(new) = operations::outgoing_row(&message, &self.params.user_id) else {
            return;
        };
        if !codec::message_flags(&message).persisted {
            let (object_name, content) = (new.object_name, new.content);
            return self.send_transient(*message, object_name, content, event_id, requested);
        }
        let queue = self.ended_code.is_none() && self.queue.admit_user_send(requested);
        self.out.push(Action::Store(StoreJob::PersistSend {
            resend_id: message.message_id,
            new: Box::new(new),
            queue,
            message,
            event_id,
        }));
    }
}

impl SessionCore {
    /// Sends a message that is not stored (COMMAND, custom COMMAND/STATUS): announced at once
    /// without a `messageId`, then queued in memory only, under the same pacing and send
    /// timeout as stored sends; it fails with the session (R085: the app sends it again).
    fn send_transient(
        &mut self,
        mut message: Message,
        object_name: String,
        content: String,
        event_id: EventId,
        requested: Instant,
    ) {
        let sent_time = super::clock::now_ms();
        message.message_id = None;
        message.message_uid = None;
        message.sender_user_id = Some(self.params.user_id.clone());
        message.direction = Some(rcim_store::direction::SEND);
        message.sent_status = Some(sent_status::SENDING);
        message.sent_time = Some(sent_time);
        message.received_time = Some(sent_time);
        self.emit(Event::MessageAttached {
            message: message.clone(),
            event_id: event_id.clone(),
        });
        let entry = Entry::transient(message, object_name, content, event_id, requested);
        self.inbox.sent_here(&entry.request.request_id);
        let open = self.ended_code.is_none() && self.phase != Phase::Ended;
        if open && self.queue.admit_user_send(requested) {
            self.queue.push(entry);
            self.flush(self.now);
        } else {
            let code = self.ended_code.unwrap_or(codes::SEND_MSG_FREQUENCY_OVERRUN);
            self.complete(entry, code, None);
        }
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
