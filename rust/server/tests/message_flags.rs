//! The `status` flag (online-only messages: pushed to the devices online now with sequence 0,
//! never in an inbox, never synced) and the `custom` flag (stored with the message, forwarded
//! on push and sync), from client sends and from the Server API.

mod common;

use common::*;
use rcim_proto::conversation_type;
use rcim_proto::v1::{InboxEntry, Message, Platform};
use std::time::Duration;

/// A status (online-only) message from a client.
fn status(client_msg_id: &str, ctype: u32, to: &str, text: &str) -> Outgoing {
    let mut o = RawClient::text(client_msg_id, to, text);
    o.msg.conversation_type = ctype;
    o.msg.object_name = "App:Typing".into();
    o.msg.status = true;
    o.msg.persisted = false;
    o.msg.counted = false;
    o
}

/// A second (desktop) device of `user`: it does not kick the mobile one.
async fn desktop(addr: std::net::SocketAddr, user: &str) -> RawClient {
    let login = Login {
        platform: Platform::Desktop,
        ..Login::new(user, "desktop")
    };
    let (c, ack) = RawClient::login(addr, login).await;
    assert_eq!(ack.code, 0);
    c
}

/// Every entry of the inbox, through sync.
async fn synced(c: &mut RawClient) -> Vec<InboxEntry> {
    c.sync(0, 0).await.entries
}

/// Asserts that no push arrives within a short while.
async fn no_push(c: &mut RawClient) {
    while let Some(f) = c.try_recv(Duration::from_millis(300)).await {
        if let Some(rcim_proto::v1::server_frame::Body::Push(p)) = f.body {
            panic!("unexpected push {p:?}");
        }
    }
}

fn assert_online_only(e: &InboxEntry) -> &Message {
    assert_eq!(e.seq, 0, "online-only entries have no inbox sequence");
    let m = message(e);
    assert!(m.status && !m.persisted && !m.counted, "{m:?}");
    m
}

#[tokio::test]
async fn status_messages_reach_only_devices_online_now() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let mut b = RawClient::connect(addr, "b", "b1").await;

    let seq = a
        .send(send_body(status(
            "s1",
            conversation_type::PRIVATE,
            "b",
            "typing",
        )))
        .await;
    let ack = a.wait_ack(seq).await;
    assert_eq!(ack.code, 0);
    assert!(!ack.uid.is_empty() && ack.sent_time > 0);
    let got = b.next_push().await;
    let m = assert_online_only(&got);
    assert_eq!(
        (m.uid.as_str(), m.sender_id.as_str(), m.object_name.as_str()),
        (ack.uid.as_str(), "a", "App:Typing")
    );
    no_push(&mut a).await;

    // Nobody's inbox has it: not the receiver's, not the sender's, not a device that comes later.
    assert!(synced(&mut b).await.is_empty());
    assert!(synced(&mut a).await.is_empty());
    let mut b2 = desktop(addr, "b").await;
    assert!(synced(&mut b2).await.is_empty());

    // The inbox sequence is untouched: the next stored message is entry 1.
    let ack = a.send_text("t1", "b", "hello").await;
    assert_eq!(ack.code, 0);
    let e = b.next_push().await;
    assert_eq!(e.seq, 1);
    assert!(!message(&e).status);
    server.shutdown().await;
}

#[tokio::test]
async fn group_status_messages_reach_online_members() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    api.create_group("g", "G", &["a", "b", "c"]).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let mut b = RawClient::connect(addr, "b", "b1").await;
    let seq = a
        .send(send_body(status(
            "gs1",
            conversation_type::GROUP,
            "g",
            "typing",
        )))
        .await;
    assert_eq!(a.wait_ack(seq).await.code, 0);
    let m = assert_online_only(&b.next_push().await).clone();
    assert_eq!(m.to_id, "g");
    no_push(&mut a).await;
    let mut c = RawClient::connect(addr, "c", "c1").await;
    assert!(synced(&mut c).await.is_empty(), "c was offline");

    let mut d = RawClient::connect(addr, "d", "d1").await;
    let seq = d
        .send(send_body(status("gs2", conversation_type::GROUP, "g", "x")))
        .await;
    assert_eq!(d.wait_ack(seq).await.code, 22406, "not a member");
    no_push(&mut b).await;
    server.shutdown().await;
}

#[tokio::test]
async fn custom_flag_travels_on_push_and_sync() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let mut b = RawClient::connect(addr, "b", "b1").await;
    let mut card = RawClient::text("c1", "b", "");
    card.msg.object_name = "App:Card".into();
    card.msg.content = r#"{"title":"hi"}"#.into();
    card.msg.custom = true;
    let seq = a.send(send_body(card)).await;
    assert_eq!(a.wait_ack(seq).await.code, 0);
    let pushed = b.next_push().await;
    assert!(message(&pushed).custom);
    assert_eq!(message(&pushed).object_name, "App:Card");
    assert_eq!(b.send_text("t1", "a", "plain").await.code, 0);

    let mut b2 = desktop(addr, "b").await;
    let entries = synced(&mut b2).await;
    let flags: Vec<bool> = entries.iter().map(|e| message(e).custom).collect();
    assert_eq!(flags, vec![true, false]);
    // Kept across a restart.
    drop((a, b, b2));
    server.shutdown().await;
    let server = start(dir.path()).await;
    let mut a = RawClient::connect(server.gateway_addr(), "a", "a1").await;
    let flags: Vec<bool> = synced(&mut a)
        .await
        .iter()
        .map(|e| message(e).custom)
        .collect();
    assert_eq!(flags, vec![true, false]);
    server.shutdown().await;
}

#[tokio::test]
async fn server_api_status_messages() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    let addr = server.gateway_addr();
    let mut b = RawClient::connect(addr, "b", "b1").await;
    let body = api
        .call(
            "/statusmessage/private/publish.json",
            &[
                ("fromUserId", "admin"),
                ("toUserId", "b"),
                ("toUserId", "c"),
                ("objectName", "App:Status"),
                ("content", r#"{"s":"1"}"#),
                ("isPersisted", "1"),
            ],
        )
        .await;
    assert_eq!(body["messageUIDs"].as_array().map(Vec::len), Some(2));
    let m = assert_online_only(&b.next_push().await).clone();
    assert_eq!(
        (m.sender_id.as_str(), m.content.as_str()),
        ("admin", r#"{"s":"1"}"#)
    );
    let mut c = RawClient::connect(addr, "c", "c1").await;
    assert!(synced(&mut c).await.is_empty());
    assert!(synced(&mut b).await.is_empty());

    api.create_group("g", "G", &["b", "c"]).await;
    api.call(
        "/statusmessage/group/publish.json",
        &[
            ("fromUserId", "admin"),
            ("toGroupId", "g"),
            ("objectName", "App:Status"),
            ("content", "{}"),
        ],
    )
    .await;
    assert_eq!(assert_online_only(&b.next_push().await).to_id, "g");
    assert_eq!(assert_online_only(&c.next_push().await).to_id, "g");
    assert!(synced(&mut c).await.is_empty());

    // The stored publish keeps working beside it.
    api.call(
        "/message/private/publish.json",
        &[
            ("fromUserId", "admin"),
            ("toUserId", "b"),
            ("objectName", "RC:TxtMsg"),
            ("content", r#"{"content":"x"}"#),
        ],
    )
    .await;
    let e = b.next_push().await;
    assert_eq!(e.seq, 1);
    assert!(!message(&e).status && !message(&e).custom);
    server.shutdown().await;
}
