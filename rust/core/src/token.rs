//! Reading the user id out of a token without verifying it (only the server can verify).
//!
//! Token format (issued by rcim-server): `base64url(payload JSON).base64url(signature)`, with
//! payload `{"a": appKey, "u": userId, "i": issuedAtMs, "e": expiryMs}`.

use base64::Engine as _;

/// The user id and app key a token claims, or `None` if it is not a well-formed RCIM token.
pub fn claims(token: &str) -> Option<(String, String)> {
    let (payload, signature) = token.split_once('.')?;
    if signature.is_empty() {
        return None;
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let user = value.get("u")?.as_str()?;
    let app = value.get("a")?.as_str()?;
    if user.is_empty() || user.len() > 64 {
        return None;
    }
    Some((app.to_string(), user.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_claims_and_rejects_garbage() {
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"a":"k","u":"alice","i":1,"e":0}"#);
        assert_eq!(
            claims(&format!("{payload}.sig")),
            Some(("k".into(), "alice".into()))
        );
        assert_eq!(claims("not a token"), None);
        assert_eq!(claims(&format!("{payload}.")), None);
        assert_eq!(claims("@@@.sig"), None);
    }
}
