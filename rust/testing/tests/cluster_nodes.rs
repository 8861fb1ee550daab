//! Three `rcim-server` processes on one PostgreSQL and one NATS (`RCIM_TEST_POSTGRES_URL`,
//! `RCIM_TEST_NATS_URL`; `npm test` starts both with `scripts/services.sh`): engines on
//! different nodes chat privately, in a group, in an ultra group whose directory was changed
//! on two other nodes, and in a chatroom created (and moderated) through another node; a
//! second mobile device on another node kicks the first; a node killed with SIGKILL while its
//! clients send loses nothing: they reconnect to the others and every acknowledged message
//! reaches its recipient exactly once.

use rcim_core::model::connection_status as status;
use rcim_core::model::conversation_type::{CHATROOM, GROUP, ULTRA_GROUP};
use rcim_core::{codec, ChatroomEvent, Event, Message};
use rcim_testing::*;
use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One node: an `rcim-server` process.
struct Node {
    child: Child,
    http: u16,
    _dir: tempfile::TempDir,
}

impl Node {
    fn navi(&self) -> String {
        format!("http://127.0.0.1:{}", self.http)
    }

    fn kill(&mut self) {
        let _ = self.child.kill(); // SIGKILL
        let _ = self.child.wait();
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The `rcim-server` binary `cargo test --workspace` built beside this test.
fn server_binary() -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap();
    let bin = exe
        .parent()
        .and_then(|deps| deps.parent())
        .unwrap()
        .join("rcim-server");
    assert!(
        bin.exists(),
        "{} is missing: build it first (cargo build -p rcim-server)",
        bin.display()
    );
    bin
}

async fn fresh_database() -> String {
    rcim_testing::services::fresh_schema("cluster").await.url
}

fn uuid_like() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

async fn start_node(store: &str, cluster: &str) -> Node {
    let dir = tempfile::tempdir().unwrap();
    let (gateway, http) = (free_port(), free_port());
    let child = Command::new(server_binary())
        .args(["--data-dir", dir.path().to_str().unwrap()])
        .args(["--listen", &format!("127.0.0.1:{gateway}")])
        .args(["--http", &format!("127.0.0.1:{http}")])
        .args(["--app-key", APP_KEY, "--app-secret", APP_SECRET])
        .args(["--store", store])
        .args([
            "--bus",
            &rcim_testing::services::service_env("RCIM_TEST_NATS_URL"),
        ])
        .args(["--cluster-name", cluster])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start rcim-server");
    let node = Node {
        child,
        http,
        _dir: dir,
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let ready = reqwest::get(format!("{}/readyz", node.navi())).await;
        if matches!(&ready, Ok(r) if r.status().is_success()) {
            return node;
        }
        assert!(Instant::now() < deadline, "node on {http} did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn token(node: &Node, user: &str) -> String {
    let reply = server_api(&node.navi(), "/user/getToken.json", &[("userId", user)]).await;
    assert_eq!(reply["code"], 200, "getToken: {reply}");
    reply["token"].as_str().unwrap().to_string()
}

async fn online(node: &Node, user: &str) -> TestClient {
    let token = token(node, user).await;
    let mut client = TestClient::new(&node.navi(), user);
    client.connect(&token).await;
    client
}

async fn api_ok(node: &Node, path: &str, form: &[(&str, &str)]) {
    let reply = server_api(&node.navi(), path, form).await;
    assert_eq!(reply["code"], 200, "{path}: {reply}");
}

async fn send(client: &mut TestClient, kind: u32, target: &str, text: &str) {
    let message = codec::new_text_message(kind, target, None, text);
    assert_eq!(client.engine.send_message(message, None), Ok(()));
    client.sent().await;
}

async fn receive_text(client: &mut TestClient, text: &str) -> Message {
    let Event::MessageReceived { message, .. } = client
        .wait_for(text, |e| {
            matches!(e, Event::MessageReceived { message, .. }
                if message.text().unwrap_or_default() == text)
        })
        .await
    else {
        unreachable!()
    };
    message
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_share_one_database_and_one_bus() {
    let store = fresh_database().await;
    let cluster = format!("t{}", uuid_like());
    let a = start_node(&store, &cluster).await;
    let b = start_node(&store, &cluster).await;
    let c = start_node(&store, &cluster).await;

    let mut alice = online(&a, "alice").await;
    let mut bob = online(&b, "bob").await;
    let mut carol = online(&c, "carol").await;

    // Private, across nodes, both ways.
    send(&mut alice, 1, "bob", "hi bob").await;
    receive_text(&mut bob, "hi bob").await;
    send(&mut bob, 1, "alice", "hi alice").await;
    receive_text(&mut alice, "hi alice").await;

    // A group whose members are on three nodes.
    api_ok(
        &b,
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
    send(&mut carol, GROUP, "team", "hello team").await;
    receive_text(&mut alice, "hello team").await;
    receive_text(&mut bob, "hello team").await;

    // An ultra group made on node C, its channel on node A: every node's directory follows.
    api_ok(
        &c,
        "/ultragroup/create.json",
        &[("userId", "alice"), ("groupId", "ug"), ("groupName", "UG")],
    )
    .await;
    api_ok(
        &c,
        "/ultragroup/join.json",
        &[("userId", "bob"), ("userId", "carol"), ("groupId", "ug")],
    )
    .await;
    api_ok(
        &a,
        "/ultragroup/channel/create.json",
        &[("groupId", "ug"), ("busChannel", "news")],
    )
    .await;
    let message = codec::new_text_message(ULTRA_GROUP, "ug", Some("news"), "ug news");
    assert_eq!(alice.engine.send_message(message, None), Ok(()));
    alice.sent().await;
    receive_text(&mut bob, "ug news").await;
    receive_text(&mut carol, "ug news").await;

    // A chatroom created through node A is joinable on node B (without auto-create), and a
    // gag set through node A holds on node B.
    api_ok(&a, "/chatroom/create.json", &[("chatroom[lobby]", "Lobby")]).await;
    assert_eq!(bob.engine.join_chatroom("lobby", -1, false, None), Ok(()));
    bob.wait_for("joined the lobby", |e| {
        matches!(e, Event::Chatroom(ChatroomEvent::Joined { code: 0, .. }))
    })
    .await;
    api_ok(
        &a,
        "/chatroom/user/gag/add.json",
        &[("userId", "bob"), ("chatroomId", "lobby"), ("minute", "5")],
    )
    .await;
    // The gag holds on B once A's notice arrived there (milliseconds; a send racing it may
    // still pass).
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let message = codec::new_text_message(CHATROOM, "lobby", None, "gagged?");
        assert_eq!(bob.engine.send_message(message, None), Ok(()));
        let Event::MessageSent { code, .. } = bob
            .wait_for("sent", |e| matches!(e, Event::MessageSent { .. }))
            .await
        else {
            unreachable!()
        };
        if code == rcim_proto::codes::FORBIDDEN_IN_CHATROOM as i32 {
            break;
        }
        assert_eq!(code, 0, "bob's send to the lobby");
        assert!(Instant::now() < deadline, "the gag never held on node B");
        // Below the per-user send rate.
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    // A chatroom (online only, members on two nodes).
    for client in [&mut alice, &mut bob] {
        assert_eq!(client.engine.join_chatroom("hall", -1, true, None), Ok(()));
        client
            .wait_for("joined", |e| {
                matches!(e, Event::Chatroom(ChatroomEvent::Joined { code: 0, .. }))
            })
            .await;
    }
    send(&mut bob, CHATROOM, "hall", "in the hall").await;
    receive_text(&mut alice, "in the hall").await;

    // A second mobile device of alice, on node C, kicks the first (on node A).
    let mut alice_tablet = TestClient::new(&c.navi(), "alice");
    alice_tablet.connect(&token(&c, "alice").await).await;
    alice
        .wait_for("kicked", |e| {
            matches!(
                e,
                Event::ConnectionStatusChanged {
                    status: status::KICKED_OFFLINE_BY_OTHER_CLIENT
                }
            )
        })
        .await;
    drop(alice_tablet);
    drop(alice);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_node_loses_no_acknowledged_message() {
    // Below the per-user send rate (5 per second).
    const SENDS: usize = 20;
    let store = fresh_database().await;
    let cluster = format!("k{}", uuid_like());
    let mut a = start_node(&store, &cluster).await;
    let b = start_node(&store, &cluster).await;
    let _c = start_node(&store, &cluster).await;
    // Node A's navigation lists B and C once they announced themselves.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let navi: serde_json::Value =
            reqwest::get(format!("{}/navi.json?appKey={APP_KEY}", a.navi()))
                .await
                .unwrap()
                .json()
                .await
                .unwrap_or_default();
        let listed = navi["servers"].as_array().map_or(0, Vec::len);
        if listed == 3 {
            break;
        }
        assert!(Instant::now() < deadline, "A never listed B and C: {navi}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    let mut dave = online(&a, "dave").await;
    let mut erin = online(&b, "erin").await;
    // Dave sends while node A dies under him; he resends what was not acknowledged.
    for i in 0..SENDS {
        let message = codec::new_text_message(1, "erin", None, &format!("m{i}"));
        assert_eq!(dave.engine.send_message(message, None), Ok(()));
        if i == SENDS / 3 {
            a.kill();
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let (mut acked, mut failed) = (Vec::new(), Vec::new());
    let deadline = Instant::now() + Duration::from_secs(60);
    while acked.len() + failed.len() < SENDS && Instant::now() < deadline {
        if let Some(Event::MessageSent { code, message, .. }) =
            dave.next(Duration::from_secs(2)).await
        {
            let text = message.text().unwrap_or_default().to_string();
            match code {
                0 => acked.push(text),
                _ => failed.push((text, code)),
            }
        }
    }
    // Those sent before the kill, and those sent once dave is on another node.
    let after_kill = acked
        .iter()
        .filter(|t| t[1..].parse::<usize>().is_ok_and(|i| i > SENDS / 3 + 2))
        .count();
    assert!(
        after_kill > 0,
        "nothing sent after the kill was acknowledged: {acked:?}, failed {failed:?}"
    );
    assert!(
        acked.len() > SENDS / 2,
        "too few acknowledged: {acked:?}, failed {failed:?}, statuses {:?}",
        dave.statuses()
    );
    // Every acknowledged message reaches erin exactly once.
    let mut got: HashMap<String, usize> = HashMap::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while acked.iter().any(|t| !got.contains_key(t)) && Instant::now() < deadline {
        if let Some(Event::MessageReceived { message, .. }) =
            erin.next(Duration::from_secs(2)).await
        {
            *got.entry(message.text().unwrap_or_default().to_string())
                .or_default() += 1;
        }
    }
    for text in &acked {
        assert_eq!(got.get(text), Some(&1), "{text}: {got:?}");
    }
    let extra = erin.drain(Duration::from_secs(1)).await;
    assert!(
        !extra
            .iter()
            .any(|e| matches!(e, Event::MessageReceived { message, .. }
                if acked.contains(&message.text().unwrap_or_default().to_string()))),
        "a message arrived twice: {extra:?}"
    );
    drop(b);
}
