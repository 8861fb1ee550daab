//! The blacklist (R060–R063): a private message to a user who blacklisted the sender is
//! refused with 405 (one-way; groups unaffected); the Server API's private publish honours
//! it only with `verifyBlacklist=1`; `/user/blacklist/add|remove|query.json` change and read
//! the same list, announced to the owner's devices; at most 3000 users (20605).

mod common;
mod settings_common;

use common::*;
use rcim_proto::v1::request;
use rcim_proto::{codes, conversation_type};
use serde_json::{json, Value};
use settings_common::*;
use std::time::Duration;

/// Nothing but pushes of other entries arrives at `c` within a short while: no message.
async fn no_message(c: &mut RawClient) {
    while let Some(f) = c.try_recv(Duration::from_millis(300)).await {
        if let Some(rcim_proto::v1::server_frame::Body::Push(p)) = f.body {
            let e = p.entry.unwrap();
            assert!(
                !matches!(e.body, Some(rcim_proto::v1::inbox_entry::Body::Message(_))),
                "unexpected message {e:?}"
            );
        }
    }
}

async fn query(api: &Api, user: &str) -> Value {
    api.call("/user/blacklist/query.json", &[("userId", user)])
        .await["users"]
        .clone()
}

#[tokio::test]
async fn a_blacklisted_sender_gets_405_one_way() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let api = Api::new(&server);
    let mut a = RawClient::connect(addr, "a", "da").await;
    let mut b = RawClient::connect(addr, "b", "db").await;
    assert_eq!(user_setting(&mut a, blacklist("b", true)).await, 0);

    let refused = b.send_text(&fresh_request_id(), "a", "hello?").await;
    assert_eq!(refused.code, codes::REJECTED_BY_BLACKLIST);
    assert!(refused.uid.is_empty());
    no_message(&mut a).await;
    // One-way: the blocker still writes to the blocked user.
    assert_eq!(
        a.send_text(&fresh_request_id(), "b", "still here")
            .await
            .code,
        0
    );
    assert_eq!(message(&b.next_push().await).sender_id, "a");
    // Group messages are not affected (R063).
    api.create_group("g", "G", &["a", "b"]).await;
    let mut to_group = RawClient::text(&fresh_request_id(), "g", "in the group");
    to_group.conversation_type = conversation_type::GROUP;
    let seq = b.send(send_body(to_group)).await;
    assert_eq!(b.wait_ack(seq).await.code, 0);
    assert_eq!(message(&a.next_push().await).sender_id, "b");
    // A status (online-only) message is refused too.
    let mut status = RawClient::text(&fresh_request_id(), "a", "typing");
    status.status = true;
    status.persisted = false;
    let seq = b.send(send_body(status)).await;
    assert_eq!(b.wait_ack(seq).await.code, codes::REJECTED_BY_BLACKLIST);
    // The blocked user's offline inbox holds nothing from b either.
    assert!(a
        .sync(0, 0)
        .await
        .entries
        .iter()
        .all(|e| !matches!(&e.body, Some(rcim_proto::v1::inbox_entry::Body::Message(m)) if m.sender_id == "b" && m.conversation_type == conversation_type::PRIVATE)));

    // Taken off the list (here through the Server API), b writes again.
    api.call(
        "/user/blacklist/remove.json",
        &[("userId", "a"), ("blackUserId", "b")],
    )
    .await;
    assert_eq!(b.send_text(&fresh_request_id(), "a", "hi").await.code, 0);
    server.shutdown().await;
}

#[tokio::test]
async fn server_api_blacklist_endpoints() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    let mut phone = RawClient::connect(server.gateway_addr(), "a", "phone").await;

    api.call(
        "/user/blacklist/add.json",
        &[("userId", "a"), ("blackUserId", "c"), ("blackUserId", "b")],
    )
    .await;
    assert_eq!(query(&api, "a").await, json!(["b", "c"]));
    assert_eq!(query(&api, "nobody").await, json!([]));
    // The owner's devices hear of each change, from no device, with its version.
    for (version, id) in [(1, "c"), (2, "b")] {
        let e = next_event(&mut phone).await;
        assert_eq!(blacklist_change(&e), (id.to_owned(), true));
        let s = as_user_setting(&e);
        assert_eq!((s.settings_version, s.device_id.as_str()), (version, ""));
    }
    // The client sees the same list.
    assert_eq!(settings_page(&mut phone, 0, 0).await.blacklist, ["b", "c"]);
    // Adding twice and removing what is not there are fine.
    api.call(
        "/user/blacklist/add.json",
        &[("userId", "a"), ("blackUserId", "b")],
    )
    .await;
    api.call(
        "/user/blacklist/remove.json",
        &[("userId", "a"), ("blackUserId", "c"), ("blackUserId", "zz")],
    )
    .await;
    assert_eq!(query(&api, "a").await, json!(["b"]));
    let e = next_event(&mut phone).await;
    assert_eq!(blacklist_change(&e), ("b".to_owned(), true));
    let e = next_event(&mut phone).await;
    assert_eq!(blacklist_change(&e), ("c".to_owned(), false));
    // A client change shows in the query.
    assert_eq!(user_setting(&mut phone, blacklist("d", true)).await, 0);
    assert_eq!(query(&api, "a").await, json!(["b", "d"]));

    // Parameter errors: 1002, nothing changed.
    let many: Vec<String> = (0..21).map(|i| format!("u{i}")).collect();
    let mut too_many: Vec<(&str, &str)> =
        many.iter().map(|u| ("blackUserId", u.as_str())).collect();
    too_many.push(("userId", "a"));
    for params in [
        vec![("blackUserId", "b")],
        vec![("userId", "a")],
        vec![("userId", "a"), ("blackUserId", "a")],
        vec![("userId", "a"), ("blackUserId", "bad id")],
        too_many,
    ] {
        for path in ["/user/blacklist/add.json", "/user/blacklist/remove.json"] {
            let (status, body) = api.call_with(path, &params, APP_KEY, APP_SECRET, "").await;
            assert_eq!(
                (status, body["code"].clone()),
                (400, json!(1002)),
                "{path} {params:?}"
            );
        }
    }
    let (_, body) = api
        .call_with("/user/blacklist/query.json", &[], APP_KEY, APP_SECRET, "")
        .await;
    assert_eq!(body["code"], 1002);
    assert_eq!(query(&api, "a").await, json!(["b", "d"]));
    server.shutdown().await;
}

#[tokio::test]
async fn private_publish_verifies_the_blacklist_only_when_asked() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    let addr = server.gateway_addr();
    api.call(
        "/user/blacklist/add.json",
        &[("userId", "a"), ("blackUserId", "b")],
    )
    .await;
    let mut a = RawClient::connect(addr, "a", "da").await;
    let mut c = RawClient::connect(addr, "c", "dc").await;
    let publish = |verify: Option<&'static str>| {
        let mut p = vec![
            ("fromUserId", "b"),
            ("toUserId", "a"),
            ("toUserId", "c"),
            ("objectName", "RC:TxtMsg"),
            ("content", r#"{"content":"hi"}"#),
        ];
        if let Some(v) = verify {
            p.push(("verifyBlacklist", v));
        }
        p
    };
    // Without verifyBlacklist (or with 0) the blacklist is ignored (R062).
    for verify in [None, Some("0")] {
        let body = api
            .call("/message/private/publish.json", &publish(verify))
            .await;
        assert_eq!(body["messageUIDs"].as_array().unwrap().len(), 2);
        assert_eq!(message(&a.next_push().await).sender_id, "b");
        assert_eq!(message(&c.next_push().await).sender_id, "b");
    }
    // With it, the recipient who blacklisted the sender is filtered out.
    let body = api
        .call("/message/private/publish.json", &publish(Some("1")))
        .await;
    let uids = body["messageUIDs"].as_array().unwrap();
    assert_eq!(uids.len(), 1);
    assert_eq!(uids[0]["userId"], "c");
    assert_eq!(message(&c.next_push().await).sender_id, "b");
    no_message(&mut a).await;
    // Alone, the filtered recipient leaves an empty answer.
    let only_a = [
        ("fromUserId", "b"),
        ("toUserId", "a"),
        ("objectName", "RC:TxtMsg"),
        ("content", r#"{"content":"hi"}"#),
        ("verifyBlacklist", "1"),
    ];
    let body = api.call("/message/private/publish.json", &only_a).await;
    assert_eq!(body["messageUIDs"], json!([]));
    assert!(body.get("messageUID").is_none());
    let body = api
        .call("/statusmessage/private/publish.json", &only_a)
        .await;
    assert_eq!(body["messageUIDs"], json!([]));
    no_message(&mut a).await;
    server.shutdown().await;
}

/// A blacklist holds 3000 users: the 3001st is refused with 20605, from a client and from
/// the Server API, and nothing changes.
#[tokio::test]
async fn the_blacklist_holds_3000_users() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    let ids: Vec<String> = (0..3000).map(|i| format!("u{i:04}")).collect();
    for chunk in ids.chunks(20) {
        let mut params: Vec<(&str, &str)> =
            chunk.iter().map(|u| ("blackUserId", u.as_str())).collect();
        params.push(("userId", "a"));
        api.call("/user/blacklist/add.json", &params).await;
    }
    let mut a = RawClient::connect(server.gateway_addr(), "a", "da").await;
    assert_eq!(user_setting(&mut a, blacklist("extra", true)).await, 20605);
    // Re-adding one already there is no addition.
    assert_eq!(user_setting(&mut a, blacklist("u0000", true)).await, 0);
    let (status, body) = api
        .call_with(
            "/user/blacklist/add.json",
            &[("userId", "a"), ("blackUserId", "extra")],
            APP_KEY,
            APP_SECRET,
            "",
        )
        .await;
    assert_eq!((status, body["code"].clone()), (200, json!(20605)));
    let users = query(&api, "a").await;
    assert_eq!(users.as_array().unwrap().len(), 3000);
    assert!(!users.as_array().unwrap().contains(&json!("extra")));
    let (all, pages) = all_settings(&mut a).await;
    assert_eq!(all.blacklist, ids);
    assert_eq!(pages, 3);
    // Room again after a removal.
    let body = request::Body::UserSetting(rcim_proto::v1::ChangeUserSetting {
        change: Some(blacklist("u0000", false)),
    });
    assert_eq!(call(&mut a, &fresh_request_id(), body).await.code, 0);
    assert_eq!(user_setting(&mut a, blacklist("extra", true)).await, 0);
    server.shutdown().await;
}
