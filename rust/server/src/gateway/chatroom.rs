//! Chatroom requests of a connection: join, leave, history pages, KV reads and writes, and
//! chatroom sends. They are online-only and not recorded (no request id needed), limited like
//! the other non-send requests (sends: like sends).

use super::requests::{code_only, Conn};
use rcim_proto::codes;
use rcim_proto::v1::{request, SendMessage};

impl Conn {
    /// Serves one chatroom request (`request::Body::JoinChatroom` … `ChatroomEntries`).
    pub(super) async fn on_chatroom(&mut self, seq: u64, body: request::Body) {
        if !self.request_limiter.try_acquire() {
            return self.respond(seq, code_only(codes::SEND_MSG_FREQUENCY_OVERRUN));
        }
        // Placeholder (issue 11): chatrooms are not served yet.
        let _ = body;
        self.respond(seq, code_only(codes::PARAMETER_INVALID));
    }

    /// Serves a send to a chatroom (`SendMessage.conversation_type` CHATROOM).
    pub(super) async fn on_chatroom_send(&mut self, seq: u64, request_id: String, m: SendMessage) {
        // Placeholder (issue 11): chatrooms are not served yet.
        let _ = (request_id, m);
        self.respond(seq, code_only(codes::PARAMETER_INVALID));
    }
}

/// Whether `body` is a chatroom request (served by [`Conn::on_chatroom`]).
pub(super) fn is_chatroom_request(body: &request::Body) -> bool {
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
