//! Abuse of the HTTP listener: headers that never end (slowloris), large bodies on
//! `/navi.json`, many connections from one address. The server drops what is over its
//! limits and still answers navigation (and the gateway still serves users) meanwhile.

mod abuse_common;
mod common;

use abuse_common::{bystander_served, closed_within, connect_from, SERVED_WITHIN};
use common::{config, init_tracing, APP_KEY};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt as _;

/// A server whose HTTP header timeout is 1 s.
async fn with_header_timeout_1s(dir: &std::path::Path) -> rcim_server::RunningServer {
    init_tracing();
    let mut cfg = config(dir);
    cfg.limits.http_header_timeout = Duration::from_secs(1);
    rcim_server::start(cfg).await.unwrap()
}

/// Navigation answers within [`SERVED_WITHIN`].
async fn navi_answers(server: &rcim_server::RunningServer) {
    let started = Instant::now();
    let r = reqwest::Client::new()
        .get(format!("{}/navi.json?appKey={APP_KEY}", server.navi_url()))
        .send()
        .await
        .expect("navigation answers");
    assert_eq!(r.status(), 200);
    assert!(started.elapsed() < SERVED_WITHIN);
}

/// A client that starts a request and never finishes its headers is disconnected after
/// the header timeout.
#[tokio::test]
async fn unfinished_headers_are_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let server = with_header_timeout_1s(dir.path()).await;
    let started = Instant::now();
    let mut slow = Vec::new();
    for _ in 0..20 {
        let mut s = connect_from("127.0.0.5", server.http_addr()).await;
        s.write_all(b"GET /navi.json HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            .await
            .unwrap();
        slow.push(s);
    }
    navi_answers(&server).await;
    bystander_served(server.gateway_addr(), "slowloris").await;
    for s in &mut slow {
        // Trickle one more byte: the client is not idle, only slow.
        let _ = s.write_all(b"a").await;
        assert!(closed_within(s, Duration::from_secs(4)).await);
    }
    let took = started.elapsed();
    assert!(took < Duration::from_secs(4), "cut off after {took:?}");
}

/// A client that connects and sends nothing, or only the start of the HTTP/2 preface
/// (`PRI`), is disconnected after the header timeout too: the server speaks HTTP/1.1 only,
/// and its header timer runs from the moment the connection is served, before any byte.
#[tokio::test]
async fn silent_and_preface_only_sockets_are_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let server = with_header_timeout_1s(dir.path()).await;
    let started = Instant::now();
    let mut idle = Vec::new();
    for i in 0..10 {
        let mut s = connect_from("127.0.0.6", server.http_addr()).await;
        if i % 2 == 1 {
            s.write_all(b"PRI").await.unwrap();
        }
        idle.push(s);
    }
    navi_answers(&server).await;
    for (i, s) in idle.iter_mut().enumerate() {
        let what = if i % 2 == 1 { "PRI only" } else { "silent" };
        assert!(
            closed_within(s, Duration::from_secs(4)).await,
            "{what} socket {i} still open"
        );
    }
    let took = started.elapsed();
    assert!(took < Duration::from_secs(4), "cut off after {took:?}");
}

/// `/navi.json` refuses a body over its small limit (413) before parsing it; the Server
/// API's own limit is larger.
#[tokio::test]
async fn navigation_bodies_are_tiny() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = rcim_server::start(config(dir.path())).await.unwrap();
    let http = reqwest::Client::new();
    let big = format!("appKey={APP_KEY}&pad={}", "x".repeat(64 * 1024));
    let r = http
        .post(format!("{}/navi.json", server.navi_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413, "a 64 KiB navigation body");
    let small = http
        .post(format!("{}/navi.json", server.navi_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("appKey={APP_KEY}"))
        .send()
        .await
        .unwrap();
    assert_eq!(small.status(), 200);
    navi_answers(&server).await;
}

/// One address may hold `http_max_connections_per_ip` connections; beyond that a new one is
/// closed at once while other clients are answered.
#[tokio::test]
async fn http_connections_per_ip_are_capped() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.limits.http_max_connections_per_ip = 3;
    cfg.limits.per_ip_exempt_loopback = false;
    let server = rcim_server::start(cfg).await.unwrap();
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(connect_from("127.0.0.6", server.http_addr()).await);
    }
    let mut over = connect_from("127.0.0.6", server.http_addr()).await;
    assert!(closed_within(&mut over, Duration::from_secs(2)).await);
    assert!(!closed_within(&mut held[0], Duration::from_millis(200)).await);
    navi_answers(&server).await;
}
