//! Helpers of the cluster tests: a NATS server per test (or the one of
//! `RCIM_TEST_NATS_URL`), nodes of a named cluster on it, navigation, and a PostgreSQL
//! schema nodes share (`RCIM_TEST_POSTGRES_URL`).
#![allow(dead_code)]

use crate::common::*;
use rcim_server::RunningServer;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A NATS server for one test: the one of `RCIM_TEST_NATS_URL`, or a private one stopped
/// when this is dropped.
pub struct Nats {
    pub url: String,
    child: Option<Child>,
}

impl Drop for Nats {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Nats {
    /// `RCIM_TEST_NATS_URL`'s server, else a private one.
    pub fn start() -> Nats {
        if let Ok(url) = std::env::var("RCIM_TEST_NATS_URL") {
            if !url.is_empty() {
                return Nats { url, child: None };
            }
        }
        Self::private()
    }

    /// A private `nats-server` on a free port.
    pub fn private() -> Nats {
        let port = {
            let l = TcpListener::bind("127.0.0.1:0").expect("a free port");
            l.local_addr().unwrap().port()
        };
        Self::on_port(port)
    }

    /// A private `nats-server` on `port`.
    pub fn on_port(port: u16) -> Nats {
        let child = Command::new("nats-server")
            .args(["-a", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "these tests need a NATS server: set RCIM_TEST_NATS_URL=nats://HOST:PORT, \
                     or install nats-server on PATH (apt-get install -y nats-server): {e}"
                )
            });
        let nats = Nats {
            url: format!("nats://127.0.0.1:{port}"),
            child: Some(child),
        };
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "nats-server did not listen on {port} within 10 s"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        nats
    }
}

/// Starts a node of cluster `cluster` on `nats` in `dir`.
pub async fn node(dir: &std::path::Path, nats: &Nats, cluster: &str) -> RunningServer {
    node_with(dir, nats, cluster, |_| {}).await
}

/// [`node`] with its configuration changed by `change` first.
pub async fn node_with(
    dir: &std::path::Path,
    nats: &Nats,
    cluster: &str,
    change: impl FnOnce(&mut rcim_server::ServerConfig),
) -> RunningServer {
    let mut config = config(dir);
    change(&mut config);
    config.cluster.bus = Some(nats.url.clone());
    config.cluster.name = Some(cluster.to_owned());
    config.cluster.announce_every = Duration::from_millis(200);
    config.cluster.node_ttl = Duration::from_millis(1500);
    rcim_server::start(config).await.expect("node starts")
}

/// Two nodes of a fresh cluster, in `dirs`, with `change` applied to both configurations,
/// that know each other (questions are answered by both).
pub async fn two_nodes(
    nats: &Nats,
    dirs: &(tempfile::TempDir, tempfile::TempDir),
    change: impl Fn(&mut rcim_server::ServerConfig) + Copy,
) -> (RunningServer, RunningServer) {
    let cluster = cluster_name();
    let a = node_with(dirs.0.path(), nats, &cluster, change).await;
    let b = node_with(dirs.1.path(), nats, &cluster, change).await;
    wait_known(&a, &b).await;
    (a, b)
}

/// Data directories for [`two_nodes`].
pub fn dirs() -> (tempfile::TempDir, tempfile::TempDir) {
    (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap())
}

/// A cluster name no other test uses.
pub fn cluster_name() -> String {
    format!("test-{}", uuid::Uuid::new_v4().simple())
}

/// The `servers` navigation of `server` hands out.
pub async fn navi_servers(server: &RunningServer) -> Vec<String> {
    let url = format!("{}/navi.json?appKey={APP_KEY}", server.navi_url());
    let v: serde_json::Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    let servers = v["servers"].as_array().expect("a servers list");
    servers
        .iter()
        .map(|s| s.as_str().expect("a gateway").to_owned())
        .collect()
}

/// Waits until `server`'s navigation lists `gateway` (or stops listing it, `listed` false).
pub async fn wait_navi(server: &RunningServer, gateway: &str, listed: bool) -> Vec<String> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let servers = navi_servers(server).await;
        if servers.iter().any(|s| s == gateway) == listed {
            return servers;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "navigation still says {servers:?} (waiting for {gateway} listed = {listed})"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Both nodes know each other (presence questions are then answered by both).
pub async fn wait_known(a: &RunningServer, b: &RunningServer) {
    wait_navi(a, &b.gateway_addr().to_string(), true).await;
    wait_navi(b, &a.gateway_addr().to_string(), true).await;
}

/// A fresh schema of the test PostgreSQL (`RCIM_TEST_POSTGRES_URL`): a store URL nodes share.
pub async fn shared_store() -> String {
    let base = std::env::var("RCIM_TEST_POSTGRES_URL").expect(
        "RCIM_TEST_POSTGRES_URL is not set: run `bash scripts/services.sh start` and \
         `eval \"$(bash scripts/services.sh env)\"` first",
    );
    let schema = format!("cluster_{}", uuid::Uuid::new_v4().simple());
    let (client, conn) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
        .await
        .expect("connect to the test PostgreSQL");
    tokio::spawn(conn);
    client
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .await
        .unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-c%20search_path%3D{schema}")
}
