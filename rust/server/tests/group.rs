//! Groups: the `/group/*` Server API, `/message/group/publish.json`, and group sends through
//! the gateway (membership check, fan-out to every member's inbox).

mod common;

use common::*;
use rcim_proto::conversation_type;
use std::time::{Duration, Instant};

fn members(body: &serde_json::Value) -> Vec<String> {
    body["users"]
        .as_array()
        .expect("users")
        .iter()
        .map(|u| u["id"].as_str().expect("id").to_owned())
        .collect()
}

async fn send_group(c: &mut RawClient, client_msg_id: &str, group: &str, text: &str) -> u32 {
    let seq = c
        .send(send_body(RawClient::group_text(client_msg_id, group, text)))
        .await;
    c.wait_ack(seq).await.code
}

#[tokio::test]
async fn create_join_quit_dismiss_and_query() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);

    let body = api
        .call(
            "/group/create.json",
            &[
                ("userId", "a"),
                ("userId", "b"),
                ("groupId", "g1"),
                ("groupName", "Group One"),
            ],
        )
        .await;
    assert_eq!(body["memberCount"], 2);
    let q = api
        .call("/group/user/query.json", &[("groupId", "g1")])
        .await;
    assert_eq!(members(&q), ["a", "b"]);

    let body = api
        .call(
            "/group/join.json",
            &[
                ("userId", "c"),
                ("userId", "a"),
                ("groupId", "g1"),
                ("groupName", "Group One"),
            ],
        )
        .await;
    assert_eq!(body["memberCount"], 3);
    let mut got = members(
        &api.call("/group/user/query.json", &[("groupId", "g1")])
            .await,
    );
    got.sort();
    assert_eq!(got, ["a", "b", "c"]);

    let body = api
        .call("/group/quit.json", &[("userId", "b"), ("groupId", "g1")])
        .await;
    assert_eq!(body["memberCount"], 2);
    let mut got = members(
        &api.call("/group/user/query.json", &[("groupId", "g1")])
            .await,
    );
    got.sort();
    assert_eq!(got, ["a", "c"]);

    api.call("/group/dismiss.json", &[("userId", "a"), ("groupId", "g1")])
        .await;
    let q = api
        .call("/group/user/query.json", &[("groupId", "g1")])
        .await;
    assert!(members(&q).is_empty());

    // Parameter errors: 1002 for missing / invalid, 1005 for a long name.
    type Case = (&'static str, Vec<(&'static str, String)>, i64);
    let cases: Vec<Case> = vec![
        (
            "/group/create.json",
            vec![("groupId", "g".into()), ("groupName", "n".into())],
            1002,
        ),
        (
            "/group/create.json",
            vec![("userId", "a".into()), ("groupName", "n".into())],
            1002,
        ),
        (
            "/group/create.json",
            vec![("userId", "a".into()), ("groupId", "g".into())],
            1002,
        ),
        (
            "/group/create.json",
            vec![
                ("userId", "a".into()),
                ("groupId", "x".repeat(65)),
                ("groupName", "n".into()),
            ],
            1002,
        ),
        (
            "/group/create.json",
            vec![
                ("userId", "a".into()),
                ("groupId", "g".into()),
                ("groupName", "n".repeat(256)),
            ],
            1005,
        ),
        ("/group/quit.json", vec![("groupId", "g".into())], 1002),
        ("/group/dismiss.json", vec![("groupId", "g".into())], 1002),
        ("/group/user/query.json", vec![], 1002),
        (
            "/message/group/publish.json",
            vec![
                ("fromUserId", "a".into()),
                ("objectName", "RC:TxtMsg".into()),
                ("content", "{}".into()),
            ],
            1002,
        ),
        (
            "/message/group/publish.json",
            vec![
                ("fromUserId", "a".into()),
                ("toGroupId", "g1".into()),
                ("toGroupId", "g2".into()),
                ("toGroupId", "g3".into()),
                ("toGroupId", "g4".into()),
                ("objectName", "RC:TxtMsg".into()),
                ("content", "{}".into()),
            ],
            1002,
        ),
        (
            "/message/group/publish.json",
            vec![
                ("fromUserId", "a".into()),
                ("toGroupId", "g1".into()),
                ("toGroupId", "g2".into()),
                ("toUserId", "b".into()),
                ("objectName", "RC:TxtMsg".into()),
                ("content", "{}".into()),
            ],
            1002,
        ),
    ];
    for (path, params, code) in cases {
        let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = api.call_with(path, &params, APP_KEY, APP_SECRET, "").await;
        assert_eq!(body["code"], code, "{path} {params:?}: {body}");
        assert_eq!(status, 400, "{path} {params:?}");
    }

    // join: at most 1000 users per call.
    let many: Vec<String> = (0..1001).map(|i| format!("u{i}")).collect();
    let mut params: Vec<(&str, &str)> = many.iter().map(|u| ("userId", u.as_str())).collect();
    params.push(("groupId", "big"));
    params.push(("groupName", "big"));
    let (_, body) = api
        .call_with("/group/join.json", &params, APP_KEY, APP_SECRET, "")
        .await;
    assert_eq!(body["code"], 1002, "{body}");
    server.shutdown().await;
}

#[tokio::test]
async fn a_group_holds_at_most_3000_members() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    for batch in 0..3 {
        let ids: Vec<String> = (0..1000).map(|i| format!("u{batch}-{i}")).collect();
        let mut params: Vec<(&str, &str)> = ids.iter().map(|u| ("userId", u.as_str())).collect();
        params.push(("groupId", "big"));
        params.push(("groupName", "big"));
        let body = api.call("/group/join.json", &params).await;
        assert_eq!(body["memberCount"], (batch + 1) * 1000);
    }
    let (_, body) = api
        .call_with(
            "/group/join.json",
            &[
                ("userId", "one-more"),
                ("groupId", "big"),
                ("groupName", "big"),
            ],
            APP_KEY,
            APP_SECRET,
            "",
        )
        .await;
    assert_eq!(body["code"], 1002, "{body}");
    let q = api
        .call("/group/user/query.json", &[("groupId", "big")])
        .await;
    assert_eq!(members(&q).len(), 3000);
    server.shutdown().await;
}

#[tokio::test]
async fn members_send_and_non_members_get_22406() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    api.create_group("g", "G", &["a", "b", "c"]).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a-phone").await;
    let mut b = RawClient::connect(addr, "b", "b-phone").await;
    let mut d = RawClient::connect(addr, "d", "d-phone").await;

    assert_eq!(send_group(&mut d, "d1", "g", "let me in").await, 22406);
    assert_eq!(send_group(&mut a, "a1", "g", "hello group").await, 0);
    // A resend is deduped: the same ack, no second delivery.
    let seq = a
        .send(send_body(RawClient::group_text("a1", "g", "hello group")))
        .await;
    assert_eq!(a.wait_ack(seq).await.code, 0);

    let e = b.next_push().await;
    assert_eq!(e.seq, 1);
    let m = message(&e);
    assert_eq!(m.conversation_type, conversation_type::GROUP);
    assert_eq!(m.to_id, "g");
    assert_eq!(m.sender_id, "a");
    assert!(b.try_recv(Duration::from_millis(300)).await.is_none());

    // The sender's own inbox holds it too; c (offline) gets it on sync.
    let pkg = a.sync(0, 200).await;
    assert_eq!(pkg.entries.len(), 1);
    assert_eq!(message(&pkg.entries[0]).client_msg_id, "a1");
    let mut c = RawClient::connect(addr, "c", "c-phone").await;
    let pkg = c.sync(0, 200).await;
    assert_eq!(pkg.entries.len(), 1);
    assert_eq!(message(&pkg.entries[0]).uid, m.uid);
    // d's refused send left nothing anywhere.
    assert!(d.sync(0, 200).await.entries.is_empty());

    // After quitting, a member is refused too.
    api.call("/group/quit.json", &[("userId", "b"), ("groupId", "g")])
        .await;
    assert_eq!(send_group(&mut b, "b1", "g", "bye").await, 22406);
    server.shutdown().await;
}

#[tokio::test]
async fn publish_reaches_online_and_offline_members_and_directed_only_targets() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    api.create_group("g", "G", &["a", "b", "c"]).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a-phone").await;

    let body = api
        .call(
            "/message/group/publish.json",
            &[
                ("fromUserId", "system"),
                ("toGroupId", "g"),
                ("objectName", "RC:TxtMsg"),
                ("content", r#"{"content":"to all"}"#),
                ("pushContent", "hi"),
            ],
        )
        .await;
    let uid = body["messageUID"].as_str().expect("messageUID").to_owned();
    assert_eq!(body["messageUIDs"][0]["groupId"], "g");
    let e = a.next_push().await;
    let m = message(&e);
    assert_eq!(m.uid, uid);
    assert_eq!((m.to_id.as_str(), m.sender_id.as_str()), ("g", "system"));
    assert_eq!(m.conversation_type, conversation_type::GROUP);
    assert_eq!(m.push_content, "hi");

    // Directed: only c.
    let body = api
        .call(
            "/message/group/publish.json",
            &[
                ("fromUserId", "system"),
                ("toGroupId", "g"),
                ("toUserId", "c"),
                ("toUserId", "not-a-member"),
                ("objectName", "RC:TxtMsg"),
                ("content", r#"{"content":"only c"}"#),
            ],
        )
        .await;
    let directed_uid = body["messageUID"].as_str().unwrap().to_owned();
    assert!(a.try_recv(Duration::from_millis(300)).await.is_none());

    let mut b = RawClient::connect(addr, "b", "b-phone").await;
    let pkg = b.sync(0, 200).await;
    let uids: Vec<_> = pkg.entries.iter().map(|e| message(e).uid.clone()).collect();
    assert_eq!(uids, std::slice::from_ref(&uid));
    let mut c = RawClient::connect(addr, "c", "c-phone").await;
    let pkg = c.sync(0, 200).await;
    let uids: Vec<_> = pkg.entries.iter().map(|e| message(e).uid.clone()).collect();
    assert_eq!(uids, [uid, directed_uid]);
    let mut x = RawClient::connect(addr, "not-a-member", "x-phone").await;
    assert!(x.sync(0, 200).await.entries.is_empty());
    // The publisher is not a member and isIncludeSender was off.
    let mut s = RawClient::connect(addr, "system", "s-phone").await;
    assert!(s.sync(0, 200).await.entries.is_empty());
    server.shutdown().await;
}

/// A send to a 3000-member group: one writer batch, every inbox gets it. Prints the time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fan_out_to_3000_members() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    for batch in 0..3 {
        let ids: Vec<String> = (0..1000)
            .map(|i| format!("m{}", batch * 1000 + i))
            .collect();
        let mut params: Vec<(&str, &str)> = ids.iter().map(|u| ("userId", u.as_str())).collect();
        params.push(("groupId", "big"));
        params.push(("groupName", "big"));
        api.call("/group/join.json", &params).await;
    }
    let addr = server.gateway_addr();
    let mut sender = RawClient::connect(addr, "m0", "phone").await;
    let mut last = RawClient::connect(addr, "m2999", "phone").await;
    let mut times = Vec::new();
    for n in 0..5 {
        let started = Instant::now();
        assert_eq!(
            send_group(&mut sender, &format!("big-{n}"), "big", "hello all").await,
            0
        );
        times.push(started.elapsed());
        let e = last.next_push().await;
        assert_eq!(e.seq, n + 1);
    }
    println!("group fan-out to 3000 members, send→ack: {times:?}");
    let mut mid = RawClient::connect(addr, "m1500", "phone").await;
    assert_eq!(mid.sync(0, 200).await.entries.len(), 5);
    server.shutdown().await;
}
