//! Server API authentication, as an axum middleware on every endpoint: `App-Key` (1001 when
//! unknown) and `Signature = sha1(secret + Nonce + Timestamp)` in lowercase or uppercase hex
//! (1004 otherwise), each header also accepted with the `RC-` prefix. The app key and the
//! signature are compared in constant time. A valid signature then passes the replay guard
//! ([`super::replay`]: `Timestamp` within the window, each nonce once; 1004 otherwise) unless
//! the window is configured off.
//!
//! The signature uses the app secret itself, as RongCloud's SDKs compute it; connection
//! tokens and media tickets are signed with keys derived from it for their purpose
//! ([`crate::token::derive_key`]), so no signature of one kind is valid as another.

use super::reply::ApiError;
use crate::state::Shared;
use crate::util::now_ms;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha1::{Digest as _, Sha1};
use std::sync::Arc;
use subtle::ConstantTimeEq as _;

/// First present header among `names`, trimmed.
pub(crate) fn header_value<'a>(headers: &'a HeaderMap, names: &[&str]) -> Option<&'a str> {
    names
        .iter()
        .find_map(|n| headers.get(*n))
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

/// Lowercase hex SHA1 of `secret + nonce + timestamp`: the Server API request signature.
pub(crate) fn signature_of(secret: &str, nonce: &str, timestamp: &str) -> String {
    let mut h = Sha1::new();
    h.update(secret.as_bytes());
    h.update(nonce.as_bytes());
    h.update(timestamp.as_bytes());
    hex::encode(h.finalize())
}

/// The signed headers of a request: nonce and timestamp, as sent.
#[derive(Debug)]
struct Signed<'a> {
    nonce: &'a str,
    timestamp: &'a str,
}

/// Checks the app key (1001) and the signature (1004).
fn authenticate<'a>(
    app_key: &str,
    secret: &str,
    headers: &'a HeaderMap,
) -> Result<Signed<'a>, ApiError> {
    let given_key = header_value(headers, &["app-key", "rc-app-key"]).unwrap_or("");
    let key_matches: bool = given_key.as_bytes().ct_eq(app_key.as_bytes()).into();
    if !key_matches {
        return Err(ApiError::unauthorized(1001, "App-Key is unknown"));
    }
    let nonce = header_value(headers, &["nonce", "rc-nonce"]).unwrap_or("");
    let timestamp = header_value(headers, &["timestamp", "rc-timestamp"]).unwrap_or("");
    let signature = header_value(headers, &["signature", "rc-signature"])
        .unwrap_or("")
        .to_ascii_lowercase();
    let expected = signature_of(secret, nonce, timestamp);
    let matches: bool = signature.as_bytes().ct_eq(expected.as_bytes()).into();
    if signature.is_empty() || !matches {
        return Err(ApiError::unauthorized(
            1004,
            "signature verification failed",
        ));
    }
    Ok(Signed { nonce, timestamp })
}

/// The middleware: refuses unauthenticated requests before any parameter is read.
pub(crate) async fn require_signature(
    State(shared): State<Arc<Shared>>,
    req: Request,
    next: Next,
) -> Response {
    let cfg = &shared.config;
    let checked = authenticate(&cfg.app_key, &cfg.app_secret, req.headers()).and_then(|s| {
        shared
            .api_replay
            .check(s.nonce, s.timestamp, now_ms())
            .map_err(|r| ApiError::unauthorized(1004, r.message()))
    });
    if let Err(e) = checked {
        tracing::debug!(path = %req.uri().path(), code = e.code, message = %e.message,
            "Server API request refused");
        return e.into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn signature_is_sha1_hex() {
        // sha1("secret" + "1" + "2"), computed independently (Python hashlib).
        assert_eq!(
            signature_of("secret", "1", "2"),
            "e9424e7e2a8860a0d3198a794e94222d7a1083d2"
        );
    }

    #[test]
    fn headers_and_codes() {
        let mut h = HeaderMap::new();
        assert_eq!(authenticate("k", "s", &h).unwrap_err().code, 1001);
        h.insert("rc-app-key", HeaderValue::from_static("k"));
        assert_eq!(authenticate("k", "s", &h).unwrap_err().code, 1004);
        h.insert("rc-nonce", HeaderValue::from_static("1"));
        h.insert("rc-timestamp", HeaderValue::from_static("2"));
        let upper = signature_of("s", "1", "2").to_ascii_uppercase();
        h.insert("rc-signature", HeaderValue::from_str(&upper).unwrap());
        let signed = authenticate("k", "s", &h).expect("valid");
        assert_eq!((signed.nonce, signed.timestamp), ("1", "2"));
        h.insert("signature", HeaderValue::from_static("00"));
        assert_eq!(authenticate("k", "s", &h).unwrap_err().code, 1004);
    }
}
