//! The private-message workload the messaging and cluster benchmarks share: raw protocol
//! sender/receiver pairs, sustained throughput (as many sends in flight as a window allows) and
//! send → receive latency at a fixed rate. Pair `p`'s sender logs in at `gateways[p % n]` and
//! its receiver at `gateways[(p + 1) % n]`, so with several nodes every message crosses nodes.
#![allow(dead_code)] // Each benchmark uses its own part.

use super::server_process::{login, parse_content, Raw};
use futures::{SinkExt, StreamExt};
use prost::Message as _;
use rcim_core::codec;
use rcim_proto::v1::{
    client_frame, inbox_entry, request, server_frame, ClientFrame, Request, SendMessage,
    ServerFrame,
};
use rcim_testing::raw;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A private text message to `to`, with a random request id (the message's client id, which
/// the server's dedupe indexes), as an engine sends it.
pub fn send_frame(seq: u64, to: &str, text: &str) -> ClientFrame {
    let request_id = format!("{}-{seq}", uuid::Uuid::new_v4().simple());
    ClientFrame {
        seq,
        body: Some(client_frame::Body::Request(Request {
            request_id,
            body: Some(request::Body::SendMessage(SendMessage {
                conversation_type: 1,
                target_id: to.into(),
                object_name: codec::TEXT_OBJECT_NAME.into(),
                content: format!(r#"{{"content":"{text}"}}"#),
                persisted: true,
                counted: true,
                ..Default::default()
            })),
        })),
    }
}

/// Logs in pair `p`'s receiver and sender (named `<prefix>-b<p>`, `<prefix>-a<p>`).
async fn pair(gateways: &[SocketAddr], prefix: &str, p: usize) -> (String, Raw, Raw) {
    let (sender, receiver) = (format!("{prefix}-a{p}"), format!("{prefix}-b{p}"));
    let n = gateways.len();
    let rx = login(gateways[(p + 1) % n], 2 * p, &receiver, false).await;
    let tx = login(gateways[p % n], 2 * p + 1, &sender, false).await;
    (receiver, rx, tx)
}

/// What a throughput run counted.
pub struct Throughput {
    /// Pushes received in the measured `secs` seconds, per second.
    pub delivered_per_sec: f64,
    /// Sends acknowledged during the whole run (the 0.5 s warm-up included).
    pub acked: u64,
}

/// Raw clients in pairs send as fast as acks allow (32 in flight each) for `secs` seconds
/// after a 0.5 s warm-up; pushes are counted at the receivers. The clients share the CPU with
/// the server they measure, so they do as little as they can without changing what the server
/// sees: each socket half has its own task (no lock between them), and pushes are counted by
/// their frame's body field without being decoded (acks are decoded, to check their code).
pub async fn throughput(gateways: &[SocketAddr], pairs: usize, secs: u64) -> Throughput {
    let delivered = Arc::new(AtomicU64::new(0));
    let acked = Arc::new(AtomicU64::new(0));
    let stop_at = Instant::now() + Duration::from_secs(secs) + Duration::from_millis(500);
    let measure_from = Instant::now() + Duration::from_millis(500);
    let mut tasks = Vec::new();
    for p in 0..pairs {
        let (receiver, rx, tx) = pair(gateways, "tp", p).await;
        // The receiver's write half stays open: the server would end a half-closed connection.
        let (mut rx, keep_open) = raw::into_halves(rx);
        let delivered = delivered.clone();
        tasks.push(tokio::spawn(async move {
            while let Ok(Some(Ok(frame))) =
                tokio::time::timeout(Duration::from_secs(2), rx.next()).await
            {
                let now = Instant::now();
                if raw::body_field(&frame) == Some(raw::PUSH)
                    && now >= measure_from
                    && now < stop_at
                {
                    delivered.fetch_add(1, Ordering::Relaxed);
                }
                if now >= stop_at {
                    break;
                }
            }
            drop(keep_open);
        }));
        let acked = acked.clone();
        tasks.push(tokio::spawn(async move {
            let (mut stream, mut sink) = raw::into_halves(tx);
            let window = Arc::new(tokio::sync::Semaphore::new(32));
            let reader = {
                let window = window.clone();
                tokio::spawn(async move {
                    while let Some(Ok(frame)) = stream.next().await {
                        if raw::body_field(&frame) != Some(raw::RESPONSE) {
                            continue;
                        }
                        let ack = ServerFrame::decode(frame).expect("a server frame");
                        if let Some(server_frame::Body::Response(ack)) = ack.body {
                            assert_eq!(ack.code, 0, "send failed");
                            acked.fetch_add(1, Ordering::Relaxed);
                            window.add_permits(1);
                        }
                    }
                })
            };
            let mut seq = 1;
            while Instant::now() < stop_at {
                let permit = window.acquire().await.unwrap();
                permit.forget();
                if sink.send(send_frame(seq, &receiver, "x")).await.is_err() {
                    break;
                }
                seq += 1;
            }
            reader.abort();
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    Throughput {
        delivered_per_sec: delivered.load(Ordering::Relaxed) as f64 / secs as f64,
        acked: acked.load(Ordering::Relaxed),
    }
}

/// Send → receive latencies (µs, sorted) of private messages sent by `pairs` senders at
/// `rate` messages/s each for `secs` seconds, the send time carried in the content. Messages
/// still missing 5 s after the last send are counted in the second value.
pub async fn latency(
    gateways: &[SocketAddr],
    pairs: usize,
    rate: u32,
    secs: u64,
) -> (Vec<u32>, u64) {
    let base = Instant::now();
    let now_us = move || base.elapsed().as_micros() as u64;
    let per_pair = rate as u64 * secs;
    let mut tasks = Vec::new();
    for p in 0..pairs {
        let (receiver, rx, tx) = pair(gateways, "lat", p).await;
        let (mut rx, keep_open) = raw::into_halves(rx);
        let reader = tokio::spawn(async move {
            let mut samples = Vec::with_capacity(per_pair as usize);
            let deadline = Duration::from_secs(secs + 5);
            while samples.len() < per_pair as usize {
                let left = deadline.saturating_sub(base.elapsed());
                let Ok(Some(Ok(frame))) = tokio::time::timeout(left, rx.next()).await else {
                    break;
                };
                let received = now_us();
                let Ok(ServerFrame {
                    body: Some(server_frame::Body::Push(push)),
                    ..
                }) = ServerFrame::decode(frame)
                else {
                    continue;
                };
                let Some(inbox_entry::Body::Message(m)) = push.entry.and_then(|e| e.body) else {
                    continue;
                };
                if let Some((_, sent_us)) = parse_content(&m.content) {
                    samples.push(received.saturating_sub(sent_us).min(u32::MAX as u64) as u32);
                }
            }
            drop(keep_open);
            samples
        });
        let (mut stream, mut sink) = raw::into_halves(tx);
        let acks = tokio::spawn(async move { while let Some(Ok(_)) = stream.next().await {} });
        tasks.push(tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(rate)));
            for seq in 1..=per_pair {
                tick.tick().await;
                let text = format!("{seq} {} x", now_us());
                sink.send(send_frame(seq, &receiver, &text)).await.unwrap();
            }
            let samples = reader.await.unwrap();
            acks.abort();
            samples
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    all.sort_unstable();
    let missing = (pairs as u64 * per_pair).saturating_sub(all.len() as u64);
    (all, missing)
}
