//! The HTTP side: navigation (`/navi.json`), the Server API routes ([`crate::api`]), the file
//! service ([`crate::fileserver`]), metrics and health checks, split between the public and
//! the admin listener by [`routes`]; anything else is a JSON 404. [`serve`] runs a router on a
//! listener, over TLS when the server has a certificate ([`crate::tls`]).

mod listener;
mod navi;
mod routes;

pub(crate) use routes::routers;

use crate::state::Shared;
use crate::tls::Tls;
use axum::Router;
use std::sync::Arc;
use tokio::net::TcpListener;

/// Serves `app` on `listener` until the server stops: HTTPS when `tls` is given, else plain
/// HTTP. Every HTTP listener of the server goes through here.
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    tls: Option<Tls>,
    shared: Arc<Shared>,
) {
    let listener = match listener::HttpListener::new(listener, tls) {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(error = %e, "HTTP listener failed");
            return;
        }
    };
    let stop = shared.stop.clone();
    let kill = shared.kill.clone();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            tokio::select! {
                _ = stop.cancelled() => {}
                _ = kill.cancelled() => {}
            }
        })
        .await;
    if let Err(e) = result {
        tracing::error!(error = %e, "HTTP server failed");
    }
}
