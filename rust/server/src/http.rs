//! The HTTP side: navigation (`/navi.json`), the Server API routes ([`crate::api`]) and the
//! file service ([`crate::fileserver`]); anything else is a JSON 404.

use crate::api::{header_value, ApiError, ApiFields, ApiParams};
use crate::state::Shared;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Map};
use std::sync::Arc;
use tokio::net::TcpListener;

/// Largest accepted request body of the Server API (a 128 KB message percent-encoded fits
/// easily). Uploads stream their body and are capped by their ticket instead.
const MAX_BODY: usize = 2 * 1024 * 1024;

/// Serves HTTP on `listener` until the server stops.
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let app = Router::new()
        .route("/navi.json", get(navi).post(navi))
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

/// Navigation: `GET|POST /navi.json?appKey=...` => the gateway address(es).
async fn navi(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    params: ApiParams,
) -> Response {
    let app_key = params
        .get("appKey")
        .or_else(|| params.get("appkey"))
        .or_else(|| header_value(&headers, &["app-key", "rc-app-key", "appid"]))
        .unwrap_or("");
    if app_key != shared.config.app_key {
        return ApiError::unauthorized(1001, "App-Key is unknown").into_response();
    }
    let gateway = shared.gateway_addr;
    let server = if gateway.ip().is_unspecified() {
        // Listening on every interface: answer with the host the client used to reach us.
        let host = header_value(&headers, &["host"])
            .map(|h| match h.rsplit_once(':') {
                Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
                _ => h,
            })
            .filter(|h| !h.is_empty())
            .unwrap_or("127.0.0.1");
        format!("{host}:{}", gateway.port())
    } else {
        gateway.to_string()
    };
    let mut fields = Map::new();
    fields.insert("server".into(), json!(server));
    fields.insert("servers".into(), json!([server]));
    fields.insert("heartbeatSecs".into(), json!(shared.config.heartbeat_secs));
    ApiFields(fields).into_response()
}
