//! Navigation: tells a client which gateway to connect to: `--public-gateway` when set,
//! else the gateway's own address (with the host the client asked by when the gateway
//! listens on every interface).
//!
//! The reply's `server` and `servers` entries are `host:port` for a plain TCP gateway and
//! `tls://host:port` when the gateway speaks TLS (the server has a certificate, or
//! `--public-gateway` says `tls://`, e.g. behind a TLS-terminating proxy): the client
//! then connects with TLS and checks the certificate against `host`. A client that does not
//! know the scheme fails to connect rather than speaking plain text to a TLS port.

use crate::api::{header_value, ApiError, ApiFields, ApiParams};
use crate::config::{split_gateway, GatewayScheme};
use crate::state::Shared;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map};
use std::sync::Arc;

/// Navigation: `GET|POST /navi.json?appKey=...` => the gateway address(es).
pub(super) async fn navi(
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
    let (scheme, server) = if let Some(public) = &shared.config.ops.public_gateway {
        // Behind NAT, a load balancer or a proxy: the address the operator says clients reach.
        let (scheme, address) = split_gateway(public);
        (scheme, address.to_string())
    } else if gateway.ip().is_unspecified() {
        // Listening on every interface: answer with the host the client used to reach us.
        let host = header_value(&headers, &["host"])
            .map(|h| match h.rsplit_once(':') {
                Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
                _ => h,
            })
            .filter(|h| !h.is_empty())
            .unwrap_or("127.0.0.1");
        (
            GatewayScheme::Unspecified,
            format!("{host}:{}", gateway.port()),
        )
    } else {
        (GatewayScheme::Unspecified, gateway.to_string())
    };
    // An explicit scheme is the operator's word; otherwise TLS when the server serves it.
    let tls = match scheme {
        GatewayScheme::Tls => true,
        GatewayScheme::Tcp => false,
        GatewayScheme::Unspecified => shared.config.tls.enabled(),
    };
    let server = if tls {
        format!("tls://{server}")
    } else {
        server
    };
    let mut fields = Map::new();
    fields.insert("server".into(), json!(server));
    fields.insert("servers".into(), json!([server]));
    fields.insert("heartbeatSecs".into(), json!(shared.config.heartbeat_secs));
    ApiFields(fields).into_response()
}
