//! Ultra-group client sends and their resends: a resend of a stored message gets its
//! original answer even when a fresh send would now be refused (muted since, channel at its
//! rate), and a blocked send is recorded like the other types' (the sender's `MessageBlocked`
//! entry, the same uid on a resend); pipelined sends of one connection keep their order.

mod common;
mod ultragroup_common;

use common::*;
use rcim_proto::codes;
use rcim_proto::v1::{inbox_entry, request, response, server_frame, SendMessage};
use std::collections::HashMap;
use ultragroup_common::*;

/// Sends `m` with request id `id`: the code and the uid.
async fn send_as(c: &mut RawClient, id: &str, m: SendMessage) -> (u32, String) {
    let r = call(c, id, request::Body::SendMessage(m)).await;
    match r.body {
        Some(response::Body::SendMessage(s)) => (r.code, s.uid),
        _ => (r.code, String::new()),
    }
}

/// A resend after a lost answer gets the original answer, not 24408 or 24415.
#[tokio::test]
async fn a_resend_gets_its_original_answer() {
    let (_dir, server, api) = ug_server(|c| c.ultragroup.channel_rate_per_sec = 1).await;
    make_group(&api, "ug", "a", &["b"]).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let (code, uid) = send_as(&mut a, "m1", ug_text("ug", "", "one")).await;
    assert_eq!(code, 0);
    // The channel's rate (1/s) is used up: a new message is refused, the resend is not.
    let (code, _) = send_as(&mut a, "m2", ug_text("ug", "", "two")).await;
    assert_eq!(code, codes::ULTRA_GROUP_CHANNEL_MESSAGE_EXCEED_LIMIT);
    assert_eq!(
        send_as(&mut a, "m1", ug_text("ug", "", "one")).await,
        (0, uid.clone())
    );
    api.call(
        "/ultragroup/userbanned/add.json",
        &[("groupId", "ug"), ("userIds", "a")],
    )
    .await;
    assert_eq!(
        send_as(&mut a, "m1", ug_text("ug", "", "one")).await,
        (0, uid)
    );
    let (code, _) = send_as(&mut a, "m3", ug_text("ug", "", "three")).await;
    assert_eq!(code, codes::FORBIDDEN_IN_ULTRA_GROUP);
    server.shutdown().await;
}

/// A blocked send is answered normally, reaches nobody, leaves the sender a
/// `MessageBlocked` entry (on its other devices) and keeps its uid on a resend.
#[tokio::test]
async fn a_blocked_send_is_recorded() {
    let (_dir, server, api) = ug_server(|_| {}).await;
    api.call("/sensitiveword/add.json", &[("word", "bad")])
        .await;
    make_group(&api, "ug", "a", &["b"]).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let mut a2 = RawClient::connect_web(addr, "a", "a2").await;
    let mut b = RawClient::connect(addr, "b", "b1").await;
    let (code, uid) = send_as(&mut a, "m1", ug_text("ug", "", "a bad word")).await;
    assert_eq!(code, 0);
    assert!(!uid.is_empty());
    let e = next_event(&mut a2).await;
    let Some(inbox_entry::Body::MessageBlocked(blocked)) = e.body else {
        panic!("{e:?}")
    };
    assert_eq!(
        (blocked.uid.as_str(), blocked.conversation_type),
        (uid.as_str(), 5)
    );
    assert_eq!(
        (blocked.target_id.as_str(), blocked.channel_id.as_str()),
        ("ug", "RCDefault")
    );
    assert_eq!(
        send_as(&mut a, "m1", ug_text("ug", "", "a bad word")).await,
        (0, uid)
    );
    say(&mut a, "ug", "", "fine").await;
    assert_eq!(text_of(&next_ug_message(&mut b).await), "fine");
    server.shutdown().await;
}

/// Sends pipelined on one connection (answers not awaited) are stored in the order sent,
/// while the stores are waited for off the read loop.
#[tokio::test]
async fn pipelined_sends_keep_their_order() {
    let (_dir, server, api) = ug_server(|_| {}).await;
    make_group(&api, "ug", "a", &["b"]).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let mut b = RawClient::connect(addr, "b", "b1").await;
    let mut seqs = Vec::new();
    for i in 0..30 {
        let m = ug_text("ug", "", &format!("m{i}"));
        seqs.push(
            a.request(&format!("p{i}"), request::Body::SendMessage(m))
                .await,
        );
    }
    let mut answers: HashMap<u64, u64> = HashMap::new();
    while answers.len() < seqs.len() {
        let f = a.recv().await.expect("connection open");
        if let Some(server_frame::Body::Response(r)) = f.body {
            assert_eq!(r.code, 0);
            let Some(response::Body::SendMessage(s)) = r.body else {
                panic!("{r:?}")
            };
            answers.insert(f.seq, s.conv_seq);
        }
    }
    let conv_seqs: Vec<u64> = seqs.iter().map(|s| answers[s]).collect();
    assert_eq!(conv_seqs, (1..=30).collect::<Vec<u64>>());
    for i in 0..30 {
        assert_eq!(text_of(&next_ug_message(&mut b).await), format!("m{i}"));
    }
    server.shutdown().await;
}
