//! Connection tokens: `<base64url(payload_json)>.<base64url(HMAC-SHA256(key, payload_b64))>`,
//! where `key` is derived from the app secret for tokens alone ([`TOKEN_KEY_LABEL`]): the
//! Server API signs with the secret itself and media tickets with their own derived key, so a
//! signature of one kind never verifies as another.
//!
//! The payload is `{"a": appKey, "u": userId, "i": issuedAtMs, "e": expiryMs}` (`e = 0`: never
//! expires). Clients decode the payload without verifying it to learn their own user id, so the
//! format is part of the protocol.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The signed content of a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenClaims {
    /// App key the token was issued for.
    #[serde(rename = "a")]
    pub app_key: String,
    /// User the token authenticates.
    #[serde(rename = "u")]
    pub user_id: String,
    /// Issue time, ms since the epoch.
    #[serde(rename = "i")]
    pub issued_at_ms: i64,
    /// Expiry time, ms since the epoch; 0 = never expires.
    #[serde(rename = "e")]
    pub expiry_ms: i64,
}

fn sign(key: &[u8], payload_b64: &str) -> HmacSha256 {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(payload_b64.as_bytes());
    mac
}

/// `<base64url(json(claims))>.<base64url(HMAC-SHA256(key, first part))>`: the format of
/// connection tokens, also used for media upload tickets.
pub(crate) fn seal(key: &[u8], claims: &impl Serialize) -> String {
    // Serializing a struct of strings and integers cannot fail.
    let json = serde_json::to_vec(claims).unwrap_or_default();
    seal_bytes(key, &json)
}

/// `<base64url(payload)>.<base64url(HMAC-SHA256(key, first part))>` for any payload bytes.
fn seal_bytes(key: &[u8], payload: &[u8]) -> String {
    let payload = URL_SAFE_NO_PAD.encode(payload);
    let mac = sign(key, &payload).finalize().into_bytes();
    format!("{payload}.{}", URL_SAFE_NO_PAD.encode(mac))
}

/// The claims of a [`seal`]ed `token` if its signature under `key` is valid (compared in
/// constant time) and it decodes.
pub(crate) fn unseal<T: DeserializeOwned>(token: &str, key: &[u8]) -> Option<T> {
    let (payload, signature) = token.split_once('.')?;
    let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
    sign(key, payload).verify_slice(&signature).ok()?;
    let json = URL_SAFE_NO_PAD.decode(payload).ok()?;
    serde_json::from_slice(&json).ok()
}

/// A 32-byte key for one purpose (`label`), derived from `secret` (HMAC-SHA256 of the label):
/// every process holding the same secret derives the same key, and keys of different purposes
/// are unrelated.
pub(crate) fn derive_key(secret: &str, label: &str) -> [u8; 32] {
    sign(secret.as_bytes(), label)
        .finalize()
        .into_bytes()
        .into()
}

/// The purpose label of the token signing key. Changing it invalidates every issued token.
const TOKEN_KEY_LABEL: &str = "rcim/connection-token/v1";

/// The key connection tokens of the app with `app_secret` are signed with.
fn token_key(app_secret: &str) -> [u8; 32] {
    derive_key(app_secret, TOKEN_KEY_LABEL)
}

/// A token of the app with `app_secret` whose payload is `payload` (any bytes, not necessarily
/// JSON claims), signed exactly as [`issue_token`] signs: lets the fuzz targets reach the
/// payload's decoding behind the signature check.
pub(crate) fn seal_token_payload(app_secret: &str, payload: &[u8]) -> String {
    seal_bytes(&token_key(app_secret), payload)
}

/// Mints a token for `user_id` of `app_key`, signed with a key derived from `app_secret`.
///
/// `expiry_ms = 0` means the token never expires. Tests use this to mint expired or forged
/// tokens (sign with another secret).
pub fn issue_token(
    app_key: &str,
    app_secret: &str,
    user_id: &str,
    issued_at_ms: i64,
    expiry_ms: i64,
) -> String {
    let claims = TokenClaims {
        app_key: app_key.to_owned(),
        user_id: user_id.to_owned(),
        issued_at_ms,
        expiry_ms,
    };
    seal(&token_key(app_secret), &claims)
}

/// Checks the signature of `token` with the key derived from `app_secret` and returns its
/// claims.
///
/// Only the signature and the encoding are checked here; the app key, expiry and
/// `tokens_valid_after` checks are the caller's (they need server state).
pub fn verify_signature(token: &str, app_secret: &str) -> Option<TokenClaims> {
    unseal(token, &token_key(app_secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_forgery() {
        let t = issue_token("k", "s", "u1", 5, 0);
        let c = verify_signature(&t, "s").expect("valid");
        assert_eq!(c.user_id, "u1");
        assert_eq!(c.app_key, "k");
        assert!(verify_signature(&t, "other").is_none());
        let (p, s) = t.split_once('.').expect("dot");
        let forged = issue_token("k", "s", "admin", 5, 0);
        let (fp, _) = forged.split_once('.').expect("dot");
        assert!(verify_signature(&format!("{fp}.{s}"), "s").is_none());
        assert!(verify_signature(p, "s").is_none());
        assert!(verify_signature("", "s").is_none());
    }

    #[test]
    fn tokens_are_not_signed_with_the_secret_itself() {
        let claims = TokenClaims {
            app_key: "k".into(),
            user_id: "u1".into(),
            issued_at_ms: 5,
            expiry_ms: 0,
        };
        // A token sealed with the raw secret (or any other purpose's key) is refused.
        assert!(verify_signature(&seal(b"s", &claims), "s").is_none());
        let ticket_key = derive_key("s", "some other purpose");
        assert!(verify_signature(&seal(&ticket_key, &claims), "s").is_none());
        assert_eq!(
            verify_signature(&seal(&token_key("s"), &claims), "s"),
            Some(claims)
        );
    }
}
