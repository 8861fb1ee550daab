//! Two nodes on one NATS bus (`--bus`), each with its own SQLite store (a shared store comes
//! with PostgreSQL): device rules across nodes, navigation listing the live nodes, chatroom
//! messages and inbox entries reaching sessions on the other node, record changes (ultra-group
//! directory, chatrooms) reaching the other node's memory, and a reconnected node reading the
//! directory again (that one on a PostgreSQL store shared by the nodes,
//! `RCIM_TEST_POSTGRES_URL`).
//!
//! The bus is `RCIM_TEST_NATS_URL` when set; otherwise each test starts its own
//! `nats-server` from PATH (the test fails, with the reason, when there is none). The
//! outage test always starts its own (it stops and restarts it). Each test uses its own
//! cluster name, so tests sharing one NATS server never see each other.

mod chatroom_common;
mod cluster_common;
mod common;
mod ultragroup_common;

use chatroom_common::*;
use cluster_common::*;
use common::*;
use rcim_proto::codes;
use rcim_proto::v1::{server_frame, Platform};
use std::net::TcpListener;
use std::time::Duration;

/// Navigation lists this node first and the other live node after it; a node that crashed
/// (no more announcements) is dropped after the TTL, one that stops is dropped at once.
#[tokio::test]
async fn navigation_lists_the_live_nodes() {
    init_tracing();
    let nats = Nats::start();
    let cluster = cluster_name();
    let (da, db, dc) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let a = node(da.path(), &nats, &cluster).await;
    let b = node(db.path(), &nats, &cluster).await;
    let (ga, gb) = (a.gateway_addr().to_string(), b.gateway_addr().to_string());
    let servers = wait_navi(&a, &gb, true).await;
    assert_eq!(servers, [ga.clone(), gb.clone()], "own gateway first");
    let servers = wait_navi(&b, &ga, true).await;
    assert_eq!(servers, [gb.clone(), ga.clone()]);
    // A crash: no goodbye, the TTL (1.5 s here) drops it.
    let crashed = std::time::Instant::now();
    b.abort();
    let servers = wait_navi(&a, &gb, false).await;
    assert_eq!(servers, std::slice::from_ref(&ga));
    assert!(
        crashed.elapsed() >= Duration::from_millis(500),
        "dropped only by the TTL"
    );
    // A graceful stop says goodbye.
    let c = node(dc.path(), &nats, &cluster).await;
    let gc = c.gateway_addr().to_string();
    wait_navi(&a, &gc, true).await;
    c.shutdown().await;
    let servers = wait_navi(&a, &gc, false).await;
    assert_eq!(servers, [ga]);
    assert!(a.bus_stats().received > 0);
    a.shutdown().await;
}

/// Another cluster on the same NATS server is invisible; static gateways are listed too.
#[tokio::test]
async fn clusters_are_separate_and_static_gateways_listed() {
    init_tracing();
    let nats = Nats::start();
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut config_a = config(da.path());
    config_a.cluster.bus = Some(nats.url.clone());
    config_a.cluster.name = Some(cluster_name());
    config_a.cluster.announce_every = Duration::from_millis(200);
    config_a.cluster.gateways = vec!["im2.example.com:8100".into()];
    let a = rcim_server::start(config_a).await.unwrap();
    let b = node(db.path(), &nats, &cluster_name()).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let servers = navi_servers(&a).await;
    assert_eq!(
        servers,
        [
            a.gateway_addr().to_string(),
            "im2.example.com:8100".to_string()
        ]
    );
    assert_eq!(navi_servers(&b).await, [b.gateway_addr().to_string()]);
    a.shutdown().await;
    b.shutdown().await;
}

/// A second mobile device logging in on node B kicks the first, on node A, with the same
/// `Kicked{31010}` as on one node; a `kickReconnectDevice` reconnect on A of a third mobile
/// is refused (31023) while B's is online; the same device logging in again on A replaces
/// its session on B.
#[tokio::test]
async fn device_rules_hold_across_nodes() {
    init_tracing();
    let nats = Nats::start();
    let cluster = cluster_name();
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = node(da.path(), &nats, &cluster).await;
    let b = node(db.path(), &nats, &cluster).await;
    wait_known(&a, &b).await;

    let mut phone1 = RawClient::connect(a.gateway_addr(), "u", "phone-1").await;
    let mut phone2 = RawClient::connect(b.gateway_addr(), "u", "phone-2").await;
    let f = phone1.recv().await.expect("a Kicked frame");
    match f.body {
        Some(server_frame::Body::Kicked(k)) => assert_eq!(k.code, codes::DISCONN_KICK),
        other => panic!("expected Kicked, got {other:?}"),
    }
    phone1.expect_closed().await;

    let mut reconnect = Login::new("u", "phone-3");
    reconnect.is_reconnect = true;
    reconnect.kick_reconnect_device = true;
    let (_c, ack) = RawClient::login(a.gateway_addr(), reconnect).await;
    assert_eq!(ack.code, codes::CONN_OTHER_DEVICE_LOGIN);

    // A web session of the same user stays (one mobile rule only).
    let mut web = Login::new("u", "web-1");
    web.platform = Platform::Web;
    let (mut web, ack) = RawClient::login(a.gateway_addr(), web).await;
    assert_eq!(ack.code, 0);

    // phone-2 moves to node A: its old session on B is closed (no Kicked: same device).
    let _phone2_again = RawClient::connect(a.gateway_addr(), "u", "phone-2").await;
    phone2.expect_closed().await;
    assert!(web.try_recv(Duration::from_millis(300)).await.is_none());
    a.shutdown().await;
    b.shutdown().await;
}

/// The session cap counts the user's sessions on every node.
#[tokio::test]
async fn the_session_cap_counts_every_node() {
    init_tracing();
    let nats = Nats::start();
    let cluster = cluster_name();
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let start = |dir: std::path::PathBuf, url: String, cluster: String| async move {
        let mut config = config(&dir);
        config.cluster.bus = Some(url);
        config.cluster.name = Some(cluster);
        config.cluster.announce_every = Duration::from_millis(200);
        config.limits.max_sessions_per_user = 2;
        rcim_server::start(config).await.unwrap()
    };
    let a = start(da.path().into(), nats.url.clone(), cluster.clone()).await;
    let b = start(db.path().into(), nats.url.clone(), cluster).await;
    wait_known(&a, &b).await;
    let web = |device: &str| {
        let mut l = Login::new("u", device);
        l.platform = Platform::Web;
        l
    };
    let (_w1, ack) = RawClient::login(a.gateway_addr(), web("w1")).await;
    assert_eq!(ack.code, 0);
    let (_w2, ack) = RawClient::login(b.gateway_addr(), web("w2")).await;
    assert_eq!(ack.code, 0);
    let (_w3, ack) = RawClient::login(a.gateway_addr(), web("w3")).await;
    assert_eq!(
        ack.code,
        codes::SEND_MSG_FREQUENCY_OVERRUN,
        "a third session"
    );
    a.shutdown().await;
    b.shutdown().await;
}

/// A chatroom message sent on node A reaches a member connected to node B, and B's
/// member's message reaches A's member; the sender does not get its own message back;
/// member events (JOIN) cross too.
#[tokio::test]
async fn chatroom_messages_reach_members_on_other_nodes() {
    init_tracing();
    let nats = Nats::start();
    let cluster = cluster_name();
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = node(da.path(), &nats, &cluster).await;
    let b = node(db.path(), &nats, &cluster).await;
    let mut alice = RawClient::connect(a.gateway_addr(), "alice", "da").await;
    let mut bob = RawClient::connect(b.gateway_addr(), "bob", "db").await;
    // Each node has its own store here: the room is created on both by the joins.
    join_ok(&mut alice, "room-1", 0).await;
    join_ok(&mut bob, "room-1", 0).await;
    // B's member events reach A's members.
    assert_eq!(
        next_member_actions(&mut alice).await,
        [("bob".to_string(), 1)],
        "bob's JOIN"
    );
    say(&mut alice, "room-1", "hello from A").await;
    let m = next_room_message(&mut bob).await;
    assert_eq!(text_of(&m), "hello from A");
    assert_eq!(m.sender_id, "alice");
    say(&mut bob, "room-1", "hello from B").await;
    let m = next_room_message(&mut alice).await;
    assert_eq!(text_of(&m), "hello from B");
    assert!(
        room_messages_within(&mut bob, Duration::from_millis(300))
            .await
            .is_empty(),
        "no echo of B's own message"
    );
    // After leaving on B, A's messages no longer reach bob.
    assert_eq!(leave(&mut bob, "room-1").await, 0);
    say(&mut alice, "room-1", "after the leave").await;
    assert!(room_messages_within(&mut bob, Duration::from_millis(500))
        .await
        .is_empty());
    a.shutdown().await;
    b.shutdown().await;
}

/// An inbox entry committed on node A reaches the recipient's session on node B, once;
/// the recipient's session on A gets it once too (the bus does not echo it back to A).
#[tokio::test]
async fn inbox_entries_reach_sessions_on_other_nodes_once() {
    init_tracing();
    let nats = Nats::start();
    let cluster = cluster_name();
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = node(da.path(), &nats, &cluster).await;
    let b = node(db.path(), &nats, &cluster).await;
    // Odd ids: a subject token must carry them.
    let bob = "bob.the *builder>";
    let mut bob_on_b = RawClient::connect(b.gateway_addr(), bob, "bob-phone").await;
    let mut web = Login::new(bob, "bob-web");
    web.platform = Platform::Web;
    let (mut bob_on_a, ack) = RawClient::login(a.gateway_addr(), web).await;
    assert_eq!(ack.code, 0);
    let mut alice = RawClient::connect(a.gateway_addr(), "alice", "alice-phone").await;
    for i in 0..3 {
        let ack = alice
            .send_text(&fresh_request_id(), bob, &format!("hi {i}"))
            .await;
        assert_eq!(ack.code, 0);
    }
    for i in 0..3 {
        let on_b = bob_on_b.next_push().await;
        let on_a = bob_on_a.next_push().await;
        assert_eq!(on_b, on_a, "the same entry, in the same order");
        let content: serde_json::Value = serde_json::from_str(&message(&on_b).content).unwrap();
        assert_eq!(content["content"], format!("hi {i}"));
    }
    for c in [&mut bob_on_a, &mut bob_on_b] {
        while let Some(f) = c.try_recv(Duration::from_millis(300)).await {
            assert!(
                !matches!(f.body, Some(server_frame::Body::Push(_))),
                "a second copy: {f:?}"
            );
        }
    }
    assert!(a.bus_stats().published > 0 && b.bus_stats().received > 0);
    a.shutdown().await;
    b.shutdown().await;
}

/// An ultra-group message sent on node A reaches a member online on node B.
#[tokio::test]
async fn ultragroup_events_reach_readers_on_other_nodes() {
    init_tracing();
    let nats = Nats::start();
    let cluster = cluster_name();
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = node(da.path(), &nats, &cluster).await;
    let b = node(db.path(), &nats, &cluster).await;
    // Each node has its own store here: the group is made on both.
    for server in [&a, &b] {
        ultragroup_common::make_group(&Api::new(server), "ug", "ann", &["ben"]).await;
    }
    let mut ann = RawClient::connect(a.gateway_addr(), "ann", "ann-phone").await;
    let mut ben = RawClient::connect(b.gateway_addr(), "ben", "ben-phone").await;
    ultragroup_common::say(&mut ann, "ug", "", "hello readers").await;
    let m = ultragroup_common::next_ug_message(&mut ben).await;
    assert_eq!(ultragroup_common::text_of(&m), "hello readers");
    assert_eq!(m.sender_id, "ann");
    assert!(
        ultragroup_common::try_next_ug(&mut ann, Duration::from_millis(300))
            .await
            .is_none(),
        "the sender gets no echo"
    );
    a.shutdown().await;
    b.shutdown().await;
}

/// Changes of the records every node keeps in memory reach the other node's memory: an
/// ultra group made through A's Server API takes a channel through B's (which A then
/// lists); a chatroom created through A is joinable on B without auto-create; a gag set
/// through A holds on B. (Each node has its own store here: what is checked is the memory.)
#[tokio::test]
async fn record_changes_reach_the_other_node() {
    init_tracing();
    let nats = Nats::start();
    let cluster = cluster_name();
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = node(da.path(), &nats, &cluster).await;
    let b = node(db.path(), &nats, &cluster).await;
    let (api_a, api_b) = (Api::new(&a), Api::new(&b));
    api_a
        .call(
            "/ultragroup/create.json",
            &[("userId", "ann"), ("groupId", "ug"), ("groupName", "UG")],
        )
        .await;
    // No wait: B waits for the notice of a group it does not know yet.
    api_b
        .call(
            "/ultragroup/channel/create.json",
            &[("groupId", "ug"), ("busChannel", "news")],
        )
        .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
    loop {
        let r = api_a
            .call("/ultragroup/channel/get.json", &[("groupId", "ug")])
            .await;
        if r.to_string().contains("news") {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "A never saw B's channel: {r}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A group nobody made is still unknown (after the short wait).
    let (_, r) = api_b
        .call_with(
            "/ultragroup/channel/create.json",
            &[("groupId", "nope"), ("busChannel", "news")],
            APP_KEY,
            APP_SECRET,
            "",
        )
        .await;
    assert_eq!(r["code"], codes::ULTRA_GROUP_NOT_EXIST, "{r}");

    api_a
        .call("/chatroom/create.json", &[("chatroom[lobby]", "Lobby")])
        .await;
    let mut bob = RawClient::connect(b.gateway_addr(), "bob", "db").await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
    loop {
        let (code, _) = join(&mut bob, "lobby", 0, false).await;
        if code == 0 {
            break;
        }
        assert_eq!(code, codes::CHATROOM_NOT_EXIST);
        assert!(
            tokio::time::Instant::now() < deadline,
            "B never knew the lobby"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    api_a
        .call(
            "/chatroom/user/gag/add.json",
            &[("userId", "bob"), ("chatroomId", "lobby"), ("minute", "5")],
        )
        .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
    loop {
        let (code, _, _) = send_room(&mut bob, room_text("lobby", "gagged?")).await;
        if code == codes::FORBIDDEN_IN_CHATROOM {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the gag never held on B"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    a.shutdown().await;
    b.shutdown().await;
}

/// When the connection to NATS comes back after an outage, the node closes its sessions
/// (what other nodes published meanwhile never reached it): the devices reconnect and
/// resync from their cursor. A login afterwards works and the bus carries again.
#[tokio::test]
async fn sessions_resync_after_a_bus_outage() {
    init_tracing();
    let nats = Nats::private();
    let port: u16 = nats.url.rsplit(':').next().unwrap().parse().unwrap();
    let cluster = cluster_name();
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = node(da.path(), &nats, &cluster).await;
    let b = node(db.path(), &nats, &cluster).await;
    let mut bob = RawClient::connect(b.gateway_addr(), "bob", "bob-phone").await;
    drop(nats);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        bob.try_recv(Duration::from_millis(200)).await.is_none(),
        "sessions stay up during the outage"
    );
    let _nats = Nats::on_port(port);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        use futures::StreamExt as _;
        match tokio::time::timeout_at(deadline, bob.framed.next()).await {
            Ok(None) | Ok(Some(Err(_))) => break,
            Ok(Some(Ok(_))) => continue,
            Err(_) => panic!("the session was not closed after the bus came back"),
        }
    }
    // Reconnected: the bus carries again.
    wait_known(&a, &b).await;
    let mut bob = RawClient::connect(b.gateway_addr(), "bob", "bob-phone").await;
    let mut alice = RawClient::connect(a.gateway_addr(), "alice", "alice-phone").await;
    let ack = alice.send_text(&fresh_request_id(), "bob", "after").await;
    assert_eq!(ack.code, 0);
    let e = bob.next_push().await;
    let content: serde_json::Value = serde_json::from_str(&message(&e).content).unwrap();
    assert_eq!(content["content"], "after");
    a.shutdown().await;
    b.shutdown().await;
}

/// A directory change a node never heard of (made on the same store by a node without the
/// bus, as if its notice was lost) reaches that node's memory once its bus connection comes
/// back: a reconnected node reads the directory again from the store.
#[tokio::test]
async fn a_reconnected_node_reads_the_directory_again() {
    init_tracing();
    let store = shared_store().await;
    let nats = Nats::private();
    let port: u16 = nats.url.rsplit(':').next().unwrap().parse().unwrap();
    let (db, dc) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut config_b = config(db.path());
    config_b.storage.backend = rcim_server::StoreBackend::Postgres(store.clone());
    config_b.cluster.bus = Some(nats.url.clone());
    config_b.cluster.name = Some(cluster_name());
    let b = rcim_server::start(config_b).await.expect("node B starts");
    let mut config_c = config(dc.path());
    config_c.storage.backend = rcim_server::StoreBackend::Postgres(store);
    let c = rcim_server::start(config_c).await.expect("node C starts");
    Api::new(&c)
        .call(
            "/ultragroup/create.json",
            &[
                ("userId", "alice"),
                ("groupId", "late"),
                ("groupName", "Late"),
            ],
        )
        .await;
    let api_b = Api::new(&b);
    let create_channel = || async {
        let form = [("groupId", "late"), ("busChannel", "news")];
        let (_, r) = api_b
            .call_with(
                "/ultragroup/channel/create.json",
                &form,
                APP_KEY,
                APP_SECRET,
                "",
            )
            .await;
        r["code"].as_u64().unwrap_or_default() as u32
    };
    assert_eq!(create_channel().await, codes::ULTRA_GROUP_NOT_EXIST);
    drop(nats);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let _nats = Nats::on_port(port);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let code = create_channel().await;
        if code == 200 {
            break;
        }
        assert_eq!(code, codes::ULTRA_GROUP_NOT_EXIST);
        assert!(
            tokio::time::Instant::now() < deadline,
            "B never read the directory again"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    b.shutdown().await;
    c.shutdown().await;
}

/// The Server API of node A sees users online on node B (`/user/checkOnline.json`), and a
/// ban made through it closes their sessions on node B with `Kicked{31009}`; a typing
/// status crosses nodes too.
#[tokio::test]
async fn presence_bans_and_typing_cross_nodes() {
    init_tracing();
    let nats = Nats::start();
    let cluster = cluster_name();
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = node(da.path(), &nats, &cluster).await;
    let b = node(db.path(), &nats, &cluster).await;
    wait_known(&a, &b).await;
    let api = Api::new(&a);
    let online = |v: serde_json::Value| v["status"].as_str().unwrap_or_default().to_owned();
    assert_eq!(
        online(
            api.call("/user/checkOnline.json", &[("userId", "bob")])
                .await
        ),
        "0"
    );
    let mut bob = RawClient::connect(b.gateway_addr(), "bob", "bob-phone").await;
    assert_eq!(
        online(
            api.call("/user/checkOnline.json", &[("userId", "bob")])
                .await
        ),
        "1"
    );

    let mut alice = RawClient::connect(a.gateway_addr(), "alice", "alice-phone").await;
    let typing = rcim_proto::v1::request::Body::Typing(rcim_proto::v1::TypingStatus {
        conversation_type: rcim_proto::conversation_type::PRIVATE,
        target_id: "bob".into(),
        channel_id: String::new(),
        object_name: "RC:TxtMsg".into(),
    });
    assert_eq!(call(&mut alice, "", typing).await.code, 0);
    let f = bob.recv().await.expect("the typing event");
    assert!(
        matches!(&f.body, Some(server_frame::Body::Transient(_))),
        "{f:?}"
    );

    api.call("/user/block.json", &[("userId", "bob"), ("minute", "10")])
        .await;
    let f = bob.recv().await.expect("a Kicked frame");
    match f.body {
        Some(server_frame::Body::Kicked(k)) => assert_eq!(k.code, codes::CONN_USER_BLOCKED),
        other => panic!("expected Kicked, got {other:?}"),
    }
    bob.expect_closed().await;
    a.shutdown().await;
    b.shutdown().await;
}

/// A node whose bus does not answer refuses to start (alone, it would break the device
/// rules of a cluster that runs without it), with the reason.
#[tokio::test]
async fn a_node_without_its_bus_does_not_start() {
    init_tracing();
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    config.cluster.bus = Some(format!("nats://127.0.0.1:{port}"));
    let err = match rcim_server::start(config).await {
        Ok(_) => panic!("started without its bus"),
        Err(e) => format!("{e:#}"),
    };
    assert!(err.contains("connecting to the bus"), "{err}");
}
