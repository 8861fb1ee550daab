//! A slow reader: a user who logs in and stops reading while large messages keep coming.
//! Its outbound queue is bounded in bytes (`LimitsConfig::max_outbound_bytes`), not only in
//! frames: once that much is queued, the server disconnects it (it resyncs from its cursor
//! when it comes back) instead of holding the frames, and everyone else is served meanwhile.

mod abuse_common;
mod common;

use abuse_common::bystander_served;
use common::{config, fresh_request_id, init_tracing, send_body, Login, RawClient};
use futures::{SinkExt as _, StreamExt as _};
use rcim_proto::v1::{client_frame, server_frame, ClientFrame, Connect, ServerFrame};
use rcim_proto::FrameCodec;
use std::time::{Duration, Instant};
use tokio::net::TcpSocket;
use tokio_util::codec::Framed;

/// Messages of about 100 KB each: 60 of them (6 MB) are far fewer than the 1,024 frames
/// the queue holds, but over its byte bound plus what the sockets buffer.
const BIG: usize = 100 * 1024;
const MESSAGES: usize = 60;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_that_stops_is_disconnected_by_bytes() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.send_rate_per_sec = 0;
    cfg.limits.max_outbound_bytes = 1024 * 1024;
    let server = rcim_server::start(cfg).await.unwrap();
    let addr = server.gateway_addr();

    // The victim: a small receive buffer, logs in, then never reads again.
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let stream = socket.connect(addr).await.unwrap();
    let mut victim = Framed::new(stream, FrameCodec::<ServerFrame, ClientFrame>::new());
    let login = Login::new("stuck", "phone");
    victim
        .send(ClientFrame {
            seq: 1,
            body: Some(client_frame::Body::Connect(Connect {
                protocol_version: login.protocol_version,
                app_key: login.app_key,
                token: login.token,
                device_id: login.device_id,
                platform: login.platform as i32,
                ..Default::default()
            })),
        })
        .await
        .unwrap();
    match victim.next().await.unwrap().unwrap().body {
        Some(server_frame::Body::ConnectAck(a)) => assert_eq!(a.code, 0),
        other => panic!("{other:?}"),
    }

    let mut sender = RawClient::connect(addr, "big-sender", "phone").await;
    let text = "x".repeat(BIG);
    // One at a time: the sender's own devices get a copy of each message too, and it
    // reads them (a sender that did not would be a slow reader itself).
    for _ in 0..MESSAGES {
        let m = RawClient::text(&fresh_request_id(), "stuck", &text);
        let seq = sender.send(send_body(m)).await;
        assert_eq!(sender.wait_ack(seq).await.code, 0, "every send is stored");
    }
    bystander_served(addr, "slow-reader").await;

    // The victim's connection ends: what the sockets held arrives, then the close; far
    // fewer than the messages sent.
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut pushed = 0;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, victim.next()).await {
            Ok(Some(Ok(f))) => {
                pushed += usize::from(matches!(f.body, Some(server_frame::Body::Push(_))))
            }
            Ok(_) => break,
            Err(_) => panic!("the slow reader was not disconnected ({pushed} pushes read)"),
        }
    }
    assert!(
        pushed < MESSAGES,
        "{pushed} of {MESSAGES} reached the slow reader"
    );
    // Only the sender is left online.
    let until = Instant::now() + Duration::from_secs(2);
    while server.connection_count() != 1 && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(server.connection_count(), 1);

    // Back again, it resyncs every message from its inbox.
    let mut back = RawClient::connect(addr, "stuck", "phone").await;
    let mut synced = 0;
    let mut after = 0;
    loop {
        let page = back.sync(after, 20).await;
        synced += page.entries.len();
        after = page.entries.last().map_or(after, |e| e.seq);
        if !page.has_more {
            break;
        }
    }
    assert!(synced >= MESSAGES, "{synced} entries synced");
}
