//! The chatroom Server API's KV entries (entry/set, batch/set, remove, query) and
//! `/message/chatroom/publish.json`, with their codes and what members observe.

mod chatroom_api_common;
mod common;

use chatroom_api_common::*;
use common::*;
use rcim_proto::codes;
use rcim_proto::v1::chat_room_event;

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
    assert_eq!(strings(&q["keys"], "key"), ["k", "y"]);
    assert_eq!(strings(&q["keys"], "value"), ["v2", "2"]);
    assert_eq!(strings(&q["keys"], "userID"), ["other", "admin"]);
    assert_eq!(strings(&q["keys"], "autoDelete"), ["1", "0"]);
    assert!(
        strings(&q["keys"], "lastSetTime")[0]
            .parse::<i64>()
            .unwrap()
            > 0
    );
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
    assert_eq!(strings(&answer["messageUIDs"], "chatroomId"), ["r1", "r2"]);
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
