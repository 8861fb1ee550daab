//! End to end: chatrooms through real engines and a real `rcim-server` on loopback. A join
//! reports the room's recent messages (stored, no conversation), then its KV entries, the
//! sync and the result; members' messages and KV changes reach the others; after the server
//! restarts, the engines join their room again by themselves (R193).

use rcim_core::model::conversation_type::CHATROOM;
use rcim_core::{ChatroomEvent, ConversationKey, Event, Message};
use rcim_testing::*;
use std::collections::BTreeMap;

fn joined(room: &str) -> impl Fn(&Event) -> bool + '_ {
    move |e| {
        matches!(e, Event::Chatroom(ChatroomEvent::Joined { code: 0, target_id, .. })
            if target_id == room)
    }
}

async fn say(client: &mut TestClient, room: &str, text: &str) -> Message {
    let message = rcim_core::codec::new_text_message(CHATROOM, room, None, text);
    assert_eq!(client.engine.send_message(message, None), Ok(()));
    client.sent().await
}

/// The texts of the chatroom messages `client` was told about, in order.
fn room_texts(client: &TestClient, room: &str) -> Vec<String> {
    client
        .seen
        .iter()
        .filter_map(|e| match e {
            Event::MessageReceived { message, .. }
                if message.conversation_type == CHATROOM && message.target_id == room =>
            {
                Some(text_of(message))
            }
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn join_messages_kv_and_rejoin_after_a_server_restart() {
    let mut server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let mut bob = server.online("bob").await;

    assert_eq!(alice.engine.join_chatroom("hall", -1, true, None), Ok(()));
    alice.wait_for("alice joined", joined("hall")).await;
    let sent = say(&mut alice, "hall", "first").await;
    assert_eq!(sent.sent_status, Some(2));
    let entries = BTreeMap::from([("topic".to_string(), "rust".to_string())]);
    assert_eq!(
        alice
            .engine
            .add_chatroom_entries("hall", entries, false, false, true, None),
        Ok(())
    );
    let added = alice
        .wait_for("entry added", |e| {
            matches!(e, Event::Chatroom(ChatroomEvent::EntryAdded { .. }))
        })
        .await;
    assert!(matches!(
        added,
        Event::Chatroom(ChatroomEvent::EntryAdded { code: 0, .. })
    ));

    // Bob joins: the recent message, then the entries, the sync and the result, in order.
    assert_eq!(bob.engine.join_chatroom("hall", 10, false, None), Ok(()));
    bob.wait_for("bob joined", joined("hall")).await;
    let order: Vec<&str> = bob
        .seen
        .iter()
        .filter_map(|e| match e {
            Event::MessageReceived { .. } => Some("message"),
            Event::Chatroom(ChatroomEvent::Joining { .. }) => Some("joining"),
            Event::Chatroom(ChatroomEvent::EntriesChanged { .. }) => Some("entries"),
            Event::Chatroom(ChatroomEvent::EntriesSynced { .. }) => Some("synced"),
            Event::Chatroom(ChatroomEvent::Joined { .. }) => Some("joined"),
            _ => None,
        })
        .collect();
    assert_eq!(order, ["joining", "message", "entries", "synced", "joined"]);
    assert_eq!(room_texts(&bob, "hall"), ["first"]);
    let key = ConversationKey::new(CHATROOM, "hall", "");
    assert_eq!(answer(bob.engine.message_count(key.clone())).await, 1);
    assert!(answer(bob.engine.conversations(vec![1, 2, 3], "", 0, 10))
        .await
        .is_empty());

    // Live: bob's message reaches alice.
    say(&mut bob, "hall", "hi alice").await;
    alice
        .wait_for("alice receives", |e| {
            matches!(e, Event::MessageReceived { .. })
        })
        .await;
    assert_eq!(room_texts(&alice, "hall"), ["hi alice"]);

    // The server restarts: both engines reconnect and join the room again by themselves.
    server.kill();
    server.restart().await;
    alice.wait_for("alice re-joined", joined("hall")).await;
    bob.wait_for("bob re-joined", joined("hall")).await;
    say(&mut alice, "hall", "after the restart").await;
    bob.wait_for("bob receives after the restart", |e| {
        matches!(e, Event::MessageReceived { message, .. } if text_of(message) == "after the restart")
    })
    .await;
    // Nothing already stored was announced again by the re-join.
    assert_eq!(room_texts(&bob, "hall"), ["first", "after the restart"]);

    // Leaving deletes the room's local messages.
    assert_eq!(bob.engine.leave_chatroom("hall", None), Ok(()));
    bob.wait_for("bob left", |e| {
        matches!(e, Event::Chatroom(ChatroomEvent::Left { code: 0, .. }))
    })
    .await;
    assert_eq!(answer(bob.engine.message_count(key)).await, 0);
}
