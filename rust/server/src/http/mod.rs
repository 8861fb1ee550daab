//! The HTTP side: navigation (`/navi.json`), the Server API routes ([`crate::api`]), the file
//! service ([`crate::fileserver`]), metrics and health checks, split between the public and
//! the admin listener by [`routes`]; anything else is a JSON 404. [`serve`] runs a router on a
//! listener, over TLS when the server has a certificate ([`crate::tls`]).
//!
//! Limits ([`crate::config::LimitsConfig`]): connections per IP and overall (admitted before
//! anything is read, [`crate::limits::Connections`]), a header read timeout, a TLS handshake
//! timeout, and a body limit per endpoint (`/navi.json` tiny, the Server API larger; uploads
//! stream their body and are capped by their ticket).

pub(crate) mod navi;
mod routes;

pub(crate) use routes::routers;

use crate::limits::Connections;
use crate::state::Shared;
use crate::tls::{MaybeTls, Tls};
use axum::Router;
use hyper::server::conn::http1::Builder;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::either::Either;
use tokio_util::task::TaskTracker;

/// An HTTP/1.1 connection builder with the header read timeout
/// (`LimitsConfig::http_header_timeout`): a client that has not sent a request's headers
/// within it is disconnected. Only HTTP/1.1 is spoken (TLS offers only `http/1.1` by ALPN):
/// a version sniff before it would read with no timer, and its timer starts as soon as the
/// connection is served, so a silent socket is closed too.
pub(crate) fn connection_builder(header_timeout: Duration) -> Builder {
    let mut builder = Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    builder
}

/// Serves `app` on `listener` until the server stops: HTTPS when `tls` is given, else plain
/// HTTP. Each connection is admitted by `admission` (one budget per listener, so a flood on
/// one listener leaves the others their places), shakes hands in its own task
/// (a stalled handshake holds up nobody) and is served with [`connection_builder`]; a graceful
/// stop lets the requests under way finish. Every HTTP listener of the server goes through
/// here.
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    tls: Option<Tls>,
    admission: Arc<Connections>,
    shared: Arc<Shared>,
) {
    let connections = TaskTracker::new();
    loop {
        let accepted = tokio::select! {
            biased;
            _ = shared.stop.cancelled() => break,
            _ = shared.kill.cancelled() => return,
            r = listener.accept() => r,
        };
        let (stream, peer) = match accepted {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!(error = %e, "HTTP accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Some(permit) = admission.try_admit(peer.ip()) else {
            tracing::debug!(%peer, "HTTP connection limit reached; closing");
            continue;
        };
        let service = TowerToHyperService::new(app.clone());
        let header_timeout = shared.config.limits.http_header_timeout;
        let (stop, kill) = (shared.stop.clone(), shared.kill.clone());
        let tls = tls.clone();
        connections.spawn(async move {
            let Some(stream) = handshake(stream, peer, tls.as_ref()).await else {
                return;
            };
            let conn = connection_builder(header_timeout)
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            tokio::pin!(conn);
            tokio::select! {
                _ = kill.cancelled() => {}
                r = conn.as_mut() => log_connection_end(r),
                _ = stop.cancelled() => {
                    conn.as_mut().graceful_shutdown();
                    tokio::select! {
                        _ = kill.cancelled() => {}
                        r = conn.as_mut() => log_connection_end(r),
                    }
                }
            }
            drop(permit);
        });
    }
    connections.close();
    tokio::select! {
        _ = shared.kill.cancelled() => {}
        _ = connections.wait() => {}
    }
}

/// The connection as HTTP sees it: the TCP stream itself, or its TLS session once the
/// handshake is done (`None`: it failed or timed out, [`Tls::accept`]).
async fn handshake(stream: TcpStream, peer: SocketAddr, tls: Option<&Tls>) -> Option<MaybeTls> {
    let Some(tls) = tls else {
        return Some(Either::Left(stream));
    };
    match tls.accept(stream).await {
        Ok(s) => Some(Either::Right(Box::new(s))),
        Err(e) => {
            tracing::debug!(%peer, error = %e, "HTTPS handshake failed");
            None
        }
    }
}

fn log_connection_end(r: Result<(), hyper::Error>) {
    if let Err(e) = r {
        tracing::debug!(error = %e, "HTTP connection ended");
    }
}
