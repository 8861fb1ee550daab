//! The HTTP side: navigation (`/navi.json`), the Server API routes ([`crate::api`]) and the
//! file service ([`crate::fileserver`]); anything else is a JSON 404.

mod navi;

use crate::api::ApiError;
use crate::state::Shared;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;
use tokio::net::TcpListener;

/// Largest accepted request body of the Server API (a 128 KB message percent-encoded fits
/// easily). Uploads stream their body and are capped by their ticket instead.
const MAX_BODY: usize = 2 * 1024 * 1024;

/// Serves HTTP on `listener` until the server stops.
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let app = Router::new()
        .route("/navi.json", get(navi::navi).post(navi::navi))
        .merge(crate::api::router(shared.clone()))
        .merge(crate::fileserver::router())
        .fallback(not_found)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .with_state(shared.clone());
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
