//! The HTTP listener as axum sees it: plain TCP, or TLS where every handshake runs in its own
//! task (bounded by [`crate::tls::HANDSHAKE_TIMEOUT`]) and only finished handshakes reach
//! axum, so a client that stalls its handshake holds up nobody.

use crate::tls::{MaybeTls, Tls};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// Finished TLS handshakes waiting for axum to take them.
const READY_QUEUE: usize = 64;

/// What [`axum::serve`] accepts connections from.
pub(super) enum HttpListener {
    /// Plain TCP: connections go to axum as they are accepted.
    Plain(TcpListener),
    /// TLS: an acceptor task hands over connections whose handshake is done.
    Tls {
        /// Where the listener is bound.
        local: SocketAddr,
        /// Connections ready for HTTP.
        ready: mpsc::Receiver<(MaybeTls, SocketAddr)>,
        /// The acceptor task; it ends when this listener is dropped.
        acceptor: tokio::task::JoinHandle<()>,
    },
}

impl HttpListener {
    /// A listener on `listener`, TLS when `tls` is given.
    pub(super) fn new(listener: TcpListener, tls: Option<Tls>) -> std::io::Result<Self> {
        let Some(tls) = tls else {
            return Ok(Self::Plain(listener));
        };
        let local = listener.local_addr()?;
        let (tx, ready) = mpsc::channel(READY_QUEUE);
        let acceptor = tokio::spawn(accept_tls(listener, tls, tx));
        Ok(Self::Tls {
            local,
            ready,
            acceptor,
        })
    }
}

impl Drop for HttpListener {
    fn drop(&mut self) {
        if let Self::Tls { acceptor, .. } = self {
            acceptor.abort();
        }
    }
}

/// Accepts TCP connections and shakes hands with each in its own task.
async fn accept_tls(listener: TcpListener, tls: Tls, ready: mpsc::Sender<(MaybeTls, SocketAddr)>) {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                tracing::warn!(error = %e, "HTTP accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        // Connection admission (limits per IP and overall) goes here, before the handshake.
        let tls = tls.clone();
        let ready = ready.clone();
        tokio::spawn(async move {
            match tls.accept(stream).await {
                Ok(s) => {
                    let _ = ready.send((MaybeTls::Tls(Box::new(s)), peer)).await;
                }
                Err(e) => tracing::debug!(%peer, error = %e, "HTTPS handshake failed"),
            }
        });
    }
}

impl axum::serve::Listener for HttpListener {
    type Io = MaybeTls;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self {
            Self::Plain(listener) => loop {
                match TcpListener::accept(listener).await {
                    // Connection admission (limits per IP and overall) goes here.
                    Ok((stream, peer)) => return (MaybeTls::Plain(stream), peer),
                    Err(e) => {
                        tracing::warn!(error = %e, "HTTP accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
            },
            Self::Tls { ready, .. } => match ready.recv().await {
                Some(conn) => conn,
                // The acceptor ended (only when aborted): accept nothing more.
                None => std::future::pending().await,
            },
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        match self {
            Self::Plain(listener) => listener.local_addr(),
            Self::Tls { local, .. } => Ok(*local),
        }
    }
}
