//! The HTTP side: navigation (`/navi.json`), the Server API routes ([`crate::api`]) and the
//! file service ([`crate::fileserver`]); anything else is a JSON 404. [`serve`] runs a router
//! on a listener, over TLS when the server has a certificate ([`crate::tls`]).

mod listener;
mod navi;

use crate::api::ApiError;
use crate::state::Shared;
use crate::tls::Tls;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;
use tokio::net::TcpListener;

/// Largest accepted request body of the Server API (a 128 KB message percent-encoded fits
/// easily). Uploads stream their body and are capped by their ticket instead.
const MAX_BODY: usize = 2 * 1024 * 1024;

/// The routes of the HTTP listener: navigation, the Server API, the file service.
pub(crate) fn router(shared: &Arc<Shared>) -> Router {
    Router::new()
        .route("/navi.json", get(navi::navi).post(navi::navi))
        .merge(crate::api::router(shared.clone()))
        .merge(crate::fileserver::router())
        .fallback(not_found)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .with_state(shared.clone())
}

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

async fn not_found(uri: Uri) -> Response {
    tracing::debug!(path = %uri.path(), "unknown endpoint");
    ApiError::not_found(uri.path()).into_response()
}
