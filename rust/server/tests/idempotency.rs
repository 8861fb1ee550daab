//! Protocol v2 idempotency: a state-changing request is executed at most once per (user,
//! request id); a resend (after a lost answer, a reconnect or a server restart) gets the
//! original answer and appends nothing. Also: request ids are required, and the non-send
//! requests have their own rate limit, which a resend of an executed request is exempt from
//! (as from the send rate).

mod common;

use common::*;
use rcim_proto::v1::{
    inbox_entry, request, response, ChangeConversationSetting, PrivateReadReceipt, RecallMessage,
    Response, SyncRequest,
};
use rcim_proto::{codes, conversation_type};
use std::time::Duration;

fn recall_body(uid: &str, target: &str) -> request::Body {
    request::Body::RecallMessage(RecallMessage {
        uid: uid.into(),
        conversation_type: conversation_type::PRIVATE,
        target_id: target.into(),
        channel_id: String::new(),
        sent_time: 0,
    })
}

fn receipt_body(target: &str, timestamp: i64) -> request::Body {
    request::Body::PrivateReadReceipt(PrivateReadReceipt {
        target_id: target.into(),
        channel_id: String::new(),
        timestamp,
    })
}

fn setting_body(target: &str, top: bool) -> request::Body {
    request::Body::ConversationSetting(ChangeConversationSetting {
        conversation_type: conversation_type::PRIVATE,
        target_id: target.into(),
        channel_id: String::new(),
        top: Some(top),
        notification_level: None,
    })
}

async fn call(c: &mut RawClient, request_id: &str, body: request::Body) -> Response {
    let seq = c.request(request_id, body).await;
    c.wait_response(seq).await
}

/// The responses to the frames `seqs`, which may arrive in any order (refusals are immediate,
/// the others follow a commit).
async fn answers(c: &mut RawClient, seqs: &[u64]) -> std::collections::HashMap<u64, Response> {
    let mut by_seq = std::collections::HashMap::new();
    while by_seq.len() < seqs.len() {
        let f = c.recv().await.expect("connection open");
        let seq = f.seq;
        if let Some(r) = response_of(f) {
            by_seq.insert(seq, r);
        }
    }
    by_seq
}

fn recall_time(r: &Response) -> i64 {
    match &r.body {
        Some(response::Body::RecallMessage(m)) => m.recall_time,
        other => panic!("expected a recall result, got {other:?}"),
    }
}

/// Kinds of the entries in `user`'s inbox, in order.
async fn inbox_kinds(c: &mut RawClient) -> Vec<&'static str> {
    c.sync(0, 0)
        .await
        .entries
        .iter()
        .map(|e| match e.body {
            Some(inbox_entry::Body::Message(_)) => "message",
            Some(inbox_entry::Body::Recall(_)) => "recall",
            Some(inbox_entry::Body::ReadReceipt(_)) => "receipt",
            Some(inbox_entry::Body::ConversationSetting(_)) => "setting",
            Some(inbox_entry::Body::ExpansionChange(_)) => "expansion",
            Some(inbox_entry::Body::MessagesDeleted(_)) => "deleted",
            Some(inbox_entry::Body::HistoryCleared(_)) => "cleared",
            Some(inbox_entry::Body::UserSetting(_)) => "user setting",
            Some(inbox_entry::Body::ReadStatus(_)) => "read status",
            Some(inbox_entry::Body::ReceiptRequested(_)) => "receipt requested",
            Some(inbox_entry::Body::ReceiptResponded(_)) => "receipt responded",
            Some(inbox_entry::Body::MessageBlocked(_)) => "blocked",
            None => "none",
        })
        .collect()
}

#[tokio::test]
async fn every_request_kind_is_executed_once_per_request_id() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "da").await;

    // Send: the request id is the client message id.
    let first = a.send_text("send-1", "b", "hello").await;
    let again = a.send_text("send-1", "b", "hello").await;
    assert_eq!(first.code, 0);
    assert_eq!(again, first, "same uid and sent time");

    // Recall twice with one request id: the same recall time, one recall entry.
    let r1 = call(&mut a, "recall-1", recall_body(&first.uid, "b")).await;
    let r2 = call(&mut a, "recall-1", recall_body(&first.uid, "b")).await;
    assert_eq!((r1.code, r2.code), (0, 0));
    assert_eq!(recall_time(&r1), recall_time(&r2));

    // Read receipt and setting, each sent twice.
    for _ in 0..2 {
        assert_eq!(
            call(&mut a, "receipt-1", receipt_body("b", 5)).await.code,
            0
        );
        assert_eq!(
            call(&mut a, "setting-1", setting_body("b", true))
                .await
                .code,
            0
        );
    }
    assert_eq!(
        inbox_kinds(&mut a).await,
        vec!["message", "recall", "receipt", "setting"]
    );
    let mut b = RawClient::connect(addr, "b", "db").await;
    assert_eq!(
        inbox_kinds(&mut b).await,
        vec!["message", "recall", "receipt"]
    );

    // The log is per user: another user may use the same request id.
    assert_eq!(
        call(&mut b, "setting-1", setting_body("a", true))
            .await
            .code,
        0
    );
    assert_eq!(
        inbox_kinds(&mut b).await,
        vec!["message", "recall", "receipt", "setting"]
    );
    server.shutdown().await;
}

#[tokio::test]
async fn request_log_survives_a_restart() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let mut a = RawClient::connect(server.gateway_addr(), "a", "da").await;
    let sent = a.send_text("m", "b", "x").await;
    let recalled = call(&mut a, "r", recall_body(&sent.uid, "b")).await;
    assert_eq!(call(&mut a, "s", setting_body("b", false)).await.code, 0);
    drop(a);
    server.shutdown().await;

    let server = start(dir.path()).await;
    let mut a = RawClient::connect(server.gateway_addr(), "a", "da2").await;
    assert_eq!(a.send_text("m", "b", "x").await, sent);
    let again = call(&mut a, "r", recall_body(&sent.uid, "b")).await;
    assert_eq!(recall_time(&again), recall_time(&recalled));
    assert_eq!(call(&mut a, "s", setting_body("b", false)).await.code, 0);
    assert_eq!(
        inbox_kinds(&mut a).await,
        vec!["message", "recall", "setting"]
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_resend_is_not_pushed_again() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "da").await;
    let mut b = RawClient::connect(addr, "b", "db").await;
    assert_eq!(call(&mut a, "rr", receipt_body("b", 1)).await.code, 0);
    let e = b.next_push().await;
    assert!(matches!(e.body, Some(inbox_entry::Body::ReadReceipt(_))));
    assert_eq!(call(&mut a, "rr", receipt_body("b", 1)).await.code, 0);
    assert!(b.try_recv(Duration::from_millis(300)).await.is_none());
    server.shutdown().await;
}

#[tokio::test]
async fn request_ids_are_required_and_not_shared_between_kinds() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let mut a = RawClient::connect(server.gateway_addr(), "a", "da").await;
    let text = RawClient::text("", "b", "x").msg;
    let missing = [
        request::Body::SendMessage(text),
        recall_body("UID", "b"),
        receipt_body("b", 1),
        setting_body("b", true),
    ];
    for body in missing {
        let r = call(&mut a, "", body.clone()).await;
        assert_eq!(r.code, codes::PARAMETER_INVALID, "{body:?}");
        let r = call(&mut a, &"x".repeat(65), body.clone()).await;
        assert_eq!(r.code, codes::PARAMETER_INVALID, "{body:?}");
    }
    // Nothing was stored.
    assert!(inbox_kinds(&mut a).await.is_empty());
    // Reads need none.
    let r = call(
        &mut a,
        "",
        request::Body::Sync(SyncRequest { after: 0, limit: 0 }),
    )
    .await;
    assert_eq!(r.code, 0);
    // A request without a body.
    let seq = a
        .send(rcim_proto::v1::client_frame::Body::Request(
            Default::default(),
        ))
        .await;
    assert_eq!(a.wait_response(seq).await.code, codes::PARAMETER_INVALID);

    // One id, two kinds: the second is refused and changes nothing.
    assert_eq!(call(&mut a, "id-1", setting_body("b", true)).await.code, 0);
    let r = call(&mut a, "id-1", recall_body("UID", "b")).await;
    assert_eq!(r.code, codes::PARAMETER_INVALID);
    assert_eq!(inbox_kinds(&mut a).await, vec!["setting"]);
    server.shutdown().await;
}

#[tokio::test]
async fn non_send_requests_are_rate_limited() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let mut a = RawClient::connect(server.gateway_addr(), "a", "da").await;
    let mut seqs = Vec::new();
    for i in 0..80 {
        seqs.push(
            a.request(&format!("s{i}"), setting_body("b", i % 2 == 0))
                .await,
        );
    }
    // Answers may arrive in any order (refusals are immediate, the others follow a commit).
    let mut codes_by_seq = std::collections::HashMap::new();
    while codes_by_seq.len() < seqs.len() {
        let f = a.recv().await.expect("connection open");
        let seq = f.seq;
        if let Some(r) = response_of(f) {
            codes_by_seq.insert(seq, r.code);
        }
    }
    let mut ok = 0;
    let mut limited = 0;
    for code in codes_by_seq.into_values() {
        match code {
            0 => ok += 1,
            codes::SEND_MSG_FREQUENCY_OVERRUN => limited += 1,
            c => panic!("unexpected code {c}"),
        }
    }
    assert_eq!((ok, limited), (50, 30));
    assert_eq!(a.sync(0, 0).await.entries.len(), 50);
    // Sends have their own budget.
    assert_eq!(a.send_text("m", "b", "x").await.code, 0);
    server.shutdown().await;
}

#[tokio::test]
async fn back_to_back_duplicates_are_executed_once() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let mut a = RawClient::connect(server.gateway_addr(), "a", "da").await;
    let sent = a.send_text("m", "b", "x").await;
    // Each request twice without waiting for the first answer (a client resending on a
    // timeout while the first is still in flight).
    let bodies = [
        ("r", recall_body(&sent.uid, "b")),
        ("rr", receipt_body("b", 1)),
        ("s", setting_body("b", true)),
    ];
    let mut seqs = Vec::new();
    for (id, body) in bodies {
        seqs.push(a.request(id, body.clone()).await);
        seqs.push(a.request(id, body).await);
    }
    let mut answers = std::collections::HashMap::new();
    while answers.len() < seqs.len() {
        let f = a.recv().await.expect("connection open");
        let seq = f.seq;
        if let Some(r) = response_of(f) {
            answers.insert(seq, r);
        }
    }
    for pair in seqs.chunks(2) {
        assert_eq!(answers[&pair[0]], answers[&pair[1]], "same answer twice");
        assert_eq!(answers[&pair[0]].code, 0);
    }
    assert_eq!(
        inbox_kinds(&mut a).await,
        vec!["message", "recall", "receipt", "setting"]
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_resend_over_the_request_rate_gets_its_original_answer() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let mut a = RawClient::connect(server.gateway_addr(), "a", "da").await;
    let sent = a.send_text("m", "b", "x").await;
    let recalled = call(&mut a, "r", recall_body(&sent.uid, "b")).await;
    assert_eq!(recalled.code, 0);
    let receipt = call(&mut a, "rr", receipt_body("b", 1)).await;
    let setting = call(&mut a, "s", setting_body("b", true)).await;
    assert_eq!((receipt.code, setting.code), (0, 0));
    // A request refused earlier is not logged: its resend is refused again.
    let refused = call(&mut a, "bad", recall_body("NO-SUCH", "b")).await;
    assert_eq!(refused.code, codes::RECALL_PARAMETER_INVALID);
    // Let the window of those requests pass, then use up the 50 requests of a second.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let mut fresh = Vec::new();
    for i in 0..50 {
        fresh.push(
            a.request(&format!("f{i}"), setting_body("c", i % 2 == 0))
                .await,
        );
    }
    // The answers to these were "lost": resent over the limit.
    let resent = [
        a.request("r", recall_body(&sent.uid, "b")).await,
        a.request("rr", receipt_body("b", 1)).await,
        a.request("s", setting_body("b", true)).await,
    ];
    let not_executed = [
        // Never executed, or refused before: over the limit like any new request.
        a.request("bad", recall_body("NO-SUCH", "b")).await,
        a.request("new", setting_body("c", true)).await,
        // Logged as another kind of request: not its original answer.
        a.request("s", recall_body(&sent.uid, "b")).await,
    ];
    let all: Vec<u64> = fresh
        .iter()
        .chain(&resent)
        .chain(&not_executed)
        .copied()
        .collect();
    let by_seq = answers(&mut a, &all).await;
    for seq in &fresh {
        assert_eq!(by_seq[seq].code, 0, "within the limit");
    }
    assert_eq!(by_seq[&resent[0]], recalled, "the original recall time");
    assert_eq!(by_seq[&resent[1]], receipt);
    assert_eq!(by_seq[&resent[2]], setting);
    for seq in &not_executed {
        assert_eq!(by_seq[seq].code, codes::SEND_MSG_FREQUENCY_OVERRUN);
    }
    // The resends executed nothing: one recall, receipt and setting, then the 50 settings.
    let kinds = inbox_kinds(&mut a).await;
    assert_eq!(kinds[..4], ["message", "recall", "receipt", "setting"]);
    assert_eq!(kinds.len(), 4 + 50);
    server.shutdown().await;
}

#[tokio::test]
async fn a_resend_over_the_send_rate_gets_its_original_ack() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let mut a = RawClient::connect(server.gateway_addr(), "a", "da").await;
    let mut b = RawClient::connect(server.gateway_addr(), "b", "db").await;
    let first = a.send_text("m", "b", "x").await;
    assert_eq!(first.code, 0);
    assert_eq!(message(&b.next_push().await).uid, first.uid);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    // Use up the 5 sends of a second, then resend the first message and send a new one.
    let mut seqs = Vec::new();
    for i in 0..5 {
        seqs.push(
            a.send(send_body(RawClient::text(&format!("n{i}"), "b", "y")))
                .await,
        );
    }
    let resent = a.send(send_body(RawClient::text("m", "b", "x"))).await;
    let new = a.send(send_body(RawClient::text("n5", "b", "y"))).await;
    seqs.extend([resent, new]);
    let by_seq = answers(&mut a, &seqs).await;
    assert!(seqs[..5].iter().all(|s| by_seq[s].code == 0));
    assert_eq!(
        SendAck::of(by_seq[&resent].clone()),
        first,
        "the original ack"
    );
    assert_eq!(by_seq[&new].code, codes::SEND_MSG_FREQUENCY_OVERRUN);
    // b got the five new messages only: the resend is not delivered again.
    for _ in 0..5 {
        assert_ne!(message(&b.next_push().await).uid, first.uid);
    }
    assert!(b.try_recv(Duration::from_millis(300)).await.is_none());
    server.shutdown().await;
}
