//! Offline push on two nodes sharing a PostgreSQL store and NATS: the node that commits a
//! message decides its pushes, and a device of the receiver online on the other node counts
//! as online (a web device online holds back every push of its user).
//!
//! Needs `RCIM_TEST_POSTGRES_URL` and `RCIM_TEST_NATS_URL` (`scripts/services.sh`).

mod push_support;

use push_support::*;
use rcim_proto::v1::Platform;
use rcim_server::StoreBackend;
use rcim_testing::push_standin::PushStandIns;
use rcim_testing::services::{fresh_schema, service_env};
use rcim_testing::TestServer;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

/// Waits until `server`'s navigation lists `n` gateways (the other node is known).
async fn wait_nodes(server: &TestServer, n: usize) {
    let url = format!(
        "{}/navi.json?appKey={}",
        server.navi_url(),
        rcim_testing::APP_KEY
    );
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let v: serde_json::Value = reqwest::get(&url).await.unwrap().json().await.unwrap();
        if v["servers"].as_array().map_or(0, Vec::len) >= n {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "navigation: {v}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_device_online_on_another_node_holds_back_the_push() {
    let push = PushStandIns::start().await;
    let store = fresh_schema("push").await.url;
    let nats = service_env("RCIM_TEST_NATS_URL");
    let cluster = format!("push-{}", uuid::Uuid::new_v4().simple());
    let dir = tempfile::tempdir().unwrap();
    let push_config = push.config(dir.path());
    let node = || {
        let (push_config, store, nats, cluster) = (
            push_config.clone(),
            store.clone(),
            nats.clone(),
            cluster.clone(),
        );
        TestServer::builder()
            .config(move |c| {
                c.push = push_config;
                c.storage.backend = StoreBackend::Postgres(store);
                c.cluster.bus = Some(nats);
                c.cluster.name = Some(cluster);
                c.cluster.announce_every = Duration::from_millis(200);
                c.cluster.node_ttl = Duration::from_millis(1500);
                c.send_rate_per_sec = 0;
            })
            .start()
    };
    let a = node().await;
    let b = node().await;
    wait_nodes(&a, 2).await;
    wait_nodes(&b, 2).await;
    Device::register(
        &a,
        "bob",
        "bob-phone",
        Platform::Mobile,
        Token::Fcm("bob-fcm"),
    )
    .await;
    Device::register(
        &a,
        "gate",
        "gate-phone",
        Platform::Mobile,
        Token::Fcm("gate-fcm"),
    )
    .await;
    let bob_web = Device::connect(&b, "bob", "bob-web", Platform::Web, Token::None).await;
    let mut alice = Device::connect(&a, "alice", "alice-pc", Platform::Desktop, Token::None).await;
    alice.send(text("bob", "while online on B")).await;
    // The pushes are decided in order: once the gate's arrives, bob's was decided.
    alice.send(text("gate", "gate")).await;
    let got = push.fcm.wait_for(1, WAIT).await;
    assert_eq!(
        got[0].token, "gate-fcm",
        "bob's web session on B held his push back"
    );
    // A push wrongly decided for bob would still be on its way: give it time to arrive.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(push.fcm.received().len(), 1, "{:?}", push.fcm.received());
    bob_web.close().await;
    alice.send(text("bob", "now offline")).await;
    let got = push.fcm.wait_for(2, WAIT).await;
    assert_eq!(got[1].token, "bob-fcm");
}
