//! The session core's part in chatrooms (see `session/chatroom.rs`): a call goes on the wire
//! once online, its answer becomes store work and events, the server's room events become
//! listener events, and every new connection joins the session's rooms again (R193).

use super::{Phase, SessionCore};
use crate::codec;
use crate::codes;
use crate::event::{ChatroomEvent, Event};
use crate::session::chatroom::{
    self, ChatroomCommand, ChatroomDone, ChatroomJob, ChatroomOp, JoinSettings, Pending,
};
use crate::session::queue::ACK_TIMEOUT;
use crate::session::types::{Action, StoreJob};
use rcim_proto::v1::{chat_room_event, response, ChatRoomEvent};
use std::time::Instant;

impl SessionCore {
    /// A chatroom call: sent at once when online, else when connected (or failed when the
    /// session is over). A join reports `onChatRoomJoining` first; a leave forgets the room
    /// at once (no re-join brings it back, whatever the server answers).
    pub(super) fn chatroom_command(&mut self, command: ChatroomCommand) {
        if let ChatroomOp::Join { room_id, .. } = &command.op {
            self.emit(Event::Chatroom(ChatroomEvent::Joining {
                target_id: room_id.clone(),
                event_id: command.event_id.clone(),
            }));
        }
        if matches!(self.phase, Phase::Ended | Phase::Closing { .. }) {
            let code = self.ended_code.unwrap_or(codes::CLIENT_NOT_INIT as u32);
            self.fail_chatroom_call(command, code);
            return;
        }
        if let ChatroomOp::Leave { room_id } = &command.op {
            self.chatrooms.forget(room_id);
        }
        self.chatrooms.push(command, false, self.now);
        self.flush(self.now);
    }

    /// Reports a call that failed before the server answered it; a leave still clears the
    /// room's local messages (the app left it).
    fn fail_chatroom_call(&mut self, command: ChatroomCommand, code: u32) {
        let clear = match &command.op {
            ChatroomOp::Leave { room_id } => vec![room_id.clone()],
            _ => Vec::new(),
        };
        let event = chatroom::failure(command, code);
        if clear.is_empty() {
            self.emit(event);
        } else {
            self.chatroom_job(ChatroomJob {
                clear,
                received: Vec::new(),
                after: vec![event],
            });
        }
    }

    fn chatroom_job(&mut self, job: ChatroomJob) {
        self.out
            .push(Action::Store(StoreJob::Chatroom(Box::new(job))));
    }

    /// The server answered a chatroom request with `code` (and `body`).
    pub(super) fn chatroom_answered(
        &mut self,
        pending: Pending,
        code: u32,
        body: Option<response::Body>,
    ) {
        if code == codes::SEND_MSG_FREQUENCY_OVERRUN && pending.retries < chatroom::RATE_RETRIES {
            tracing::debug!("chatroom request over the server's request rate; asked again later");
            self.chatrooms.retry_later(pending, self.now);
            return;
        }
        let Pending {
            command, rejoin, ..
        } = pending;
        match &command.op {
            ChatroomOp::Join {
                room_id,
                message_count,
                auto_create,
            } => {
                let room_id = room_id.clone();
                let settings = JoinSettings {
                    message_count: *message_count,
                    auto_create: *auto_create,
                };
                match body {
                    Some(response::Body::ChatroomJoined(joined)) if code == codes::OK => {
                        self.chatrooms.remember(&room_id, settings);
                        let mut clear = Vec::new();
                        for left in joined.left_room_ids {
                            if left != room_id {
                                self.chatrooms.forget(&left);
                                clear.push(left);
                            }
                        }
                        let (me, now) = (&self.params.user_id, crate::session::now_ms());
                        let received = joined
                            .messages
                            .iter()
                            // A re-join announces only what was missed: stored kinds not
                            // stored yet.
                            .filter(|m| !rejoin || codec::received_is_stored(m))
                            .map(|m| chatroom::received(m, me, now))
                            .collect();
                        let after = chatroom::joined_events(
                            &room_id,
                            joined.entries.into_iter().collect(),
                            command.event_id,
                        );
                        self.chatroom_job(ChatroomJob {
                            clear,
                            received,
                            after,
                        });
                    }
                    _ => {
                        let code = if code == codes::OK {
                            codes::SERVER_UNKNOWN_ERROR
                        } else {
                            code
                        };
                        if rejoin {
                            tracing::info!(room = %room_id, code, "re-join refused: room forgotten");
                            if self.chatrooms.forget(&room_id) {
                                self.chatroom_job(ChatroomJob {
                                    clear: vec![room_id],
                                    ..ChatroomJob::default()
                                });
                            }
                        } else {
                            self.emit(chatroom::failure(command, code));
                        }
                    }
                }
            }
            ChatroomOp::Leave { room_id } => {
                let room_id = room_id.clone();
                self.chatroom_job(ChatroomJob {
                    clear: vec![room_id],
                    received: Vec::new(),
                    after: vec![chatroom::failure(command, code)],
                });
            }
            _ => {
                let event = chatroom::answer(command, code, body, &self.params.user_id);
                self.emit(event);
            }
        }
    }

    /// Something happened in a room this connection joined.
    pub(super) fn chatroom_event(&mut self, event: ChatRoomEvent) {
        let room_id = event.room_id;
        match event.body {
            Some(chat_room_event::Body::Message(m)) => {
                // A late message of a room left meanwhile is not kept.
                if !self.chatrooms.is_joined_or_joining(&room_id) {
                    return;
                }
                let received =
                    chatroom::received(&m, &self.params.user_id, crate::session::now_ms());
                self.chatroom_job(ChatroomJob {
                    received: vec![received],
                    ..ChatroomJob::default()
                });
            }
            Some(chat_room_event::Body::EntriesChanged(changed)) => {
                self.emit(chatroom::entries_event(room_id, changed))
            }
            Some(chat_room_event::Body::MembersChanged(changed)) => {
                self.emit(chatroom::members_event(room_id, changed))
            }
            Some(chat_room_event::Body::Status(status)) => {
                let event = Event::Chatroom(ChatroomEvent::StatusChanged {
                    target_id: room_id.clone(),
                    status,
                });
                if chatroom::is_destroyed(status) {
                    self.chatrooms.forget(&room_id);
                    self.chatroom_job(ChatroomJob {
                        clear: vec![room_id],
                        received: Vec::new(),
                        after: vec![event],
                    });
                } else {
                    self.emit(event);
                }
            }
            Some(chat_room_event::Body::Kicked(code)) => {
                tracing::info!(room = %room_id, code, "out of the chatroom");
                self.chatrooms.forget(&room_id);
                self.chatroom_job(ChatroomJob {
                    clear: vec![room_id],
                    ..ChatroomJob::default()
                });
            }
            None => {}
        }
    }

    /// A chatroom job was stored: its messages are announced, then its events.
    pub(super) fn chatroom_stored(&mut self, done: ChatroomDone) {
        if let Some(error) = &done.error {
            tracing::error!(%error, "cannot store chatroom messages");
        }
        let total = done.messages.len();
        for (i, mut message) in done.messages.into_iter().enumerate() {
            message.offline = Some(false);
            self.emit(Event::MessageReceived {
                message,
                left: (total - 1 - i) as u32,
                offline: false,
                has_package: false,
            });
        }
        for event in done.after {
            self.emit(event);
        }
    }

    /// A new connection: the session's rooms are joined again.
    pub(super) fn chatroom_opened(&mut self, now: Instant) {
        self.chatrooms.rejoin_all(now);
    }

    /// Fails the calls that waited too long for a connection or for their answer.
    pub(super) fn chatroom_expire(&mut self, now: Instant) {
        for (pending, code) in self
            .chatrooms
            .expire(now, self.params.send_timeout, ACK_TIMEOUT)
        {
            // An unanswered re-join is made again by the next connection.
            if !pending.rejoin {
                self.fail_chatroom_call(pending.command, code);
            }
        }
    }

    /// The session ends: the calls still waiting fail with `code`.
    pub(super) fn chatroom_end(&mut self, code: u32) {
        for pending in self.chatrooms.take_all() {
            if !pending.rejoin {
                self.fail_chatroom_call(pending.command, code);
            }
        }
    }
}
