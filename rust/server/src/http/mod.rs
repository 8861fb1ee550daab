//! The HTTP side: navigation (`/navi.json`), the Server API routes ([`crate::api`]) and the
//! file service ([`crate::fileserver`]); anything else is a JSON 404.
//!
//! Limits ([`crate::config::LimitsConfig`]): connections per IP and overall (admitted before
//! anything is read, [`crate::limits::Connections`]), a header read timeout, and a body
//! limit per endpoint (`/navi.json` tiny, the Server API larger; uploads stream their body
//! and are capped by their ticket).

mod navi;

use crate::api::ApiError;
use crate::limits::ConnectionPermit;
use crate::state::Shared;
use axum::extract::DefaultBodyLimit;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_util::task::TaskTracker;

/// The routes, each with its body limit.
fn router(shared: &Arc<Shared>) -> Router {
    let limits = &shared.config.limits;
    let navi = get(navi::navi)
        .post(navi::navi)
        .layer(DefaultBodyLimit::max(limits.navi_body_max_bytes));
    Router::new()
        .route("/navi.json", navi)
        .merge(crate::api::router(shared.clone()))
        .merge(crate::fileserver::router())
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(limits.api_body_max_bytes))
        .with_state(shared.clone())
}

/// A connection builder with the header read timeout
/// (`LimitsConfig::http_header_timeout`): a client that has not sent a request's headers
/// within it is disconnected.
pub(crate) fn connection_builder(header_timeout: Duration) -> Builder<TokioExecutor> {
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    builder.http2().timer(TokioTimer::new());
    builder
}

/// Serves HTTP on `listener` until the server stops: each connection is admitted
/// ([`Shared::http_conns`]) and served with [`connection_builder`]; a graceful stop lets the
/// requests under way finish.
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let app = router(&shared);
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
        let admitted: Option<ConnectionPermit> = shared.http_conns.try_admit(peer.ip());
        let Some(permit) = admitted else {
            tracing::debug!(%peer, "HTTP connection limit reached; closing");
            continue;
        };
        let service = TowerToHyperService::new(app.clone());
        let header_timeout = shared.config.limits.http_header_timeout;
        let (stop, kill) = (shared.stop.clone(), shared.kill.clone());
        connections.spawn(async move {
            let builder = connection_builder(header_timeout);
            let conn = builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
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

fn log_connection_end(r: Result<(), Box<dyn std::error::Error + Send + Sync>>) {
    if let Err(e) = r {
        tracing::debug!(error = %e, "HTTP connection ended");
    }
}

async fn not_found(uri: Uri) -> Response {
    tracing::debug!(path = %uri.path(), "unknown endpoint");
    ApiError::not_found(uri.path()).into_response()
}
