//! Messaging benchmarks on loopback (a benchmark, not a test: it prints figures).
//!
//! Run: `cargo bench -p rcim-testing --bench messaging` (add `-- --quick` for a short run).
//!
//! 1. send → receive latency of private messages between engines (p50/p99);
//! 2. sustained private messages/s through one server with many client pairs (raw protocol
//!    clients, server rate limit off, so the server is what is measured; `support/private.rs`,
//!    shared with the cluster benchmark);
//! 3. time for an engine to receive 10,000 offline messages.
//!
//! The server commits with `synchronous=FULL` (its default); `RCIM_BENCH_SYNCHRONOUS=normal`
//! measures `NORMAL` instead, and `RCIM_BENCH_ONLY=throughput` runs the throughput alone (for
//! profiling).

use futures::{SinkExt, StreamExt};
use private::send_frame;
use rcim_core::{codec, Engine, EngineConfig, EngineOptions, Event};
use rcim_proto::v1::server_frame;
use rcim_server::{issue_token, ServerConfig};
use rcim_testing::raw;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;

#[path = "support/private.rs"]
mod private;
#[path = "support/server_process.rs"]
mod server_process;

const APP_KEY: &str = "bench-app";
const SECRET: &str = "bench-secret";

type Raw = raw::RawConnection;

fn now_ms() -> i64 {
    rcim_core::now_ms()
}

fn token(user: &str) -> String {
    issue_token(APP_KEY, SECRET, user, now_ms(), 0)
}

async fn raw_client(gateway: SocketAddr, user: &str) -> Raw {
    let stream = TcpStream::connect(gateway).await.unwrap();
    stream.set_nodelay(true).unwrap();
    raw::login(stream, APP_KEY, token(user), format!("bench-{user}")).await
}

fn engine(navi: &str, dir: &std::path::Path) -> (Engine, rcim_core::EventStream) {
    let options = EngineOptions {
        navi_server: Some(navi.into()),
        ..EngineOptions::default()
    };
    Engine::new(EngineConfig::new(APP_KEY, &options, dir.to_path_buf()))
}

async fn connected(engine: &Engine, events: &mut rcim_core::EventStream, user: &str) {
    assert_eq!(engine.connect(&token(user), 10, None), Ok(()));
    loop {
        match events.recv().await {
            Some(Event::Connected { code: 0, .. }) => return,
            Some(Event::Connected { code, .. }) => panic!("connect failed: {code}"),
            Some(_) => {}
            None => panic!("engine stopped"),
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

/// Engines in pairs; each sender sends at 4.5 msgs/s (under the 5/s client limit).
async fn latency(navi: &str, pairs: usize, per_pair: usize) {
    let dir = tempfile::tempdir().unwrap();
    let mut tasks = Vec::new();
    let started = Instant::now();
    for p in 0..pairs {
        let navi = navi.to_string();
        let base = dir.path().join(format!("p{p}"));
        tasks.push(tokio::spawn(async move {
            let (a_user, b_user) = (format!("lat-a{p}"), format!("lat-b{p}"));
            let (a, mut a_events) = engine(&navi, &base.join("a"));
            let (b, mut b_events) = engine(&navi, &base.join("b"));
            connected(&a, &mut a_events, &a_user).await;
            connected(&b, &mut b_events, &b_user).await;
            // Drain the sender's events in the background.
            tokio::spawn(async move { while a_events.recv().await.is_some() {} });
            let sent_at: Arc<std::sync::Mutex<HashMap<String, Instant>>> = Default::default();
            let receiver = {
                let sent_at = sent_at.clone();
                tokio::spawn(async move {
                    let mut samples = Vec::with_capacity(per_pair);
                    while samples.len() < per_pair {
                        if let Some(Event::MessageReceived { message, .. }) = b_events.recv().await
                        {
                            let text = message.text().unwrap_or_default().to_string();
                            if let Some(t) = sent_at.lock().unwrap().remove(&text) {
                                samples.push(t.elapsed().as_secs_f64() * 1000.0);
                            }
                        }
                    }
                    samples
                })
            };
            for i in 0..per_pair {
                let text = format!("{p}-{i}");
                sent_at.lock().unwrap().insert(text.clone(), Instant::now());
                let message = codec::new_text_message(1, &b_user, None, &text);
                assert_eq!(a.send_message(message, None), Ok(()));
                tokio::time::sleep(Duration::from_millis(222)).await;
            }
            let samples = receiver.await.unwrap();
            drop((a, b));
            samples
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    all.sort_by(|x, y| x.partial_cmp(y).unwrap());
    println!(
        "latency  send→receive ({} engine pairs, {} msgs, {:.1}s): p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
        pairs,
        all.len(),
        started.elapsed().as_secs_f64(),
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        all.last().unwrap()
    );
}

/// Sustained private messages/s through the server (see `support/private.rs`).
async fn throughput(gateway: SocketAddr, pairs: usize, secs: u64) {
    let run = private::throughput(&[gateway], pairs, secs).await;
    println!(
        "throughput  {} pairs, {} s: {:.0} private msgs/s delivered ({} acks total)",
        pairs, secs, run.delivered_per_sec, run.acked
    );
}

/// Fills an inbox with `count` messages, then times an engine's connect + full offline sync.
async fn offline(navi: &str, gateway: SocketAddr, count: usize) {
    let target = "off-b";
    let mut tx = raw_client(gateway, "off-a").await;
    let fill = Instant::now();
    let mut in_flight = 0usize;
    let mut acked = 0usize;
    let mut seq = 1u64;
    while acked < count {
        while in_flight < 64 && (seq as usize) <= count {
            tx.send(send_frame(seq, target, &format!("o{seq}")))
                .await
                .unwrap();
            seq += 1;
            in_flight += 1;
        }
        if let Some(Ok(frame)) = tx.next().await {
            if let Some(server_frame::Body::Response(ack)) = frame.body {
                assert_eq!(ack.code, 0);
                acked += 1;
                in_flight -= 1;
            }
        }
    }
    let fill_secs = fill.elapsed().as_secs_f64();
    let dir = tempfile::tempdir().unwrap();
    let (b, mut events) = engine(navi, dir.path());
    let started = Instant::now();
    assert_eq!(b.connect(&token(target), 10, None), Ok(()));
    let mut received = 0usize;
    loop {
        match events.recv().await {
            Some(Event::MessageReceived {
                left, has_package, ..
            }) => {
                received += 1;
                if !has_package && left == 0 {
                    break;
                }
            }
            Some(_) => {}
            None => panic!("engine stopped"),
        }
    }
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(received, count);
    println!(
        "offline  {count} messages: received by a fresh engine in {:.2} s ({:.0} msgs/s; inbox filled in {:.2} s)",
        secs,
        count as f64 / secs,
        fill_secs
    );
}

fn main() {
    // SAFETY: no other thread exists yet (as in the server binary's `main`).
    unsafe { rcim_server::disable_sqlite_memory_statistics() };
    let quick = std::env::args().any(|a| a == "--quick");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let mut config = ServerConfig::new(dir.path().join("server"), APP_KEY, SECRET);
        config.send_rate_per_sec = 0;
        if std::env::var("RCIM_BENCH_SYNCHRONOUS").as_deref() == Ok("normal") {
            config.storage.synchronous = rcim_server::Synchronous::Normal;
        }
        let only_throughput = std::env::var("RCIM_BENCH_ONLY").as_deref() == Ok("throughput");
        let server_synchronous = config.storage.synchronous;
        let server = rcim_server::start(config).await.unwrap();
        let navi = server.navi_url();
        println!(
            "rcim messaging benchmark (loopback, {} CPUs, synchronous={:?})",
            std::thread::available_parallelism().map_or(1, |n| n.get()),
            server_synchronous
        );
        if only_throughput {
            throughput(server.gateway_addr(), 50, 5).await;
        } else if quick {
            latency(&navi, 5, 10).await;
            throughput(server.gateway_addr(), 10, 2).await;
            offline(&navi, server.gateway_addr(), 1_000).await;
        } else {
            latency(&navi, 20, 40).await;
            throughput(server.gateway_addr(), 50, 5).await;
            offline(&navi, server.gateway_addr(), 10_000).await;
        }
        server.shutdown().await;
    });
}
