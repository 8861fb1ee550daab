//! End to end: private read receipts between real engines and a real `rcim-server`.

use rcim_core::{Code, Event, Message};
use rcim_testing::*;

const READ: u8 = 4;
const SENT: u8 = 2;

async fn receipt_sent(client: &mut TestClient, target: &str, timestamp: i64) {
    assert_eq!(
        client
            .engine
            .send_private_read_receipt_message(target, "", timestamp, Some("rr".into())),
        Ok(())
    );
    let event = client
        .wait_for("receipt sent", |e| {
            matches!(e, Event::PrivateReadReceiptMessageSent { .. })
        })
        .await;
    assert_eq!(
        event,
        Event::PrivateReadReceiptMessageSent {
            code: 0,
            target_id: target.into(),
            channel_id: String::new(),
            timestamp,
            event_id: Some("rr".into()),
        }
    );
}

async fn receipt_received(client: &mut TestClient) -> (String, i64) {
    let Event::PrivateReadReceiptReceived {
        target_id,
        timestamp,
        ..
    } = client
        .wait_for("receipt received", |e| {
            matches!(e, Event::PrivateReadReceiptReceived { .. })
        })
        .await
    else {
        unreachable!()
    };
    (target_id, timestamp)
}

async fn status_of(client: &TestClient, message: &Message) -> u8 {
    let stored = answer(client.engine.message_by_id(message.message_id.unwrap())).await;
    stored.sent_status.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sender_learns_which_messages_were_read() {
    let server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let mut bob = server.online("bob").await;

    let first = alice.send_and_wait("bob", "one").await;
    let second = alice.send_and_wait("bob", "two").await;
    for _ in 0..2 {
        bob.wait_for("received", |e| matches!(e, Event::MessageReceived { .. }))
            .await;
    }

    // Bob read up to the first message only.
    receipt_sent(&mut bob, "alice", first.sent_time.unwrap()).await;
    let (from, timestamp) = receipt_received(&mut alice).await;
    assert_eq!(from, "bob");
    assert_eq!(timestamp, first.sent_time.unwrap());
    assert_eq!(status_of(&alice, &first).await, READ);
    assert_eq!(status_of(&alice, &second).await, SENT);

    // Then everything.
    receipt_sent(&mut bob, "alice", second.sent_time.unwrap()).await;
    receipt_received(&mut alice).await;
    assert_eq!(status_of(&alice, &second).await, READ);
    // The reader's own messages are untouched, and the reader gets no receipt event.
    let events = bob.drain(std::time::Duration::from_millis(300)).await;
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::PrivateReadReceiptReceived { .. })),
        "{events:?}"
    );

    // Invalid arguments are refused at once.
    assert_eq!(
        bob.engine
            .send_private_read_receipt_message("", "", 1, None),
        Err(Code::PARAM_ERROR)
    );
    assert_eq!(
        bob.engine
            .send_private_read_receipt_message("alice", "", -1, None),
        Err(Code::PARAM_ERROR)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offline_sender_gets_the_receipt_after_connecting() {
    let server = TestServer::start().await;
    let ta = server.token("alice").await;
    let tb = server.token("bob").await;
    let mut alice = TestClient::new(&server.navi_url(), "alice");
    let mut bob = TestClient::new(&server.navi_url(), "bob");
    alice.connect(&ta).await;
    bob.connect(&tb).await;
    let sent = alice.send_and_wait("bob", "read me later").await;
    bob.wait_for("received", |e| matches!(e, Event::MessageReceived { .. }))
        .await;
    alice.engine.disconnect(true).unwrap();
    alice
        .wait_for("signed out", |e| {
            matches!(e, Event::ConnectionStatusChanged { status: 7 })
        })
        .await;

    receipt_sent(&mut bob, "alice", sent.sent_time.unwrap()).await;
    alice.connect(&ta).await;
    let (from, timestamp) = receipt_received(&mut alice).await;
    assert_eq!((from.as_str(), timestamp), ("bob", sent.sent_time.unwrap()));
    assert_eq!(status_of(&alice, &sent).await, READ);
}
