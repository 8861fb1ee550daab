//! End to end: an embedder that stops reading events does not stall the session. Heartbeats
//! keep going, the server keeps the connection, and every message arrives exactly once when
//! the embedder reads again.

use rcim_core::Event;
use rcim_testing::*;
use std::collections::BTreeSet;
use std::time::Duration;

async fn publish(server: &TestServer, to: &str, text: &str) {
    let content = format!(r#"{{"content":"{text}"}}"#);
    let reply = server_api(
        &server.navi_url(),
        "/message/private/publish.json",
        &[
            ("fromUserId", "alice"),
            ("toUserId", to),
            ("objectName", "RC:TxtMsg"),
            ("content", &content),
        ],
    )
    .await;
    assert_eq!(reply["code"], 200, "{reply}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consumer_that_stops_reading_does_not_get_the_connection_dropped() {
    // The server drops a connection silent for 3 heartbeats of 1 s.
    let server = TestServer::start_with(|c| c.heartbeat_secs = 1).await;
    server.token("alice").await;
    let tb = server.token("bob").await;
    const OFFLINE: usize = 600;
    const LIVE: usize = 100;
    for i in 0..OFFLINE {
        publish(&server, "bob", &format!("m{i}")).await;
    }
    // A small event channel, so that the offline sync alone overflows it.
    let mut bob = TestClient::with_config(&server.navi_url(), "bob", Default::default(), |c| {
        c.event_queue_len = 50
    });
    bob.connect(&tb).await;

    // Stop reading for longer than 3 heartbeats while more messages arrive live.
    for i in OFFLINE..OFFLINE + LIVE {
        publish(&server, "bob", &format!("m{i}")).await;
    }
    tokio::time::sleep(Duration::from_secs(4)).await;

    let mut texts = Vec::new();
    while texts.len() < OFFLINE + LIVE {
        let Event::MessageReceived { message, .. } = bob
            .wait_for("message", |e| matches!(e, Event::MessageReceived { .. }))
            .await
        else {
            unreachable!()
        };
        texts.push(text_of(&message));
    }
    let more = bob.drain(Duration::from_millis(1500)).await;
    assert!(
        !more
            .iter()
            .any(|e| matches!(e, Event::MessageReceived { .. })),
        "duplicates: {more:?}"
    );
    let unique: BTreeSet<&String> = texts.iter().collect();
    assert_eq!(unique.len(), OFFLINE + LIVE, "each message once");
    let expected: BTreeSet<String> = (0..OFFLINE + LIVE).map(|i| format!("m{i}")).collect();
    assert_eq!(
        unique.into_iter().cloned().collect::<BTreeSet<_>>(),
        expected
    );
    // Connected once, never suspended.
    assert_eq!(
        bob.statuses(),
        vec![rcim_core::model::connection_status::CONNECTING, CONNECTED]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_event_queue_holds_no_more_bytes_than_its_bound_and_loses_nothing() {
    let server = TestServer::start().await;
    server.token("alice").await;
    let tb = server.token("bob").await;
    // 40 messages of 20 KB: 800 KB in all, against a queue of 64 KB (and 10,000 events).
    const COUNT: usize = 40;
    let filler = "x".repeat(20_000);
    for i in 0..COUNT {
        publish(&server, "bob", &format!("m{i:02} {filler}")).await;
    }
    let mut bob = TestClient::with_config(&server.navi_url(), "bob", Default::default(), |c| {
        c.event_queue_bytes = 64 * 1024
    });
    bob.connect(&tb).await;
    // Not reading: the sync stops at the byte bound, with at most three 20 KB events queued.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        bob.events.len() <= 3,
        "{} events queued in 64 KB",
        bob.events.len()
    );
    let mut texts = Vec::new();
    while texts.len() < COUNT {
        let Event::MessageReceived { message, .. } = bob
            .wait_for("message", |e| matches!(e, Event::MessageReceived { .. }))
            .await
        else {
            unreachable!()
        };
        texts.push(text_of(&message)[..3].to_string());
    }
    let expected: Vec<String> = (0..COUNT).map(|i| format!("m{i:02}")).collect();
    assert_eq!(texts, expected, "each once, in order");
    let more = bob.drain(Duration::from_millis(1000)).await;
    assert!(
        !more
            .iter()
            .any(|e| matches!(e, Event::MessageReceived { .. })),
        "duplicates: {more:?}"
    );
}
