//! Deleting messages and clearing history over the protocol and the Server API: the
//! requester's view only, their other devices told through their inbox, codes, idempotency.

mod common;

use common::*;
use rcim_proto::v1::{inbox_entry, request, ClearHistory, DeleteMessages, Platform};
use rcim_proto::{codes, conversation_type};

fn delete(target: &str, ctype: u32, uids: Vec<String>) -> request::Body {
    request::Body::DeleteMessages(DeleteMessages {
        conversation_type: ctype,
        target_id: target.into(),
        channel_id: String::new(),
        uids,
    })
}

fn clear(target: &str, before_time: i64) -> request::Body {
    request::Body::ClearHistory(ClearHistory {
        conversation_type: conversation_type::PRIVATE,
        target_id: target.into(),
        channel_id: String::new(),
        before_time,
    })
}

fn history_uids(p: &rcim_proto::v1::HistoryPage) -> Vec<String> {
    p.messages.iter().map(|m| m.uid.clone()).collect()
}

async fn second_device(addr: std::net::SocketAddr, user: &str, device: &str) -> RawClient {
    let mut login = Login::new(user, device);
    login.platform = Platform::Desktop;
    let (c, ack) = RawClient::login(addr, login).await;
    assert_eq!(ack.code, 0);
    c
}

#[tokio::test]
async fn deleted_messages_leave_the_deleters_view_and_devices() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "da").await;
    let mut b = RawClient::connect(addr, "b", "db").await;
    let mut b2 = second_device(addr, "b", "db2").await;
    let mut uids = vec![];
    for i in 0..3 {
        uids.push(
            a.send_text(&format!("m{i}"), "b", &format!("t{i}"))
                .await
                .uid,
        );
    }
    for _ in 0..3 {
        b2.next_push().await;
    }
    let id = fresh_request_id();
    for _ in 0..2 {
        let r = call(
            &mut b,
            &id,
            delete("a", conversation_type::PRIVATE, vec![uids[1].clone()]),
        )
        .await;
        assert_eq!(r.code, 0);
    }
    let e = next_event(&mut b2).await;
    match &e.body {
        Some(inbox_entry::Body::MessagesDeleted(d)) => {
            assert_eq!(d.uids, vec![uids[1].clone()]);
            assert_eq!((d.target_id.as_str(), d.device_id.as_str()), ("a", "db"));
        }
        other => panic!("{other:?}"),
    }
    // Sync skips the deleted copy (its sequence stays taken) and holds one deletion entry.
    let page = b.sync(0, 0).await;
    let seqs: Vec<u64> = page.entries.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, vec![1, 3, 4]);
    assert_eq!(page.inbox_head, 4);
    assert_eq!(message(&page.entries[1]).uid, uids[2]);
    let (_, p) = history(&mut b, conversation_type::PRIVATE, "a", 0, 0, 10).await;
    assert_eq!(history_uids(&p), vec![uids[0].clone(), uids[2].clone()]);
    assert_eq!((p.from_seq, p.to_seq), (1, 3));
    // The sender's view is untouched.
    let (_, p) = history(&mut a, conversation_type::PRIVATE, "b", 0, 0, 10).await;
    assert_eq!(history_uids(&p), uids);
    assert_eq!(a.sync(0, 0).await.entries.len(), 3);

    // Codes.
    let too_many: Vec<String> = (0..101).map(|i| format!("u{i}")).collect();
    let bad = [
        delete("a", conversation_type::PRIVATE, vec![]),
        delete("a", conversation_type::PRIVATE, too_many),
        delete("a", conversation_type::PRIVATE, vec![String::new()]),
        delete("a", conversation_type::CHATROOM, vec![uids[0].clone()]),
        delete("", conversation_type::PRIVATE, vec![uids[0].clone()]),
    ];
    for body in bad {
        assert_eq!(
            call(&mut b, &fresh_request_id(), body).await.code,
            codes::PARAMETER_INVALID
        );
    }
    // Unknown uids are ignored.
    let r = call(
        &mut b,
        &fresh_request_id(),
        delete("a", conversation_type::PRIVATE, vec!["nope".into()]),
    )
    .await;
    assert_eq!(r.code, 0);
    server.shutdown().await;
}

#[tokio::test]
async fn clearing_hides_history_up_to_a_time() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "da").await;
    let mut b = RawClient::connect(addr, "b", "db").await;
    let mut b2 = second_device(addr, "b", "db2").await;
    let first = a.send_text("m1", "b", "one").await;
    let second = a.send_text("m2", "b", "two").await;
    b2.next_push().await;
    b2.next_push().await;

    assert_eq!(
        call(&mut b, &fresh_request_id(), clear("a", -1)).await.code,
        codes::PARAMETER_INVALID
    );
    assert_eq!(
        call(&mut b, &fresh_request_id(), clear("a", first.sent_time))
            .await
            .code,
        0
    );
    let e = next_event(&mut b2).await;
    match &e.body {
        Some(inbox_entry::Body::HistoryCleared(c)) => {
            assert_eq!(
                (c.before_time, c.device_id.as_str()),
                (first.sent_time, "db")
            );
        }
        other => panic!("{other:?}"),
    }
    let (_, p) = history(&mut b, conversation_type::PRIVATE, "a", 0, 0, 10).await;
    assert_eq!(history_uids(&p), vec![second.uid.clone()]);
    // 0 = everything up to now.
    assert_eq!(
        call(&mut b, &fresh_request_id(), clear("a", 0)).await.code,
        0
    );
    let e = next_event(&mut b2).await;
    match &e.body {
        Some(inbox_entry::Body::HistoryCleared(c)) => assert!(c.before_time >= second.sent_time),
        other => panic!("{other:?}"),
    }
    let (_, p) = history(&mut b, conversation_type::PRIVATE, "a", 0, 0, 10).await;
    assert!(p.messages.is_empty());
    assert_eq!((p.from_seq, p.to_seq, p.has_more), (1, 2, false));
    // Inbox copies stay; the other user's history too.
    let kinds: Vec<bool> = b
        .sync(0, 0)
        .await
        .entries
        .iter()
        .map(|e| matches!(e.body, Some(inbox_entry::Body::Message(_))))
        .collect();
    assert_eq!(kinds, vec![true, true, false, false]);
    let (_, p) = history(&mut a, conversation_type::PRIVATE, "b", 0, 0, 10).await;
    assert_eq!(p.messages.len(), 2);

    // The Server API clears a's view the same way (its device id is empty).
    let ts = first.sent_time.to_string();
    api.call(
        "/conversation/message/history/clean.json",
        &[
            ("conversationType", "1"),
            ("fromUserId", "a"),
            ("targetId", "b"),
            ("msgTimestamp", &ts),
        ],
    )
    .await;
    let (_, p) = history(&mut a, conversation_type::PRIVATE, "b", 0, 0, 10).await;
    assert_eq!(history_uids(&p), vec![second.uid.clone()]);
    let entries = a.sync(0, 0).await.entries;
    match &entries.last().unwrap().body {
        Some(inbox_entry::Body::HistoryCleared(c)) => {
            assert_eq!((c.target_id.as_str(), c.device_id.as_str()), ("b", ""));
        }
        other => panic!("{other:?}"),
    }
    let (status, body) = api
        .call_with(
            "/conversation/message/history/clean.json",
            &[
                ("conversationType", "4"),
                ("fromUserId", "a"),
                ("targetId", "b"),
            ],
            APP_KEY,
            APP_SECRET,
            "",
        )
        .await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(1002)));
    server.shutdown().await;
}

/// Over the request rate, a resend of an executed deletion, clear or expansion update gets its
/// original answer; a new request gets 20604. Request ids need the request.
#[tokio::test]
async fn resends_over_the_rate_get_their_original_answer() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    config.request_rate_per_sec = 3;
    let server = rcim_server::start(config).await.unwrap();
    let mut b = RawClient::connect(server.gateway_addr(), "b", "db").await;
    let (d, c) = (fresh_request_id(), fresh_request_id());
    let del = || delete("a", conversation_type::PRIVATE, vec!["x".into()]);
    assert_eq!(call(&mut b, &d, del()).await.code, 0);
    assert_eq!(call(&mut b, &c, clear("a", 0)).await.code, 0);
    // Without a request id: refused before the rate counts it.
    assert_eq!(call(&mut b, "", del()).await.code, codes::PARAMETER_INVALID);
    assert_eq!(call(&mut b, &fresh_request_id(), del()).await.code, 0);
    assert_eq!(
        call(&mut b, &fresh_request_id(), del()).await.code,
        codes::SEND_MSG_FREQUENCY_OVERRUN
    );
    assert_eq!(call(&mut b, &d, del()).await.code, 0);
    assert_eq!(call(&mut b, &c, clear("a", 0)).await.code, 0);
    assert_eq!(call(&mut b, "", del()).await.code, codes::PARAMETER_INVALID);
    assert_eq!(
        call(&mut b, &fresh_request_id(), del()).await.code,
        codes::SEND_MSG_FREQUENCY_OVERRUN
    );
    assert_eq!(call(&mut b, &d, del()).await.code, 0);
    assert_eq!(call(&mut b, &c, clear("a", 0)).await.code, 0);
    assert_eq!(b.sync(0, 0).await.entries.len(), 3);
    server.shutdown().await;
}
