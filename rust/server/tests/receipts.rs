//! Directed group messages, typing status, read-status sync across devices and group read
//! receipts.

mod common;

use common::*;
use rcim_proto::v1::{
    inbox_entry, request, server_frame, GroupReceiptRequest, GroupReceiptResponse, InboxEntry,
    SyncReadStatus, TypingEvent, TypingStatus,
};
use rcim_proto::{codes, conversation_type};
use std::time::Duration;

/// How long a test waits to be sure a frame does not come.
const QUIET: Duration = Duration::from_millis(400);

/// Frames other than responses that arrive within [`QUIET`] (pushes, transients).
async fn unsolicited(c: &mut RawClient) -> Vec<server_frame::Body> {
    let mut out = Vec::new();
    while let Some(f) = c.try_recv(QUIET).await {
        if let Some(b) = f.body {
            if !matches!(b, server_frame::Body::Response(_)) {
                out.push(b);
            }
        }
    }
    out
}

/// The next pushed entry whose body `pick` accepts (others are skipped).
async fn next_entry<T>(c: &mut RawClient, pick: impl Fn(&InboxEntry) -> Option<T>) -> T {
    loop {
        let e = c.next_push().await;
        if let Some(t) = pick(&e) {
            return t;
        }
    }
}

#[tokio::test]
async fn directed_messages_reach_only_the_named_members() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let api = Api::new(&server);
    api.create_group("g", "G", &["a", "b", "c"]).await;
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let mut a2 = RawClient::connect_web(addr, "a", "a2").await;
    let mut b = RawClient::connect(addr, "b", "b1").await;
    let mut c = RawClient::connect(addr, "c", "c1").await;

    let mut m = RawClient::group_text("d1", "g", "just for b");
    m.directed_user_ids = vec!["b".into(), "stranger".into()];
    let ack = a.send_and_ack(m).await;
    assert_eq!(ack.code, 0);
    for (who, client) in [("b", &mut b), ("a2", &mut a2)] {
        let got = next_entry(client, |e| match &e.body {
            Some(inbox_entry::Body::Message(m)) => Some(m.clone()),
            _ => None,
        })
        .await;
        assert_eq!(
            (got.uid.as_str(), got.conv_seq),
            (ack.uid.as_str(), 0),
            "{who}"
        );
    }
    assert!(unsolicited(&mut c).await.is_empty(), "c got it");
    assert!(c.sync(0, 0).await.entries.is_empty());
    // Not in the cloud history.
    let (code, page) = history(&mut b, conversation_type::GROUP, "g", 0, 0, 20).await;
    assert_eq!(code, 0);
    assert!(page.messages.is_empty(), "{page:?}");

    // Refusals: 33003 on a non-group message, beyond 300 ids, on a media message.
    let mut private = RawClient::text("d2", "b", "x");
    private.directed_user_ids = vec!["b".into()];
    assert_eq!(a.send_and_ack(private).await.code, codes::PARAMETER_INVALID);
    let mut many = RawClient::group_text("d3", "g", "x");
    many.directed_user_ids = (0..301).map(|i| format!("u{i}")).collect();
    assert_eq!(a.send_and_ack(many).await.code, codes::PARAMETER_INVALID);
    let mut three_hundred = RawClient::group_text("d4", "g", "x");
    three_hundred.directed_user_ids = (0..299).map(|i| format!("u{i}")).collect();
    three_hundred.directed_user_ids.push("c".into());
    assert_eq!(a.send_and_ack(three_hundred).await.code, 0);
    for media in [
        "RC:ImgMsg",
        "RC:HQVCMsg",
        "RC:VcMsg",
        "RC:FileMsg",
        "RC:SightMsg",
        "RC:GIFMsg",
    ] {
        let mut m = RawClient::group_text(&fresh_request_id(), "g", "x");
        m.object_name = media.into();
        m.directed_user_ids = vec!["b".into()];
        assert_eq!(
            a.send_and_ack(m).await.code,
            codes::PARAMETER_INVALID,
            "{media}"
        );
    }

    // The Server API's directed publish (`toUserId`, one group).
    api.call(
        "/message/group/publish.json",
        &[
            ("fromUserId", "a"),
            ("toGroupId", "g"),
            ("toUserId", "c"),
            ("objectName", "RC:TxtMsg"),
            ("content", r#"{"content":"api, for c"}"#),
        ],
    )
    .await;
    let got = next_entry(&mut c, |e| match &e.body {
        Some(inbox_entry::Body::Message(m)) if m.content.contains("api, for c") => Some(()),
        _ => None,
    });
    got.await;
    let frames = unsolicited(&mut b).await;
    assert!(frames.is_empty(), "b got {frames:?}");
    server.shutdown().await;
}

fn typing_body(target: &str, ctype: u32) -> request::Body {
    request::Body::Typing(TypingStatus {
        conversation_type: ctype,
        target_id: target.into(),
        channel_id: String::new(),
        object_name: "RC:TxtMsg".into(),
    })
}

fn typing_events(frames: &[server_frame::Body]) -> Vec<TypingEvent> {
    frames
        .iter()
        .filter_map(|b| {
            let server_frame::Body::Transient(t) = b else {
                return None;
            };
            let Some(rcim_proto::v1::transient::Body::Typing(e)) = &t.body else {
                return None;
            };
            Some(e.clone())
        })
        .collect()
}

#[tokio::test]
async fn typing_reaches_only_the_targets_online_sessions_and_is_throttled() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = rcim_server::start(rcim_server::ServerConfig {
        request_rate_per_sec: 4,
        ..config(dir.path())
    })
    .await
    .unwrap();
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let mut a2 = RawClient::connect_web(addr, "a", "a2").await;
    let mut b = RawClient::connect(addr, "b", "b1").await;
    let mut b2 = RawClient::connect_web(addr, "b", "b2").await;

    let r = call(&mut a, "", typing_body("b", conversation_type::PRIVATE)).await;
    assert_eq!(r.code, 0);
    for c in [&mut b, &mut b2] {
        let events = typing_events(&unsolicited(c).await);
        assert_eq!(events.len(), 1, "{events:?}");
        let e = &events[0];
        assert_eq!(
            (
                e.conversation_type,
                e.target_id.as_str(),
                e.user_id.as_str(),
                e.object_name.as_str()
            ),
            (conversation_type::PRIVATE, "a", "a", "RC:TxtMsg")
        );
        assert!(e.sent_time > 0);
    }
    assert!(
        unsolicited(&mut a2).await.is_empty(),
        "not to the typer's devices"
    );
    // Within 2 s: answered 0, dropped.
    let r = call(&mut a, "", typing_body("b", conversation_type::PRIVATE)).await;
    assert_eq!(r.code, 0);
    assert!(typing_events(&unsolicited(&mut b).await).is_empty());
    // Not private: 33003. Over the request rate: 20604.
    let r = call(&mut a, "", typing_body("g", conversation_type::GROUP)).await;
    assert_eq!(r.code, codes::PARAMETER_INVALID);
    let mut last = 0;
    for _ in 0..4 {
        last = call(&mut a, "", typing_body("b", conversation_type::PRIVATE))
            .await
            .code;
    }
    assert_eq!(last, codes::SEND_MSG_FREQUENCY_OVERRUN);
    // After the interval it is forwarded again; an offline user never gets it.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let r = call(&mut a, "", typing_body("b", conversation_type::PRIVATE)).await;
    assert_eq!(r.code, 0);
    assert_eq!(typing_events(&unsolicited(&mut b).await).len(), 1);
    let r = call(&mut a, "", typing_body("c", conversation_type::PRIVATE)).await;
    assert_eq!(r.code, 0);
    let mut c = RawClient::connect(addr, "c", "c1").await;
    assert!(
        c.sync(0, 0).await.entries.is_empty(),
        "typing is never stored"
    );
    assert!(unsolicited(&mut c).await.is_empty());
    server.shutdown().await;
}

fn read_status_body(ctype: u32, target: &str, timestamp: i64) -> request::Body {
    request::Body::ReadStatus(SyncReadStatus {
        conversation_type: ctype,
        target_id: target.into(),
        channel_id: String::new(),
        timestamp,
    })
}

#[tokio::test]
async fn read_status_reaches_the_users_other_devices_once() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let mut a2 = RawClient::connect_web(addr, "a", "a2").await;
    let mut b = RawClient::connect(addr, "b", "b1").await;

    let id = fresh_request_id();
    let r = call(
        &mut a,
        &id,
        read_status_body(conversation_type::PRIVATE, "b", 1234),
    )
    .await;
    assert_eq!(r.code, 0);
    let s = next_entry(&mut a2, |e| match &e.body {
        Some(inbox_entry::Body::ReadStatus(s)) => Some(s.clone()),
        _ => None,
    })
    .await;
    assert_eq!(
        (
            s.conversation_type,
            s.target_id.as_str(),
            s.timestamp,
            s.device_id.as_str()
        ),
        (conversation_type::PRIVATE, "b", 1234, "a1")
    );
    // A resend is answered 0 and appends nothing; the other user sees nothing.
    let r = call(
        &mut a,
        &id,
        read_status_body(conversation_type::PRIVATE, "b", 1234),
    )
    .await;
    assert_eq!(r.code, 0);
    assert!(unsolicited(&mut a2).await.is_empty());
    assert!(unsolicited(&mut b).await.is_empty());
    for ctype in [conversation_type::GROUP, conversation_type::SYSTEM] {
        let r = call(&mut a, &fresh_request_id(), read_status_body(ctype, "x", 5)).await;
        assert_eq!(r.code, 0);
    }
    let refused = [
        read_status_body(conversation_type::CHATROOM, "x", 5),
        read_status_body(conversation_type::PRIVATE, "b", -1),
        read_status_body(conversation_type::PRIVATE, "", 5),
    ];
    for body in refused {
        let r = call(&mut a, &fresh_request_id(), body.clone()).await;
        assert_eq!(r.code, codes::PARAMETER_INVALID, "{body:?}");
    }
    assert_eq!(a.sync(0, 0).await.entries.len(), 3);
    server.shutdown().await;
}

fn receipt_request(uid: &str) -> request::Body {
    request::Body::ReceiptRequest(GroupReceiptRequest {
        group_id: "g".into(),
        channel_id: String::new(),
        uid: uid.into(),
    })
}

fn receipt_response(uids: &[&str]) -> request::Body {
    request::Body::ReceiptResponse(GroupReceiptResponse {
        group_id: "g".into(),
        channel_id: String::new(),
        uids: uids.iter().map(|u| u.to_string()).collect(),
    })
}

fn responded(e: &InboxEntry) -> Option<rcim_proto::v1::ReceiptResponded> {
    match &e.body {
        Some(inbox_entry::Body::ReceiptResponded(r)) => Some(r.clone()),
        _ => None,
    }
}

#[tokio::test]
async fn group_receipts_with_two_readers() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let api = Api::new(&server);
    api.create_group("g", "G", &["a", "b", "c", "d"]).await;
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let mut a2 = RawClient::connect_web(addr, "a", "a2").await;
    let mut b = RawClient::connect(addr, "b", "b1").await;
    let mut c = RawClient::connect(addr, "c", "c1").await;
    let mut e = RawClient::connect(addr, "e", "e1").await;
    let sent = a
        .send_and_ack(RawClient::group_text("m1", "g", "please read"))
        .await;
    let other = b
        .send_and_ack(RawClient::group_text("m2", "g", "b's own"))
        .await;
    let uid = sent.uid.as_str();

    // Refusals: not the sender (34203), a non-member (22406), an unknown uid (34203).
    let r = call(&mut b, &fresh_request_id(), receipt_request(uid)).await;
    assert_eq!(r.code, codes::INVALID_MESSAGE_UID);
    let r = call(&mut e, &fresh_request_id(), receipt_request(uid)).await;
    assert_eq!(r.code, codes::NOT_IN_GROUP);
    let r = call(&mut a, &fresh_request_id(), receipt_request("nope")).await;
    assert_eq!(r.code, codes::INVALID_MESSAGE_UID);

    let r = call(&mut a, &fresh_request_id(), receipt_request(uid)).await;
    assert_eq!(r.code, 0);
    for (who, client) in [("b", &mut b), ("c", &mut c), ("a2", &mut a2)] {
        let req = next_entry(client, |e| match &e.body {
            Some(inbox_entry::Body::ReceiptRequested(r)) => Some(r.clone()),
            _ => None,
        })
        .await;
        assert_eq!(
            (
                req.group_id.as_str(),
                req.uid.as_str(),
                req.sender_id.as_str(),
                req.device_id.as_str()
            ),
            ("g", uid, "a", "a1"),
            "{who}"
        );
    }
    // Asking again changes nothing.
    let r = call(&mut a, &fresh_request_id(), receipt_request(uid)).await;
    assert_eq!(r.code, 0);
    assert!(unsolicited(&mut b).await.is_empty());

    // Two readers; b also lists a message without a request and an unknown one (skipped).
    let r = call(
        &mut b,
        &fresh_request_id(),
        receipt_response(&[uid, &other.uid, "zz"]),
    )
    .await;
    assert_eq!(r.code, 0);
    let to_sender = next_entry(&mut a2, responded).await;
    assert_eq!(
        (to_sender.uid.as_str(), to_sender.reader_id.as_str()),
        (uid, "b")
    );
    assert_eq!(to_sender.responses.keys().collect::<Vec<_>>(), ["b"]);
    // The responder's own entry was pushed before the answer: read it from the inbox.
    let own = b
        .sync(0, 0)
        .await
        .entries
        .iter()
        .find_map(responded)
        .expect("the responder's own entry");
    assert_eq!(own.responses.keys().collect::<Vec<_>>(), ["b"]);
    let b_time = own.responses["b"];
    let r = call(&mut c, &fresh_request_id(), receipt_response(&[uid])).await;
    assert_eq!(r.code, 0);
    let to_sender = next_entry(&mut a2, responded).await;
    // Only the new response: the sender merges (so n responses cost n entries of one each).
    assert_eq!(to_sender.responses.keys().collect::<Vec<_>>(), ["c"]);
    // A repeat appends nothing.
    let r = call(&mut b, &fresh_request_id(), receipt_response(&[uid])).await;
    assert_eq!(r.code, 0);
    assert!(unsolicited(&mut a2).await.is_empty());

    // Refusals: 22406 non-member, 33003 no uids or more than 100.
    let r = call(&mut e, &fresh_request_id(), receipt_response(&[uid])).await;
    assert_eq!(r.code, codes::NOT_IN_GROUP);
    let r = call(&mut b, &fresh_request_id(), receipt_response(&[])).await;
    assert_eq!(r.code, codes::PARAMETER_INVALID);
    let many: Vec<String> = (0..101).map(|i| format!("u{i}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let r = call(&mut b, &fresh_request_id(), receipt_response(&many)).await;
    assert_eq!(r.code, codes::PARAMETER_INVALID);

    // The state in every view: the sender's history and sync, the readers', a non-reader's.
    let (_, page) = history(&mut a, conversation_type::GROUP, "g", 0, 0, 20).await;
    let m = page.messages.iter().find(|m| m.uid == uid).unwrap();
    let receipt = m.receipt.as_ref().expect("receipt in the sender's view");
    assert!(receipt.requested);
    assert_eq!(receipt.responses.len(), 2);
    assert_eq!(
        receipt.responses["b"], b_time,
        "the first response time is kept"
    );
    let plain = page.messages.iter().find(|m| m.uid == other.uid).unwrap();
    assert!(plain.receipt.is_none());
    let mut fresh = RawClient::connect_web(addr, "a", "a3").await;
    let synced = fresh.sync(0, 0).await;
    let m = synced
        .entries
        .iter()
        .find_map(|e| match &e.body {
            Some(inbox_entry::Body::Message(m)) if m.uid == uid => Some(m.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(m.receipt.unwrap().responses.len(), 2);
    let (_, page) = history(&mut b, conversation_type::GROUP, "g", 0, 0, 20).await;
    let r = page
        .messages
        .iter()
        .find(|m| m.uid == uid)
        .unwrap()
        .receipt
        .clone()
        .unwrap();
    assert!(r.requested && r.responded && r.responses.is_empty());
    let mut d = RawClient::connect(addr, "d", "d1").await;
    let (_, page) = history(&mut d, conversation_type::GROUP, "g", 0, 0, 20).await;
    let r = page
        .messages
        .iter()
        .find(|m| m.uid == uid)
        .unwrap()
        .receipt
        .clone()
        .unwrap();
    assert!(r.requested && !r.responded);
    server.shutdown().await;
}

/// Over the request rate, a resend of an executed read-status sync or receipt request still
/// gets its original answer (from the request log); a new request is refused.
#[tokio::test]
async fn resends_over_the_rate_get_their_original_answer() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = rcim_server::start(rcim_server::ServerConfig {
        request_rate_per_sec: 2,
        ..config(dir.path())
    })
    .await
    .unwrap();
    let addr = server.gateway_addr();
    let api = Api::new(&server);
    api.create_group("g", "G", &["a", "b"]).await;
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let uid = a
        .send_and_ack(RawClient::group_text("m1", "g", "read me"))
        .await
        .uid;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let sync = read_status_body(conversation_type::GROUP, "g", 1);
    assert_eq!(call(&mut a, "rs-1", sync.clone()).await.code, 0);
    assert_eq!(call(&mut a, "rq-1", receipt_request(&uid)).await.code, 0);
    assert_eq!(call(&mut a, "rs-1", sync.clone()).await.code, 0);
    assert_eq!(call(&mut a, "rq-1", receipt_request(&uid)).await.code, 0);
    assert_eq!(
        call(&mut a, "rs-2", sync).await.code,
        codes::SEND_MSG_FREQUENCY_OVERRUN
    );
    let events = a
        .sync(0, 0)
        .await
        .entries
        .iter()
        .filter(|e| !matches!(e.body, Some(inbox_entry::Body::Message(_))))
        .count();
    assert_eq!(events, 2, "one read status, one receipt request");
    server.shutdown().await;
}

/// A directed message's receipt request, responses and expansion changes stay among its
/// recipients and sender: to another member it is an unknown message.
#[tokio::test]
async fn directed_message_receipts_and_expansion_stay_with_its_recipients() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let api = Api::new(&server);
    api.create_group("g", "G", &["a", "b", "c"]).await;
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let mut b = RawClient::connect(addr, "b", "b1").await;
    let mut c = RawClient::connect(addr, "c", "c1").await;

    let mut m = RawClient::group_text("dx", "g", "for b");
    m.directed_user_ids = vec!["b".into()];
    m.can_expand = true;
    let uid = a.send_and_ack(m).await.uid;
    let requested = |e: &InboxEntry| match &e.body {
        Some(inbox_entry::Body::ReceiptRequested(r)) => Some(r.uid.clone()),
        _ => None,
    };
    next_entry(&mut b, |e| match &e.body {
        Some(inbox_entry::Body::Message(m)) => Some(m.uid.clone()),
        _ => None,
    })
    .await;
    assert_eq!(
        call(&mut a, &fresh_request_id(), receipt_request(&uid))
            .await
            .code,
        0
    );
    assert_eq!(next_entry(&mut b, requested).await, uid);
    assert!(
        c.sync(0, 0).await.entries.is_empty(),
        "c got an entry of a message not addressed to them"
    );

    // c's response is skipped like one to an unknown message; b's is recorded.
    let r = call(&mut c, &fresh_request_id(), receipt_response(&[&uid])).await;
    assert_eq!(r.code, 0);
    let r = call(&mut b, &fresh_request_id(), receipt_response(&[&uid])).await;
    assert_eq!(r.code, 0);
    let to_sender = next_entry(&mut a, responded).await;
    assert_eq!(to_sender.responses.keys().collect::<Vec<_>>(), ["b"]);
    assert!(c.sync(0, 0).await.entries.is_empty());

    // Expansion: c is refused as for an unknown message; b's change reaches a only.
    let expand = |set: &str| {
        request::Body::UpdateExpansion(rcim_proto::v1::UpdateExpansion {
            uid: uid.clone(),
            conversation_type: conversation_type::GROUP,
            target_id: "g".into(),
            channel_id: String::new(),
            set: [("k".to_string(), set.to_string())].into(),
            remove: Vec::new(),
        })
    };
    let r = call(&mut c, &fresh_request_id(), expand("c")).await;
    assert_eq!(r.code, codes::INVALID_MESSAGE_UID);
    let r = call(&mut b, &fresh_request_id(), expand("b")).await;
    assert_eq!(r.code, 0);
    let change = next_entry(&mut a, |e| match &e.body {
        Some(inbox_entry::Body::ExpansionChange(x)) => Some(x.clone()),
        _ => None,
    })
    .await;
    assert_eq!(change.set["k"], "b");
    assert!(c.sync(0, 0).await.entries.is_empty());
    server.shutdown().await;
}

/// Typing status does not reach a user who blacklisted the typer.
#[tokio::test]
async fn typing_does_not_reach_a_user_who_blacklisted_the_typer() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let api = Api::new(&server);
    api.call(
        "/user/blacklist/add.json",
        &[("userId", "b"), ("blackUserId", "a")],
    )
    .await;
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let mut b = RawClient::connect(addr, "b", "b1").await;
    let mut c = RawClient::connect(addr, "c", "c1").await;
    b.sync(0, 0).await;
    let r = call(&mut a, "", typing_body("b", conversation_type::PRIVATE)).await;
    assert_eq!(r.code, 0, "dropped silently, as throttled events are");
    assert!(typing_events(&unsolicited(&mut b).await).is_empty());
    // Others still get it.
    let r = call(&mut a, "", typing_body("c", conversation_type::PRIVATE)).await;
    assert_eq!(r.code, 0);
    assert_eq!(typing_events(&unsolicited(&mut c).await).len(), 1);
    server.shutdown().await;
}
