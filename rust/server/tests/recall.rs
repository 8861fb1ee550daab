//! Inbox events other than messages. Recall: the `RecallMessage` request,
//! `/message/recall.json`, and the `Recall` inbox entries they append (private: sender and
//! receiver; group: every member who got the message). Private read receipts: the
//! `PrivateReadReceipt` request and its `ReadReceipt` entries (peer and reader).

mod common;

use common::*;
use rcim_proto::v1::{client_frame, inbox_entry, request, response, InboxEntry, Recall, Response};
use rcim_proto::{codes, conversation_type};
use std::time::Duration;

fn recall_req(uid: &str, ctype: u32, target: &str) -> client_frame::Body {
    request_body(
        &fresh_request_id(),
        request::Body::RecallMessage(rcim_proto::v1::RecallMessage {
            uid: uid.into(),
            conversation_type: ctype,
            target_id: target.into(),
            channel_id: String::new(),
            sent_time: 0,
        }),
    )
}

/// The answer to a recall, flattened.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RecallAck {
    code: u32,
    recall_time: i64,
}

impl RecallAck {
    fn of(r: Response) -> Self {
        let recall_time = match r.body {
            Some(response::Body::RecallMessage(m)) => m.recall_time,
            None => 0,
            other => panic!("expected a recall result, got {other:?}"),
        };
        Self {
            code: r.code,
            recall_time,
        }
    }
}

async fn recall(c: &mut RawClient, uid: &str, ctype: u32, target: &str) -> RecallAck {
    let seq = c.send(recall_req(uid, ctype, target)).await;
    RecallAck::of(c.wait_response(seq).await)
}

async fn wait_receipt_ack(c: &mut RawClient, seq: u64) -> u32 {
    c.wait_response(seq).await.code
}

fn as_recall(e: &InboxEntry) -> &Recall {
    match &e.body {
        Some(inbox_entry::Body::Recall(r)) => r,
        other => panic!("expected a recall, got {other:?}"),
    }
}

/// Next pushed recall entry (skipping message pushes and other frames).
async fn next_recall(c: &mut RawClient) -> InboxEntry {
    loop {
        let e = c.next_push().await;
        if matches!(e.body, Some(inbox_entry::Body::Recall(_))) {
            return e;
        }
    }
}

#[tokio::test]
async fn a_recall_reaches_both_inboxes_and_replaces_the_content() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "da").await;
    let mut b = RawClient::connect(addr, "b", "db").await;

    let ack = a.send_text("m1", "b", "hello").await;
    assert_eq!(ack.code, 0);
    let pushed = b.next_push().await;
    assert_eq!(message(&pushed).uid, ack.uid);

    // Not in the conversation, unknown uid, wrong conversation: 25101.
    let mut c = RawClient::connect(addr, "c", "dc").await;
    let r = recall(&mut c, &ack.uid, conversation_type::PRIVATE, "b").await;
    assert_eq!(r.code, codes::RECALL_PARAMETER_INVALID);
    let r = recall(&mut c, &ack.uid, conversation_type::PRIVATE, "a").await;
    assert_eq!(r.code, codes::RECALL_PARAMETER_INVALID);
    let r = recall(&mut a, "nope", conversation_type::PRIVATE, "b").await;
    assert_eq!(r.code, codes::RECALL_PARAMETER_INVALID);
    let r = recall(&mut a, &ack.uid, conversation_type::GROUP, "b").await;
    assert_eq!(r.code, codes::RECALL_PARAMETER_INVALID);
    let r = recall(&mut a, &ack.uid, conversation_type::PRIVATE, "c").await;
    assert_eq!(r.code, codes::RECALL_PARAMETER_INVALID);
    let r = recall(&mut a, "", conversation_type::PRIVATE, "b").await;
    assert_eq!(r.code, codes::RECALL_PARAMETER_INVALID);

    let r = recall(&mut a, &ack.uid, conversation_type::PRIVATE, "b").await;
    assert_eq!(r.code, 0);
    assert!(r.recall_time >= ack.sent_time);
    let at_b = next_recall(&mut b).await;
    let rb = as_recall(&at_b);
    assert_eq!(rb.uid, ack.uid);
    assert_eq!(rb.operator_id, "a");
    assert_eq!(rb.sender_id, "a");
    assert_eq!(rb.to_id, "b");
    assert_eq!(rb.sent_time, ack.sent_time);
    assert_eq!(rb.object_name, "RC:TxtMsg");
    assert_eq!(rb.recall_time, r.recall_time);
    // (The sender's own entry was pushed before its ack: `recall` skipped it; see the sync.)

    // Recalling again: same time, no new entry.
    let again = recall(&mut a, &ack.uid, conversation_type::PRIVATE, "b").await;
    assert_eq!(again.code, 0);
    assert_eq!(again.recall_time, r.recall_time);
    assert!(b.try_recv(Duration::from_millis(300)).await.is_none());

    // Sync: the message (now its recall notification: the original content is gone), then
    // its recall, in sequence order.
    let page = b.sync(0, 0).await;
    assert_eq!(page.entries.len(), 2);
    assert_eq!(message(&page.entries[0]).uid, ack.uid);
    assert_eq!(message(&page.entries[0]).object_name, "RC:RcNtf");
    assert!(!message(&page.entries[0]).content.contains("hello"));
    assert_eq!(as_recall(&page.entries[1]).uid, ack.uid);
    assert_eq!(page.entries[1].seq, at_b.seq);
    assert_eq!(page.inbox_head, at_b.seq);
    let page = a.sync(0, 0).await;
    assert_eq!(page.entries.len(), 2);
    assert_eq!(as_recall(&page.entries[1]).uid, ack.uid);
    server.shutdown().await;
}

#[tokio::test]
async fn group_recall_reaches_every_member_and_survives_a_restart() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    api.create_group("g", "G", &["a", "b", "c"]).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "da").await;
    let mut b = RawClient::connect(addr, "b", "db").await;
    let mut m = RawClient::text("g1", "g", "to all");
    m.conversation_type = conversation_type::GROUP;
    let seq = a.send(send_body(m)).await;
    let ack = a.wait_ack(seq).await;
    assert_eq!(ack.code, 0);
    b.next_push().await;

    let mut d = RawClient::connect(addr, "d", "dd").await;
    let r = recall(&mut d, &ack.uid, conversation_type::GROUP, "g").await;
    assert_eq!(r.code, codes::NOT_IN_GROUP);
    let r = recall(&mut a, &ack.uid, conversation_type::GROUP, "g").await;
    assert_eq!(r.code, 0);
    assert_eq!(as_recall(&next_recall(&mut b).await).uid, ack.uid);
    server.shutdown().await;

    // c was offline: after a restart its inbox holds the message and then the recall.
    let server = start(dir.path()).await;
    let mut c = RawClient::connect(server.gateway_addr(), "c", "dc").await;
    let page = c.sync(0, 0).await;
    assert_eq!(page.entries.len(), 2);
    assert_eq!(message(&page.entries[0]).uid, ack.uid);
    assert_eq!(message(&page.entries[0]).object_name, "RC:RcNtf");
    assert!(!message(&page.entries[0]).content.contains("to all"));
    let rc = as_recall(&page.entries[1]);
    assert_eq!(rc.uid, ack.uid);
    assert_eq!(rc.conversation_type, conversation_type::GROUP);
    assert_eq!(rc.to_id, "g");
    server.shutdown().await;
}

#[tokio::test]
async fn server_api_recall() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    let addr = server.gateway_addr();
    let mut b = RawClient::connect(addr, "b", "db").await;
    let body = api
        .call(
            "/message/private/publish.json",
            &[
                ("fromUserId", "a"),
                ("toUserId", "b"),
                ("objectName", "RC:TxtMsg"),
                ("content", "{\"content\":\"hi\"}"),
            ],
        )
        .await;
    let uid = body["messageUID"].as_str().unwrap().to_owned();
    b.next_push().await;

    let call = |from: &'static str, ctype: &'static str, target: &'static str, uid: String| {
        let api = &api;
        async move {
            api.call_with(
                "/message/recall.json",
                &[
                    ("fromUserId", from),
                    ("conversationType", ctype),
                    ("targetId", target),
                    ("messageUID", &uid),
                    ("sentTime", "0"),
                ],
                APP_KEY,
                APP_SECRET,
                "",
            )
            .await
        }
    };
    // Someone outside the conversation.
    let (status, body) = call("c", "1", "a", uid.clone()).await;
    assert_eq!(
        (status, body["code"].as_u64()),
        (200, Some(25101)),
        "{body}"
    );
    let (status, body) = call("a", "1", "b", "UNKNOWN".into()).await;
    assert_eq!(
        (status, body["code"].as_u64()),
        (200, Some(25101)),
        "{body}"
    );
    // 2 is not a Server API conversation type (1 private, 3 group).
    let (status, body) = call("a", "2", "b", uid.clone()).await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(1002)), "{body}");
    let (status, body) = call("a", "3", "b", uid.clone()).await;
    assert_eq!(
        (status, body["code"].as_u64()),
        (200, Some(25101)),
        "{body}"
    );
    let (status, body) = call("a", "1", "b", uid.clone()).await;
    assert_eq!((status, body["code"].as_u64()), (200, Some(200)), "{body}");
    let r = next_recall(&mut b).await;
    assert_eq!(as_recall(&r).operator_id, "a");
    assert_eq!(as_recall(&r).uid, uid);
    server.shutdown().await;
}

/// R113: a group member who is not the sender recalls by default; with the server's "only
/// the sender may recall" setting the same recall gets 25107 (client and Server API), and the
/// sender still may.
#[tokio::test]
async fn others_recall_unless_only_the_sender_may() {
    init_tracing();
    for only_sender in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let mut config = config(dir.path());
        config.recall_only_sender = only_sender;
        let server = rcim_server::start(config).await.unwrap();
        let api = Api::new(&server);
        api.create_group("g", "G", &["a", "b"]).await;
        let addr = server.gateway_addr();
        let mut a = RawClient::connect(addr, "a", "da").await;
        let mut b = RawClient::connect(addr, "b", "db").await;
        let mut m = RawClient::text("g1", "g", "secret");
        m.conversation_type = conversation_type::GROUP;
        let seq = a.send(send_body(m)).await;
        let ack = a.wait_ack(seq).await;
        let r = recall(&mut b, &ack.uid, conversation_type::GROUP, "g").await;
        let (status, body) = api
            .call_with(
                "/message/recall.json",
                &[
                    ("fromUserId", "b"),
                    ("conversationType", "3"),
                    ("targetId", "g"),
                    ("messageUID", &ack.uid),
                ],
                APP_KEY,
                APP_SECRET,
                "",
            )
            .await;
        if only_sender {
            assert_eq!(r.code, codes::RECALL_USER_INVALID);
            assert_eq!(
                (status, body["code"].as_u64()),
                (200, Some(25107)),
                "{body}"
            );
            let r = recall(&mut a, &ack.uid, conversation_type::GROUP, "g").await;
            assert_eq!(r.code, 0);
        } else {
            assert_eq!(r.code, 0);
            // The API's recall of a recalled message answers success again.
            assert_eq!((status, body["code"].as_u64()), (200, Some(200)), "{body}");
            let e = next_recall(&mut a).await;
            assert_eq!(as_recall(&e).operator_id, "b");
            assert_eq!(as_recall(&e).sender_id, "a");
        }
        // Either way the content is gone from the server.
        let page = a.sync(0, 0).await;
        let stored = message(&page.entries[0]);
        assert_eq!(stored.object_name, "RC:RcNtf");
        assert!(!stored.content.contains("secret"));
        server.shutdown().await;
    }
}

#[tokio::test]
async fn private_read_receipt_reaches_the_peer_and_the_reader() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "da").await;
    let mut b = RawClient::connect(addr, "b", "db").await;
    let ack = a.send_text("m1", "b", "read me").await;
    b.next_push().await;

    let receipt = |target: &str, timestamp: i64| {
        request_body(
            &fresh_request_id(),
            request::Body::PrivateReadReceipt(rcim_proto::v1::PrivateReadReceipt {
                target_id: target.into(),
                channel_id: String::new(),
                timestamp,
            }),
        )
    };
    let seq = b.send(receipt("", 1)).await;
    assert_eq!(
        wait_receipt_ack(&mut b, seq).await,
        codes::PARAMETER_INVALID
    );

    let seq = b.send(receipt("a", ack.sent_time)).await;
    assert_eq!(wait_receipt_ack(&mut b, seq).await, 0);
    let at_a = a.next_push().await;
    match &at_a.body {
        Some(inbox_entry::Body::ReadReceipt(r)) => {
            assert_eq!(r.reader_id, "b");
            assert_eq!(r.target_id, "a");
            assert_eq!(r.timestamp, ack.sent_time);
            assert_eq!(r.conversation_type, conversation_type::PRIVATE);
        }
        other => panic!("expected a read receipt, got {other:?}"),
    }
    // The reader's inbox holds it too (for their other devices), after the message.
    let page = b.sync(0, 0).await;
    assert_eq!(page.entries.len(), 2);
    assert!(matches!(
        page.entries[1].body,
        Some(inbox_entry::Body::ReadReceipt(_))
    ));
    server.shutdown().await;
}
