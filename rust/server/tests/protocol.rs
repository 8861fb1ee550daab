//! The client gateway: login rules, bad frames, send/dedupe/rate limit, sync, restarts.

mod common;

use common::*;
use rcim_proto::codes;
use rcim_proto::v1::{client_frame, server_frame, Disconnect, Ping, Platform};
use std::time::Duration;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// Writes `bytes` on a fresh socket and asserts the server closes it.
async fn assert_raw_closed(addr: std::net::SocketAddr, bytes: &[u8]) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(bytes).await.unwrap();
    let mut buf = Vec::new();
    let r = tokio::time::timeout(WAIT, s.read_to_end(&mut buf)).await;
    assert!(r.is_ok(), "server kept the connection open");
}

#[tokio::test]
async fn bad_frames_close_only_that_connection() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let mut alice = RawClient::connect(addr, "alice", "a1").await;
    let mut bob = RawClient::connect(addr, "bob", "b1").await;

    // Garbage inside a valid length prefix, as the first frame.
    assert_raw_closed(addr, &[0, 0, 0, 5, 0xff, 0xff, 0xff, 0xff, 0xff]).await;
    // A length prefix above MAX_FRAME_LEN.
    assert_raw_closed(addr, &[0x7f, 0xff, 0xff, 0xff, 1, 2, 3]).await;
    // A valid frame that is not Connect.
    let mut c = RawClient::open(addr).await;
    c.send(client_frame::Body::Ping(Ping {})).await;
    c.expect_closed().await;

    // Garbage after a successful login.
    let mut carol = RawClient::connect(addr, "carol", "c1").await;
    carol
        .framed
        .get_mut()
        .write_all(&[0, 0, 0, 3, 0xff, 0xff, 0xff])
        .await
        .unwrap();
    carol.expect_closed().await;
    // Oversize after login.
    let mut dave = RawClient::connect(addr, "dave", "d1").await;
    dave.framed
        .get_mut()
        .write_all(&[0x00, 0x10, 0x00, 0x00])
        .await
        .unwrap();
    dave.expect_closed().await;

    // The others still work.
    let ack = alice.send_text("m1", "bob", "still here").await;
    assert_eq!(ack.code, 0);
    let entry = bob.next_push().await;
    assert_eq!(message(&entry).uid, ack.uid);
    server.shutdown().await;
}

#[tokio::test]
async fn login_refusals() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let cases = [
        (
            rcim_server::issue_token(APP_KEY, "forged-secret", "u", now_ms(), 0),
            codes::CONN_TOKEN_INCORRECT,
        ),
        (
            rcim_server::issue_token(APP_KEY, APP_SECRET, "u", now_ms() - 10_000, now_ms() - 1),
            codes::CONN_TOKEN_INCORRECT,
        ),
        (
            rcim_server::issue_token("other-app", APP_SECRET, "u", now_ms(), 0),
            codes::CONN_TOKEN_INCORRECT,
        ),
        ("not-a-token".to_owned(), codes::CONN_TOKEN_INCORRECT),
    ];
    for (token, code) in cases {
        let mut login = Login::new("u", "d");
        login.token = token;
        let (mut c, ack) = RawClient::login(addr, login).await;
        assert_eq!(ack.code, code);
        c.expect_closed().await;
    }
    // A token that expires later is fine.
    let mut login = Login::new("u", "d");
    login.token = rcim_server::issue_token(APP_KEY, APP_SECRET, "u", now_ms(), now_ms() + 60_000);
    let (_ok, ack) = RawClient::login(addr, login).await;
    assert_eq!(ack.code, 0);

    let mut login = Login::new("u", "d2");
    login.app_key = "unknown".into();
    let (_c, ack) = RawClient::login(addr, login).await;
    assert_eq!(ack.code, codes::CONN_ID_REJECT);
    let mut login = Login::new("u", "d2");
    login.protocol_version = 99;
    let (_c, ack) = RawClient::login(addr, login).await;
    assert_eq!(ack.code, codes::PROTOCOL_VERSION_ERROR);
    server.shutdown().await;
}

#[tokio::test]
async fn ping_pong_and_heartbeat_timeout() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.heartbeat_secs = 1;
    let server = rcim_server::start(cfg).await.unwrap();
    let mut c = RawClient::connect(server.gateway_addr(), "u", "d").await;
    let seq = c.send(client_frame::Body::Ping(Ping {})).await;
    let f = c.recv().await.unwrap();
    assert_eq!(f.seq, seq);
    assert!(matches!(f.body, Some(server_frame::Body::Pong(p)) if p.server_time > 0));
    // Silent for 3 heartbeats: closed.
    let started = tokio::time::Instant::now();
    c.expect_closed().await;
    assert!(started.elapsed() >= Duration::from_millis(2500));
    server.shutdown().await;
}

#[tokio::test]
async fn resend_is_deduplicated() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let mut alice = RawClient::connect(addr, "alice", "a1").await;
    let mut bob = RawClient::connect(addr, "bob", "b1").await;
    let first = alice.send_text("same-id", "bob", "once").await;
    let again = alice.send_text("same-id", "bob", "once").await;
    assert_eq!(first.code, 0);
    assert_eq!(again, first);
    let entry = bob.next_push().await;
    assert_eq!(message(&entry).uid, first.uid);
    assert_eq!(message(&entry).client_msg_id, "same-id");
    assert!(bob.try_recv(Duration::from_millis(300)).await.is_none());
    let pkg = bob.sync(0, 0).await;
    assert_eq!(pkg.entries.len(), 1);
    // Another id is a new message.
    let other = alice.send_text("other-id", "bob", "twice").await;
    assert_ne!(other.uid, first.uid);
    assert!(other.sent_time > first.sent_time);
    server.shutdown().await;
}

#[tokio::test]
async fn rate_limit_is_five_per_second() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let mut alice = RawClient::connect(server.gateway_addr(), "alice", "a1").await;
    let mut seqs = Vec::new();
    for i in 0..10 {
        let m = RawClient::text(&format!("r{i}"), "bob", "x");
        seqs.push(alice.send(client_frame::Body::Send(m)).await);
    }
    // Acks may arrive in any order (refusals are immediate, accepted sends wait for a commit).
    let mut codes_by_seq = std::collections::HashMap::new();
    while codes_by_seq.len() < seqs.len() {
        let f = alice.recv().await.expect("connection open");
        if let Some(server_frame::Body::SendAck(a)) = f.body {
            assert!(seqs.contains(&f.seq));
            codes_by_seq.insert(f.seq, a.code);
        }
    }
    let mut ok = 0;
    let mut limited = 0;
    for code in codes_by_seq.values() {
        match *code {
            0 => ok += 1,
            codes::SEND_MSG_FREQUENCY_OVERRUN => limited += 1,
            c => panic!("unexpected code {c}"),
        }
    }
    assert_eq!((ok, limited), (5, 5));
    // Limited sends were not stored.
    let mut bob = RawClient::connect(server.gateway_addr(), "bob", "b1").await;
    assert_eq!(bob.sync(0, 0).await.entries.len(), 5);
    // The window slides.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(alice.send_text("later", "bob", "x").await.code, 0);
    server.shutdown().await;
}

#[tokio::test]
async fn send_validation() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let mut alice = RawClient::connect(server.gateway_addr(), "alice", "a1").await;
    let mut big = RawClient::text("big", "bob", "");
    big.content = "x".repeat(rcim_proto::MAX_CONTENT_LEN + 1);
    let seq = alice.send(client_frame::Body::Send(big)).await;
    assert_eq!(alice.wait_ack(seq).await.code, codes::MSG_SIZE_OUT_OF_LIMIT);
    let seq = alice
        .send(client_frame::Body::Send(RawClient::text("e", "", "x")))
        .await;
    assert_eq!(alice.wait_ack(seq).await.code, codes::PARAMETER_INVALID);
    let mut group = RawClient::text("g", "group1", "x");
    group.conversation_type = rcim_proto::conversation_type::GROUP;
    let seq = alice.send(client_frame::Body::Send(group)).await;
    assert_eq!(alice.wait_ack(seq).await.code, codes::PARAMETER_INVALID);
    server.shutdown().await;
}

#[tokio::test]
async fn second_mobile_device_kicks_the_first() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let mut phone1 = RawClient::connect(addr, "alice", "phone1").await;
    let mut desktop = RawClient::login(addr, {
        let mut l = Login::new("alice", "desk");
        l.platform = Platform::Desktop;
        l
    })
    .await
    .0;
    let mut phone2 = RawClient::connect(addr, "alice", "phone2").await;
    let f = phone1.recv().await.expect("Kicked frame");
    match f.body {
        Some(server_frame::Body::Kicked(k)) => assert_eq!(k.code, codes::DISCONN_KICK),
        other => panic!("expected Kicked, got {other:?}"),
    }
    phone1.expect_closed().await;

    // phone1 reconnects by itself with kickReconnectDevice: refused, phone2 stays.
    let mut login = Login::new("alice", "phone1");
    login.is_reconnect = true;
    login.kick_reconnect_device = true;
    let (mut refused, ack) = RawClient::login(addr, login).await;
    assert_eq!(ack.code, codes::CONN_OTHER_DEVICE_LOGIN);
    refused.expect_closed().await;

    // Without the option a reconnect kicks as usual.
    let mut login = Login::new("alice", "phone1");
    login.is_reconnect = true;
    let (_phone1b, ack) = RawClient::login(addr, login).await;
    assert_eq!(ack.code, 0);
    let f = phone2.recv().await.expect("Kicked frame");
    assert!(matches!(f.body, Some(server_frame::Body::Kicked(_))));
    phone2.expect_closed().await;

    // The desktop was never kicked.
    let seq = desktop.send(client_frame::Body::Ping(Ping {})).await;
    assert_eq!(desktop.recv().await.unwrap().seq, seq);
    server.shutdown().await;
}

#[tokio::test]
async fn same_device_reconnect_replaces_silently() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let mut old = RawClient::connect(addr, "alice", "phone").await;
    let mut login = Login::new("alice", "phone");
    login.is_reconnect = true;
    login.kick_reconnect_device = true;
    let (mut new, ack) = RawClient::login(addr, login).await;
    assert_eq!(ack.code, 0);
    // The old session is closed without a Kicked frame.
    loop {
        match old.try_recv(WAIT).await {
            None => break,
            Some(f) => assert!(
                !matches!(f.body, Some(server_frame::Body::Kicked(_))),
                "same device must not be kicked"
            ),
        }
    }
    let seq = new.send(client_frame::Body::Ping(Ping {})).await;
    assert_eq!(new.recv().await.unwrap().seq, seq);
    server.shutdown().await;
}

#[tokio::test]
async fn sender_other_devices_converge() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let mut phone = RawClient::connect(addr, "alice", "phone").await;
    let mut desk = RawClient::login(addr, {
        let mut l = Login::new("alice", "desk");
        l.platform = Platform::Desktop;
        l
    })
    .await
    .0;
    let mut bob = RawClient::connect(addr, "bob", "b").await;
    let ack = phone.send_text("c1", "bob", "hi bob").await;
    assert_eq!(ack.code, 0);
    let e = desk.next_push().await;
    assert_eq!(e.seq, 1);
    assert_eq!(message(&e).uid, ack.uid);
    assert_eq!(message(&e).sender_id, "alice");
    assert_eq!(message(&e).to_id, "bob");
    assert_eq!(message(&e).sent_time, ack.sent_time);
    let e = bob.next_push().await;
    assert_eq!((e.seq, message(&e).uid.as_str()), (1, ack.uid.as_str()));
    // The sending connection gets the ack only.
    assert!(phone.try_recv(Duration::from_millis(300)).await.is_none());
    // Alice's inbox holds her own message for her other devices.
    let pkg = phone.sync(0, 0).await;
    assert_eq!(pkg.inbox_head, 1);
    assert_eq!(message(&pkg.entries[0]).uid, ack.uid);
    // A graceful Disconnect closes the connection.
    phone
        .send(client_frame::Body::Disconnect(Disconnect {
            receive_push: true,
        }))
        .await;
    phone.expect_closed().await;
    server.shutdown().await;
}

#[tokio::test]
async fn offline_sync_in_packages_of_200() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    let mut params = vec![
        ("fromUserId", "system"),
        ("objectName", "RC:TxtMsg"),
        ("content", r#"{"content":"x"}"#),
    ];
    params.extend(std::iter::repeat_n(("toUserId", "dave"), 450));
    let body = api.call("/message/private/publish.json", &params).await;
    assert_eq!(body["messageUIDs"].as_array().unwrap().len(), 450);

    let (mut dave, ack) = RawClient::login(server.gateway_addr(), Login::new("dave", "d")).await;
    assert_eq!(ack.code, 0);
    assert_eq!(ack.inbox_head, 450);
    let mut after = 0;
    let mut sizes = Vec::new();
    loop {
        let pkg = dave.sync(after, 500).await;
        assert_eq!(pkg.inbox_head, 450);
        for (i, e) in pkg.entries.iter().enumerate() {
            assert_eq!(e.seq, after + 1 + i as u64, "dense sequence");
        }
        sizes.push((pkg.entries.len(), pkg.has_more));
        after = pkg.entries.last().map_or(after, |e| e.seq);
        if !pkg.has_more {
            break;
        }
    }
    assert_eq!(sizes, vec![(200, true), (200, true), (50, false)]);
    let small = dave.sync(10, 7).await;
    assert_eq!(small.entries.len(), 7);
    assert!(small.has_more);
    assert_eq!(small.entries[0].seq, 11);
    server.shutdown().await;
}

#[tokio::test]
async fn messages_survive_abort_and_restart() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let (gw, http) = (server.gateway_addr(), server.http_addr());
    let mut alice = RawClient::connect(gw, "alice", "a").await;
    let mut acks = Vec::new();
    for i in 0..3 {
        let ack = alice.send_text(&format!("p{i}"), "bob", "persist me").await;
        assert_eq!(ack.code, 0);
        acks.push(ack);
        tokio::time::sleep(Duration::from_millis(210)).await;
    }
    server.abort();
    alice.expect_closed().await;

    let mut cfg = config(dir.path());
    cfg.listen = gw;
    cfg.http = http;
    let server = rcim_server::start(cfg.clone())
        .await
        .expect("restart on the same ports");
    let (mut bob, ack) = RawClient::login(gw, Login::new("bob", "b")).await;
    assert_eq!(ack.code, 0);
    assert_eq!(ack.inbox_head, 3);
    let pkg = bob.sync(0, 0).await;
    let uids: Vec<_> = pkg.entries.iter().map(|e| message(e).uid.clone()).collect();
    let expected: Vec<_> = acks.iter().map(|a| a.uid.clone()).collect();
    assert_eq!(uids, expected);
    // Dedupe survives too: a resend after the restart gets the original ack.
    let mut alice = RawClient::connect(gw, "alice", "a").await;
    assert_eq!(alice.send_text("p1", "bob", "persist me").await, acks[1]);
    // And new messages continue the sequence.
    let ack = alice.send_text("p3", "bob", "after restart").await;
    let e = bob.next_push().await;
    assert_eq!((e.seq, message(&e).uid.as_str()), (4, ack.uid.as_str()));

    // Graceful shutdown and restart keep everything as well.
    server.shutdown().await;
    let server = rcim_server::start(cfg).await.expect("second restart");
    let (mut bob, ack) = RawClient::login(gw, Login::new("bob", "b")).await;
    assert_eq!(ack.inbox_head, 4);
    assert_eq!(bob.sync(0, 0).await.entries.len(), 4);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_client_is_disconnected_and_loses_nothing() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    // bob never reads: socket buffers fill, then his outbound queue (1024 frames).
    let mut bob = RawClient::connect(server.gateway_addr(), "bob", "b").await;
    let content = serde_json::json!({ "content": "y".repeat(20_000) }).to_string();
    let mut params = vec![
        ("fromUserId", "system"),
        ("objectName", "RC:TxtMsg"),
        ("content", content.as_str()),
    ];
    params.extend(std::iter::repeat_n(("toUserId", "bob"), 1000));
    for _ in 0..2 {
        api.call("/message/private/publish.json", &params).await;
    }
    // The server gave up on him.
    bob.expect_closed().await;
    // Everything is still in his inbox.
    let mut bob = RawClient::connect(server.gateway_addr(), "bob", "b").await;
    let mut after = 0;
    loop {
        // 200 entries of 20 KB would not fit in one frame: packages are also capped by size.
        let pkg = bob.sync(after, 200).await;
        assert!(!pkg.entries.is_empty() || !pkg.has_more);
        assert!(pkg.entries.len() < 200);
        after = pkg.entries.last().map_or(after, |e| e.seq);
        if !pkg.has_more {
            break;
        }
    }
    assert_eq!(after, 2000);
    server.shutdown().await;
}
