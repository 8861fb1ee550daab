//! End to end: recalling messages between real engines and a real `rcim-server`.

use rcim_core::model::message_type;
use rcim_core::{codec, Code, ConversationKey, Event, Message};
use rcim_testing::*;
use std::time::Duration;

const PRIVATE: u32 = 1;
const GROUP: u32 = rcim_core::model::conversation_type::GROUP;

async fn recall(client: &mut TestClient, message: Message) -> (i32, Message) {
    assert_eq!(
        client.engine.recall_message(message, Some("r".into())),
        Ok(())
    );
    let Event::MessageRecalled {
        code,
        message,
        event_id,
    } = client
        .wait_for("recalled", |e| matches!(e, Event::MessageRecalled { .. }))
        .await
    else {
        unreachable!()
    };
    assert_eq!(event_id.as_deref(), Some("r"));
    (code, message)
}

async fn remote_recalled(client: &mut TestClient) -> Message {
    let Event::RemoteMessageRecalled { message } = client
        .wait_for("remote recall", |e| {
            matches!(e, Event::RemoteMessageRecalled { .. })
        })
        .await
    else {
        unreachable!()
    };
    message
}

async fn unread(client: &mut TestClient, key: ConversationKey) -> u64 {
    answer(client.engine.unread_count(key)).await
}

async fn stored(client: &mut TestClient, id: i64) -> Message {
    answer(client.engine.message_by_id(id)).await
}

/// The recall notification as every device shows it.
fn assert_notification_of(message: &Message, original: &Message) {
    assert_eq!(message.message_type, message_type::RECALL, "{message:?}");
    assert_eq!(message.message_uid, original.message_uid);
    assert_eq!(message.fields["recallTime"], original.sent_time.unwrap());
    assert!(message.fields["recallActionTime"].as_i64().unwrap() >= original.sent_time.unwrap());
    assert_eq!(message.fields["admin"], false);
    assert_eq!(message.fields["deleted"], false);
    assert!(message.text().is_none());
}

/// The recalling device keeps the recalled message in its notification.
fn assert_recall_of(message: &Message, original: &Message) {
    assert_notification_of(message, original);
    let inner: Message =
        serde_json::from_value(message.fields["originalMessage"].clone()).expect("originalMessage");
    assert_eq!(inner.message_type, original.message_type);
    assert_eq!(inner.fields, original.fields);
    assert_eq!(inner.message_uid, original.message_uid);
}

/// Every other device drops the recalled content (R115).
fn assert_remote_recall_of(message: &Message, original: &Message) {
    assert_notification_of(message, original);
    assert!(message.fields["originalMessage"].is_null(), "{message:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sender_recalls_a_private_message_online() {
    let server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let mut bob = server.online("bob").await;

    let sent = alice.send_and_wait("bob", "oops").await;
    let got = bob.received().await;
    assert_eq!(text_of(&got), "oops");
    let key = ConversationKey::new(PRIVATE, "alice", "");
    assert_eq!(unread(&mut bob, key.clone()).await, 1);

    let (code, recalled) = recall(&mut alice, sent.clone()).await;
    assert_eq!(code, 0);
    assert_recall_of(&recalled, &sent);
    assert_eq!(recalled.message_id, sent.message_id);
    // The sender's stored row is the notification too.
    let mine = stored(&mut alice, sent.message_id.unwrap()).await;
    assert_eq!(mine.message_type, message_type::RECALL);

    let remote = remote_recalled(&mut bob).await;
    assert_remote_recall_of(&remote, &sent);
    assert_eq!(remote.message_id, got.message_id);
    let theirs = stored(&mut bob, got.message_id.unwrap()).await;
    assert_eq!(theirs.message_type, message_type::RECALL);
    assert_eq!(unread(&mut bob, key).await, 0);

    // The operator's own devices do not get onRemoteMessageRecalled.
    let events = alice.drain(Duration::from_millis(500)).await;
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::RemoteMessageRecalled { .. })),
        "{events:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_sender_may_recall() {
    // The server's "only the sender may recall" setting (by default anyone may).
    let server = TestServer::builder().recall_only_sender(true).start().await;
    let mut alice = server.online("alice").await;
    let mut bob = server.online("bob").await;

    alice.send_and_wait("bob", "mine").await;
    let got = bob.received().await;
    let (code, back) = recall(&mut bob, got.clone()).await;
    assert_eq!(code, 25107);
    assert_eq!(back.message_type, message_type::TEXT);
    let still = stored(&mut bob, got.message_id.unwrap()).await;
    assert_eq!(text_of(&still), "mine");

    // An unknown uid: 25101. A message without uid: refused at once.
    let mut bogus = got.clone();
    bogus.message_uid = Some("NO-SUCH-UID".into());
    let (code, _) = recall(&mut bob, bogus).await;
    assert_eq!(code, 25101);
    let mut no_uid = got;
    no_uid.message_uid = None;
    assert_eq!(
        bob.engine.recall_message(no_uid, None),
        Err(Code::PARAM_ERROR)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offline_receiver_converges_after_connecting() {
    let server = TestServer::start().await;
    let ta = server.token("alice").await;
    let tb = server.token("bob").await;
    let mut alice = TestClient::new(&server.navi_url(), "alice");
    let mut bob = TestClient::new(&server.navi_url(), "bob");
    alice.connect(&ta).await;
    bob.connect(&tb).await;

    let first = alice.send_and_wait("bob", "first").await;
    let got_first = bob.received().await;
    bob.engine.disconnect(true).unwrap();
    bob.wait_for("signed out", |e| {
        matches!(e, Event::ConnectionStatusChanged { status: 7 })
    })
    .await;

    // While bob is offline: recall the message he has, and send + recall one he has not.
    let (code, _) = recall(&mut alice, first.clone()).await;
    assert_eq!(code, 0);
    let second = alice.send_and_wait("bob", "second").await;
    let (code, _) = recall(&mut alice, second.clone()).await;
    assert_eq!(code, 0);
    let third = alice.send_and_wait("bob", "third").await;

    bob.connect(&tb).await;
    let mut remote = Vec::new();
    let mut texts = Vec::new();
    while remote.len() < 2 || texts.len() < 2 {
        match bob
            .wait_for("sync", |e| {
                matches!(
                    e,
                    Event::RemoteMessageRecalled { .. } | Event::MessageReceived { .. }
                )
            })
            .await
        {
            Event::RemoteMessageRecalled { message } => remote.push(message),
            Event::MessageReceived { message, .. } => texts.push(message),
            _ => unreachable!(),
        }
    }
    assert_eq!(remote[0].message_id, got_first.message_id);
    assert_remote_recall_of(&remote[0], &first);
    // Bob never had the second message, and the server replaced its content by the recall
    // notification (R115): nothing of the original reaches him.
    assert_eq!(remote[1].message_type, message_type::RECALL);
    assert_eq!(remote[1].message_uid, second.message_uid);
    assert_eq!(remote[1].fields["recallTime"], second.sent_time.unwrap());
    assert!(
        remote[1].fields["originalMessage"].is_null(),
        "{:?}",
        remote[1]
    );
    assert!(!serde_json::to_string(&remote[1])
        .unwrap()
        .contains("second"));
    // The recalled second message arrives already converted; the third is a plain text.
    assert_eq!(texts[0].message_type, message_type::RECALL);
    assert_eq!(texts[1].message_uid, third.message_uid);
    assert_eq!(text_of(&texts[1]), "third");
    // Only the third counts as unread.
    assert_eq!(
        unread(&mut bob, ConversationKey::new(PRIVATE, "alice", "")).await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recalling_a_group_message_reaches_every_member() {
    let server = TestServer::builder().recall_only_sender(true).start().await;
    let ta = server.token("alice").await;
    let tb = server.token("bob").await;
    let tc = server.token("carol").await;
    let reply = server_api(
        &server.navi_url(),
        "/group/create.json",
        &[
            ("userId", "alice"),
            ("userId", "bob"),
            ("userId", "carol"),
            ("groupId", "team"),
            ("groupName", "Team"),
        ],
    )
    .await;
    assert_eq!(reply["code"], 200, "{reply}");
    let mut alice = TestClient::new(&server.navi_url(), "alice");
    let mut bob = TestClient::new(&server.navi_url(), "bob");
    let mut carol = TestClient::new(&server.navi_url(), "carol");
    alice.connect(&ta).await;
    bob.connect(&tb).await;
    carol.connect(&tc).await;

    let message = codec::new_text_message(GROUP, "team", None, "to all");
    assert_eq!(alice.engine.send_message(message, None), Ok(()));
    let Event::MessageSent { code, message, .. } = alice
        .wait_for("sent", |e| matches!(e, Event::MessageSent { .. }))
        .await
    else {
        unreachable!()
    };
    assert_eq!(code, 0);
    bob.received().await;
    let at_carol = carol.received().await;

    // With "only the sender may recall", a member who is not the sender may not.
    let (code, _) = recall(&mut carol, at_carol).await;
    assert_eq!(code, 25107);

    let (code, recalled) = recall(&mut alice, message.clone()).await;
    assert_eq!(code, 0);
    assert_recall_of(&recalled, &message);
    for member in [&mut bob, &mut carol] {
        let remote = remote_recalled(member).await;
        assert_remote_recall_of(&remote, &message);
        assert_eq!(remote.conversation_type, GROUP);
        assert_eq!(remote.target_id, "team");
        assert_eq!(
            unread(member, ConversationKey::new(GROUP, "team", "")).await,
            0
        );
    }
}
