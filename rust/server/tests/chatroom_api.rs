//! The chatroom Server API with RongCloud's parameters and answers: rooms (create,
//! create_new, destroy, get, query), members (user/query, user/exist, users/exist) and
//! moderation lists (gag, block, whitelist), with their codes (1002 bad parameters, 23410
//! unknown room) and what members observe. KV entries and publish: `chatroom_api_kv.rs`.

mod chatroom_api_common;
mod common;

use chatroom_api_common::*;
use common::*;
use rcim_proto::codes;
use rcim_proto::v1::chat_room_event;

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
    assert_eq!(strings(&q["chatRooms"], "chrmId"), ["r1", "r2"]);
    assert_eq!(strings(&q["chatRooms"], "name"), ["Room One", "Two"]);
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
    assert_eq!(strings(&w["users"], ""), ["w1", "w2"]);
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
    // An idle time of a day at most.
    for minutes in ["1441", "-5"] {
        let params = [("chatroomId", "r4"), ("destroyTime", minutes)];
        assert_eq!(
            code_of(&api, "/chatroom/create_new.json", &params).await,
            1002,
            "destroyTime {minutes}"
        );
    }
    assert_eq!(
        code_of(&api, "/chatroom/get.json", &[("chatroomId", "r4")]).await,
        codes::CHATROOM_NOT_EXIST as u64,
        "nothing created"
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
    assert!(strings(&w["users"], "").is_empty());
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
    assert_eq!(strings(&q["users"], "id"), ["bob", "alice"]);
    let q = api
        .call(
            "/chatroom/user/query.json",
            &[("chatroomId", "r"), ("count", "1")],
        )
        .await;
    assert_eq!(strings(&q["users"], "id"), ["alice"]);
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
    assert_eq!(strings(&e["result"], "userId"), ["zed", "alice"]);
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
    assert_eq!(strings(&l["users"], "userId"), ["alice", "carol"]);
    assert_eq!(l["users"][0]["time"].as_str().unwrap().len(), 19);
    api.call(
        "/chatroom/user/gag/rollback.json",
        &[("chatroomId", "r"), ("userId", "carol")],
    )
    .await;
    let l = api
        .call("/chatroom/user/gag/list.json", &[("chatroomId", "r")])
        .await;
    assert_eq!(strings(&l["users"], "userId"), ["alice"]);
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
    assert_eq!(strings(&w["users"], ""), ["b", "d", "e", "f"]);

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
    assert_eq!(strings(&l["users"], "userId"), ["bob"]);
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
