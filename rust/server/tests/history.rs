//! Cloud history over the protocol: `conv_seq` on send results, pushes and syncs;
//! `HistoryRequest` pages, their codes and rate limit; group membership; offline
//! compensation in `ConnectAck`.

mod common;

use common::*;
use rcim_proto::v1::{response, SendMessage};
use rcim_proto::{codes, conversation_type};

#[tokio::test]
async fn sequences_travel_with_messages_and_pages_follow_them() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "da").await;
    let mut b = RawClient::connect(addr, "b", "db").await;
    let mut acks = vec![];
    for i in 1..=7 {
        // Stay within the send rate (5 per second).
        if i == 5 {
            tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        }
        let seq = a
            .send(send_body(RawClient::text(
                &format!("m{i}"),
                "b",
                &format!("text {i}"),
            )))
            .await;
        let r = a.wait_response(seq).await;
        let Some(response::Body::SendMessage(m)) = r.body else {
            panic!("{r:?}")
        };
        assert_eq!(m.conv_seq, i, "the send result carries the sequence");
        acks.push(m);
    }
    // Pushes and sync carry it too.
    for i in 1..=7u64 {
        assert_eq!(message(&b.next_push().await).conv_seq, i);
    }
    let synced: Vec<u64> = b
        .sync(0, 0)
        .await
        .entries
        .iter()
        .map(|e| message(e).conv_seq)
        .collect();
    assert_eq!(synced, (1..=7).collect::<Vec<_>>());

    // b pages back from the newest, 3 at a time.
    let (code, p) = history(&mut b, conversation_type::PRIVATE, "a", 0, 0, 3).await;
    assert_eq!(code, 0);
    let seqs: Vec<u64> = p.messages.iter().map(|m| m.conv_seq).collect();
    assert_eq!(
        (seqs, p.from_seq, p.to_seq, p.has_more),
        (vec![5, 6, 7], 5, 7, true)
    );
    assert_eq!(p.messages[2].content, r#"{"content":"text 7"}"#);
    let oldest = p.messages[0].sent_time;
    let (_, p) = history(&mut b, conversation_type::PRIVATE, "a", oldest, 0, 3).await;
    assert_eq!((p.from_seq, p.to_seq, p.has_more), (2, 4, true));
    let (_, p) = history(
        &mut b,
        conversation_type::PRIVATE,
        "a",
        p.messages[0].sent_time,
        0,
        3,
    )
    .await;
    assert_eq!(
        (p.messages.len(), p.from_seq, p.to_seq, p.has_more),
        (1, 1, 1, false)
    );
    // AFTER, from the sender's side.
    let (_, p) = history(
        &mut a,
        conversation_type::PRIVATE,
        "b",
        acks[4].sent_time,
        1,
        10,
    )
    .await;
    let seqs: Vec<u64> = p.messages.iter().map(|m| m.conv_seq).collect();
    assert_eq!(
        (seqs, p.from_seq, p.to_seq, p.has_more),
        (vec![6, 7], 6, 7, false)
    );
    server.shutdown().await;
}

#[tokio::test]
async fn bad_requests_non_members_and_the_rate_are_refused() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    config.request_rate_per_sec = 10;
    let server = rcim_server::start(config).await.unwrap();
    let api = Api::new(&server);
    api.create_group("g", "G", &["a"]).await;
    let mut b = RawClient::connect(server.gateway_addr(), "b", "db").await;
    let bad = [
        (conversation_type::CHATROOM, "r", 0, 0, 10),
        (conversation_type::PRIVATE, "", 0, 0, 10),
        (conversation_type::PRIVATE, "a", 0, 0, 0),
        (conversation_type::PRIVATE, "a", 0, 0, 101),
        (conversation_type::PRIVATE, "a", 0, 2, 10),
        (conversation_type::PRIVATE, "a", -1, 0, 10),
    ];
    for (ctype, target, time, order, count) in bad {
        let (code, _) = history(&mut b, ctype, target, time, order, count).await;
        assert_eq!(
            code,
            codes::PARAMETER_INVALID,
            "{ctype} {target:?} {order} {count}"
        );
    }
    let (code, _) = history(&mut b, conversation_type::GROUP, "g", 0, 0, 10).await;
    assert_eq!(code, codes::NOT_IN_GROUP);
    // 7 requests so far in this second (refused ones count too); three more fit, then 20604.
    let mut seen = vec![];
    for _ in 0..4 {
        seen.push(
            history(&mut b, conversation_type::PRIVATE, "a", 0, 0, 10)
                .await
                .0,
        );
    }
    assert_eq!(seen, vec![0, 0, 0, codes::SEND_MSG_FREQUENCY_OVERRUN]);
    server.shutdown().await;
}

#[tokio::test]
async fn group_pages_start_at_the_join() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    api.create_group("g", "G", &["a", "b"]).await;
    let mut a = RawClient::connect(server.gateway_addr(), "a", "da").await;
    let group_text = |id: &str| {
        let mut m = RawClient::text(id, "g", id);
        m.conversation_type = conversation_type::GROUP;
        send_body(m)
    };
    let seq = a.send(group_text("before")).await;
    assert_eq!(a.wait_ack(seq).await.code, 0);
    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    api.call(
        "/group/join.json",
        &[("userId", "c"), ("groupId", "g"), ("groupName", "G")],
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    let seq = a.send(group_text("after")).await;
    assert_eq!(a.wait_ack(seq).await.code, 0);
    let mut c = RawClient::connect(server.gateway_addr(), "c", "dc").await;
    let (code, p) = history(&mut c, conversation_type::GROUP, "g", 0, 0, 10).await;
    assert_eq!(code, 0);
    let seqs: Vec<u64> = p.messages.iter().map(|m| m.conv_seq).collect();
    assert_eq!((seqs, p.from_seq, p.to_seq), (vec![2], 1, 2));
    let (_, p) = history(&mut a, conversation_type::GROUP, "g", 0, 0, 10).await;
    assert_eq!(p.messages.len(), 2);
    server.shutdown().await;
}

#[tokio::test]
async fn compensation_starts_new_devices_near_the_head() {
    init_tracing();
    for days in [0u32, 1] {
        let dir = tempfile::tempdir().unwrap();
        let mut config = config(dir.path());
        config.offline_compensation_days = days;
        let server = rcim_server::start(config).await.unwrap();
        let mut a = RawClient::connect(server.gateway_addr(), "a", "da").await;
        for i in 0..3 {
            assert_eq!(a.send_text(&format!("m{i}"), "b", "hi").await.code, 0);
        }
        let (_, ack) = RawClient::login(server.gateway_addr(), Login::new("b", "db")).await;
        assert_eq!(ack.inbox_head, 3);
        // Every entry is from the last day: with 1 day the device gets them all; with 0 it
        // starts at the head.
        let expected = if days == 0 { 3 } else { 0 };
        assert_eq!(ack.compensation_after, expected, "{days} days");
        server.shutdown().await;
    }
    // Out of range: the server does not start.
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    config.offline_compensation_days = 8;
    assert!(rcim_server::start(config).await.is_err());
}

#[tokio::test]
async fn push_options_reach_only_the_sender_and_expansion_travels_with_the_message() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "da").await;
    let mut a_web = RawClient::connect_web(addr, "a", "dw").await;
    let mut b = RawClient::connect(addr, "b", "db").await;
    let mut m = RawClient::text("m1", "b", "hi");
    m.msg = SendMessage {
        push_options: r#"{"pushTitle":"t"}"#.into(),
        can_expand: true,
        expansion: [("k".to_string(), "v".to_string())].into(),
        ..m.msg
    };
    let seq = a.send(send_body(m)).await;
    assert_eq!(a.wait_ack(seq).await.code, 0);
    // The receiver's live push, sync and history page: the expansion, no push options
    // (R069: one user's push configuration is not handed to another).
    let pushed = b.next_push().await;
    let synced = b.sync(0, 0).await.entries.remove(0);
    let (_, page) = history(&mut b, conversation_type::PRIVATE, "a", 0, 0, 1).await;
    for got in [message(&pushed), message(&synced), &page.messages[0]] {
        assert_eq!(got.push_options, "");
        assert!(got.can_expand);
        assert_eq!(got.expansion.get("k").map(String::as_str), Some("v"));
    }
    // The sender's other device sees them everywhere.
    let pushed = a_web.next_push().await;
    let synced = a_web.sync(0, 0).await.entries.remove(0);
    let (_, page) = history(&mut a_web, conversation_type::PRIVATE, "b", 0, 0, 1).await;
    for got in [message(&pushed), message(&synced), &page.messages[0]] {
        assert_eq!(got.push_options, r#"{"pushTitle":"t"}"#);
        assert!(got.can_expand);
        assert_eq!(got.expansion.get("k").map(String::as_str), Some("v"));
    }
    // Limits: an invalid key, or an over-long push options text.
    let mut bad = RawClient::text("m2", "b", "hi");
    bad.expansion = [("bad key".to_string(), "v".to_string())].into();
    let seq = a.send(send_body(bad)).await;
    assert_eq!(
        a.wait_ack(seq).await.code,
        codes::EXPANSION_SIZE_LIMIT_EXCEED
    );
    let mut bad = RawClient::text("m3", "b", "hi");
    bad.push_options = "x".repeat(5000);
    let seq = a.send(send_body(bad)).await;
    assert_eq!(a.wait_ack(seq).await.code, codes::MSG_SIZE_OUT_OF_LIMIT);
    server.shutdown().await;
}
