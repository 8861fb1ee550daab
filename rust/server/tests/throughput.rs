//! Many connections sending at once: every message is acked once, pushes arrive in inbox order
//! without gaps. The ignored variant prints a throughput figure (`--ignored --nocapture`).

mod common;

use common::*;
use rcim_proto::v1::server_frame;
use std::time::Instant;

/// `pairs` senders each pipeline `per_sender` messages to their own recipient.
/// Returns messages per second (sent until the last push arrived).
async fn run(pairs: usize, per_sender: usize) -> f64 {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.send_rate_per_sec = 0;
    let server = rcim_server::start(cfg).await.unwrap();
    let addr = server.gateway_addr();
    let mut receivers = Vec::new();
    let mut senders = Vec::new();
    for i in 0..pairs {
        receivers.push(RawClient::connect(addr, &format!("r{i}"), "phone").await);
        senders.push(RawClient::connect(addr, &format!("s{i}"), "phone").await);
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, mut s) in senders.into_iter().enumerate() {
        tasks.push(tokio::spawn(async move {
            let to = format!("r{i}");
            for n in 0..per_sender {
                let m = RawClient::text(&format!("{i}-{n}"), &to, "throughput");
                s.send(send_body(m)).await;
            }
            let mut acked = 0;
            while acked < per_sender {
                let f = s.recv().await.expect("sender connection open");
                if let Some(server_frame::Body::Response(r)) = f.body {
                    let a = SendAck::of(r);
                    assert_eq!(a.code, 0);
                    acked += 1;
                }
            }
        }));
    }
    for (i, mut r) in receivers.into_iter().enumerate() {
        tasks.push(tokio::spawn(async move {
            for n in 0..per_sender {
                let e = r.next_push().await;
                assert_eq!(e.seq, n as u64 + 1, "receiver r{i}: pushes in inbox order");
                assert_eq!(message(&e).client_msg_id, format!("{i}-{n}"));
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let secs = started.elapsed().as_secs_f64();
    server.shutdown().await;
    (pairs * per_sender) as f64 / secs
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_senders_are_acked_and_pushed_in_order() {
    init_tracing();
    run(10, 100).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "throughput measurement; run with --ignored --nocapture"]
async fn throughput() {
    init_tracing();
    let rate = run(50, 400).await;
    tracing::warn!(msgs_per_sec = rate as u64, "throughput");
}
