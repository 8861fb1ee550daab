//! In-memory bookkeeping stays bounded: per-user state of the hub lives only as long as the
//! user's connections (review finding 3), without losing the login/delivery handshake.

mod common;

use common::*;
use rcim_proto::codes;
use rcim_proto::v1::{client_frame, server_frame, Disconnect, Platform};
use std::time::Duration;

/// Waits until the server has no connection and no per-user state left.
async fn wait_until_idle(server: &rcim_server::RunningServer) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while server.connection_count() != 0 || server.memory_stats().hub_users != 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "state left behind: {} connections, {:?}",
            server.connection_count(),
            server.memory_stats()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn hub_forgets_users_without_connections() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    let addr = server.gateway_addr();

    // Messages to 300 users who never connect leave nothing in the hub.
    let names: Vec<String> = (0..300).map(|i| format!("offline{i}")).collect();
    let mut params = vec![
        ("fromUserId", "system"),
        ("objectName", "RC:TxtMsg"),
        ("content", r#"{"content":"x"}"#),
    ];
    params.extend(names.iter().map(|n| ("toUserId", n.as_str())));
    api.call("/message/private/publish.json", &params).await;
    assert_eq!(server.memory_stats().hub_users, 0);
    assert!(server.memory_stats().cached_heads >= 300);

    // Online users have state while connected; a refused login adds none.
    let mut phone = RawClient::connect(addr, "alice", "phone").await;
    let desk = RawClient::login(addr, {
        let mut l = Login::new("alice", "desk");
        l.platform = Platform::Desktop;
        l
    })
    .await
    .0;
    let mut bob = RawClient::connect(addr, "bob", "b").await;
    let mut login = Login::new("carol", "c");
    login.app_key = "wrong".into();
    let (_c, ack) = RawClient::login(addr, login).await;
    assert_eq!(ack.code, codes::CONN_ID_REJECT);
    let mut login = Login::new("alice", "phone2");
    login.is_reconnect = true;
    login.kick_reconnect_device = true;
    let (mut refused, ack) = RawClient::login(addr, login).await;
    assert_eq!(ack.code, codes::CONN_OTHER_DEVICE_LOGIN);
    refused.expect_closed().await;
    assert_eq!(server.memory_stats().hub_users, 2);
    assert_eq!(bob.send_text("m1", "alice", "hi").await.code, 0);

    // Every way of leaving removes the state: graceful disconnect, dropped socket, kick.
    phone
        .send(client_frame::Body::Disconnect(Disconnect {
            receive_push: true,
        }))
        .await;
    phone.expect_closed().await;
    drop(desk);
    let bob2 = RawClient::connect(addr, "bob", "b2").await;
    let kicked = bob.recv().await;
    assert!(
        matches!(
            kicked.map(|f| f.body),
            Some(Some(server_frame::Body::Kicked(_)))
        ),
        "bob's first phone is kicked"
    );
    bob.expect_closed().await;
    drop(bob2);
    wait_until_idle(&server).await;

    // Heads are read from the database again at the next login.
    let ack = api
        .call(
            "/message/private/publish.json",
            &[
                ("fromUserId", "system"),
                ("toUserId", "alice"),
                ("objectName", "RC:TxtMsg"),
                ("content", "{}"),
            ],
        )
        .await;
    let (mut alice, connect) = RawClient::login(addr, Login::new("alice", "phone")).await;
    assert_eq!((connect.code, connect.inbox_head), (0, 2));
    let pkg = alice.sync(0, 0).await;
    assert_eq!(pkg.entries.len(), 2);
    assert_eq!(
        message(&pkg.entries[1]).uid,
        ack["messageUID"].as_str().unwrap()
    );
    server.shutdown().await;
}

/// With state created only at login, a message committed while a user logs in must still be
/// counted in the ConnectAck's `inbox_head` or pushed (or both): after the pushes of entries
/// already counted, the pushes continue at exactly `inbox_head + 1`, without a gap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logins_racing_with_deliveries_see_every_entry() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    let addr = server.gateway_addr();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let publisher = {
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut n = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                api.call(
                    "/message/private/publish.json",
                    &[
                        ("fromUserId", "system"),
                        ("toUserId", "bob"),
                        ("objectName", "RC:TxtMsg"),
                        ("content", "{}"),
                    ],
                )
                .await;
                n += 1;
            }
            n
        })
    };
    for round in 0..40 {
        let (mut bob, ack) = RawClient::login(addr, Login::new("bob", "phone")).await;
        assert_eq!(ack.code, 0);
        let mut expected = ack.inbox_head + 1;
        let mut last = 0;
        let until = tokio::time::Instant::now() + Duration::from_millis(30);
        while let Some(f) = bob
            .try_recv(until.saturating_duration_since(tokio::time::Instant::now()))
            .await
        {
            if let Some(server_frame::Body::Push(p)) = f.body {
                let seq = p.entry.unwrap().seq;
                assert!(seq > last, "round {round}: pushes out of order");
                last = seq;
                if seq >= expected {
                    assert_eq!(
                        seq, expected,
                        "round {round}: gap after inbox_head {}",
                        ack.inbox_head
                    );
                    expected += 1;
                }
            }
        }
        drop(bob);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let published = publisher.await.unwrap();
    assert!(published > 0);
    wait_until_idle(&server).await;
    server.shutdown().await;
}
