//! Message expansion over the protocol and the Server API: `UpdateExpansion` and its codes,
//! `ExpansionChange` entries for every participant and device (online or synced later),
//! idempotency by request id, `/message/expansion/{set,delete,query}.json`.

mod common;

use common::*;
use rcim_proto::v1::{
    inbox_entry, request, ExpansionChange, InboxEntry, Platform, UpdateExpansion,
};
use rcim_proto::{codes, conversation_type};
use std::collections::HashMap;

fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn update(
    uid: &str,
    ctype: u32,
    target: &str,
    set: &[(&str, &str)],
    remove: &[&str],
) -> request::Body {
    request::Body::UpdateExpansion(UpdateExpansion {
        uid: uid.into(),
        conversation_type: ctype,
        target_id: target.into(),
        channel_id: String::new(),
        set: map(set),
        remove: remove.iter().map(|k| k.to_string()).collect(),
    })
}

fn change(e: &InboxEntry) -> &ExpansionChange {
    match &e.body {
        Some(inbox_entry::Body::ExpansionChange(c)) => c,
        other => panic!("expected an expansion change, got {other:?}"),
    }
}

/// Sends an expandable message from `from` to `to`; returns its uid.
async fn send_expandable(c: &mut RawClient, id: &str, to: &str, ctype: u32) -> String {
    let mut m = RawClient::text(id, to, "hi");
    m.conversation_type = ctype;
    m.can_expand = true;
    m.expansion = map(&[("k0", "v0")]);
    let seq = c.send(send_body(m)).await;
    let ack = c.wait_ack(seq).await;
    assert_eq!(ack.code, 0);
    ack.uid
}

#[tokio::test]
async fn every_participant_and_device_sees_each_change() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "da").await;
    let mut a_desk = {
        let mut login = Login::new("a", "da-desk");
        login.platform = Platform::Desktop;
        let (c, ack) = RawClient::login(addr, login).await;
        assert_eq!(ack.code, 0);
        c
    };
    let mut b = RawClient::connect(addr, "b", "db").await;
    let uid = send_expandable(&mut a, "m1", "b", conversation_type::PRIVATE).await;
    assert_eq!(
        message(&b.next_push().await).expansion,
        map(&[("k0", "v0")])
    );

    // b (the receiver) updates it; the same request id twice is executed once.
    let id = fresh_request_id();
    for _ in 0..2 {
        let body = update(
            &uid,
            conversation_type::PRIVATE,
            "a",
            &[("k1", "v1")],
            &["k0"],
        );
        assert_eq!(call(&mut b, &id, body).await.code, 0);
    }
    // (b's own push came before its answer, which `call` waited for: b's inbox holds it.)
    let b_entries = b.sync(0, 0).await.entries;
    assert_eq!(b_entries.len(), 2, "one change for two identical requests");
    let mut seen = vec![b_entries[1].clone()];
    for c in [&mut a, &mut a_desk] {
        seen.push(next_event(c).await);
    }
    for e in &seen {
        let ch = change(e);
        assert_eq!(ch.uid, uid);
        assert_eq!(ch.set, map(&[("k1", "v1")]));
        assert_eq!(ch.remove, vec!["k0".to_string()]);
        assert_eq!(ch.expansion, map(&[("k1", "v1")]));
        assert_eq!(
            (ch.operator_id.as_str(), ch.operator_device_id.as_str()),
            ("b", "db")
        );
        assert_eq!((ch.sender_id.as_str(), ch.to_id.as_str()), ("a", "b"));
    }
    // a device that was offline gets the change, once, when it syncs.
    let mut a_web = {
        let mut login = Login::new("a", "da-web");
        login.platform = Platform::Web;
        RawClient::login(addr, login).await.0
    };
    let page = a_web.sync(0, 0).await;
    let kinds: Vec<bool> = page
        .entries
        .iter()
        .map(|e| matches!(e.body, Some(inbox_entry::Body::ExpansionChange(_))))
        .collect();
    assert_eq!(kinds, vec![false, true]);
    assert_eq!(
        message(&page.entries[0]).expansion,
        map(&[("k1", "v1")]),
        "the message as it is now"
    );

    // Codes.
    let cases: Vec<(request::Body, u32)> = vec![
        (
            update("nope", conversation_type::PRIVATE, "a", &[("k", "v")], &[]),
            codes::INVALID_MESSAGE_UID,
        ),
        (
            update(&uid, conversation_type::PRIVATE, "c", &[("k", "v")], &[]),
            codes::INVALID_MESSAGE_UID,
        ),
        (
            update(&uid, conversation_type::PRIVATE, "a", &[], &[]),
            codes::PARAMETER_INVALID,
        ),
        (
            update(&uid, conversation_type::CHATROOM, "a", &[("k", "v")], &[]),
            codes::PARAMETER_INVALID,
        ),
        (
            update(
                &uid,
                conversation_type::PRIVATE,
                "a",
                &[("bad key", "v")],
                &[],
            ),
            codes::EXPANSION_SIZE_LIMIT_EXCEED,
        ),
        (
            update(
                &uid,
                conversation_type::PRIVATE,
                "a",
                &[(&"k".repeat(33), "v")],
                &[],
            ),
            codes::EXPANSION_SIZE_LIMIT_EXCEED,
        ),
        (
            update(
                &uid,
                conversation_type::PRIVATE,
                "a",
                &[("k", &"v".repeat(4097))],
                &[],
            ),
            codes::EXPANSION_SIZE_LIMIT_EXCEED,
        ),
    ];
    for (body, code) in cases {
        assert_eq!(call(&mut b, &fresh_request_id(), body).await.code, code);
    }
    let many: Vec<(String, String)> = (0..21).map(|i| (format!("k{i}"), "v".into())).collect();
    let many: Vec<(&str, &str)> = many.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let body = update(&uid, conversation_type::PRIVATE, "a", &many, &[]);
    assert_eq!(
        call(&mut b, &fresh_request_id(), body).await.code,
        codes::EXPANSION_SIZE_LIMIT_EXCEED
    );
    let plain = b.send_text("p1", "a", "plain").await;
    let body = update(
        &plain.uid,
        conversation_type::PRIVATE,
        "a",
        &[("k", "v")],
        &[],
    );
    assert_eq!(
        call(&mut b, &fresh_request_id(), body).await.code,
        codes::MESSAGE_CANT_EXPAND
    );
    server.shutdown().await;
}

#[tokio::test]
async fn group_members_update_and_non_members_are_refused() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    api.create_group("g", "G", &["a", "b", "c"]).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "da").await;
    let mut c = RawClient::connect(addr, "c", "dc").await;
    let mut d = RawClient::connect(addr, "d", "dd").await;
    let uid = send_expandable(&mut a, "g1", "g", conversation_type::GROUP).await;
    let body = update(&uid, conversation_type::GROUP, "g", &[("k", "v")], &[]);
    assert_eq!(
        call(&mut d, &fresh_request_id(), body.clone()).await.code,
        codes::NOT_IN_GROUP
    );
    assert_eq!(call(&mut c, &fresh_request_id(), body).await.code, 0);
    assert_eq!(change(&next_event(&mut a).await).operator_id, "c");
    assert!(
        d.sync(0, 0).await.entries.is_empty(),
        "a non-member gets nothing"
    );
    // b was offline.
    let mut b = RawClient::connect(addr, "b", "db").await;
    let page = b.sync(0, 0).await;
    assert_eq!(change(&page.entries[1]).set, map(&[("k", "v")]));
    server.shutdown().await;
}

#[tokio::test]
async fn server_api_sets_deletes_and_queries() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "da").await;
    let mut b = RawClient::connect(addr, "b", "db").await;
    // A publish with an initial expansion.
    let body = api
        .call(
            "/message/private/publish.json",
            &[
                ("fromUserId", "a"),
                ("toUserId", "b"),
                ("objectName", "RC:TxtMsg"),
                ("content", r#"{"content":"hi"}"#),
                ("expansion", "true"),
                ("extraContent", r#"{"k0":"v0"}"#),
            ],
        )
        .await;
    let uid = body["messageUID"].as_str().unwrap().to_owned();
    let pushed = b.next_push().await;
    assert!(message(&pushed).can_expand);
    assert_eq!(message(&pushed).expansion, map(&[("k0", "v0")]));

    let set = [
        ("msgUID", uid.as_str()),
        ("userId", "a"),
        ("conversationType", "1"),
        ("targetId", "b"),
        ("extraKeyVal", r#"{"k1":"v1","k2":"v2"}"#),
    ];
    api.call("/message/expansion/set.json", &set).await;
    let e = next_event(&mut b).await;
    let ch = change(&e);
    assert_eq!(ch.set, map(&[("k1", "v1"), ("k2", "v2")]));
    assert_eq!(
        (ch.operator_id.as_str(), ch.operator_device_id.as_str()),
        ("a", "")
    );
    // isSyncSender defaults to 0: the operator's inbox does not get it.
    assert_eq!(a.sync(0, 0).await.entries.len(), 0);

    let del = [
        ("msgUID", uid.as_str()),
        ("userId", "b"),
        ("conversationType", "1"),
        ("targetId", "a"),
        ("extraKey", r#"["k1"]"#),
        ("isSyncSender", "1"),
    ];
    api.call("/message/expansion/delete.json", &del).await;
    assert_eq!(
        change(&next_event(&mut b).await).remove,
        vec!["k1".to_string()]
    );
    assert_eq!(
        change(&next_event(&mut a).await).remove,
        vec!["k1".to_string()]
    );

    let body = api
        .call(
            "/message/expansion/query.json",
            &[("msgUID", uid.as_str()), ("pageNo", "1")],
        )
        .await;
    let content = body["extraContent"].as_object().unwrap();
    let keys: Vec<&String> = content.keys().collect();
    assert_eq!(keys, vec!["k0", "k2"]);
    assert_eq!(content["k2"]["v"], "v2");
    assert!(content["k2"]["ts"].as_i64().unwrap() > 0);
    let body = api
        .call(
            "/message/expansion/query.json",
            &[("msgUID", uid.as_str()), ("pageNo", "2")],
        )
        .await;
    assert!(body["extraContent"].as_object().unwrap().is_empty());

    // Errors keep the client's codes.
    let (_, body) = api
        .call_with(
            "/message/expansion/query.json",
            &[("msgUID", "nope")],
            APP_KEY,
            APP_SECRET,
            "",
        )
        .await;
    assert_eq!(body["code"], codes::INVALID_MESSAGE_UID);
    let mut bad = set;
    bad[4] = ("extraKeyVal", r#"{"bad key":"v"}"#);
    let (_, body) = api
        .call_with("/message/expansion/set.json", &bad, APP_KEY, APP_SECRET, "")
        .await;
    assert_eq!(body["code"], codes::EXPANSION_SIZE_LIMIT_EXCEED);
    bad[4] = ("extraKeyVal", "not json");
    let (status, body) = api
        .call_with("/message/expansion/set.json", &bad, APP_KEY, APP_SECRET, "")
        .await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(1002)));
    server.shutdown().await;
}
