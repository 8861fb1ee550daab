//! End to end: real engines talking to a real `rcim-server` on loopback.

use rcim_core::model::connection_status as status;
use rcim_core::{ConversationKey, Event};
use rcim_testing::proxy::Proxy;
use rcim_testing::*;
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// A sends B text while both are online.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn online_text_reaches_the_peer_and_both_stores() {
    let server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let mut bob = server.online("bob").await;
    assert!(alice
        .statuses()
        .ends_with(&[status::CONNECTING, status::CONNECTED]));

    assert_eq!(alice.send_text("bob", "hello bob"), Ok(()));
    let sent = alice
        .wait_for("sent", |e| matches!(e, Event::MessageSent { .. }))
        .await;
    // Attached first, then sent, for the same stored message.
    let attached_at = alice
        .seen
        .iter()
        .position(|e| matches!(e, Event::MessageAttached { .. }))
        .expect("attached fired");
    let sent_at = alice.seen.len() - 1;
    assert!(attached_at < sent_at);
    let Event::MessageAttached {
        message: attached, ..
    } = &alice.seen[attached_at]
    else {
        unreachable!()
    };
    let Event::MessageSent {
        code,
        message: sent,
        ..
    } = sent
    else {
        unreachable!()
    };
    assert_eq!(code, 0);
    assert_eq!(attached.sent_status, Some(0));
    assert_eq!(sent.sent_status, Some(2));
    assert_eq!(attached.message_id, sent.message_id);
    let uid = sent.message_uid.clone().expect("uid after ack");

    let received = bob
        .wait_for("received", |e| matches!(e, Event::MessageReceived { .. }))
        .await;
    let Event::MessageReceived {
        message,
        left,
        offline,
        has_package,
    } = received
    else {
        unreachable!()
    };
    assert_eq!(text_of(&message), "hello bob");
    assert_eq!(message.sender_user_id.as_deref(), Some("alice"));
    assert_eq!(message.target_id, "alice");
    assert_eq!(message.message_uid.as_deref(), Some(uid.as_str()));
    assert_eq!((left, offline, has_package), (0, false, false));

    // Both local databases hold it.
    let mine = answer(alice.engine.message_by_id(sent.message_id.unwrap())).await;
    assert_eq!(text_of(&mine), "hello bob");
    let theirs = answer(bob.engine.message_by_id(message.message_id.unwrap())).await;
    assert_eq!(theirs.message_uid.as_deref(), Some(uid.as_str()));

    // Conversations: unread 0 for the sender, 1 for the receiver.
    let conversations = answer(alice.engine.conversations(vec![1], "", 0, 50)).await;
    assert_eq!(conversations.len(), 1);
    assert_eq!(conversations[0].target_id, "bob");
    assert_eq!(conversations[0].unread_count, 0);
    assert_eq!(
        text_of(conversations[0].last_message.as_ref().unwrap()),
        "hello bob"
    );
    let conversations = answer(bob.engine.conversations(vec![1], "", 0, 50)).await;
    assert_eq!(conversations[0].target_id, "alice");
    assert_eq!(conversations[0].unread_count, 1);

    // History.
    let messages = answer(
        bob.engine
            .messages(ConversationKey::new(1, "alice", ""), 0, 0, 0, 20),
    )
    .await;
    assert_eq!(messages.len(), 1);
    assert_eq!(text_of(&messages[0]), "hello bob");
}

/// 450 messages while B is offline arrive once, in order, in packages of 200.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_messages_arrive_in_packages_exactly_once() {
    let server = TestServer::start().await;
    let tb = server.token("bob").await;
    server.token("alice").await;
    // Server-side sends (the client's own limit is 5/s): stored for bob like any message.
    for i in 0..450 {
        let content = format!(r#"{{"content":"m{i}"}}"#);
        let reply = server_api(
            &server.navi_url(),
            "/message/private/publish.json",
            &[
                ("fromUserId", "alice"),
                ("toUserId", "bob"),
                ("objectName", "RC:TxtMsg"),
                ("content", &content),
            ],
        )
        .await;
        assert_eq!(reply["code"], 200, "{reply}");
    }

    let mut bob = TestClient::new(&server.navi_url(), "bob");
    bob.connect(&tb).await;
    let mut received = Vec::new();
    loop {
        let Event::MessageReceived {
            message,
            left,
            offline,
            has_package,
        } = bob
            .wait_for("received", |e| matches!(e, Event::MessageReceived { .. }))
            .await
        else {
            unreachable!()
        };
        assert!(offline);
        received.push((text_of(&message), left, has_package));
        if !has_package && left == 0 {
            break;
        }
    }
    let texts: Vec<_> = received.iter().map(|r| r.0.clone()).collect();
    let expected: Vec<_> = (0..450).map(|i| format!("m{i}")).collect();
    assert_eq!(texts, expected, "all 450, in order, once");
    // Packages: 200 (more to come), 200 (more to come), 50 (last).
    let package = |i: usize| (received[i].1, received[i].2);
    assert_eq!(package(0), (199, true));
    assert_eq!(package(199), (0, true));
    assert_eq!(package(200), (199, true));
    assert_eq!(package(399), (0, true));
    assert_eq!(package(400), (49, false));
    assert_eq!(package(449), (0, false));
    // Nothing more arrives.
    let late = bob.drain(Duration::from_millis(500)).await;
    assert!(!late
        .iter()
        .any(|e| matches!(e, Event::MessageReceived { .. })));
    // And nothing again after a reconnect.
    bob.engine.disconnect(true).unwrap();
    bob.connect(&tb).await;
    let again = bob.drain(Duration::from_millis(800)).await;
    assert!(!again
        .iter()
        .any(|e| matches!(e, Event::MessageReceived { .. })));
    let count = answer(
        bob.engine
            .unread_count(ConversationKey::new(1, "alice", "")),
    )
    .await;
    assert_eq!(count, 450);
}

/// The connection drops after the send reached the server but before the ack reached A.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_ack_is_resent_and_delivered_once() {
    let server = TestServer::start().await;
    let (ta, tb) = (server.token("alice").await, server.token("bob").await);
    let proxy = Proxy::start(server.gateway()).await;
    let mut alice = TestClient::new(&proxy.navi_url, "alice");
    let mut bob = TestClient::new(&server.navi_url(), "bob");
    alice.connect(&ta).await;
    bob.connect(&tb).await;

    proxy
        .drop_after_next_client_data
        .store(true, Ordering::SeqCst);
    assert_eq!(alice.send_text("bob", "exactly once"), Ok(()));
    let Event::MessageSent { code, message, .. } = alice
        .wait_for("sent", |e| matches!(e, Event::MessageSent { .. }))
        .await
    else {
        unreachable!()
    };
    assert_eq!(code, 0, "resent after reconnect and acknowledged");
    assert!(
        alice.statuses().contains(&status::SUSPEND),
        "the connection did drop"
    );
    assert_eq!(*alice.statuses().last().unwrap(), status::CONNECTED);

    let got = bob
        .wait_for("received", |e| matches!(e, Event::MessageReceived { .. }))
        .await;
    let Event::MessageReceived {
        message: theirs, ..
    } = got
    else {
        unreachable!()
    };
    assert_eq!(theirs.message_uid, message.message_uid);
    let later = bob.drain(Duration::from_secs(1)).await;
    assert!(
        !later
            .iter()
            .any(|e| matches!(e, Event::MessageReceived { .. })),
        "delivered once"
    );
    let sent_events = alice
        .seen
        .iter()
        .filter(|e| matches!(e, Event::MessageSent { .. }))
        .count();
    assert_eq!(sent_events, 1);
    let messages = answer(
        alice
            .engine
            .messages(ConversationKey::new(1, "bob", ""), 0, 0, 0, 20),
    )
    .await;
    assert_eq!(messages.len(), 1, "stored once on the sender");
}

/// The server is killed and restarted while A keeps sending: every message ends up delivered
/// exactly once or visibly failed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_restart_loses_and_duplicates_nothing() {
    let mut server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let mut bob = server.online("bob").await;

    let total = 24;
    for i in 0..total {
        if i == 8 {
            server.kill();
        }
        if i == 14 {
            server.restart().await;
        }
        assert_eq!(alice.send_text("bob", &format!("r{i}")), Ok(()));
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    // Every attached message gets a final result.
    let mut results: HashMap<String, i32> = HashMap::new();
    while results.len() < total {
        if let Event::MessageSent { code, message, .. } = alice
            .wait_for("sent", |e| matches!(e, Event::MessageSent { .. }))
            .await
        {
            assert!(
                results.insert(text_of(&message), code).is_none(),
                "one result each"
            );
        }
    }
    let delivered: Vec<String> = results
        .iter()
        .filter(|(_, code)| **code == 0)
        .map(|(t, _)| t.clone())
        .collect();
    let failed: Vec<_> = results.iter().filter(|(_, c)| **c != 0).collect();
    assert!(failed.is_empty(), "nothing should fail here: {failed:?}");
    assert!(
        alice.statuses().contains(&status::SUSPEND),
        "alice saw the outage"
    );

    // B got each delivered message exactly once.
    let mut got: Vec<String> = Vec::new();
    while got.len() < delivered.len() {
        if let Event::MessageReceived { message, .. } = bob
            .wait_for("received", |e| matches!(e, Event::MessageReceived { .. }))
            .await
        {
            got.push(text_of(&message));
        }
    }
    let extra = bob.drain(Duration::from_secs(1)).await;
    assert!(!extra
        .iter()
        .any(|e| matches!(e, Event::MessageReceived { .. })));
    let mut sorted = got.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), got.len(), "no duplicates: {got:?}");
    let mut expected = delivered.clone();
    expected.sort();
    assert_eq!(sorted, expected);
    // In send order.
    let order: Vec<usize> = got.iter().map(|t| t[1..].parse().unwrap()).collect();
    let mut in_order = order.clone();
    in_order.sort();
    assert_eq!(order, in_order, "delivered in send order");
}

/// Resending a message object that was already sent does not create a second copy.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resending_a_sent_message_object_does_not_duplicate_it() {
    let server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let mut bob = server.online("bob").await;
    assert_eq!(alice.send_text("bob", "only once"), Ok(()));
    let Event::MessageSent { message, .. } = alice
        .wait_for("sent", |e| matches!(e, Event::MessageSent { .. }))
        .await
    else {
        unreachable!()
    };
    bob.wait_for("received", |e| matches!(e, Event::MessageReceived { .. }))
        .await;
    assert_eq!(alice.engine.send_message(message.clone(), None), Ok(()));
    let Event::MessageSent {
        code,
        message: again,
        ..
    } = alice
        .wait_for("sent again", |e| matches!(e, Event::MessageSent { .. }))
        .await
    else {
        unreachable!()
    };
    assert_eq!(code, 0);
    assert_eq!(again.message_id, message.message_id);
    assert_eq!(again.message_uid, message.message_uid);
    let later = bob.drain(Duration::from_millis(800)).await;
    assert!(!later
        .iter()
        .any(|e| matches!(e, Event::MessageReceived { .. })));
}

/// A message handed over right before `disconnect` is neither lost nor duplicated: it is either
/// settled before the sign-out completes or sent by the next connect.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_racing_disconnect_is_neither_lost_nor_duplicated() {
    let server = TestServer::start().await;
    let (ta, tb) = (server.token("alice").await, server.token("bob").await);
    let mut alice = TestClient::new(&server.navi_url(), "alice");
    let mut bob = TestClient::new(&server.navi_url(), "bob");
    alice.connect(&ta).await;
    bob.connect(&tb).await;
    assert_eq!(alice.send_text("bob", "racing"), Ok(()));
    assert_eq!(alice.engine.disconnect(false), Ok(()));
    alice
        .wait_for("signed out", |e| {
            matches!(
                e,
                Event::ConnectionStatusChanged {
                    status: status::SIGN_OUT
                }
            )
        })
        .await;
    alice.connect(&ta).await;
    let settled = |e: &Event| matches!(e, Event::MessageSent { .. });
    if !alice.seen.iter().any(settled) {
        alice.wait_for("sent", settled).await;
    }
    alice.drain(Duration::from_millis(500)).await;
    let results: Vec<i32> = alice
        .seen
        .iter()
        .filter_map(|e| match e {
            Event::MessageSent { code, .. } => Some(*code),
            _ => None,
        })
        .collect();
    assert_eq!(results, vec![0], "one final result for the one message");
    bob.wait_for("received", |e| matches!(e, Event::MessageReceived { .. }))
        .await;
    let late = bob.drain(Duration::from_millis(500)).await;
    assert!(!late
        .iter()
        .any(|e| matches!(e, Event::MessageReceived { .. })));
}

/// The server lost its data (reinstalled): the client follows the new inbox instead of waiting
/// for sequence numbers it already passed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_server_inbox_is_followed() {
    let mut server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let mut bob = server.online("bob").await;
    for i in 0..3 {
        assert_eq!(alice.send_text("bob", &format!("before {i}")), Ok(()));
        alice
            .wait_for("acked", |e| matches!(e, Event::MessageSent { code: 0, .. }))
            .await;
        bob.wait_for("received", |e| matches!(e, Event::MessageReceived { .. }))
            .await;
    }
    server.kill();
    let fresh = tempfile::tempdir().unwrap();
    server.config.data_dir = fresh.path().join("server");
    server.restart().await;
    // Same secret, so the tokens stay valid; both reconnect to the empty server.
    server.token("alice").await;
    server.token("bob").await;
    bob.wait_for("reconnected", |e| {
        matches!(
            e,
            Event::ConnectionStatusChanged {
                status: status::CONNECTED
            }
        )
    })
    .await;
    alice
        .wait_for("reconnected", |e| {
            matches!(
                e,
                Event::ConnectionStatusChanged {
                    status: status::CONNECTED
                }
            )
        })
        .await;
    assert_eq!(alice.send_text("bob", "after reset"), Ok(()));
    let Event::MessageReceived { message, .. } = bob
        .wait_for("received after reset", |e| {
            matches!(e, Event::MessageReceived { .. })
        })
        .await
    else {
        unreachable!()
    };
    assert_eq!(text_of(&message), "after reset");
}
