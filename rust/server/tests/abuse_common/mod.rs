//! What every abuse test shows after its abuse: another user is still served, within a
//! stated time.
#![allow(dead_code)]

use crate::common::{fresh_request_id, RawClient};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::net::{TcpSocket, TcpStream};

/// The round trip a bystander's send must complete in while the server is under abuse
/// (login of two fresh users, one message sent, acknowledged and pushed). Debug build, two
/// shared cores: generous, but far below any timeout a stalled server would hit.
pub const SERVED_WITHIN: Duration = Duration::from_millis(1500);

/// Logs in two fresh users named after `tag`, sends a message between them; asserts it was
/// acknowledged and pushed within [`SERVED_WITHIN`]. Returns the time it took.
pub async fn bystander_served(addr: SocketAddr, tag: &str) -> Duration {
    let started = Instant::now();
    let (from, to) = (format!("{tag}-a"), format!("{tag}-b"));
    let mut a = RawClient::connect(addr, &from, "phone").await;
    let mut b = RawClient::connect(addr, &to, "phone").await;
    let ack = a.send_text(&fresh_request_id(), &to, "still there?").await;
    assert_eq!(ack.code, 0, "the bystander's send");
    let pushed = b.next_push().await;
    assert_eq!(crate::common::message(&pushed).sender_id, from);
    let took = started.elapsed();
    assert!(
        took < SERVED_WITHIN,
        "a bystander was served in {took:?}, over {SERVED_WITHIN:?}"
    );
    took
}

/// A TCP connection to `addr` from the loopback address `from` (e.g. 127.0.0.2): the
/// per-IP limits count it apart from the bystanders on 127.0.0.1.
pub async fn connect_from(from: &str, addr: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    socket.connect(addr).await.expect("tcp connect")
}

/// Whether the server closes `stream` within `within` (EOF or reset on read).
pub async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    use tokio::io::AsyncReadExt as _;
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
            Err(_) => return false,
        }
    }
}
