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
    let cluster = cluster_name();
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let limit = |c: &mut rcim_server::ServerConfig| {
        c.send_rate_per_sec = 3;
        c.limits.user_send_rate_per_sec = 3;
    };
    let a = node_with(da.path(), &nats, &cluster, limit).await;
    let b = node_with(db.path(), &nats, &cluster, limit).await;
    wait_known(&a, &b).await;
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
    let cluster = cluster_name();
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let limit = |c: &mut rcim_server::ServerConfig| {
        c.chatroom.auto_create_per_minute = 2;
        c.chatroom.max_joined_per_user = 5;
    };
    let a = node_with(da.path(), &nats, &cluster, limit).await;
    let b = node_with(db.path(), &nats, &cluster, limit).await;
    wait_known(&a, &b).await;
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
