//! Abuse of the gateway's admission: many connections from one address, a full listener,
//! sockets that never log in, a user opening session after session. Each time the server
//! refuses what is over its limit and another user is still served within
//! [`abuse_common::SERVED_WITHIN`].

mod abuse_common;
mod common;

use abuse_common::{bystander_served, closed_within, connect_from};
use common::{config, init_tracing, Login, RawClient};
use std::time::{Duration, Instant};

/// One address may hold `max_connections_per_ip` sockets; the next is closed at once, and
/// a closed one frees its place. Others (another address) are not affected.
#[tokio::test]
async fn connections_per_ip_are_capped() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.limits.max_connections_per_ip = 4;
    cfg.limits.per_ip_exempt_loopback = false;
    let server = rcim_server::start(cfg).await.unwrap();
    let addr = server.gateway_addr();
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(connect_from("127.0.0.2", addr).await);
    }
    let mut over = connect_from("127.0.0.2", addr).await;
    assert!(
        closed_within(&mut over, Duration::from_secs(2)).await,
        "the fifth socket of one address is closed"
    );
    assert!(
        !closed_within(&mut held[0], Duration::from_millis(200)).await,
        "the admitted ones stay"
    );
    bystander_served(addr, "per-ip").await;
    drop(held.pop());
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut again = connect_from("127.0.0.2", addr).await;
    assert!(
        !closed_within(&mut again, Duration::from_millis(300)).await,
        "a freed place is given again"
    );
}

/// A full listener closes newcomers at once but keeps serving the users it admitted.
#[tokio::test]
async fn the_listener_is_capped_overall() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.limits.max_connections = 6;
    let server = rcim_server::start(cfg).await.unwrap();
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "full-a", "phone").await;
    let mut b = RawClient::connect(addr, "full-b", "phone").await;
    let mut flood = Vec::new();
    for _ in 0..4 {
        flood.push(connect_from("127.0.0.3", addr).await);
    }
    let mut over = connect_from("127.0.0.3", addr).await;
    assert!(closed_within(&mut over, Duration::from_secs(2)).await);
    let started = Instant::now();
    let ack = a
        .send_text(&common::fresh_request_id(), "full-b", "hi")
        .await;
    assert_eq!(ack.code, 0);
    b.next_push().await;
    assert!(started.elapsed() < abuse_common::SERVED_WITHIN);
    drop(flood);
    tokio::time::sleep(Duration::from_millis(100)).await;
    drop((a, b));
    bystander_served(addr, "full").await;
}

/// A socket that never sends its `Connect` is closed after the login timeout (not the
/// idle timeout of three heartbeats), and its place is free again.
#[tokio::test]
async fn silent_sockets_are_closed_after_the_login_timeout() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.heartbeat_secs = 30;
    cfg.limits.login_timeout = Duration::from_secs(1);
    cfg.limits.max_connections_per_ip = 2;
    cfg.limits.per_ip_exempt_loopback = false;
    let server = rcim_server::start(cfg).await.unwrap();
    let addr = server.gateway_addr();
    let started = Instant::now();
    let mut silent = vec![
        connect_from("127.0.0.4", addr).await,
        connect_from("127.0.0.4", addr).await,
    ];
    bystander_served(addr, "silent").await;
    for s in &mut silent {
        assert!(closed_within(s, Duration::from_secs(4)).await);
    }
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(4),
        "closed after {took:?}"
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut next = connect_from("127.0.0.4", addr).await;
    assert!(!closed_within(&mut next, Duration::from_millis(300)).await);
}

/// A user may have `max_sessions_per_user` devices online; one more is refused with the
/// documented ConnectAck code (20604), a device reconnecting replaces its own session, and
/// the sessions online keep working.
#[tokio::test]
async fn sessions_per_user_are_capped() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.limits.max_sessions_per_user = 3;
    let server = rcim_server::start(cfg).await.unwrap();
    let addr = server.gateway_addr();
    let mut online = Vec::new();
    for d in 0..3 {
        online.push(RawClient::connect_web(addr, "many", &format!("web{d}")).await);
    }
    let mut extra = Login::new("many", "web3");
    extra.platform = rcim_proto::v1::Platform::Web;
    let (mut refused, ack) = RawClient::login(addr, extra).await;
    assert_eq!(ack.code, rcim_proto::codes::SEND_MSG_FREQUENCY_OVERRUN);
    refused.expect_closed().await;
    let again = RawClient::connect_web(addr, "many", "web1").await;
    online[1] = again;
    assert_eq!(server.connection_count(), 3);
    let mut other = RawClient::connect(addr, "many-friend", "phone").await;
    let ack = other
        .send_text(&common::fresh_request_id(), "many", "to all devices")
        .await;
    assert_eq!(ack.code, 0);
    for c in &mut online {
        c.next_push().await;
    }
    bystander_served(addr, "sessions").await;
}
