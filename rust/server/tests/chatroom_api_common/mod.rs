//! Helpers of the chatroom Server API tests: a join without creation, the code of a failing
//! call, the room events that arrive, the ids of a JSON list.
#![allow(dead_code)]

use crate::common::{call, Api, RawClient, APP_KEY, APP_SECRET};
use rcim_proto::v1::{
    chat_room_event, request, response, server_frame, ChatRoomEvent, ChatRoomJoined, JoinChatRoom,
};
use std::time::Duration;

pub async fn join(c: &mut RawClient, room: &str) -> (u32, ChatRoomJoined) {
    let body = request::Body::JoinChatroom(JoinChatRoom {
        room_id: room.into(),
        message_count: 10,
        auto_create: false,
    });
    let r = call(c, "", body).await;
    match r.body {
        Some(response::Body::ChatroomJoined(j)) => (r.code, j),
        None => (r.code, ChatRoomJoined::default()),
        other => panic!("expected a join answer, got {other:?}"),
    }
}

/// A call expected to fail: its code (HTTP 200 for business codes, 400 for 1002).
pub async fn code_of(api: &Api, path: &str, params: &[(&str, &str)]) -> u64 {
    let (status, body) = api.call_with(path, params, APP_KEY, APP_SECRET, "").await;
    let code = body["code"].as_u64().expect("a code");
    let expected_status = if code == 1002 { 400 } else { 200 };
    assert_eq!(status, expected_status, "{path}: {body}");
    code
}

/// The chatroom events `c` gets within a short while.
pub async fn room_events(c: &mut RawClient) -> Vec<chat_room_event::Body> {
    let mut out = Vec::new();
    while let Some(f) = c.try_recv(Duration::from_millis(400)).await {
        if let Some(server_frame::Body::Chatroom(ChatRoomEvent {
            body: Some(body), ..
        })) = f.body
        {
            out.push(body);
        }
    }
    out
}
