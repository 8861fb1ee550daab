//! Chatroom state with members spread over two nodes of one NATS bus (each node with its
//! own SQLite store; rooms reach the other node's memory through record notices): the
//! member list and count of the Server API cover both nodes, the one-room rule and a leave
//! act on every node, a node's first member gets the ring of the others, members offline
//! on one node are auto-kicked by messages sent on the other, and a room busy on one node
//! is not destroyed as idle by the other.

mod chatroom_api_common;
mod chatroom_common;
mod cluster_common;
mod common;

use chatroom_api_common::code_of;
use chatroom_common::*;
use cluster_common::*;
use common::*;
use rcim_proto::codes;
use rcim_proto::v1::chat_room_event;
use serde_json::Value;
use std::time::Duration;

/// `/chatroom/user/query.json` on `api`: (total, member ids in join order).
async fn query(api: &Api, room: &str) -> (u64, Vec<String>) {
    let v = api
        .call(
            "/chatroom/user/query.json",
            &[("chatroomId", room), ("count", "500")],
        )
        .await;
    let users = v["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .collect();
    (v["total"].as_u64().unwrap(), users)
}

/// Waits until `room`'s members, as `api` sees them, are `want`.
async fn wait_members(api: &Api, room: &str, want: &[&str]) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let (_, users) = query(api, room).await;
        if users == want {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{room}'s members are {users:?}, not {want:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until room `room` is known to `server` (its creation notice arrived).
async fn wait_room(api: &Api, room: &str) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while code_of(api, "/chatroom/get.json", &[("chatroomId", room)]).await != 200 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{room} never arrived"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The next `kicked` or `status` event of `c` within the wait.
async fn next_room_end(c: &mut RawClient) -> chat_room_event::Body {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let e = try_room_event(c, left)
            .await
            .expect("a kicked or status event");
        match e.body {
            Some(b @ (chat_room_event::Body::Kicked(_) | chat_room_event::Body::Status(_))) => {
                return b
            }
            _ => continue,
        }
    }
}

/// Members on both nodes are listed, counted and found by either node's Server API.
#[tokio::test]
async fn members_on_every_node_are_listed_and_counted() {
    init_tracing();
    let nats = Nats::start();
    let d = dirs();
    let (a, b) = two_nodes(&nats, &d, |_| {}).await;
    let (api_a, api_b) = (Api::new(&a), Api::new(&b));
    let mut alice = RawClient::connect(a.gateway_addr(), "alice", "da").await;
    let mut bob = RawClient::connect(b.gateway_addr(), "bob", "db").await;
    join_ok(&mut alice, "room-m", 0).await;
    wait_room(&api_b, "room-m").await;
    join_ok(&mut bob, "room-m", 0).await;
    for api in [&api_a, &api_b] {
        let (total, users) = query(api, "room-m").await;
        assert_eq!(total, 2);
        assert_eq!(users, ["alice", "bob"], "join order across nodes");
        let got = api
            .call("/chatroom/get.json", &[("chatroomId", "room-m")])
            .await;
        assert_eq!(got["memberCount"], 2);
        let v = api
            .call(
                "/chatroom/users/exist.json",
                &[
                    ("chatroomId", "room-m"),
                    ("userId", "bob"),
                    ("userId", "alice"),
                    ("userId", "zed"),
                ],
            )
            .await;
        let flags: Vec<Value> = v["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["isInChrm"].clone())
            .collect();
        assert_eq!(flags, [1, 1, 0]);
        let v = api
            .call(
                "/chatroom/user/exist.json",
                &[("chatroomId", "room-m"), ("userId", "bob")],
            )
            .await;
        assert_eq!(v["isInChrm"], true);
    }
    a.shutdown().await;
    b.shutdown().await;
}

/// The one-room rule (R190) holds across nodes: a join on B leaves the user's room on A
/// (A's connection is kicked out of it, the join answer names it); a leave on B takes the
/// user out on A too.
#[tokio::test]
async fn the_one_room_rule_and_leaves_act_on_every_node() {
    init_tracing();
    let nats = Nats::start();
    let d = dirs();
    let (a, b) = two_nodes(&nats, &d, |_| {}).await;
    let (api_a, api_b) = (Api::new(&a), Api::new(&b));
    // Carol's web session on A, her mobile on B.
    let mut carol_a = RawClient::connect_web(a.gateway_addr(), "carol", "web").await;
    let mut carol_b = RawClient::connect(b.gateway_addr(), "carol", "phone").await;
    join_ok(&mut carol_a, "room-x", 0).await;
    wait_room(&api_b, "room-x").await;
    let joined = join_ok(&mut carol_b, "room-y", 0).await;
    assert_eq!(joined.left_room_ids, ["room-x"]);
    assert_eq!(
        next_room_end(&mut carol_a).await,
        chat_room_event::Body::Kicked(codes::NOT_IN_CHATROOM)
    );
    wait_members(&api_a, "room-x", &[]).await;
    wait_members(&api_a, "room-y", &["carol"]).await;
    // Both in room-y again (from A: it leaves nothing, carol is in room-y already), then
    // the leave on B takes her out on A too.
    wait_room(&api_a, "room-y").await;
    let joined = join_ok(&mut carol_a, "room-y", 0).await;
    assert!(
        joined.left_room_ids.is_empty(),
        "{:?}",
        joined.left_room_ids
    );
    assert_eq!(leave(&mut carol_b, "room-y").await, 0);
    assert_eq!(
        next_room_end(&mut carol_a).await,
        chat_room_event::Body::Kicked(codes::NOT_IN_CHATROOM)
    );
    wait_members(&api_b, "room-y", &[]).await;
    a.shutdown().await;
    b.shutdown().await;
}

/// A node's first member of a room gets the recent messages sent on the other node, in
/// order; later messages go into its ring as they pass.
#[tokio::test]
async fn a_first_member_on_a_node_gets_the_other_nodes_ring() {
    init_tracing();
    let nats = Nats::start();
    let d = dirs();
    let (a, b) = two_nodes(&nats, &d, |_| {}).await;
    let mut alice = RawClient::connect(a.gateway_addr(), "alice", "da").await;
    join_ok(&mut alice, "room-r", 0).await;
    wait_room(&Api::new(&b), "room-r").await;
    for i in 1..=3 {
        say(&mut alice, "room-r", &format!("m{i}")).await;
    }
    let mut bob = RawClient::connect(b.gateway_addr(), "bob", "db").await;
    let joined = join_ok(&mut bob, "room-r", 10).await;
    let texts: Vec<String> = joined.messages.iter().map(text_of).collect();
    assert_eq!(texts, ["m1", "m2", "m3"]);
    say(&mut alice, "room-r", "m4").await;
    assert_eq!(text_of(&next_room_message(&mut bob).await), "m4");
    // A second member on B gets the ring B holds now, m4 included.
    let mut carol = RawClient::connect(b.gateway_addr(), "carol", "dc").await;
    let joined = join_ok(&mut carol, "room-r", 2).await;
    let texts: Vec<String> = joined.messages.iter().map(text_of).collect();
    assert_eq!(texts, ["m3", "m4"]);
    a.shutdown().await;
    b.shutdown().await;
}

/// A member whose connection on A dropped is auto-kicked (R194) once the room produced
/// more than `auto_kick_messages` messages, sent on B.
#[tokio::test]
async fn offline_members_are_auto_kicked_by_messages_of_other_nodes() {
    init_tracing();
    let nats = Nats::start();
    let d = dirs();
    let (a, b) = two_nodes(&nats, &d, |c| c.chatroom.auto_kick_messages = 3).await;
    let api_b = Api::new(&b);
    let mut erin = RawClient::connect(a.gateway_addr(), "erin", "de").await;
    join_ok(&mut erin, "room-k", 0).await;
    wait_room(&api_b, "room-k").await;
    let mut frank = RawClient::connect(b.gateway_addr(), "frank", "df").await;
    join_ok(&mut frank, "room-k", 0).await;
    drop(erin);
    // Erin stays a member while offline...
    tokio::time::sleep(Duration::from_millis(300)).await;
    wait_members(&api_b, "room-k", &["erin", "frank"]).await;
    // ... until B's messages pass the count on A.
    for i in 0..5 {
        say(&mut frank, "room-k", &format!("k{i}")).await;
    }
    wait_members(&api_b, "room-k", &["frank"]).await;
    a.shutdown().await;
    b.shutdown().await;
}

/// A room busy on A (messages) is not destroyed as idle by B, which sees none of it; once
/// quiet everywhere it is destroyed and A's member gets DESTROY_AUTO.
#[tokio::test]
async fn a_room_busy_on_one_node_is_not_idle_on_another() {
    init_tracing();
    let nats = Nats::start();
    let d = dirs();
    let idle = Duration::from_secs(2);
    let (a, b) = two_nodes(&nats, &d, |c| c.chatroom.idle_destroy = idle).await;
    let (api_a, api_b) = (Api::new(&a), Api::new(&b));
    let mut gina = RawClient::connect(a.gateway_addr(), "gina", "dg").await;
    join_ok(&mut gina, "room-i", 0).await;
    wait_room(&api_b, "room-i").await;
    // Three idle periods of B with messages on A only.
    let until = tokio::time::Instant::now() + idle * 3;
    while tokio::time::Instant::now() < until {
        say(&mut gina, "room-i", "still here").await;
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
    for api in [&api_a, &api_b] {
        assert_eq!(
            code_of(api, "/chatroom/get.json", &[("chatroomId", "room-i")]).await,
            200,
            "the room lives on both nodes"
        );
    }
    // Quiet: destroyed within its idle time plus the checks, on both nodes.
    let deadline = tokio::time::Instant::now() + idle * 4;
    loop {
        let e = try_room_event(&mut gina, Duration::from_millis(200)).await;
        if let Some(chat_room_event::Body::Status(s)) = e.and_then(|e| e.body) {
            assert_eq!(s, 2, "DESTROY_AUTO");
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "never destroyed");
    }
    let deadline = tokio::time::Instant::now() + WAIT;
    while code_of(&api_b, "/chatroom/get.json", &[("chatroomId", "room-i")]).await
        != u64::from(codes::CHATROOM_NOT_EXIST)
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "B still has the room"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    a.shutdown().await;
    b.shutdown().await;
}
