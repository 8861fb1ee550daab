//! The inbox epoch end to end: a server restored from an older copy of its database reuses
//! inbox sequences; its devices see a new epoch and resynchronise instead of skipping.

use rcim_core::Event;
use rcim_testing::{text_of, TestServer};
use std::time::Duration;

const DB_FILE: &str = "rcim.sqlite3";

/// Sends one text and waits for its ack, keeping under the 5 sends a second clients allow.
async fn send(from: &mut rcim_testing::TestClient, to: &str, text: &str) {
    from.send_and_wait(to, text).await;
    tokio::time::sleep(Duration::from_millis(250)).await;
}

async fn wait_connected(client: &mut rcim_testing::TestClient) {
    client
        .wait_for("reconnected", |e| {
            matches!(
                e,
                Event::ConnectionStatusChanged {
                    status: rcim_core::model::connection_status::CONNECTED
                }
            )
        })
        .await;
}

/// Bob keeps what he received across a restore of the server's database from a backup taken
/// before his last messages: what is sent after the restore while he is offline reaches him
/// (its sequences are ones his cursor already passed), and nothing he has comes twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_sent_after_a_restore_reach_a_device_that_was_ahead() {
    rcim_testing::init_logging();
    let mut server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let mut bob = server.online("bob").await;
    let mut texts = Vec::new();
    for i in 0..3 {
        send(&mut alice, "bob", &format!("kept {i}")).await;
        texts.push(text_of(&bob.received().await));
    }
    // A backup: the database file of a graceful stop (checkpointed, no WAL).
    server.server.take().unwrap().shutdown().await;
    let data = server.config.data_dir.clone();
    let backup = server.dir.path().join("backup.sqlite3");
    std::fs::copy(data.join(DB_FILE), &backup).unwrap();
    server.restart().await;
    wait_connected(&mut alice).await;
    wait_connected(&mut bob).await;
    for i in 0..3 {
        send(&mut alice, "bob", &format!("after backup {i}")).await;
        texts.push(text_of(&bob.received().await));
    }
    assert_eq!(texts.len(), 6);
    // Bob goes offline with his cursor at 6; the server is restored from the backup (head 3).
    assert_eq!(bob.engine.disconnect(false), Ok(()));
    server.kill();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(data.join(format!("{DB_FILE}{suffix}")));
    }
    std::fs::copy(&backup, data.join(DB_FILE)).unwrap();
    server.restart().await;
    wait_connected(&mut alice).await;
    // Three new messages take bob's sequences 4, 5, 6 again.
    for i in 0..3 {
        send(&mut alice, "bob", &format!("after restore {i}")).await;
    }
    let token = server.token("bob").await;
    bob.connect(&token).await;
    let mut got = Vec::new();
    while got.len() < 3 {
        let Event::MessageReceived { message, .. } = bob
            .wait_for("received after the restore", |e| {
                matches!(e, Event::MessageReceived { .. })
            })
            .await
        else {
            unreachable!()
        };
        got.push(text_of(&message));
    }
    assert_eq!(
        got,
        vec!["after restore 0", "after restore 1", "after restore 2"]
    );
    // Nothing he had (the restored inbox's first three entries) is announced again.
    let extra: Vec<String> = bob
        .drain(Duration::from_secs(1))
        .await
        .into_iter()
        .filter_map(|e| match e {
            Event::MessageReceived { message, .. } => Some(text_of(&message)),
            _ => None,
        })
        .collect();
    assert!(extra.is_empty(), "received again: {extra:?}");
}
