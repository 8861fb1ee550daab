//! The HTTP side: navigation (`/navi.json`), the Server API routes ([`crate::api`]), the file
//! service ([`crate::fileserver`]), metrics and health checks, split between the public and
//! the admin listener by [`routes`]; anything else is a JSON 404.

mod navi;
mod routes;

pub(crate) use routes::routers;

use crate::state::Shared;
use axum::Router;
use std::sync::Arc;
use tokio::net::TcpListener;

/// Serves `app` on `listener` until the server stops.
pub(crate) async fn serve(listener: TcpListener, app: Router, shared: Arc<Shared>) {
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
