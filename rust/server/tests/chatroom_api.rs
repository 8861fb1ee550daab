//! The chatroom Server API with RongCloud's parameters and answers: rooms (create,
//! create_new, destroy, get, query), members (user/query, user/exist, users/exist),
//! moderation lists (gag, block, whitelist), KV entries (entry/set, batch/set, remove,
//! query) and `/message/chatroom/publish.json`, with their codes (1002 bad parameters, 23410
//! unknown room) and what members observe.

mod common;

use common::*;
use rcim_proto::codes;
use rcim_proto::v1::{
    chat_room_event, request, response, server_frame, ChatRoomEvent, ChatRoomJoined, JoinChatRoom,
};
use serde_json::Value;
use std::time::Duration;

async fn join(c: &mut RawClient, room: &str) -> (u32, ChatRoomJoined) {
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
async fn code_of(api: &Api, path: &str, params: &[(&str, &str)]) -> u64 {
    let (status, body) = api.call_with(path, params, APP_KEY, APP_SECRET, "").await;
    let code = body["code"].as_u64().expect("a code");
    let expected_status = if code == 1002 { 400 } else { 200 };
    assert_eq!(status, expected_status, "{path}: {body}");
    code
}

/// The chatroom events `c` gets within a short while.
async fn room_events(c: &mut RawClient) -> Vec<chat_room_event::Body> {
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

fn ids(v: &Value, field: &str) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("an array: {v}"))
        .iter()
        .map(|x| {
            let s = if field.is_empty() { x } else { &x[field] };
            s.as_str().unwrap().to_owned()
        })
        .collect()
}

#[tokio::test]
async fn rooms_are_created_read_and_destroyed() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    let addr = server.gateway_addr();
    api.call(
        "/chatroom/create.json",
        &[("chatroom[r1]", "Room One"), ("chatroom[r2]", "Two")],
    )
    .await;
    let q = api
        .call(
            "/chatroom/query.json",
            &[
                ("chatroomId", "r1"),
                ("chatroomId", "nope"),
                ("chatroomId", "r2"),
            ],
        )
        .await;
    assert_eq!(ids(&q["chatRooms"], "chrmId"), ["r1", "r2"]);
    assert_eq!(ids(&q["chatRooms"], "name"), ["Room One", "Two"]);
    assert_eq!(q["chatRooms"][0]["time"].as_str().unwrap().len(), 19);
    // create_new: manual destroy, protected members and initial KV entries.
    api.call(
        "/chatroom/create_new.json",
        &[
            ("chatroomId", "r3"),
            ("destroyType", "1"),
            ("destroyTime", "120"),
            ("whiteUserIds", "w1"),
            ("whiteUserIds", "w2"),
            ("entryOwnerId", "owner"),
            ("entryInfo", r#"{"a":"1","b":"2"}"#),
        ],
    )
    .await;
    let g = api
        .call("/chatroom/get.json", &[("chatroomId", "r3")])
        .await;
    assert_eq!(g["chatroomId"], "r3");
    assert_eq!(
        (g["destroyType"].as_u64(), g["destroyTime"].as_u64()),
        (Some(1), Some(120))
    );
    assert_eq!(
        (g["memberCount"].as_u64(), g["ban"].as_bool()),
        (Some(0), Some(false))
    );
    assert!(g["createTime"].as_i64().unwrap() > now_ms() - 60_000);
    let w = api
        .call(
            "/chatroom/user/whitelist/query.json",
            &[("chatroomId", "r3")],
        )
        .await;
    assert_eq!(ids(&w["users"], ""), ["w1", "w2"]);
    let mut alice = RawClient::connect(addr, "alice", "a1").await;
    let (code, joined) = join(&mut alice, "r3").await;
    assert_eq!((code, joined.entries.len()), (0, 2));
    let g = api
        .call("/chatroom/get.json", &[("chatroomId", "r3")])
        .await;
    assert_eq!(g["memberCount"], 1);

    // Codes: unknown room 23410, bad parameters 1002.
    let missing = codes::CHATROOM_NOT_EXIST as u64;
    assert_eq!(
        code_of(&api, "/chatroom/get.json", &[("chatroomId", "nope")]).await,
        missing
    );
    assert_eq!(code_of(&api, "/chatroom/get.json", &[]).await, 1002);
    assert_eq!(
        code_of(&api, "/chatroom/get.json", &[("chatroomId", "a b")]).await,
        1002
    );
    assert_eq!(
        code_of(&api, "/chatroom/create.json", &[("x", "y")]).await,
        1002
    );
    assert_eq!(
        code_of(
            &api,
            "/chatroom/create_new.json",
            &[("chatroomId", "r4"), ("isBan", "true")]
        )
        .await,
        1002
    );

    // Destroy: members get DESTROY_MANUAL; unknown rooms are skipped.
    api.call(
        "/chatroom/destroy.json",
        &[("chatroomId", "r3"), ("chatroomId", "nope")],
    )
    .await;
    assert!(room_events(&mut alice)
        .await
        .contains(&chat_room_event::Body::Status(1)));
    assert_eq!(
        code_of(&api, "/chatroom/get.json", &[("chatroomId", "r3")]).await,
        missing
    );
    let w = code_of(
        &api,
        "/chatroom/user/whitelist/query.json",
        &[("chatroomId", "r3")],
    )
    .await;
    assert_eq!(w, missing);
    // Re-created, the room starts empty (no KV, no protected members).
    api.call("/chatroom/create.json", &[("chatroom[r3]", "Again")])
        .await;
    let w = api
        .call(
            "/chatroom/user/whitelist/query.json",
            &[("chatroomId", "r3")],
        )
        .await;
    assert!(ids(&w["users"], "").is_empty());
    let e = api
        .call("/chatroom/entry/query.json", &[("chatroomId", "r3")])
        .await;
    assert!(e["keys"].as_array().unwrap().is_empty());
    server.shutdown().await;
}

#[tokio::test]
async fn members_and_moderation_lists() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    let addr = server.gateway_addr();
    api.call("/chatroom/create.json", &[("chatroom[r]", "R")])
        .await;
    let mut alice = RawClient::connect(addr, "alice", "a1").await;
    let mut bob = RawClient::connect(addr, "bob", "b1").await;
    assert_eq!(join(&mut alice, "r").await.0, 0);
    assert_eq!(join(&mut bob, "r").await.0, 0);

    let q = api
        .call(
            "/chatroom/user/query.json",
            &[("chatroomId", "r"), ("count", "10"), ("order", "2")],
        )
        .await;
    assert_eq!(q["total"], 2);
    assert_eq!(ids(&q["users"], "id"), ["bob", "alice"]);
    let q = api
        .call(
            "/chatroom/user/query.json",
            &[("chatroomId", "r"), ("count", "1")],
        )
        .await;
    assert_eq!(ids(&q["users"], "id"), ["alice"]);
    for bad in [("count", "0"), ("count", "501"), ("order", "3")] {
        let params = [bad, ("chatroomId", "r"), ("count", "5")];
        assert_eq!(
            code_of(&api, "/chatroom/user/query.json", &params).await,
            1002,
            "{bad:?}"
        );
    }
    let e = api
        .call(
            "/chatroom/user/exist.json",
            &[("chatroomId", "r"), ("userId", "bob")],
        )
        .await;
    assert_eq!(e["isInChrm"], true);
    let e = api
        .call(
            "/chatroom/user/exist.json",
            &[("chatroomId", "r"), ("userId", "zed")],
        )
        .await;
    assert_eq!(e["isInChrm"], false);
    let e = api
        .call(
            "/chatroom/users/exist.json",
            &[("chatroomId", "r"), ("userId", "zed"), ("userId", "alice")],
        )
        .await;
    assert_eq!(ids(&e["result"], "userId"), ["zed", "alice"]);
    assert_eq!(
        (
            e["result"][0]["isInChrm"].as_u64(),
            e["result"][1]["isInChrm"].as_u64()
        ),
        (Some(0), Some(1))
    );

    // Gags and blocks: 1..=20 users, 1..=43200 minutes; the lists show the ends.
    let gag = |minute: &'static str| {
        [
            ("chatroomId", "r"),
            ("userId", "alice"),
            ("userId", "carol"),
            ("minute", minute),
        ]
    };
    assert_eq!(
        code_of(&api, "/chatroom/user/gag/add.json", &gag("0")).await,
        1002
    );
    assert_eq!(
        code_of(&api, "/chatroom/user/gag/add.json", &gag("43201")).await,
        1002
    );
    let many: Vec<String> = (0..21).map(|i| format!("u{i}")).collect();
    let mut params: Vec<(&str, &str)> = many.iter().map(|u| ("userId", u.as_str())).collect();
    params.extend([("chatroomId", "r"), ("minute", "5")]);
    assert_eq!(
        code_of(&api, "/chatroom/user/gag/add.json", &params).await,
        1002
    );
    api.call("/chatroom/user/gag/add.json", &gag("43200")).await;
    let l = api
        .call("/chatroom/user/gag/list.json", &[("chatroomId", "r")])
        .await;
    assert_eq!(ids(&l["users"], "userId"), ["alice", "carol"]);
    assert_eq!(l["users"][0]["time"].as_str().unwrap().len(), 19);
    api.call(
        "/chatroom/user/gag/rollback.json",
        &[("chatroomId", "r"), ("userId", "carol")],
    )
    .await;
    let l = api
        .call("/chatroom/user/gag/list.json", &[("chatroomId", "r")])
        .await;
    assert_eq!(ids(&l["users"], "userId"), ["alice"]);
    let missing = codes::CHATROOM_NOT_EXIST as u64;
    let gag_elsewhere = [("chatroomId", "nope"), ("userId", "alice"), ("minute", "5")];
    assert_eq!(
        code_of(&api, "/chatroom/user/gag/add.json", &gag_elsewhere).await,
        missing
    );

    // The whitelist takes at most 5 users per call.
    let six: Vec<(&str, &str)> = ["a", "b", "c", "d", "e", "f"]
        .iter()
        .map(|u| ("userId", *u))
        .chain([("chatroomId", "r")])
        .collect();
    assert_eq!(
        code_of(&api, "/chatroom/user/whitelist/add.json", &six).await,
        1002
    );
    api.call("/chatroom/user/whitelist/add.json", &six[1..])
        .await;
    api.call(
        "/chatroom/user/whitelist/remove.json",
        &[("chatroomId", "r"), ("userId", "c")],
    )
    .await;
    let w = api
        .call(
            "/chatroom/user/whitelist/query.json",
            &[("chatroomId", "r")],
        )
        .await;
    assert_eq!(ids(&w["users"], ""), ["b", "d", "e", "f"]);

    // A block kicks the member at once; the others hear that they left.
    api.call(
        "/chatroom/user/block/add.json",
        &[("chatroomId", "r"), ("userId", "bob"), ("minute", "1")],
    )
    .await;
    assert!(room_events(&mut bob)
        .await
        .contains(&chat_room_event::Body::Kicked(codes::KICKED_FROM_CHATROOM)));
    let e = api
        .call(
            "/chatroom/user/exist.json",
            &[("chatroomId", "r"), ("userId", "bob")],
        )
        .await;
    assert_eq!(e["isInChrm"], false);
    let l = api
        .call("/chatroom/user/block/list.json", &[("chatroomId", "r")])
        .await;
    assert_eq!(ids(&l["users"], "userId"), ["bob"]);
    assert_eq!(join(&mut bob, "r").await.0, codes::KICKED_FROM_CHATROOM);
    api.call(
        "/chatroom/user/block/rollback.json",
        &[("chatroomId", "r"), ("userId", "bob")],
    )
    .await;
    assert_eq!(join(&mut bob, "r").await.0, 0);
    let _ = room_events(&mut alice).await;
    server.shutdown().await;
}

#[tokio::test]
async fn kv_entries_through_the_server_api() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    let addr = server.gateway_addr();
    api.call("/chatroom/create.json", &[("chatroom[r]", "R")])
        .await;
    let mut alice = RawClient::connect(addr, "alice", "a1").await;
    assert_eq!(join(&mut alice, "r").await.0, 0);

    // The operator need not be a member; the API overwrites any key.
    let set = |key: &'static str, value: &'static str, user: &'static str| {
        [
            ("chatroomId", "r"),
            ("userId", user),
            ("key", key),
            ("value", value),
            ("autoDelete", "1"),
        ]
    };
    api.call("/chatroom/entry/set.json", &set("k", "v1", "admin"))
        .await;
    api.call("/chatroom/entry/set.json", &set("k", "v2", "other"))
        .await;
    api.call(
        "/chatroom/entry/batch/set.json",
        &[
            ("chatroomId", "r"),
            ("entryOwnerId", "admin"),
            ("entryInfo", r#"{"x":"1","y":2}"#),
        ],
    )
    .await;
    let q = api
        .call(
            "/chatroom/entry/query.json",
            &[("chatroomId", "r"), ("keys", "k"), ("keys", "y")],
        )
        .await;
    assert_eq!(ids(&q["keys"], "key"), ["k", "y"]);
    assert_eq!(ids(&q["keys"], "value"), ["v2", "2"]);
    assert_eq!(ids(&q["keys"], "userID"), ["other", "admin"]);
    assert_eq!(ids(&q["keys"], "autoDelete"), ["1", "0"]);
    assert!(ids(&q["keys"], "lastSetTime")[0].parse::<i64>().unwrap() > 0);
    api.call(
        "/chatroom/entry/remove.json",
        &[("chatroomId", "r"), ("userId", "admin"), ("key", "k")],
    )
    .await;
    let remove_again = [("chatroomId", "r"), ("userId", "admin"), ("key", "k")];
    let not_exist = codes::KV_KEY_NOT_EXIST as u64;
    assert_eq!(
        code_of(&api, "/chatroom/entry/remove.json", &remove_again).await,
        not_exist
    );
    // The member heard every change.
    let seen: Vec<(bool, String)> = room_events(&mut alice)
        .await
        .into_iter()
        .filter_map(|e| match e {
            chat_room_event::Body::EntriesChanged(ch) => {
                let mut keys: Vec<&String> = ch.entries.keys().collect();
                keys.sort();
                let keys: Vec<&str> = keys.into_iter().map(String::as_str).collect();
                Some((ch.removed, format!("{}:{}", ch.operator_id, keys.join(","))))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        seen,
        [
            (false, "admin:k".to_owned()),
            (false, "other:k".to_owned()),
            (false, "admin:x,y".to_owned()),
            (true, "admin:k".to_owned()),
        ]
    );
    // With `objectName` and `content`, the members also get a notification message.
    let note = r#"{"type":1,"key":"n","value":"v"}"#;
    api.call(
        "/chatroom/entry/set.json",
        &[
            ("chatroomId", "r"),
            ("userId", "admin"),
            ("key", "n"),
            ("value", "v"),
            ("objectName", "RC:chrmKVNotiMsg"),
            ("content", note),
        ],
    )
    .await;
    let events = room_events(&mut alice).await;
    assert!(events.iter().any(
        |e| matches!(e, chat_room_event::Body::EntriesChanged(ch) if ch.entries.contains_key("n"))
    ));
    let notes: Vec<(&str, &str, &str)> = events
        .iter()
        .filter_map(|e| match e {
            chat_room_event::Body::Message(m) => Some((
                m.object_name.as_str(),
                m.content.as_str(),
                m.sender_id.as_str(),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(notes, [("RC:chrmKVNotiMsg", note, "admin")]);
    // Bad input and unknown rooms.
    let bad_key = [
        ("chatroomId", "r"),
        ("userId", "admin"),
        ("key", "a b"),
        ("value", "v"),
    ];
    assert_eq!(
        code_of(&api, "/chatroom/entry/set.json", &bad_key).await,
        1002
    );
    let long = "v".repeat(4097);
    let long_value = [
        ("chatroomId", "r"),
        ("userId", "admin"),
        ("key", "k"),
        ("value", long.as_str()),
    ];
    assert_eq!(
        code_of(&api, "/chatroom/entry/set.json", &long_value).await,
        1002
    );
    let too_many: String = format!(
        "{{{}}}",
        (0..21)
            .map(|i| format!("\"k{i}\":\"v\""))
            .collect::<Vec<_>>()
            .join(",")
    );
    let batch = [
        ("chatroomId", "r"),
        ("entryOwnerId", "admin"),
        ("entryInfo", too_many.as_str()),
    ];
    assert_eq!(
        code_of(&api, "/chatroom/entry/batch/set.json", &batch).await,
        1002
    );
    let missing = codes::CHATROOM_NOT_EXIST as u64;
    let elsewhere = [
        ("chatroomId", "nope"),
        ("userId", "admin"),
        ("key", "k"),
        ("value", "v"),
    ];
    assert_eq!(
        code_of(&api, "/chatroom/entry/set.json", &elsewhere).await,
        missing
    );
    assert_eq!(
        code_of(
            &api,
            "/chatroom/entry/query.json",
            &[("chatroomId", "nope")]
        )
        .await,
        missing
    );
    server.shutdown().await;
}

#[tokio::test]
async fn publish_reaches_the_members_of_each_room() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    let addr = server.gateway_addr();
    api.call(
        "/chatroom/create.json",
        &[("chatroom[r1]", "1"), ("chatroom[r2]", "2")],
    )
    .await;
    let mut alice = RawClient::connect(addr, "alice", "a1").await;
    let mut bob = RawClient::connect(addr, "bob", "b1").await;
    assert_eq!(join(&mut alice, "r1").await.0, 0);
    assert_eq!(join(&mut bob, "r2").await.0, 0);
    let content = r#"{"content":"hello rooms"}"#;
    let answer = api
        .call(
            "/message/chatroom/publish.json",
            &[
                ("fromUserId", "admin"),
                ("toChatroomId", "r1"),
                ("toChatroomId", "r2"),
                ("objectName", "RC:TxtMsg"),
                ("content", content),
            ],
        )
        .await;
    let uids = answer["messageUIDs"].as_array().unwrap();
    assert_eq!(ids(&answer["messageUIDs"], "chatroomId"), ["r1", "r2"]);
    assert_ne!(uids[0]["messageUID"], uids[1]["messageUID"]);
    for (c, room, i) in [(&mut alice, "r1", 0), (&mut bob, "r2", 1)] {
        let got: Vec<_> = room_events(c)
            .await
            .into_iter()
            .filter_map(|e| match e {
                chat_room_event::Body::Message(m) => Some(m),
                _ => None,
            })
            .collect();
        assert_eq!(got.len(), 1, "{room}");
        assert_eq!(
            (got[0].sender_id.as_str(), got[0].to_id.as_str()),
            ("admin", room)
        );
        assert_eq!(got[0].content, content);
        assert_eq!(got[0].uid, uids[i]["messageUID"].as_str().unwrap());
    }
    // A persisted publish is in the ring: a later join gets it.
    let mut carol = RawClient::connect(addr, "carol", "c1").await;
    let (_, joined) = join(&mut carol, "r1").await;
    assert_eq!(joined.messages.len(), 1);
    assert_eq!(joined.messages[0].content, content);
    // Codes.
    let missing = codes::CHATROOM_NOT_EXIST as u64;
    let to_missing = [
        ("fromUserId", "admin"),
        ("toChatroomId", "nope"),
        ("objectName", "RC:TxtMsg"),
        ("content", content),
    ];
    assert_eq!(
        code_of(&api, "/message/chatroom/publish.json", &to_missing).await,
        missing
    );
    let no_content = [
        ("fromUserId", "admin"),
        ("toChatroomId", "r1"),
        ("objectName", "RC:TxtMsg"),
    ];
    assert_eq!(
        code_of(&api, "/message/chatroom/publish.json", &no_content).await,
        1002
    );
    server.shutdown().await;
}
