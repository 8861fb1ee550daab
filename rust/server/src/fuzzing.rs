//! Entry points of the fuzz targets (crate `rcim-fuzz`) into the server's private parsers:
//! the Server API parameter extractor, the Server API routes behind their signature check, and
//! the token format. Not an API: nothing else may use them.

use crate::api::ApiParams;
use crate::RunningServer;
use axum::body::{Body, Bytes};
use axum::extract::FromRequest as _;
use axum::http::{header, Request};
use axum::Router;
use tower::ServiceExt as _;

/// Parses a Server API request's parameters as the endpoints do (the query string, then the
/// body: a JSON object when `json` and it parses as one, a form otherwise) and reads every
/// parameter back through each accessor. Returns the number of parameters.
pub async fn api_params(query: &[u8], body: &[u8], json: bool) -> usize {
    let content_type = if json {
        "application/json"
    } else {
        "application/x-www-form-urlencoded"
    };
    let request = Request::post("/")
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body.to_vec()))
        .unwrap_or_default();
    let mut parsed = vec![ApiParams::from_form(query)];
    if let Ok(body) = ApiParams::from_request(request, &()).await {
        parsed.push(body);
    }
    let mut count = 0;
    for p in &parsed {
        for (key, _) in p.pairs() {
            count += 1;
            let _ = (p.get(key), p.required(key), p.list(key), p.values(key));
            let _ = (p.bool(key, false), p.int(key));
        }
    }
    count
}

/// The Server API of a running server, called in-process: every route behind its signature
/// check, exactly as the HTTP listener serves them.
#[derive(Clone)]
pub struct ServerApi {
    router: Router,
}

impl ServerApi {
    /// The Server API routes of `server`.
    pub fn of(server: &RunningServer) -> Self {
        let shared = server.shared.clone();
        Self {
            router: crate::api::router(shared.clone()).with_state(shared),
        }
    }

    /// Serves one request; returns the HTTP status and the body.
    pub async fn call(&self, request: Request<Body>) -> (u16, Bytes) {
        let Ok(response) = self.router.clone().oneshot(request).await;
        let status = response.status().as_u16();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap_or_default();
        (status, body)
    }
}

/// A token whose payload is `payload` (any bytes, not necessarily JSON claims) with a valid
/// signature under the key [`crate::verify_signature`] checks with: lets a fuzzer reach the
/// payload's decoding behind the signature.
pub fn sign_token_payload(app_secret: &str, payload: &[u8]) -> String {
    crate::token::seal_token_payload(app_secret, payload)
}
