//! Moderation: sensitive words (`/sensitiveword/*`, replaced or blocked client messages), user
//! bans (`/user/block*`, 31009) and group gags (`/group/user/gag/*`, 22408).

mod common;

use common::*;
use rcim_proto::v1::{inbox_entry, server_frame, InboxEntry, MessageBlocked};
use rcim_proto::{codes, conversation_type};
use serde_json::Value;
use std::time::Duration;

/// How long a test waits to be sure a frame does not come.
const QUIET: Duration = Duration::from_millis(400);

/// The next pushed message (other pushes are skipped).
async fn next_message(c: &mut RawClient) -> rcim_proto::v1::Message {
    loop {
        let e = c.next_push().await;
        if let Some(inbox_entry::Body::Message(m)) = e.body {
            return m;
        }
    }
}

/// Asserts that no push arrives for a while.
async fn assert_no_push(c: &mut RawClient, who: &str) {
    while let Some(f) = c.try_recv(QUIET).await {
        if let Some(server_frame::Body::Push(p)) = f.body {
            panic!("{who} got an unexpected push: {p:?}");
        }
    }
}

fn text_of(m: &rcim_proto::v1::Message) -> String {
    let v: Value = serde_json::from_str(&m.content).unwrap();
    v["content"].as_str().unwrap().to_owned()
}

fn blocked_of(e: &InboxEntry) -> Option<&MessageBlocked> {
    match &e.body {
        Some(inbox_entry::Body::MessageBlocked(b)) => Some(b),
        _ => None,
    }
}

async fn api_code(api: &Api, path: &str, params: &[(&str, &str)]) -> i64 {
    let (_, body) = api.call_with(path, params, APP_KEY, APP_SECRET, "").await;
    body["code"].as_i64().unwrap()
}

#[tokio::test]
async fn sensitive_words_are_managed_and_capped() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = rcim_server::start(rcim_server::ServerConfig {
        sensitive_word_limit: 3,
        ..config(dir.path())
    })
    .await
    .unwrap();
    let api = Api::new(&server);
    api.call("/sensitiveword/add.json", &[("word", "bad")])
        .await;
    api.call(
        "/sensitiveword/add.json",
        &[("word", "坏蛋"), ("replaceWord", "**")],
    )
    .await;
    api.call(
        "/sensitiveword/add.json",
        &[("word", "ugly"), ("replaceWord", "u**y")],
    )
    .await;
    // The limit counts words: a fourth is refused, an existing one may change.
    assert_eq!(
        api_code(&api, "/sensitiveword/add.json", &[("word", "more")]).await,
        1016
    );
    api.call(
        "/sensitiveword/add.json",
        &[("word", "BAD"), ("replaceWord", "***")],
    )
    .await;
    let list = |t: &'static str| {
        let api = &api;
        async move {
            let body = api.call("/sensitiveword/list.json", &[("type", t)]).await;
            let mut words: Vec<(String, String, String)> = body["words"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| {
                    (
                        w["type"].as_str().unwrap().to_owned(),
                        w["word"].as_str().unwrap().to_owned(),
                        w["replaceWord"].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
            words.sort();
            words
        }
    };
    let all = list("2").await;
    assert_eq!(
        all,
        [
            ("0".into(), "bad".into(), "***".into()),
            ("0".into(), "ugly".into(), "u**y".into()),
            ("0".into(), "坏蛋".into(), "**".into()),
        ]
    );
    assert!(list("1").await.is_empty());
    assert_eq!(
        api_code(&api, "/sensitiveword/add.json", &[("word", "spam")]).await,
        1016,
        "still three words"
    );
    api.call("/sensitiveword/delete.json", &[("word", "UGLY")])
        .await;
    api.call("/sensitiveword/add.json", &[("word", "spam")])
        .await;
    assert_eq!(
        list("1").await,
        [("1".into(), "spam".into(), String::new())]
    );
    assert_eq!(list("0").await.len(), 2);
    api.call(
        "/sensitiveword/batch/delete.json",
        &[("words", "spam"), ("words", "坏蛋"), ("words", "unknown")],
    )
    .await;
    assert_eq!(list("2").await, [("0".into(), "bad".into(), "***".into())]);

    // Parameter errors.
    let long = "x".repeat(33);
    let fifty_one: Vec<String> = (0..51).map(|i| format!("w{i}")).collect();
    let too_many: Vec<(&str, &str)> = fifty_one.iter().map(|w| ("words", w.as_str())).collect();
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, i64);
    let cases: Vec<Case> = vec![
        ("/sensitiveword/add.json", vec![], 1002),
        ("/sensitiveword/add.json", vec![("word", &long)], 1005),
        (
            "/sensitiveword/add.json",
            vec![("word", "w"), ("replaceWord", &long)],
            1005,
        ),
        ("/sensitiveword/delete.json", vec![], 1002),
        ("/sensitiveword/batch/delete.json", vec![], 1002),
        ("/sensitiveword/batch/delete.json", too_many, 1002),
        ("/sensitiveword/list.json", vec![("type", "3")], 1002),
    ];
    for (path, params, code) in cases {
        assert_eq!(
            api_code(&api, path, &params).await,
            code,
            "{path} {params:?}"
        );
    }
    server.shutdown().await;
}

#[tokio::test]
async fn replaced_words_reach_everyone_replaced_and_blocked_messages_reach_nobody() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let api = Api::new(&server);
    api.call(
        "/sensitiveword/add.json",
        &[("word", "darn"), ("replaceWord", "d**n")],
    )
    .await;
    api.call(
        "/sensitiveword/add.json",
        &[("word", "坏蛋"), ("replaceWord", "**")],
    )
    .await;
    api.call("/sensitiveword/add.json", &[("word", "forbidden")])
        .await;
    api.create_group("g", "G", &["alice", "bob"]).await;
    let mut alice = RawClient::connect(addr, "alice", "a1").await;
    let mut alice2 = RawClient::connect_web(addr, "alice", "a2").await;
    let mut bob = RawClient::connect(addr, "bob", "b1").await;

    // Replaced: the recipient and the sender's other device get the replaced text (and push
    // text).
    let mut replaced = RawClient::text("r1", "bob", "DARN it, 你是坏蛋");
    replaced.push_content = "alice: DARN it".into();
    let ack = alice.send_and_ack(replaced).await;
    assert_eq!(ack.code, 0);
    for c in [&mut bob, &mut alice2] {
        let m = next_message(c).await;
        assert_eq!(
            (m.uid.as_str(), text_of(&m).as_str()),
            (ack.uid.as_str(), "d**n it, 你是**")
        );
        assert_eq!(m.push_content, "alice: d**n it");
    }
    // Blocked (private): answered like a stored send, delivered to nobody.
    let blocked = alice.send_text("b1", "bob", "this is Forbidden talk").await;
    assert_eq!(blocked.code, 0);
    assert!(!blocked.uid.is_empty() && blocked.sent_time > 0);
    let e = alice2.next_push().await;
    let b = blocked_of(&e).expect("MessageBlocked on the sender's other device");
    assert_eq!(
        (
            b.conversation_type,
            b.target_id.as_str(),
            b.uid.as_str(),
            b.block_type,
            b.sent_time
        ),
        (
            conversation_type::PRIVATE,
            "bob",
            blocked.uid.as_str(),
            2,
            blocked.sent_time
        )
    );
    // A resend of the blocked message gets the same answer and appends nothing.
    let again = alice.send_text("b1", "bob", "this is Forbidden talk").await;
    assert_eq!(
        (again.uid, again.sent_time),
        (blocked.uid.clone(), blocked.sent_time)
    );
    // Blocked (group).
    let gblocked = alice
        .send_and_ack(RawClient::group_text("b2", "g", "forbidden in a group"))
        .await;
    assert_eq!(gblocked.code, 0);
    assert_no_push(&mut bob, "bob").await;

    // Nothing of it in bob's inbox or in the history; alice's inbox has the two entries.
    let page = bob.sync(0, 0).await;
    let texts: Vec<String> = page.entries.iter().map(|e| text_of(message(e))).collect();
    assert_eq!(texts, ["d**n it, 你是**"]);
    let (code, h) = history(&mut bob, conversation_type::PRIVATE, "alice", 0, 0, 20).await;
    assert_eq!(code, 0);
    assert_eq!(h.messages.len(), 1);
    assert_eq!(text_of(&h.messages[0]), "d**n it, 你是**");
    let (_, gh) = history(&mut bob, conversation_type::GROUP, "g", 0, 0, 20).await;
    assert!(gh.messages.is_empty(), "{gh:?}");
    let own = alice.sync(0, 0).await;
    let blocked_uids: Vec<&str> = own
        .entries
        .iter()
        .filter_map(blocked_of)
        .map(|b| b.uid.as_str())
        .collect();
    assert_eq!(blocked_uids, [blocked.uid.as_str(), gblocked.uid.as_str()]);

    // Other object names pass untouched; Server API publishes are not screened.
    let mut custom = RawClient::text("c1", "bob", "forbidden");
    custom.object_name = "App:Note".into();
    custom.custom = true;
    assert_eq!(alice.send_and_ack(custom).await.code, 0);
    assert_eq!(text_of(&next_message(&mut bob).await), "forbidden");
    server.shutdown().await;
}

#[tokio::test]
async fn configured_object_names_are_screened() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = rcim_server::start(rcim_server::ServerConfig {
        sensitive_word_object_names: vec!["App:Note".into()],
        ..config(dir.path())
    })
    .await
    .unwrap();
    let api = Api::new(&server);
    api.call(
        "/sensitiveword/add.json",
        &[("word", "darn"), ("replaceWord", "d**n")],
    )
    .await;
    let addr = server.gateway_addr();
    let mut alice = RawClient::connect(addr, "alice", "a1").await;
    let mut bob = RawClient::connect(addr, "bob", "b1").await;
    let mut note = RawClient::text("n1", "bob", "");
    note.object_name = "App:Note".into();
    note.custom = true;
    note.content = r#"{"title":"darn","body":"Darn!","n":1}"#.into();
    assert_eq!(alice.send_and_ack(note).await.code, 0);
    let m = next_message(&mut bob).await;
    let v: Value = serde_json::from_str(&m.content).unwrap();
    assert_eq!(
        (v["title"].as_str(), v["body"].as_str()),
        (Some("d**n"), Some("d**n!"))
    );
    server.shutdown().await;
}

#[tokio::test]
async fn banned_users_are_kicked_and_cannot_connect_until_unblocked() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let api = Api::new(&server);
    let mut bob = RawClient::connect(addr, "bob", "b1").await;
    let mut bob_web = RawClient::connect_web(addr, "bob", "b2").await;
    let mut carol = RawClient::connect(addr, "carol", "c1").await;
    api.call("/user/block.json", &[("userId", "bob"), ("minute", "10")])
        .await;
    for c in [&mut bob, &mut bob_web] {
        let f = c.recv().await.expect("a Kicked frame");
        match f.body {
            Some(server_frame::Body::Kicked(k)) => assert_eq!(k.code, codes::CONN_USER_BLOCKED),
            other => panic!("expected Kicked, got {other:?}"),
        }
        c.expect_closed().await;
    }
    let (_, ack) = RawClient::login(addr, Login::new("bob", "b1")).await;
    assert_eq!(ack.code, codes::CONN_USER_BLOCKED);
    // Others are untouched.
    assert_eq!(carol.send_text("m1", "bob", "hi").await.code, 0);

    let q = api.call("/user/block/query.json", &[]).await;
    let users = q["users"].as_array().unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0]["userId"], "bob");
    let end = users[0]["blockEndTime"].as_str().unwrap();
    assert_eq!(end.len(), 19, "{end}");
    assert_eq!((&end[4..5], &end[10..11], &end[13..14]), ("-", " ", ":"));

    api.call("/user/unblock.json", &[("userId", "bob")]).await;
    let q = api.call("/user/block/query.json", &[]).await;
    assert!(q["users"].as_array().unwrap().is_empty());
    RawClient::connect(addr, "bob", "b1").await;

    let ids: Vec<String> = (0..21).map(|i| format!("u{i}")).collect();
    let mut many: Vec<(&str, &str)> = ids.iter().map(|u| ("userId", u.as_str())).collect();
    many.push(("minute", "5"));
    let cases: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("/user/block.json", vec![("userId", "bob")]),
        ("/user/block.json", vec![("userId", "bob"), ("minute", "0")]),
        (
            "/user/block.json",
            vec![("userId", "bob"), ("minute", "43201")],
        ),
        ("/user/block.json", vec![("minute", "5")]),
        ("/user/block.json", many),
        ("/user/unblock.json", vec![]),
    ];
    for (path, params) in cases {
        assert_eq!(
            api_code(&api, path, &params).await,
            1002,
            "{path} {params:?}"
        );
    }
    api.call(
        "/user/block.json",
        &[("userId", "bob"), ("minute", "43200")],
    )
    .await;
    server.shutdown().await;
}

#[tokio::test]
async fn gagged_members_cannot_send_to_the_group() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let api = Api::new(&server);
    api.create_group("g", "G", &["a", "b", "c"]).await;
    api.create_group("h", "H", &["a", "b"]).await;
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let mut b = RawClient::connect(addr, "b", "b1").await;
    api.call(
        "/group/user/gag/add.json",
        &[
            ("userId", "b"),
            ("userId", "c"),
            ("groupId", "g"),
            ("minute", "30"),
        ],
    )
    .await;
    api.call(
        "/group/user/gag/add.json",
        &[("userId", "a"), ("groupId", "h"), ("minute", "0")],
    )
    .await;
    assert_eq!(
        b.send_and_ack(RawClient::group_text("g1", "g", "hi"))
            .await
            .code,
        22408
    );
    assert_eq!(
        b.send_and_ack(RawClient::group_text("g2", "h", "hi"))
            .await
            .code,
        0
    );
    assert_eq!(
        a.send_and_ack(RawClient::group_text("g3", "g", "hi"))
            .await
            .code,
        0
    );
    assert_eq!(
        a.send_and_ack(RawClient::group_text("g4", "h", "hi"))
            .await
            .code,
        22408
    );
    // Private sends and Server API publishes are not gagged.
    assert_eq!(b.send_text("p1", "a", "hi").await.code, 0);
    api.call(
        "/message/group/publish.json",
        &[
            ("fromUserId", "b"),
            ("toGroupId", "g"),
            ("objectName", "RC:TxtMsg"),
            ("content", r#"{"content":"api"}"#),
        ],
    )
    .await;

    let list = api
        .call("/group/user/gag/list.json", &[("groupId", "g")])
        .await;
    let users: Vec<&str> = list["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userId"].as_str().unwrap())
        .collect();
    assert_eq!(users, ["b", "c"]);
    assert_eq!(list["users"][0]["time"].as_str().unwrap().len(), 19);
    let list = api
        .call("/group/user/gag/list.json", &[("groupId", "h")])
        .await;
    assert_eq!(list["users"][0]["time"], "9999-12-31 23:59:59");

    api.call(
        "/group/user/gag/rollback.json",
        &[("userId", "b"), ("groupId", "g")],
    )
    .await;
    assert_eq!(
        b.send_and_ack(RawClient::group_text("g5", "g", "back"))
            .await
            .code,
        0
    );
    let list = api
        .call("/group/user/gag/list.json", &[("groupId", "g")])
        .await;
    assert_eq!(list["users"].as_array().unwrap().len(), 1);

    let cases: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "/group/user/gag/add.json",
            vec![("userId", "b"), ("minute", "5")],
        ),
        (
            "/group/user/gag/add.json",
            vec![("userId", "b"), ("groupId", "g")],
        ),
        (
            "/group/user/gag/add.json",
            vec![("userId", "b"), ("groupId", "g"), ("minute", "43201")],
        ),
        (
            "/group/user/gag/add.json",
            vec![("userId", "b"), ("groupId", "g"), ("minute", "-1")],
        ),
        ("/group/user/gag/rollback.json", vec![("groupId", "g")]),
        ("/group/user/gag/list.json", vec![]),
    ];
    for (path, params) in cases {
        assert_eq!(
            api_code(&api, path, &params).await,
            1002,
            "{path} {params:?}"
        );
    }
    server.shutdown().await;
}

/// Status (online-only) messages get the filter and the gag check of stored ones: a blocked
/// one reaches nobody (answered like a delivered one), a replaced one arrives replaced, a
/// gagged member's is refused with 22408.
#[tokio::test]
async fn status_messages_are_screened_and_gagged() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let api = Api::new(&server);
    api.call(
        "/sensitiveword/add.json",
        &[("word", "darn"), ("replaceWord", "d**n")],
    )
    .await;
    api.call("/sensitiveword/add.json", &[("word", "forbidden")])
        .await;
    api.create_group("g", "G", &["a", "b", "c"]).await;
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let mut b = RawClient::connect(addr, "b", "b1").await;
    let mut c = RawClient::connect(addr, "c", "c1").await;
    let status = |id: &str, text: &str| {
        let mut m = RawClient::group_text(id, "g", text);
        m.status = true;
        m.persisted = false;
        m.counted = false;
        m
    };

    let ack = a.send_and_ack(status("s1", "a forbidden word")).await;
    assert_eq!(ack.code, 0);
    assert!(!ack.uid.is_empty());
    assert_no_push(&mut b, "b (blocked status message)").await;
    assert_no_push(&mut c, "c (blocked status message)").await;
    assert!(
        a.sync(0, 0).await.entries.is_empty(),
        "a status message leaves nothing in the sender's inbox"
    );

    assert_eq!(a.send_and_ack(status("s2", "darn")).await.code, 0);
    for who in [&mut b, &mut c] {
        let m = next_message(who).await;
        assert!(m.status);
        assert_eq!(text_of(&m), "d**n");
    }

    api.call(
        "/group/user/gag/add.json",
        &[("userId", "c"), ("groupId", "g"), ("minute", "30")],
    )
    .await;
    assert_eq!(c.send_and_ack(status("s3", "hi")).await.code, 22408);
    assert_no_push(&mut b, "b (gagged sender's status message)").await;
    server.shutdown().await;
}
