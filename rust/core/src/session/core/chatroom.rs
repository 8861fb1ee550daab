//! The session core's part in chatrooms (see `session/chatroom.rs`): a call goes on the wire
//! once online, its answer becomes store work and events (a join's after the rest of the
//! room's entries is read), the server's room events become listener events (held while the
//! room's join is in flight, then given after the join's reports), every new connection
//! joins the session's rooms again (R193), and a session starts and ends without local
//! chatroom messages.

use super::{Phase, SessionCore};
use crate::codec;
use crate::codes;
use crate::event::{ChatroomEvent, Event};
use crate::session::chatroom::{
    ChatroomCommand, ChatroomOp, JoinSettings, Pages, Pending, RATE_RETRIES,
};
use crate::session::chatroom_job::{self, ChatroomDone, ChatroomJob};
use crate::session::chatroom_reports as reports;
use crate::session::queue::ACK_TIMEOUT;
use crate::session::types::{Action, StoreJob};
use rcim_proto::v1::{chat_room_event, response, ChatRoomEvent, ChatRoomJoined};
use std::collections::{BTreeMap, HashSet};
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
        let event = reports::failure(command, code);
        if clear.is_empty() {
            self.emit(event);
        } else {
            self.chatroom_job(ChatroomJob {
                clear,
                after: vec![event],
                ..ChatroomJob::default()
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
        mut pending: Pending,
        code: u32,
        body: Option<response::Body>,
    ) {
        if code == codes::SEND_MSG_FREQUENCY_OVERRUN && pending.retries < RATE_RETRIES {
            tracing::debug!("chatroom request over the server's request rate; asked again later");
            self.chatrooms.retry_later(pending, self.now);
            return;
        }
        match &pending.command.op {
            ChatroomOp::Join { .. } => self.join_answered(pending, code, body),
            ChatroomOp::Leave { room_id } => {
                let room_id = room_id.clone();
                self.chatroom_job(ChatroomJob {
                    clear: vec![room_id],
                    after: vec![reports::failure(pending.command, code)],
                    ..ChatroomJob::default()
                });
            }
            ChatroomOp::GetEntries { key: None, .. } => {
                let mut body = body;
                if let Some(response::Body::ChatroomEntries(page)) = &mut body {
                    if code == codes::OK {
                        let pages = pending.pages.get_or_insert_with(Pages::default);
                        let progressed = pages.add(std::mem::take(&mut page.entries));
                        if page.more && progressed {
                            self.chatrooms.next_page(pending, self.now);
                            return;
                        }
                        // The last page: the answer reports every entry read.
                        page.entries = pending
                            .pages
                            .take()
                            .map(|p| p.entries.into_iter().collect())
                            .unwrap_or_default();
                    }
                }
                let event = reports::answer(pending.command, code, body, &self.params.user_id);
                self.emit(event);
            }
            _ => {
                let event = reports::answer(pending.command, code, body, &self.params.user_id);
                self.emit(event);
            }
        }
    }

    /// The answer to a join, or to a page of its entries: once the room's entries are all
    /// read, the join is done; a join superseded by a later leave stores nothing.
    fn join_answered(&mut self, mut pending: Pending, code: u32, body: Option<response::Body>) {
        let answer = match (pending.pages.take(), body) {
            (None, Some(response::Body::ChatroomJoined(mut joined))) if code == codes::OK => {
                let mut pages = Pages::default();
                pages.add(std::mem::take(&mut joined.entries));
                let more = joined.more_entries;
                pages.joined = Some(joined);
                Some((pages, more))
            }
            (Some(mut pages), Some(response::Body::ChatroomEntries(page))) if code == codes::OK => {
                let progressed = pages.add(page.entries);
                if page.more && !progressed {
                    tracing::warn!(
                        "a page of chatroom entries brought no new key: taken as the last"
                    );
                }
                Some((pages, page.more && progressed))
            }
            _ => None,
        };
        match answer {
            Some((pages, more)) if more && !self.chatrooms.superseded(&pending) => {
                pending.pages = Some(pages);
                self.chatrooms.next_page(pending, self.now);
            }
            Some((pages, _)) => {
                let Pages { joined, entries } = pages;
                self.join_done(pending, joined.unwrap_or_default(), entries);
            }
            None => self.join_failed(pending, code),
        }
    }

    /// A join answered with the room's messages and all its entries: the messages are
    /// stored and announced, then the entries, the sync and the result, then the room's
    /// events held meanwhile (less the messages the answer had). A leave made after the join
    /// wins: the room is not remembered and nothing of the answer is kept.
    fn join_done(
        &mut self,
        pending: Pending,
        joined: ChatRoomJoined,
        entries: BTreeMap<String, String>,
    ) {
        let superseded = self.chatrooms.superseded(&pending);
        let Pending {
            command, rejoin, ..
        } = pending;
        let ChatroomOp::Join {
            room_id,
            message_count,
            auto_create,
        } = command.op
        else {
            return;
        };
        let mut clear = Vec::new();
        for left in joined.left_room_ids {
            if left != room_id {
                self.chatrooms.forget(&left);
                clear.push(left);
            }
        }
        let (received, after) = if superseded {
            tracing::debug!(room = %room_id, "join answered after a leave: nothing kept");
            let event = Event::Chatroom(ChatroomEvent::Joined {
                code: 0,
                target_id: room_id.clone(),
                event_id: command.event_id,
            });
            (Vec::new(), vec![event])
        } else {
            self.chatrooms.remember(
                &room_id,
                JoinSettings {
                    message_count,
                    auto_create,
                },
            );
            let (me, now) = (&self.params.user_id, crate::session::now_ms());
            let received = joined
                .messages
                .iter()
                // A re-join announces only what was missed: stored kinds not stored yet.
                .filter(|m| !rejoin || codec::received_is_stored(m))
                .map(|m| chatroom_job::received(m, me, now))
                .collect();
            (
                received,
                reports::joined_events(&room_id, entries, command.event_id),
            )
        };
        self.chatroom_job(ChatroomJob {
            clear,
            received,
            after,
            ..ChatroomJob::default()
        });
        let answered: HashSet<String> = joined.messages.into_iter().map(|m| m.uid).collect();
        self.release_held(&room_id, &answered);
    }

    /// A join (or a page of its entries) refused or unanswered with `code`: a call reports
    /// it; a refused re-join forgets its room (its local messages go).
    fn join_failed(&mut self, pending: Pending, code: u32) {
        let code = if code == codes::OK {
            codes::SERVER_UNKNOWN_ERROR
        } else {
            code
        };
        let room_id = pending.command.op.room_id().to_string();
        if pending.rejoin {
            tracing::info!(room = %room_id, code, "re-join refused: room forgotten");
            if self.chatrooms.forget(&room_id) {
                self.chatroom_job(ChatroomJob {
                    clear: vec![room_id.clone()],
                    ..ChatroomJob::default()
                });
            }
        } else {
            self.emit(reports::failure(pending.command, code));
        }
        self.release_held(&room_id, &HashSet::new());
    }

    /// A join of `room_id` is over: the events held meanwhile are handled now when the room is
    /// joined (the messages the join's answer had are left out), dropped otherwise.
    fn release_held(&mut self, room_id: &str, answered: &HashSet<String>) {
        let held = self.chatrooms.join_over(room_id);
        if held.is_empty() {
            return;
        }
        if !self.chatrooms.is_joined(room_id) {
            tracing::debug!(room = %room_id, dropped = held.len(), "events of a room not joined");
            return;
        }
        for body in held {
            if let chat_room_event::Body::Message(m) = &body {
                if answered.contains(&m.uid) {
                    continue;
                }
            }
            self.chatroom_event(ChatRoomEvent {
                room_id: room_id.to_string(),
                body: Some(body),
            });
        }
    }

    /// Something happened in a room this connection joined; held while the room's join is in
    /// flight (the join reports first, R209).
    pub(super) fn chatroom_event(&mut self, event: ChatRoomEvent) {
        let room_id = event.room_id;
        let Some(body) = event.body else {
            return;
        };
        let Some(body) = self.chatrooms.hold(&room_id, body) else {
            return;
        };
        match body {
            chat_room_event::Body::Message(m) => {
                // A late message of a room left meanwhile is not kept.
                if !self.chatrooms.is_joined(&room_id) {
                    return;
                }
                let received =
                    chatroom_job::received(&m, &self.params.user_id, crate::session::now_ms());
                self.chatroom_job(ChatroomJob {
                    received: vec![received],
                    ..ChatroomJob::default()
                });
            }
            chat_room_event::Body::EntriesChanged(changed) => {
                self.emit(reports::entries_event(room_id, changed))
            }
            chat_room_event::Body::MembersChanged(changed) => {
                self.emit(reports::members_event(room_id, changed))
            }
            chat_room_event::Body::Status(status) => {
                let event = Event::Chatroom(ChatroomEvent::StatusChanged {
                    target_id: room_id.clone(),
                    status,
                });
                if reports::is_destroyed(status) {
                    self.chatrooms.forget(&room_id);
                    self.chatroom_job(ChatroomJob {
                        clear: vec![room_id],
                        after: vec![event],
                        ..ChatroomJob::default()
                    });
                } else {
                    self.emit(event);
                }
            }
            chat_room_event::Body::Kicked(code) => {
                tracing::info!(room = %room_id, code, "out of the chatroom");
                self.chatrooms.forget(&room_id);
                self.chatroom_job(ChatroomJob {
                    clear: vec![room_id],
                    ..ChatroomJob::default()
                });
            }
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
            let join_of = match &pending.command.op {
                ChatroomOp::Join { room_id, .. } => Some(room_id.clone()),
                _ => None,
            };
            // An unanswered re-join is made again by the next connection.
            if !pending.rejoin {
                self.fail_chatroom_call(pending.command, code);
            }
            if let Some(room_id) = join_of {
                self.release_held(&room_id, &HashSet::new());
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

    /// The session ended (its chatroom sends failed first): every local chatroom message goes,
    /// the session's memberships are over (R186, R201).
    pub(super) fn chatroom_clear_all(&mut self) {
        self.chatroom_job(ChatroomJob {
            clear_all: true,
            ..ChatroomJob::default()
        });
    }
}
