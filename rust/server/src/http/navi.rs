//! Navigation: tells a client which gateway to connect to: `--public-gateway` when set,
//! else the gateway's own address (with the host the client asked by when the gateway
//! listens on every interface). In a cluster, `servers` lists the other live nodes'
//! gateways after this one's (announced on the bus, plus `--cluster-gateways`), so clients
//! fail over to them.
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
    let Some(server) = own_gateway(&shared, Some(&headers)) else {
        // Only without headers (the announcement); navigation always has an answer.
        return ApiError::unauthorized(1001, "no gateway").into_response();
    };
    let servers = with_other_nodes(&shared, server.clone());
    let mut fields = Map::new();
    fields.insert("server".into(), json!(server));
    fields.insert("servers".into(), json!(servers));
    fields.insert("heartbeatSecs".into(), json!(shared.config.heartbeat_secs));
    ApiFields(fields).into_response()
}

/// The gateway this node hands out: `--public-gateway` when set; else the gateway's
/// address, with the host the client asked by (`headers`) when it listens on every
/// interface. `None` without headers for a gateway on every interface (what other nodes
/// would hand out for it is unknown: such a node announces no gateway).
pub(crate) fn own_gateway(shared: &Shared, headers: Option<&HeaderMap>) -> Option<String> {
    let gateway = shared.gateway_addr;
    let (scheme, server) = if let Some(public) = &shared.config.ops.public_gateway {
        // Behind NAT, a load balancer or a proxy: the address the operator says clients reach.
        let (scheme, address) = split_gateway(public);
        (scheme, address.to_string())
    } else if gateway.ip().is_unspecified() {
        // Listening on every interface: answer with the host the client used to reach us.
        let host = header_value(headers?, &["host"])
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
    Some(advertised(shared, scheme, server))
}

/// `address` as clients must be told it: `tls://` when the scheme says so, or when it says
/// nothing and this server serves TLS (an explicit scheme is the operator's word).
fn advertised(shared: &Shared, scheme: GatewayScheme, address: String) -> String {
    let tls = match scheme {
        GatewayScheme::Tls => true,
        GatewayScheme::Tcp => false,
        GatewayScheme::Unspecified => shared.config.tls.enabled(),
    };
    if tls {
        format!("tls://{address}")
    } else {
        address
    }
}

/// The gateways navigation lists: this node's first (it answered, so it is alive, and a
/// load balancer in front of navigation already spread the clients over the nodes), then
/// the other live nodes' (announced on the bus) and the configured ones, shuffled, so the
/// clients of a node that dies fail over to all the others rather than all to the same.
fn with_other_nodes(shared: &Shared, own: String) -> Vec<String> {
    use rand::seq::SliceRandom as _;
    let mut others: Vec<String> = shared.bus.gateways();
    for gw in &shared.config.cluster.gateways {
        let (scheme, address) = split_gateway(gw);
        others.push(advertised(shared, scheme, address.to_owned()));
    }
    others.sort();
    others.dedup();
    others.retain(|g| *g != own);
    others.shuffle(&mut rand::rng());
    let mut servers = Vec::with_capacity(others.len() + 1);
    servers.push(own);
    servers.extend(others);
    servers
}
