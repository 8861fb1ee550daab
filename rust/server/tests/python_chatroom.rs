//! RongCloud's Python server SDK (`rc-server-sdk` 3.2.0, unchanged) drives the chatroom
//! endpoints of a running server: `tests/python/chatroom_api.py` creates rooms, queries their
//! members, sets KV entries (plain signed requests: the SDK has no KV calls), gags, protects,
//! blocks, publishes into a room and destroys it, in phases; this test checks the answers and
//! what raw protocol members observe between the phases.
//!
//! Without the SDK's virtualenv the test is skipped outside CI (see [`python_common`]).

mod common;
mod python_common;

use common::*;
use python_common::{ok, SdkScript};
use rcim_proto::v1::{
    chat_room_event, request, response, server_frame, ChatRoomEvent, JoinChatRoom,
};
use rcim_proto::{codes, conversation_type};
use serde_json::Value;
use std::time::Duration;

async fn join(c: &mut RawClient, room: &str) {
    let body = request::Body::JoinChatroom(JoinChatRoom {
        room_id: room.into(),
        message_count: 0,
        auto_create: false,
    });
    let r = call(c, "", body).await;
    assert_eq!(r.code, 0, "join {room}");
    assert!(matches!(r.body, Some(response::Body::ChatroomJoined(_))));
}

/// The chatroom events `c` gets within a short while.
async fn room_events(c: &mut RawClient) -> Vec<chat_room_event::Body> {
    let mut out = Vec::new();
    while let Some(f) = c.try_recv(Duration::from_millis(500)).await {
        if let Some(server_frame::Body::Chatroom(ChatRoomEvent {
            body: Some(body), ..
        })) = f.body
        {
            out.push(body);
        }
    }
    out
}

/// The texts of the room messages among `events`, with their senders.
fn texts(events: &[chat_room_event::Body]) -> Vec<(String, String)> {
    events
        .iter()
        .filter_map(|e| match e {
            chat_room_event::Body::Message(m) => {
                let v: Value = serde_json::from_str(&m.content).ok()?;
                Some((m.sender_id.clone(), v["content"].as_str()?.to_owned()))
            }
            _ => None,
        })
        .collect()
}

/// The KV changes among `events`: (removed, sorted keys, operator).
fn changes(events: &[chat_room_event::Body]) -> Vec<(bool, Vec<String>, String)> {
    events
        .iter()
        .filter_map(|e| match e {
            chat_room_event::Body::EntriesChanged(ch) => {
                let mut keys: Vec<String> = ch.entries.keys().cloned().collect();
                keys.sort();
                Some((ch.removed, keys, ch.operator_id.clone()))
            }
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn python_sdk_creates_rooms_queries_members_sets_kv_and_publishes() {
    init_tracing();
    let Some(sdk) = SdkScript::find("chatroom_api.py") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();

    let steps = sdk.run_phase(&server, "create").await;
    ok(&steps, &["create", "query"]);
    let rooms = &steps["query"]["chatRooms"];
    assert_eq!(strings(rooms, "chrmId"), ["live", "side"]);
    assert_eq!(strings(rooms, "name"), ["Live Room", "Side"]);

    let mut alice = RawClient::connect(addr, "alice", "a1").await;
    let mut bob = RawClient::connect(addr, "bob", "b1").await;
    join(&mut alice, "live").await;
    join(&mut bob, "live").await;

    let steps = sdk.run_phase(&server, "members").await;
    ok(
        &steps,
        &[
            "user_query",
            "user_query_desc",
            "exist_one",
            "exist_many",
            "entry_set",
            "entry_batch_set",
            "entry_remove",
            "entry_query",
            "gag",
            "gag_list",
            "whitelist",
            "whitelist_query",
            "publish",
        ],
    );
    assert_eq!(steps["user_query"]["total"], 2);
    assert_eq!(
        strings(&steps["user_query"]["users"], "id"),
        ["alice", "bob"]
    );
    assert_eq!(
        steps["user_query"]["users"][0]["time"]
            .as_str()
            .unwrap()
            .len(),
        19
    );
    assert_eq!(strings(&steps["user_query_desc"]["users"], "id"), ["bob"]);
    assert_eq!(steps["exist_one"]["isInChrm"], true);
    let many = &steps["exist_many"]["result"];
    assert_eq!(strings(many, "userId"), ["alice", "carol"]);
    assert_eq!(
        (&many[0]["isInChrm"], &many[1]["isInChrm"]),
        (&1.into(), &0.into())
    );
    assert_eq!(steps["missing_room"]["code"], codes::CHATROOM_NOT_EXIST);
    let keys = &steps["entry_query"]["keys"];
    assert_eq!(strings(keys, "key"), ["seat1", "topic"]);
    assert_eq!(strings(keys, "value"), ["alice", "Hello & welcome"]);
    assert_eq!(strings(keys, "userID"), ["alice", "admin"]);
    assert_eq!(strings(keys, "autoDelete"), ["1", "0"]);
    let bad_key = &steps["entry_bad_key"];
    assert_eq!(bad_key["status"], 400, "{bad_key}");
    assert!(
        bad_key["raw"].as_str().unwrap().contains("1002"),
        "{bad_key}"
    );
    assert_eq!(strings(&steps["gag_list"]["users"], "userId"), ["alice"]);
    assert_eq!(strings(&steps["whitelist_query"]["users"], ""), ["bob"]);
    assert!(
        steps["publish"]["messageUID"].is_string(),
        "{}",
        steps["publish"]
    );

    // Both members heard the KV changes and got the published message.
    let seen = room_events(&mut bob).await;
    let expected_changes = vec![
        (false, vec!["topic".to_owned()], "admin".to_owned()),
        (
            false,
            vec!["seat1".to_owned(), "seat2".to_owned()],
            "alice".to_owned(),
        ),
        (true, vec!["seat2".to_owned()], "admin".to_owned()),
    ];
    assert_eq!(changes(&seen), expected_changes);
    let published = vec![("admin".to_owned(), "from the server".to_owned())];
    assert_eq!(texts(&seen), published);
    let seen = room_events(&mut alice).await;
    assert_eq!(changes(&seen), expected_changes);
    assert_eq!(texts(&seen), published);
    // The gag holds for alice's sends.
    let mut m = RawClient::text("m1", "live", "may I?");
    m.conversation_type = conversation_type::CHATROOM;
    assert_eq!(
        alice.send_and_ack(m).await.code,
        codes::FORBIDDEN_IN_CHATROOM
    );

    let steps = sdk.run_phase(&server, "teardown").await;
    ok(
        &steps,
        &[
            "ungag",
            "unwhitelist",
            "block",
            "block_list",
            "destroy",
            "query",
        ],
    );
    assert_eq!(strings(&steps["block_list"]["users"], "userId"), ["bob"]);
    assert_eq!(
        strings(&steps["query"]["chatRooms"], "chrmId"),
        Vec::<String>::new()
    );
    let seen = room_events(&mut bob).await;
    assert!(
        seen.contains(&chat_room_event::Body::Kicked(codes::KICKED_FROM_CHATROOM)),
        "{seen:?}"
    );
    let seen = room_events(&mut alice).await;
    // bob left (the block), then the room was destroyed by the Server API (DESTROY_MANUAL).
    assert!(seen.contains(&chat_room_event::Body::Status(1)), "{seen:?}");
    server.shutdown().await;
}
