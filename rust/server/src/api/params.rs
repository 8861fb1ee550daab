//! Request parameters, decoded by `serde_html_form` (percent-decoding, `+` as space, repeated
//! keys kept: RongCloud SDKs send lists as `toUserId=a&toUserId=b`) and read leniently
//! (RongCloud's SDKs differ): the query string and the body merged, JSON object bodies
//! accepted too, lists also comma-separated.

use super::reply::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// The parameters of one request, in order.
#[derive(Debug, Default, Clone)]
pub(crate) struct Params {
    pairs: Vec<(String, String)>,
}

/// Form pairs of `raw` (`application/x-www-form-urlencoded` or a query string). Lenient:
/// invalid escapes are kept as text and invalid UTF-8 is replaced, so any bytes decode and no
/// request is refused here. Should the decoder fail all the same, `raw` counts as holding no
/// parameters: the handler then answers its usual missing-parameter error (1002).
fn decode_form(raw: &[u8]) -> Vec<(String, String)> {
    serde_html_form::from_bytes::<Vec<(String, String)>>(raw).unwrap_or_else(|e| {
        tracing::debug!(error = %e, "undecodable form");
        Vec::new()
    })
}

fn json_scalar(v: Value) -> String {
    match v {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

impl Params {
    /// Parameters of a query string or form body.
    pub(crate) fn from_form(raw: &[u8]) -> Self {
        Self {
            pairs: decode_form(raw),
        }
    }

    /// Adds the fields of a JSON object body (arrays = repeated keys); false if `raw` is not
    /// a JSON object.
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

    /// Every value of `key` as given (not split at commas; a JSON body's objects as JSON
    /// text).
    pub(crate) fn values(&self, key: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Every parameter in order, as (key, value) (for bracketed keys like `chatroom[id]`).
    pub(crate) fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))
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

    /// An integer parameter; absent or empty => `None`, not a number => 1002.
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

impl<S: Send + Sync> FromRequest<S> for Params {
    type Rejection = Response;

    /// The query string's parameters followed by the body's (a JSON object when the content
    /// type says JSON and it parses as one, a form otherwise).
    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        let mut params = Self::from_form(req.uri().query().unwrap_or("").as_bytes());
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.to_ascii_lowercase().contains("json"));
        let body = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        if !(is_json && params.add_json(&body)) {
            params.pairs.extend(decode_form(&body));
        }
        Ok(params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_form_parsing() {
        let f = Params::from_form(b"a=1&b=x%20y&b=z&c=100%&d=Group One&e=a%2Cb,c&f");
        assert_eq!(f.get("a"), Some("1"));
        assert_eq!(f.list("b"), vec!["x y", "z"]);
        assert_eq!(f.get("c"), Some("100%"));
        assert_eq!(f.get("d"), Some("Group One"));
        assert_eq!(f.list("e"), vec!["a", "b", "c"]);
        assert_eq!(f.get("f"), Some(""));
        assert!(f.required("f").is_err());
        assert!(f.required("zz").is_err());
        let f = Params::from_form(b"x=True&y=0&z=maybe&w=%E4%BD%A0%ZZ%4&n=12&m=x");
        assert_eq!(f.bool("x", false), Ok(true));
        assert_eq!(f.bool("y", true), Ok(false));
        assert_eq!(f.bool("none", true), Ok(true));
        assert!(f.bool("z", true).is_err());
        assert_eq!(f.get("w"), Some("你%ZZ%4"));
        assert_eq!(f.int("n"), Ok(Some(12)));
        assert_eq!(f.int("none"), Ok(None));
        assert!(f.int("m").is_err());
        // Bytes that are not UTF-8, raw or escaped, still decode (replaced).
        let f = Params::from_form(b"a=\xff%FE&b=2&\xc3=3");
        assert_eq!(f.get("a"), Some("\u{FFFD}\u{FFFD}"));
        assert_eq!(f.get("b"), Some("2"));
        assert_eq!(f.get("\u{FFFD}"), Some("3"));
    }

    #[test]
    fn json_bodies() {
        let mut p = Params::default();
        assert!(p.add_json(br#"{"userId":["a","b"],"n":3,"s":"x","z":null}"#));
        assert_eq!(p.list("userId"), vec!["a", "b"]);
        assert_eq!(p.get("n"), Some("3"));
        assert_eq!(p.get("z"), Some(""));
        assert!(!p.add_json(b"[1,2]"));
    }
}
