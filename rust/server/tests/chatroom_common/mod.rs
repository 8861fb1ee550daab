//! Chatroom helpers for the integration tests: join, leave, send, history pages, room events.
#![allow(dead_code)]

use crate::common::{call, fresh_request_id, send_body, Outgoing, RawClient};
use rcim_proto::v1::{
    chat_room_event, request, response, server_frame, ChatRoomEvent, ChatRoomHistoryPage,
    ChatRoomHistoryRequest, ChatRoomJoined, JoinChatRoom, LeaveChatRoom, Message, SendMessage,
};
use std::time::Duration;

/// Joins `room` (`auto_create`), asking for `count` recent messages: the code and the answer.
pub async fn join(
    c: &mut RawClient,
    room: &str,
    count: u32,
    auto_create: bool,
) -> (u32, ChatRoomJoined) {
    let body = request::Body::JoinChatroom(JoinChatRoom {
        room_id: room.into(),
        message_count: count,
        auto_create,
    });
    let r = call(c, "", body).await;
    match r.body {
        Some(response::Body::ChatroomJoined(j)) => (r.code, j),
        None => (r.code, Default::default()),
        other => panic!("expected a join answer, got {other:?}"),
    }
}

/// Joins `room`, creating it; asserts success.
pub async fn join_ok(c: &mut RawClient, room: &str, count: u32) -> ChatRoomJoined {
    let (code, j) = join(c, room, count, true).await;
    assert_eq!(code, 0, "join {room}");
    j
}

/// Leaves `room`: the code.
pub async fn leave(c: &mut RawClient, room: &str) -> u32 {
    let body = request::Body::LeaveChatroom(LeaveChatRoom {
        room_id: room.into(),
    });
    call(c, "", body).await.code
}

/// A text message to `room`.
pub fn room_text(room: &str, text: &str) -> Outgoing {
    Outgoing {
        client_msg_id: fresh_request_id(),
        msg: SendMessage {
            conversation_type: rcim_proto::conversation_type::CHATROOM,
            target_id: room.into(),
            object_name: "RC:TxtMsg".into(),
            content: serde_json::json!({ "content": text }).to_string(),
            persisted: true,
            counted: true,
            ..Default::default()
        },
    }
}

/// Sends `o`: the code and (on success) the uid and sent time.
pub async fn send_room(c: &mut RawClient, o: Outgoing) -> (u32, String, i64) {
    let seq = c.send(send_body(o)).await;
    let r = c.wait_response(seq).await;
    match r.body {
        Some(response::Body::SendMessage(s)) => (r.code, s.uid, s.sent_time),
        _ => (r.code, String::new(), 0),
    }
}

/// Sends a text to `room`; asserts success; its uid.
pub async fn say(c: &mut RawClient, room: &str, text: &str) -> String {
    let (code, uid, _) = send_room(c, room_text(room, text)).await;
    assert_eq!(code, 0, "send to {room}");
    uid
}

/// A page of `room`'s history: the code and the page.
pub async fn room_history(
    c: &mut RawClient,
    room: &str,
    timestamp: i64,
    order: u32,
    count: u32,
) -> (u32, ChatRoomHistoryPage) {
    let body = request::Body::ChatroomHistory(ChatRoomHistoryRequest {
        room_id: room.into(),
        timestamp,
        order,
        count,
    });
    let r = call(c, "", body).await;
    match r.body {
        Some(response::Body::ChatroomHistory(p)) => (r.code, p),
        None => (r.code, Default::default()),
        other => panic!("expected a history page, got {other:?}"),
    }
}

/// The next room event (other frames skipped).
pub async fn next_room_event(c: &mut RawClient) -> ChatRoomEvent {
    loop {
        let f = c.recv().await.expect("connection open");
        if let Some(server_frame::Body::Chatroom(e)) = f.body {
            return e;
        }
    }
}

/// The next room event within `d`, if any (other frames skipped).
pub async fn try_room_event(c: &mut RawClient, d: Duration) -> Option<ChatRoomEvent> {
    let deadline = tokio::time::Instant::now() + d;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let f = c.try_recv(left).await?;
        if let Some(server_frame::Body::Chatroom(e)) = f.body {
            return Some(e);
        }
    }
}

/// The next room message (other events skipped).
pub async fn next_room_message(c: &mut RawClient) -> Message {
    loop {
        if let Some(chat_room_event::Body::Message(m)) = next_room_event(c).await.body {
            return m;
        }
    }
}

/// The text of a room text message.
pub fn text_of(m: &Message) -> String {
    let v: serde_json::Value = serde_json::from_str(&m.content).expect("JSON content");
    v["content"].as_str().unwrap_or_default().to_owned()
}

/// The member actions (user, action) of the next `members_changed` event (others skipped).
pub async fn next_member_actions(c: &mut RawClient) -> Vec<(String, u32)> {
    loop {
        if let Some(chat_room_event::Body::MembersChanged(m)) = next_room_event(c).await.body {
            return m
                .actions
                .into_iter()
                .map(|a| (a.user_id, a.action))
                .collect();
        }
    }
}

/// The room messages received within `d` (other frames skipped).
pub async fn room_messages_within(c: &mut RawClient, d: Duration) -> Vec<Message> {
    let deadline = tokio::time::Instant::now() + d;
    let mut out = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let Some(e) = try_room_event(c, left).await else {
            return out;
        };
        if let Some(chat_room_event::Body::Message(m)) = e.body {
            out.push(m);
        }
    }
}

/// A server for room tests: no send rate limit (tests send in bursts), then `change`.
pub async fn start_rooms(
    dir: &std::path::Path,
    change: impl FnOnce(&mut rcim_server::ServerConfig),
) -> rcim_server::RunningServer {
    let mut config = crate::common::config(dir);
    config.send_rate_per_sec = 0;
    change(&mut config);
    rcim_server::start(config).await.expect("server starts")
}

/// The next room event that is not a member change.
pub async fn next_non_member_event(c: &mut RawClient) -> ChatRoomEvent {
    loop {
        let e = next_room_event(c).await;
        if !matches!(e.body, Some(chat_room_event::Body::MembersChanged(_))) {
            return e;
        }
    }
}
