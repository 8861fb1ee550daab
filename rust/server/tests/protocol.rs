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
    // A device id travels in entries other users sync: beyond 128 bytes it is refused.
    let (mut c, ack) = RawClient::login(addr, Login::new("v", &"d".repeat(129))).await;
    assert_eq!(ack.code, codes::PARAMETER_INVALID);
    c.expect_closed().await;
    let (_c, ack) = RawClient::login(addr, Login::new("v", &"d".repeat(128))).await;
    assert_eq!(ack.code, 0);
    server.shutdown().await;
}

/// Pings get pongs, and the idle timer is moved on by each frame: with a 1 s heartbeat (closed
/// after 3 s of silence), a client that pings every 0.75 s for 4.5 s, past the timer's first
/// expiry, gets a pong to each and stays connected; once silent it is closed after about 3 s.
#[tokio::test]
async fn ping_pong_and_heartbeat_timeout() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.heartbeat_secs = 1;
    let server = rcim_server::start(cfg).await.unwrap();
    let mut c = RawClient::connect(server.gateway_addr(), "u", "d").await;
    let started = tokio::time::Instant::now();
    for n in 1..=6 {
        tokio::time::sleep_until(started + Duration::from_millis(750) * n).await;
        let seq = c.send(client_frame::Body::Ping(Ping {})).await;
        let f = c.recv().await;
        let pong = matches!(&f, Some(f) if f.seq == seq
            && matches!(&f.body, Some(server_frame::Body::Pong(p)) if p.server_time > 0));
        assert!(pong, "ping {n} at {:?}: {f:?}", started.elapsed());
    }
    // Silent from here: closed after the timeout (3 s), well before twice that.
    let silent = tokio::time::Instant::now();
    c.expect_closed().await;
    let took = silent.elapsed();
    assert!(
        took >= Duration::from_millis(2500),
        "closed {took:?} after the last ping"
    );
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
        seqs.push(alice.send(send_body(m)).await);
    }
    // Acks may arrive in any order (refusals are immediate, accepted sends wait for a commit).
    let mut codes_by_seq = std::collections::HashMap::new();
    while codes_by_seq.len() < seqs.len() {
        let f = alice.recv().await.expect("connection open");
        let seq = f.seq;
        if let Some(r) = response_of(f) {
            assert!(seqs.contains(&seq));
            codes_by_seq.insert(seq, r.code);
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
    let seq = alice.send(send_body(big)).await;
    assert_eq!(alice.wait_ack(seq).await.code, codes::MSG_SIZE_OUT_OF_LIMIT);
    let seq = alice.send(send_body(RawClient::text("e", "", "x"))).await;
    assert_eq!(alice.wait_ack(seq).await.code, codes::PARAMETER_INVALID);
    // A group alice is not in (here: no such group) => 22406.
    let mut group = RawClient::text("g", "group1", "x");
    group.conversation_type = rcim_proto::conversation_type::GROUP;
    let seq = alice.send(send_body(group)).await;
    assert_eq!(alice.wait_ack(seq).await.code, codes::NOT_IN_GROUP);
    // A chatroom that does not exist => 23410.
    let mut room = RawClient::text("r", "room1", "x");
    room.conversation_type = rcim_proto::conversation_type::CHATROOM;
    let seq = alice.send(send_body(room)).await;
    assert_eq!(alice.wait_ack(seq).await.code, codes::CHATROOM_NOT_EXIST);
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
    // (The sending connection gets the same push too, see
    // `sending_connection_gets_its_own_inbox_entry`; `send_text` skipped it if it came first.)
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

/// Review finding 1: a SendMessage just under the frame cap used to be accepted although the
/// stored message, re-encoded as a push or in a sync package, no longer fit in a frame: the
/// recipient's connection died on every push and every sync. Every field is capped now.
#[tokio::test]
async fn send_fields_are_capped_so_stored_messages_fit_in_a_frame() {
    use prost::Message as _;
    use rcim_proto::v1::ClientFrame;
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let mut alice = RawClient::connect(addr, "alice", "a1").await;
    let mut bob = RawClient::connect(addr, "bob", "b1").await;

    // Content at its cap, push data filling the frame up to the last few bytes.
    let frame_len = |m: &Outgoing| {
        ClientFrame {
            seq: 1_000,
            body: Some(send_body(m.clone())),
        }
        .encoded_len()
    };
    let mut huge = RawClient::text("huge", "bob", "");
    huge.content = "x".repeat(rcim_proto::MAX_CONTENT_LEN);
    huge.push_data = "p".repeat(rcim_proto::MAX_FRAME_LEN - frame_len(&huge));
    while frame_len(&huge) > rcim_proto::MAX_FRAME_LEN - 4 {
        huge.push_data.pop();
    }
    let seq = alice.send(send_body(huge)).await;
    assert_eq!(alice.wait_ack(seq).await.code, codes::MSG_SIZE_OUT_OF_LIMIT);

    let over = |f: fn(&mut Outgoing)| {
        let mut m = RawClient::text("over", "bob", "x");
        f(&mut m);
        m
    };
    let refused = [
        (
            over(|m| m.push_content = "c".repeat(4097)),
            codes::MSG_SIZE_OUT_OF_LIMIT,
        ),
        (
            over(|m| m.push_data = "d".repeat(4097)),
            codes::MSG_SIZE_OUT_OF_LIMIT,
        ),
        (
            over(|m| m.channel_id = "c".repeat(21)),
            codes::PARAMETER_INVALID,
        ),
        (
            over(|m| m.client_msg_id = "i".repeat(65)),
            codes::PARAMETER_INVALID,
        ),
    ];
    for (m, code) in refused {
        let seq = alice.send(send_body(m)).await;
        assert_eq!(alice.wait_ack(seq).await.code, code);
    }
    // Exactly at the caps is fine (a channel id counts characters, not bytes).
    let mut at_cap = RawClient::text(&"i".repeat(64), "bob", "at the caps");
    at_cap.push_content = "c".repeat(4096);
    at_cap.push_data = "d".repeat(4096);
    at_cap.channel_id = "é".repeat(20);
    let seq = alice.send(send_body(at_cap)).await;
    let ack = alice.wait_ack(seq).await;
    assert_eq!(ack.code, 0);

    // bob was never disconnected and only got the accepted message.
    let e = bob.next_push().await;
    assert_eq!((e.seq, message(&e).uid.as_str()), (1, ack.uid.as_str()));
    assert_eq!(message(&e).channel_id, "é".repeat(20));
    let pkg = bob.sync(0, 0).await;
    assert_eq!((pkg.entries.len(), pkg.inbox_head), (1, 1));
    server.shutdown().await;
}

/// Review finding 1 (defence): a stored entry too large for any frame (written before the caps
/// existed, or by hand) is sent without its message, so the user's cursor moves past it instead
/// of the connection dying on every sync.
#[tokio::test]
async fn sync_sends_oversized_entries_without_their_message() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let (gw, http) = (server.gateway_addr(), server.http_addr());
    server.shutdown().await;
    {
        let db = rusqlite::Connection::open(dir.path().join("rcim.sqlite3")).unwrap();
        let now = now_ms();
        let huge = "z".repeat(rcim_proto::MAX_FRAME_LEN);
        for (seq, content) in [(1, "{}"), (2, huge.as_str()), (3, "{}")] {
            db.execute(
                "INSERT INTO messages (uid, conversation_type, to_id, channel_id, sender_id, \
                 object_name, content, sent_time, client_msg_id, persisted, counted, \
                 push_content, push_data) \
                 VALUES (?1, 1, 'bob', '', 'alice', 'RC:TxtMsg', ?2, ?3, '', 1, 1, '', '')",
                rusqlite::params![format!("UID-{seq}"), content, now + seq],
            )
            .unwrap();
            let id = db.last_insert_rowid();
            db.execute(
                "INSERT INTO inbox (user_id, seq, msg_id, created_at) VALUES ('bob', ?1, ?2, ?3)",
                rusqlite::params![seq, id, now],
            )
            .unwrap();
        }
        db.execute(
            "INSERT INTO inbox_heads (user_id, head) VALUES ('bob', 3)",
            [],
        )
        .unwrap();
    }
    let mut cfg = config(dir.path());
    cfg.listen = gw;
    cfg.http = http;
    let server = rcim_server::start(cfg).await.unwrap();
    let (mut bob, ack) = RawClient::login(gw, Login::new("bob", "b")).await;
    assert_eq!((ack.code, ack.inbox_head), (0, 3));
    let pkg = bob.sync(0, 0).await;
    let seqs: Vec<u64> = pkg.entries.iter().map(|e| e.seq).collect();
    assert_eq!(
        seqs,
        vec![1, 2, 3],
        "dense sequence, the cursor can move past seq 2"
    );
    assert!(!pkg.has_more);
    assert_eq!(message(&pkg.entries[0]).uid, "UID-1");
    assert!(pkg.entries[1].body.is_none(), "oversized message left out");
    assert_eq!(message(&pkg.entries[2]).uid, "UID-3");
    // A sync starting at the bad entry works too.
    let pkg = bob.sync(1, 1).await;
    assert_eq!(pkg.entries.len(), 1);
    assert!(pkg.entries[0].body.is_none());
    assert!(pkg.has_more);
    server.shutdown().await;
}

/// Review finding 2: the sending connection also gets the push of the sender's own inbox entry
/// (before or after the answer to its send), so its inbox cursor has no gap.
#[tokio::test]
async fn sending_connection_gets_its_own_inbox_entry() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let mut phone = RawClient::connect(addr, "alice", "phone").await;
    let mut bob = RawClient::connect(addr, "bob", "b").await;
    for (i, expected_seq) in [(0, 1u64), (1, 2)] {
        let seq = phone
            .send(send_body(RawClient::text(
                &format!("own-{i}"),
                "bob",
                "hello",
            )))
            .await;
        let mut ack = None;
        let mut push = None;
        while ack.is_none() || push.is_none() {
            let f = phone.recv().await.expect("connection open");
            match f.body {
                Some(server_frame::Body::Response(r)) if f.seq == seq => ack = Some(SendAck::of(r)),
                Some(server_frame::Body::Push(p)) => {
                    assert!(push.is_none(), "one push per message");
                    push = p.entry;
                }
                other => panic!("unexpected frame {other:?}"),
            }
        }
        let (ack, push) = (ack.unwrap(), push.unwrap());
        assert_eq!(ack.code, 0);
        assert_eq!(push.seq, expected_seq, "next seq of alice's inbox");
        let m = message(&push);
        assert_eq!(
            (m.uid.as_str(), m.sent_time),
            (ack.uid.as_str(), ack.sent_time)
        );
        assert_eq!(m.client_msg_id, format!("own-{i}"));
        assert_eq!(bob.next_push().await.seq, expected_seq);
    }
    // A resend is not delivered again (only the original ack comes back).
    let again = phone.send_text("own-0", "bob", "hello").await;
    assert_eq!(again.code, 0);
    assert!(phone.try_recv(Duration::from_millis(300)).await.is_none());
    server.shutdown().await;
}

/// Review finding 4: trouble on the server's side during login (here: the database cannot be
/// read) is answered with a code the client retries, never with a fatal one.
#[tokio::test]
async fn transient_login_failures_use_a_retryable_code() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let db = dir.path().join("rcim.sqlite3");
    let moved = dir.path().join("rcim.sqlite3.moved");
    // The writer keeps its open file; new read connections cannot open a directory.
    std::fs::rename(&db, &moved).unwrap();
    std::fs::create_dir(&db).unwrap();
    let (mut c, ack) = RawClient::login(addr, Login::new("alice", "a")).await;
    let fatal = [
        codes::PROTOCOL_VERSION_ERROR,
        codes::CONN_ID_REJECT,
        codes::CONN_TOKEN_INCORRECT,
        codes::CONN_USER_BLOCKED,
        codes::CONN_OTHER_DEVICE_LOGIN,
    ];
    assert_ne!(ack.code, 0);
    assert!(
        !fatal.contains(&ack.code),
        "transient failure got fatal code {}",
        ack.code
    );
    assert_eq!(ack.code, codes::NETWORK_UNAVAILABLE);
    c.expect_closed().await;
    // Once the database is back the same login succeeds.
    std::fs::remove_dir(&db).unwrap();
    std::fs::rename(&moved, &db).unwrap();
    let (_c, ack) = RawClient::login(addr, Login::new("alice", "a")).await;
    assert_eq!(ack.code, 0);
    server.shutdown().await;
}
