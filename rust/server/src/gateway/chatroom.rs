//! Chatroom requests of a connection: join, leave, history pages, KV reads and writes, and
//! chatroom sends. They are online-only and not recorded (no request id needed), limited like
//! the other non-send requests (sends: like sends). Each is served on the read loop, so one
//! connection's joins, sends and leaves take effect in the order they arrive.

use super::answers::{answer, code_only, failure};
use super::frames::{frame, queue};
use super::requests::Conn;
use crate::model::NewMessage;
use crate::service::chatroom::{kv_requests as kv, ops, send, MemberConn};
use rcim_proto::codes;
use rcim_proto::v1::{
    request, response, server_frame, ChatRoomEntriesResult, Response, SendMessage,
    SendMessageResult,
};

/// The answer to a KV write: code 0, or the refusal's code, with the per-key errors of a
/// partial success (23428) in the body.
fn kv_answer(r: Result<ChatRoomEntriesResult, (u32, ChatRoomEntriesResult)>) -> Response {
    let (code, result) = match r {
        Ok(result) => (codes::OK, result),
        Err(refusal) => refusal,
    };
    Response {
        code,
        body: Some(response::Body::ChatroomEntriesResult(result)),
    }
}

impl Conn {
    /// Serves one chatroom request (`request::Body::JoinChatroom` … `ChatroomEntries`).
    pub(super) async fn on_chatroom(&mut self, seq: u64, body: request::Body) {
        if !self.request_limiter.try_acquire() {
            return self.respond(seq, code_only(codes::SEND_MSG_FREQUENCY_OVERRUN));
        }
        let shared = &self.shared;
        let response = match body {
            request::Body::JoinChatroom(r) => {
                let conn = MemberConn {
                    conn_id: self.conn_id,
                    tx: self.tx.clone(),
                    cancel: self.cancel.clone(),
                };
                // A success is answered from within the join, ahead of the room's events.
                let (tx, cancel) = (&self.tx, &self.cancel);
                let reply = |j| {
                    let response = Response {
                        code: codes::OK,
                        body: Some(response::Body::ChatroomJoined(j)),
                    };
                    queue(
                        tx,
                        cancel,
                        frame(seq, server_frame::Body::Response(response)),
                    );
                };
                match ops::join(shared, conn, &self.user_id, r, reply).await {
                    Ok(()) => return,
                    Err(e) => failure(&e, "a chatroom join"),
                }
            }
            request::Body::LeaveChatroom(r) => {
                let left = ops::leave(shared, self.conn_id, &self.user_id, r).await;
                answer(left.map(|()| None), "a chatroom leave")
            }
            request::Body::ChatroomHistory(r) => {
                let page = ops::history(shared, &self.user_id, r).await;
                let page = page.map(|p| Some(response::Body::ChatroomHistory(p)));
                answer(page, "a chatroom history page")
            }
            request::Body::ChatroomSetEntries(r) => {
                kv_answer(kv::set(shared, self.conn_id, &self.user_id, r).await)
            }
            request::Body::ChatroomRemoveEntries(r) => {
                kv_answer(kv::remove(shared, self.conn_id, &self.user_id, r).await)
            }
            request::Body::ChatroomEntries(r) => match kv::get(shared, &self.user_id, r).await {
                Ok(entries) => Response {
                    code: codes::OK,
                    body: Some(response::Body::ChatroomEntries(entries)),
                },
                Err(code) => code_only(code),
            },
            // Not a chatroom request (see `is_chatroom_request`).
            _ => code_only(codes::PARAMETER_INVALID),
        };
        self.respond(seq, response);
    }

    /// Serves a send to a chatroom (`SendMessage.conversation_type` CHATROOM): answered like
    /// a send (uid, sent time; `conv_seq` 0: room messages are outside conversation
    /// histories). The request id is the message's client id; sends are not deduplicated
    /// (room messages are online-only).
    pub(super) async fn on_chatroom_send(&mut self, seq: u64, request_id: String, m: SendMessage) {
        if !m.directed_user_ids.is_empty() || !m.channel_id.is_empty() {
            return self.respond(seq, code_only(codes::PARAMETER_INVALID));
        }
        // Checked above: no channel; the type is CHATROOM (`on_send` routes on it).
        let msg = NewMessage::from_send(self.user_id.clone(), request_id, m);
        if !self.send_limiter.try_acquire() {
            return self.respond(seq, code_only(codes::SEND_MSG_FREQUENCY_OVERRUN));
        }
        let sent = send::send(&self.shared, self.conn_id, msg).await;
        let sent = sent.map(|(uid, sent_time)| {
            Some(response::Body::SendMessage(SendMessageResult {
                uid,
                sent_time,
                conv_seq: 0,
                change_seq: 0,
            }))
        });
        self.respond(seq, answer(sent, "a chatroom send"));
    }
}
