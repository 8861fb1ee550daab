//! End to end: deleting and clearing messages between real engines and a real `rcim-server`
//! the local part at the call, the remote part through the outbox, the user's other
//! devices following from their inbox, and the cloud history no longer serving what was
//! deleted or cleared.

use rcim_core::engine::history::policy::{LOCAL, LOCAL_REMOTE, REMOTE};
use rcim_core::{ConversationKey, Event, Message};
use rcim_testing::*;
use std::time::Duration;

const PRIVATE: u32 = 1;
const BEFORE: u32 = 0;

async fn texts(client: &TestClient, key: &ConversationKey, policy: u32) -> Vec<String> {
    answer(client.engine.messages(key.clone(), 0, BEFORE, policy, 20))
        .await
        .iter()
        .map(text_of)
        .collect()
}

/// Waits until `client`'s local page of `key` is `expected` (another device's change arrives
/// through the inbox).
async fn wait_local(client: &TestClient, key: &ConversationKey, expected: &[&str]) {
    for _ in 0..100 {
        if texts(client, key, LOCAL).await == expected {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "local page never became {expected:?}: {:?}",
        texts(client, key, LOCAL).await
    );
}

async fn deleted(client: &mut TestClient) -> (i32, Vec<Message>) {
    let Event::MessagesDeleted {
        code,
        messages,
        event_id,
        ..
    } = client
        .wait_for("deleted", |e| matches!(e, Event::MessagesDeleted { .. }))
        .await
    else {
        unreachable!()
    };
    assert_eq!(event_id.as_deref(), Some("d"));
    (code, messages)
}

async fn cleared(client: &mut TestClient) -> (i32, i64) {
    let Event::MessagesCleared {
        code, timestamp, ..
    } = client
        .wait_for("cleared", |e| matches!(e, Event::MessagesCleared { .. }))
        .await
    else {
        unreachable!()
    };
    (code, timestamp)
}

/// Signs `client` out (one mobile device of a user is online at a time).
async fn sign_out(client: &mut TestClient) {
    client.engine.disconnect(true).unwrap();
    client
        .wait_for("signed out", |e| {
            matches!(e, Event::ConnectionStatusChanged { status: 7 })
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_on_one_device_deletes_on_the_others_and_in_the_cloud_history() {
    let server = TestServer::start().await;
    let mut bob = server.online("bob").await;
    let token = server.token("alice").await;
    let mut phone = TestClient::new(&server.navi_url(), "alice");
    phone.connect(&token).await;
    let key = ConversationKey::new(PRIVATE, "bob", "");

    let mut sent = Vec::new();
    for text in ["a", "b", "c"] {
        sent.push(bob.send_and_wait("alice", text).await);
        phone.received().await;
    }
    sign_out(&mut phone).await;
    // The tablet gets them too (offline compensation), then goes offline.
    let mut tablet = TestClient::new(&server.navi_url(), "alice");
    tablet.connect(&token).await;
    wait_local(&tablet, &key, &["c", "b", "a"]).await;
    sign_out(&mut tablet).await;

    phone.connect(&token).await;
    let on_phone = answer(phone.engine.messages(key.clone(), 0, BEFORE, LOCAL, 20)).await;
    let b = on_phone.iter().find(|m| text_of(m) == "b").unwrap().clone();
    phone
        .engine
        .delete_messages(key.clone(), vec![b.clone()], Some("d".into()))
        .unwrap();
    // Deleted locally at once.
    assert_eq!(texts(&phone, &key, LOCAL).await, ["c", "a"]);
    let (code, messages) = deleted(&mut phone).await;
    assert_eq!(code, 0);
    assert_eq!(messages[0].message_uid, b.message_uid);
    // Bob keeps his copy (R107: a recall removes it for everyone).
    let bob_key = ConversationKey::new(PRIVATE, "alice", "");
    assert_eq!(texts(&bob, &bob_key, LOCAL).await, ["c", "b", "a"]);
    // The cloud history no longer serves it to alice.
    assert_eq!(texts(&phone, &key, REMOTE).await, ["c", "a"]);

    // Clear everything up to "a" on the phone (LOCAL_REMOTE).
    let a_time = sent[0].sent_time.unwrap();
    phone
        .engine
        .clear_messages(key.clone(), a_time, LOCAL_REMOTE, Some("x".into()))
        .unwrap();
    assert_eq!(cleared(&mut phone).await, (0, a_time));
    assert_eq!(texts(&phone, &key, LOCAL).await, ["c"]);
    assert_eq!(texts(&phone, &key, REMOTE).await, ["c"]);
    sign_out(&mut phone).await;

    // The tablet follows both from its inbox.
    tablet.connect(&token).await;
    wait_local(&tablet, &key, &["c"]).await;
    let conversation = answer(tablet.engine.conversation(key.clone()))
        .await
        .unwrap();
    assert_eq!(text_of(conversation.last_message.as_ref().unwrap()), "c");
    assert_eq!(conversation.unread_count, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deletion_made_offline_goes_after_a_restart() {
    let mut server = TestServer::start().await;
    let mut bob = server.online("bob").await;
    let token = server.token("alice").await;
    let mut alice = TestClient::new(&server.navi_url(), "alice");
    alice.connect(&token).await;
    bob.send_and_wait("alice", "x").await;
    let got = alice.received().await;
    let key = ConversationKey::new(PRIVATE, "bob", "");

    server.kill();
    alice
        .engine
        .delete_messages(key.clone(), vec![got], Some("d".into()))
        .unwrap();
    assert!(texts(&alice, &key, LOCAL).await.is_empty());
    alice.restart_engine().await;
    server.restart().await;
    alice.connect(&token).await;
    let Event::MessagesDeleted {
        code,
        event_id,
        messages,
        ..
    } = alice
        .wait_for("deleted", |e| matches!(e, Event::MessagesDeleted { .. }))
        .await
    else {
        unreachable!()
    };
    assert_eq!(
        (code, event_id),
        (0, None),
        "reported to the listener after a restart"
    );
    assert_eq!(messages.len(), 1);
    assert!(texts(&alice, &key, REMOTE).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clear_messages_checks_its_timestamp_against_the_last_message() {
    let server = TestServer::start().await;
    let mut bob = server.online("bob").await;
    let mut alice = server.online("alice").await;
    let sent = bob.send_and_wait("alice", "x").await;
    alice.received().await;
    let key = ConversationKey::new(PRIVATE, "bob", "");
    let after = sent.sent_time.unwrap() + 1;
    alice
        .engine
        .clear_messages(key.clone(), after, LOCAL, Some("x".into()))
        .unwrap();
    assert_eq!(cleared(&mut alice).await, (1, after));
    assert_eq!(texts(&alice, &key, LOCAL).await, ["x"]);
    alice
        .engine
        .clear_messages(key.clone(), 0, LOCAL, Some("x".into()))
        .unwrap();
    assert_eq!(cleared(&mut alice).await, (0, 0));
    assert!(texts(&alice, &key, LOCAL).await.is_empty());
    // LOCAL left the cloud history.
    assert_eq!(texts(&alice, &key, REMOTE).await, ["x"]);
}
