//! HTTP side: navigation (`/navi.json`) and the RongCloud-compatible Server API.
//!
//! Every Server API request goes through [`dispatch`]: endpoint lookup in
//! [`crate::api::ENDPOINTS`] (unknown => 404), authentication ([`authenticate`]: `App-Key`,
//! `Nonce`, `Timestamp`, `Signature`, or their `RC-` spellings), lenient body parsing
//! ([`Form`]), then the endpoint's handler. Responses are JSON: `{"code":200,...}` or
//! `{"code":N,"errorMessage":"..."}`.

use crate::Shared;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Map, Value};
use sha1::{Digest as _, Sha1};
use std::sync::Arc;
use tokio::net::TcpListener;

/// Largest accepted request body (a 128 KB message percent-encoded fits easily).
const MAX_BODY: usize = 2 * 1024 * 1024;

/// Serves HTTP on `listener` until the server stops.
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let app = Router::new()
        .route("/navi.json", get(navi).post(navi))
        .fallback(dispatch)
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

/// A Server API failure: business code, HTTP status and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub code: u32,
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    /// 1002: a parameter is missing or invalid.
    pub(crate) fn param(message: impl Into<String>) -> Self {
        Self {
            code: 1002,
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    /// 1005: a parameter is too long.
    pub(crate) fn too_long(name: &str, max: usize) -> Self {
        Self {
            code: 1005,
            status: StatusCode::BAD_REQUEST,
            message: format!("{name} is longer than {max} bytes"),
        }
    }

    /// A business code (e.g. 22406) with HTTP 200, so every SDK parses the body.
    pub(crate) fn business(code: u32, message: impl Into<String>) -> Self {
        Self {
            code,
            status: StatusCode::OK,
            message: message.into(),
        }
    }

    /// 1000: internal error.
    pub(crate) fn internal(e: &anyhow::Error) -> Self {
        tracing::error!(error = %e, "Server API internal error");
        Self {
            code: 1000,
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "internal server error".into(),
        }
    }

    fn unauthorized(code: u32, message: &str) -> Self {
        Self {
            code,
            status: StatusCode::UNAUTHORIZED,
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            json_headers(),
            json!({"code": self.code, "errorMessage": self.message}).to_string(),
        )
            .into_response()
    }
}

fn json_headers() -> [(header::HeaderName, &'static str); 1] {
    [(header::CONTENT_TYPE, "application/json; charset=utf-8")]
}

/// What a handler returns: the response's fields besides `code`, or an error.
pub(crate) type ApiResult = Result<Map<String, Value>, ApiError>;

fn ok_response(mut fields: Map<String, Value>) -> Response {
    let mut body = Map::new();
    body.insert("code".into(), json!(200));
    body.append(&mut fields);
    (
        StatusCode::OK,
        json_headers(),
        Value::Object(body).to_string(),
    )
        .into_response()
}

/// Request parameters, parsed leniently (rongcloud_facts.md §1.6): percent-decoding where
/// valid (raw text kept otherwise), repeated keys and comma-separated lists, query string and
/// body merged, JSON object bodies accepted too.
#[derive(Debug, Default, Clone)]
pub(crate) struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    /// Parses an `application/x-www-form-urlencoded` string (or a query string).
    pub(crate) fn parse_urlencoded(raw: &[u8]) -> Self {
        let mut form = Self::default();
        form.add_urlencoded(raw);
        form
    }

    fn add_urlencoded(&mut self, raw: &[u8]) {
        for part in raw.split(|b| *b == b'&') {
            if part.is_empty() {
                continue;
            }
            let (k, v) = match part.iter().position(|b| *b == b'=') {
                Some(i) => (&part[..i], &part[i + 1..]),
                None => (part, &b""[..]),
            };
            self.pairs.push((percent_decode(k), percent_decode(v)));
        }
    }

    fn add_json(&mut self, raw: &[u8]) -> bool {
        let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(raw) else {
            return false;
        };
        for (k, v) in map {
            match v {
                Value::Array(items) => {
                    for item in items {
                        self.pairs.push((k.clone(), json_scalar(item)));
                    }
                }
                other => self.pairs.push((k, json_scalar(other))),
            }
        }
        true
    }

    /// First value of `key`, if present.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// First value of `key`; missing or empty => 1002.
    pub(crate) fn required(&self, key: &str) -> Result<&str, ApiError> {
        match self.get(key) {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(ApiError::param(format!("{key} is required"))),
        }
    }

    /// All values of `key`: repeated keys and comma-separated values, trimmed, empty ones
    /// dropped.
    pub(crate) fn list(&self, key: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// A boolean (`1/true/True`, `0/false/False`); absent or empty => `default`.
    pub(crate) fn bool(&self, key: &str, default: bool) -> Result<bool, ApiError> {
        match self.get(key).map(str::trim) {
            None | Some("") => Ok(default),
            Some(v) if v == "1" || v.eq_ignore_ascii_case("true") => Ok(true),
            Some(v) if v == "0" || v.eq_ignore_ascii_case("false") => Ok(false),
            Some(v) => Err(ApiError::param(format!(
                "{key} must be 0/1 or true/false, got {v:?}"
            ))),
        }
    }

    /// An integer parameter; missing => 1002 if `required`, else `None`.
    pub(crate) fn int(&self, key: &str) -> Result<Option<i64>, ApiError> {
        match self.get(key).map(str::trim) {
            None | Some("") => Ok(None),
            Some(v) => v
                .parse::<i64>()
                .map(Some)
                .map_err(|_| ApiError::param(format!("{key} must be an integer"))),
        }
    }
}

fn json_scalar(v: Value) -> String {
    match v {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Form decoding: `+` is a space, valid `%XX` escapes are decoded, anything else is kept as is.
fn percent_decode(raw: &[u8]) -> String {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < raw.len() => match (hex_val(raw[i + 1]), hex_val(raw[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// First present header among `names`.
fn header_value<'a>(headers: &'a HeaderMap, names: &[&str]) -> Option<&'a str> {
    names
        .iter()
        .find_map(|n| headers.get(*n))
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

/// Checks the app key (1001) and the signature `sha1(secret + nonce + timestamp)` (1004).
/// No freshness window and no nonce-replay check (the Node SDK reuses its headers).
pub(crate) fn authenticate(shared: &Shared, headers: &HeaderMap) -> Result<(), ApiError> {
    let app_key = header_value(headers, &["app-key", "rc-app-key"]).unwrap_or("");
    if app_key != shared.config.app_key {
        return Err(ApiError::unauthorized(1001, "App-Key is unknown"));
    }
    let nonce = header_value(headers, &["nonce", "rc-nonce"]).unwrap_or("");
    let timestamp = header_value(headers, &["timestamp", "rc-timestamp"]).unwrap_or("");
    let signature = header_value(headers, &["signature", "rc-signature"]).unwrap_or("");
    let expected = signature_of(&shared.config.app_secret, nonce, timestamp);
    if signature.is_empty() || !signature.eq_ignore_ascii_case(&expected) {
        return Err(ApiError::unauthorized(
            1004,
            "signature verification failed",
        ));
    }
    Ok(())
}

/// Lowercase hex SHA1 of `secret + nonce + timestamp`: the Server API request signature.
pub(crate) fn signature_of(secret: &str, nonce: &str, timestamp: &str) -> String {
    let mut h = Sha1::new();
    h.update(secret.as_bytes());
    h.update(nonce.as_bytes());
    h.update(timestamp.as_bytes());
    hex::encode(h.finalize())
}

fn parse_params(uri: &Uri, headers: &HeaderMap, body: &[u8]) -> Form {
    let mut form = Form::parse_urlencoded(uri.query().unwrap_or("").as_bytes());
    let is_json = header_value(headers, &["content-type"])
        .is_some_and(|ct| ct.to_ascii_lowercase().contains("json"));
    if !(is_json && form.add_json(body)) {
        form.add_urlencoded(body);
    }
    form
}

/// The Server API entry point: `POST /<module>/<action>.json`.
async fn dispatch(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    let Some(handler) = crate::api::find(&path) else {
        tracing::debug!(%method, %path, "unknown endpoint");
        return (
            StatusCode::NOT_FOUND,
            json_headers(),
            json!({"code": 404, "errorMessage": format!("no such endpoint: {path}")}).to_string(),
        )
            .into_response();
    };
    if let Err(e) = authenticate(&shared, &headers) {
        tracing::debug!(%path, code = e.code, "Server API request refused");
        return e.into_response();
    }
    let form = parse_params(&uri, &headers, &body);
    match handler(shared, form).await {
        Ok(fields) => ok_response(fields),
        Err(e) => {
            tracing::debug!(%path, code = e.code, message = %e.message, "Server API error");
            e.into_response()
        }
    }
}

/// Navigation: `GET|POST /navi.json?appKey=...` => the gateway address(es).
async fn navi(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = parse_params(&uri, &headers, &body);
    let app_key = form
        .get("appKey")
        .or_else(|| form.get("appkey"))
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
    ok_response(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_form_parsing() {
        let f = Form::parse_urlencoded(b"a=1&b=x%20y&b=z&c=100%&d=Group One&e=a%2Cb,c&f");
        assert_eq!(f.get("a"), Some("1"));
        assert_eq!(f.list("b"), vec!["x y", "z"]);
        assert_eq!(f.get("c"), Some("100%"));
        assert_eq!(f.get("d"), Some("Group One"));
        assert_eq!(f.list("e"), vec!["a", "b", "c"]);
        assert_eq!(f.get("f"), Some(""));
        assert!(f.required("f").is_err());
        assert!(f.required("zz").is_err());
        let f = Form::parse_urlencoded(b"x=True&y=0&z=maybe&w=%E4%BD%A0%ZZ%4");
        assert_eq!(f.bool("x", false), Ok(true));
        assert_eq!(f.bool("y", true), Ok(false));
        assert_eq!(f.bool("none", true), Ok(true));
        assert!(f.bool("z", true).is_err());
        assert_eq!(f.get("w"), Some("你%ZZ%4"));
    }

    #[test]
    fn signature_is_sha1_hex() {
        // sha1("secret" + "1" + "2"), computed independently (Python hashlib).
        assert_eq!(
            signature_of("secret", "1", "2"),
            "e9424e7e2a8860a0d3198a794e94222d7a1083d2"
        );
    }
}
