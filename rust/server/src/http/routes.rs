//! Which endpoints each HTTP listener serves.
//!
//! * public (`--http`): navigation (`/navi.json`), the file service (`/media/...`) and the
//!   health checks (`/healthz`, `/readyz`); `/metrics` only with `--metrics-public`;
//! * admin (`--admin-http`): the Server API ([`crate::api`]), `/metrics` and the health
//!   checks. Without an admin listener the public one serves the Server API too, and
//!   `/metrics` is served only if `--metrics-public` puts it on the public one.
//!
//! Anything else is a JSON 404. How a router is served (plain or TLS) is the listener's
//! business (`http::serve`).

use super::navi;
use crate::api::ApiError;
use crate::metrics::{Live, CONTENT_TYPE};
use crate::state::Shared;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;
use std::time::Duration;

/// Longest wait for the store in `/readyz`.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// The routers of the listeners: the public one, and the admin one when
/// [`crate::OpsConfig::admin_http`] is set.
pub(crate) struct Routers {
    /// Serves `--http`.
    pub(crate) public: Router,
    /// Serves `--admin-http` (none without it).
    pub(crate) admin: Option<Router>,
}

/// The routers for `shared`'s configuration.
pub(crate) fn routers(shared: &Arc<Shared>) -> Routers {
    let limits = &shared.config.limits;
    // Navigation is unauthenticated: its body limit is tiny.
    let navi = get(navi::navi)
        .post(navi::navi)
        .layer(DefaultBodyLimit::max(limits.navi_body_max_bytes));
    let public = Router::new()
        .route("/navi.json", navi)
        .merge(crate::fileserver::router())
        .merge(health());
    let api = crate::api::router(shared.clone()).layer(middleware::from_fn_with_state(
        shared.clone(),
        count_api_codes,
    ));
    // `/metrics` tells who asks how many users are online: public only when asked for.
    let public = if shared.config.ops.metrics_public {
        public.route("/metrics", get(metrics))
    } else {
        public
    };
    if shared.config.ops.admin_http.is_some() {
        let admin = api.route("/metrics", get(metrics)).merge(health());
        Routers {
            public: finish(public, shared),
            admin: Some(finish(admin, shared)),
        }
    } else {
        Routers {
            public: finish(public.merge(api), shared),
            admin: None,
        }
    }
}

/// The health checks, on every listener.
fn health() -> Router<Arc<Shared>> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// The fallback, the body limit (the Server API's; uploads stream their body and are capped
/// by their ticket instead) and the state.
fn finish(router: Router<Arc<Shared>>, shared: &Arc<Shared>) -> Router {
    router
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(
            shared.config.limits.api_body_max_bytes,
        ))
        .with_state(shared.clone())
}

async fn not_found(uri: Uri) -> Response {
    tracing::debug!(path = %uri.path(), "unknown endpoint");
    ApiError::not_found(uri.path()).into_response()
}

/// `GET /healthz`: 200 while the process serves HTTP.
async fn healthz() -> &'static str {
    "ok\n"
}

/// `GET /readyz`: 200 when the store answers a read and the server is not stopping; 503
/// otherwise (take the node out of the load balancer).
async fn readyz(State(shared): State<Arc<Shared>>) -> Response {
    if shared.stop.is_cancelled() || shared.kill.is_cancelled() {
        return (StatusCode::SERVICE_UNAVAILABLE, "stopping\n").into_response();
    }
    // The cheapest read there is: one indexed row of the users table (absent here).
    let read = shared.store.tokens_valid_after(String::new());
    match tokio::time::timeout(READY_TIMEOUT, read).await {
        Ok(Ok(_)) => (StatusCode::OK, "ready\n").into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: the store failed a read");
            (StatusCode::SERVICE_UNAVAILABLE, "store failing\n").into_response()
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "store not answering\n").into_response(),
    }
}

/// `GET /metrics`: the Prometheus exposition ([`crate::metrics`]).
async fn metrics(State(shared): State<Arc<Shared>>) -> Response {
    let live = Live {
        connections: shared.hub.connection_count(),
        online_users: shared.hub.user_count(),
        writer_queue: shared.store.write_queue_depth(),
        push: shared.push.stats(),
        bus: shared.bus.stats(),
    };
    let text = shared.metrics.render(live);
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], text).into_response()
}

/// Counts every Server API answer by its business code (the HTTP status when the answer was
/// not the API's own, e.g. a body over the limit).
async fn count_api_codes(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let code = response
        .extensions()
        .get::<crate::api::ApiCode>()
        .map(|c| c.0)
        .unwrap_or_else(|| u32::from(response.status().as_u16()));
    shared.metrics.api_answered(code);
    response
}
