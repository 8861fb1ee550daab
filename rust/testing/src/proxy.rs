//! A TCP proxy in front of the gateway plus a navigation stub pointing clients at it, so tests
//! can cut connections at chosen moments.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// Controls of the proxy.
pub struct Proxy {
    /// Base URL of the navigation stub (use as `naviServer`).
    pub navi_url: String,
    /// After the next chunk a client sends, forward it, then drop the connection without
    /// passing on the server's answer.
    pub drop_after_next_client_data: Arc<AtomicBool>,
    /// Refuse new connections (accept, then close at once).
    pub refuse: Arc<AtomicBool>,
    /// When each connection was accepted.
    pub accepts: Arc<Mutex<Vec<Instant>>>,
    kill: watch::Sender<u64>,
}

impl Proxy {
    /// Starts a proxy to `upstream`.
    pub async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let proxy_addr = listener.local_addr().unwrap();
        let drop_flag = Arc::new(AtomicBool::new(false));
        let refuse = Arc::new(AtomicBool::new(false));
        let (kill, kill_rx) = watch::channel(0u64);
        let accepts = Arc::new(Mutex::new(Vec::new()));
        {
            let drop_flag = drop_flag.clone();
            let refuse = refuse.clone();
            let accepts = accepts.clone();
            tokio::spawn(async move {
                while let Ok((client, _)) = listener.accept().await {
                    accepts.lock().unwrap().push(Instant::now());
                    if refuse.load(Ordering::SeqCst) {
                        drop(client);
                        continue;
                    }
                    let Ok(server) = TcpStream::connect(upstream).await else {
                        continue;
                    };
                    tokio::spawn(pump(client, server, drop_flag.clone(), kill_rx.clone()));
                }
            });
        }
        let navi_url = navi_stub(proxy_addr).await;
        Proxy {
            navi_url,
            drop_after_next_client_data: drop_flag,
            refuse,
            accepts,
            kill,
        }
    }

    /// Closes every proxied connection now.
    pub fn kill_all(&self) {
        self.kill.send_modify(|n| *n += 1);
    }
}

async fn pump(
    client: TcpStream,
    server: TcpStream,
    drop_flag: Arc<AtomicBool>,
    mut kill: watch::Receiver<u64>,
) {
    kill.borrow_and_update();
    let (mut client_rx, mut client_tx) = client.into_split();
    let (mut server_rx, mut server_tx) = server.into_split();
    let blackhole = Arc::new(AtomicBool::new(false));
    let up = {
        let blackhole = blackhole.clone();
        async move {
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = match client_rx.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => n,
                };
                let cut = drop_flag.swap(false, Ordering::SeqCst);
                if cut {
                    blackhole.store(true, Ordering::SeqCst);
                }
                if server_tx.write_all(&buf[..n]).await.is_err() {
                    return;
                }
                if cut {
                    // Give the server time to process and answer, then drop everything.
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    return;
                }
            }
        }
    };
    let down = async move {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match server_rx.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            if blackhole.load(Ordering::SeqCst) {
                continue;
            }
            if client_tx.write_all(&buf[..n]).await.is_err() {
                return;
            }
        }
    };
    tokio::select! {
        _ = up => {}
        _ = down => {}
        _ = kill.changed() => {}
    }
}

/// A minimal HTTP server answering every request with a navigation reply naming `gateway`.
async fn navi_stub(gateway: SocketAddr) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let body = format!(
                    r#"{{"code":200,"server":"{gateway}","servers":["{gateway}"],"heartbeatSecs":30}}"#
                );
                let response = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    format!("http://{addr}")
}
