//! Rates counted across two nodes of one NATS bus: what one node accepted fills the other
//! node's window of the same user or key (told in batches every 50 ms), so a user with
//! connections on both nodes, or a room created from both, gets the limit once, not once
//! per node.

mod chatroom_common;
mod cluster_common;
mod common;

use chatroom_common::*;
use cluster_common::*;
use common::*;
use rcim_proto::codes;
use std::time::Duration;

/// Longer than a batch of told counts and its transit.
const TOLD: Duration = Duration::from_millis(300);

/// A user's sends from connections on two nodes share the user's rate.
#[tokio::test]
async fn a_users_sends_on_two_nodes_share_one_rate() {
    init_tracing();
    let nats = Nats::start();
    let d = dirs();
    let limit = |c: &mut rcim_server::ServerConfig| {
        c.send_rate_per_sec = 3;
        c.limits.user_send_rate_per_sec = 3;
    };
    let (a, b) = two_nodes(&nats, &d, limit).await;
    let _peer = RawClient::connect(a.gateway_addr(), "peer", "p").await;
    let mut on_a = RawClient::connect_web(a.gateway_addr(), "hasty", "web").await;
    let mut on_b = RawClient::connect(b.gateway_addr(), "hasty", "phone").await;
    for n in 0..2 {
        let ack = on_a
            .send_text(&fresh_request_id(), "peer", &format!("a{n}"))
            .await;
        assert_eq!(ack.code, 0);
    }
    tokio::time::sleep(TOLD).await;
    let ack = on_b.send_text(&fresh_request_id(), "peer", "b0").await;
    assert_eq!(ack.code, 0, "the third of the second");
    let ack = on_b.send_text(&fresh_request_id(), "peer", "b1").await;
    assert_eq!(
        ack.code,
        codes::SEND_MSG_FREQUENCY_OVERRUN,
        "the fourth in a second across the nodes"
    );
    // Another user on B is not held by it.
    let mut other = RawClient::connect(b.gateway_addr(), "calm", "c").await;
    assert_eq!(
        other.send_text(&fresh_request_id(), "peer", "x").await.code,
        0
    );
    a.shutdown().await;
    b.shutdown().await;
}

/// Rooms a user creates by joining are limited per minute across the nodes (20604).
#[tokio::test]
async fn room_creations_by_joins_are_counted_on_every_node() {
    init_tracing();
    let nats = Nats::start();
    let d = dirs();
    let limit = |c: &mut rcim_server::ServerConfig| {
        c.chatroom.auto_create_per_minute = 2;
        c.chatroom.max_joined_per_user = 5;
    };
    let (a, b) = two_nodes(&nats, &d, limit).await;
    let mut on_a = RawClient::connect_web(a.gateway_addr(), "maker", "web").await;
    let mut on_b = RawClient::connect(b.gateway_addr(), "maker", "phone").await;
    join_ok(&mut on_a, "made-1", 0).await;
    join_ok(&mut on_a, "made-2", 0).await;
    tokio::time::sleep(TOLD).await;
    let (code, _) = join(&mut on_b, "made-3", 0, true).await;
    assert_eq!(code, codes::SEND_MSG_FREQUENCY_OVERRUN);
    // Joining an existing room creates nothing and is not counted.
    let (code, _) = join(&mut on_b, "made-1", 0, true).await;
    assert_eq!(code, 0);
    a.shutdown().await;
    b.shutdown().await;
}

/// Sets `n` entries of `room` (overwriting) in requests of 10: how many the room refused for
/// its rate (23425).
async fn set_entries(c: &mut RawClient, room: &str, n: usize) -> usize {
    use rcim_proto::v1::{request, response, SetChatRoomEntries};
    let mut refused = 0;
    for chunk in (0..n).collect::<Vec<_>>().chunks(10) {
        let entries = chunk
            .iter()
            .map(|i| (format!("k{}", i % 10), "v".to_string()))
            .collect();
        let body = request::Body::ChatroomSetEntries(SetChatRoomEntries {
            room_id: room.into(),
            entries,
            delete_when_left: false,
            overwrite: true,
        });
        let r = call(c, "", body).await;
        if let Some(response::Body::ChatroomEntriesResult(e)) = r.body {
            refused += e
                .errors
                .values()
                .filter(|&&code| code == codes::KV_RATE_EXCEEDED)
                .count();
        }
    }
    refused
}

/// A room's KV operations (100 a second, R204) are counted across the nodes its members are
/// on: 60 on A, then 50 on B within the second, and B refuses the last 10.
#[tokio::test]
async fn a_rooms_kv_operations_are_counted_on_every_node() {
    init_tracing();
    let nats = Nats::start();
    let store = shared_store().await;
    let d = dirs();
    let shared = |c: &mut rcim_server::ServerConfig| {
        c.storage.backend = rcim_server::StoreBackend::Postgres(store.clone());
    };
    let (a, b) = two_nodes(&nats, &d, shared).await;
    let mut on_a = RawClient::connect(a.gateway_addr(), "ann", "da").await;
    let mut on_b = RawClient::connect(b.gateway_addr(), "ben", "db").await;
    join_ok(&mut on_a, "kv-room", 0).await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while join(&mut on_b, "kv-room", 0, false).await.0 != 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the room never reached B"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(set_entries(&mut on_a, "kv-room", 60).await, 0);
    tokio::time::sleep(TOLD).await;
    assert_eq!(set_entries(&mut on_b, "kv-room", 50).await, 10);
    a.shutdown().await;
    b.shutdown().await;
}
