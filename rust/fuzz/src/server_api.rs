//! The Server API target: the parameter parser, and every route behind the signature check of
//! an in-process server.

use crate::harness::Harness;
use crate::targets::{APP_KEY, APP_SECRET};
use axum::body::Body;
use axum::http::{HeaderValue, Request};
use rcim_server::fuzzing::{api_params, ServerApi};
use sha1::{Digest as _, Sha1};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// Separates the fields of an input (see [`ServerApiTarget::run`]).
pub const FIELD_SEPARATOR: u8 = 0;
/// Flag: sign the request validly (fresh nonce, current timestamp) instead of using the
/// input's nonce, timestamp and signature.
pub const SIGN: u8 = 1;
/// Flag: the body is JSON (`Content-Type: application/json`).
pub const JSON: u8 = 2;
/// Flag: the `RC-` prefixed header names.
pub const RC_PREFIX: u8 = 4;

/// Every route of the Server API (`rcim-server`'s `api::router`).
pub const ROUTES: [&str; 87] = [
    "/user/getToken.json",
    "/user/refresh.json",
    "/user/token/expire.json",
    "/user/checkOnline.json",
    "/user/blacklist/add.json",
    "/user/blacklist/remove.json",
    "/user/blacklist/query.json",
    "/message/private/publish.json",
    "/message/group/publish.json",
    "/message/recall.json",
    "/message/expansion/set.json",
    "/message/expansion/delete.json",
    "/message/expansion/query.json",
    "/conversation/message/history/clean.json",
    "/statusmessage/private/publish.json",
    "/statusmessage/group/publish.json",
    "/push.json",
    "/push/user.json",
    "/group/create.json",
    "/group/join.json",
    "/group/quit.json",
    "/group/dismiss.json",
    "/group/user/query.json",
    "/sensitiveword/add.json",
    "/sensitiveword/delete.json",
    "/sensitiveword/batch/delete.json",
    "/sensitiveword/list.json",
    "/user/block.json",
    "/user/unblock.json",
    "/user/block/query.json",
    "/group/user/gag/add.json",
    "/group/user/gag/rollback.json",
    "/group/user/gag/list.json",
    "/push/template/set.json",
    "/push/template/delete.json",
    "/push/template/query.json",
    "/chatroom/create.json",
    "/chatroom/destroy.json",
    "/chatroom/get.json",
    "/chatroom/query.json",
    "/chatroom/user/query.json",
    "/chatroom/user/exist.json",
    "/chatroom/users/exist.json",
    "/chatroom/user/gag/add.json",
    "/chatroom/user/gag/rollback.json",
    "/chatroom/user/gag/list.json",
    "/chatroom/user/block/add.json",
    "/chatroom/user/block/rollback.json",
    "/chatroom/user/block/list.json",
    "/chatroom/user/whitelist/add.json",
    "/chatroom/user/whitelist/remove.json",
    "/chatroom/user/whitelist/query.json",
    "/chatroom/entry/set.json",
    "/chatroom/entry/batch/set.json",
    "/chatroom/entry/remove.json",
    "/chatroom/entry/query.json",
    "/message/chatroom/publish.json",
    "/ultragroup/create.json",
    "/ultragroup/dis.json",
    "/ultragroup/join.json",
    "/ultragroup/quit.json",
    "/ultragroup/refresh.json",
    "/ultragroup/member/exist.json",
    "/ultragroup/channel/create.json",
    "/ultragroup/channel/del.json",
    "/ultragroup/channel/get.json",
    "/ultragroup/channel/type/change.json",
    "/ultragroup/channel/private/users/add.json",
    "/ultragroup/channel/private/users/del.json",
    "/ultragroup/channel/private/users/get.json",
    "/ultragroup/userbanned/add.json",
    "/ultragroup/userbanned/del.json",
    "/ultragroup/userbanned/get.json",
    "/ultragroup/globalbanned/set.json",
    "/ultragroup/globalbanned/get.json",
    "/ultragroup/banned/whitelist/add.json",
    "/ultragroup/banned/whitelist/del.json",
    "/ultragroup/banned/whitelist/get.json",
    "/ultragroup/notdisturb/set.json",
    "/ultragroup/notdisturb/get.json",
    "/message/ultragroup/publish.json",
    "/ultragroup/msg/modify.json",
    "/ultragroup/msg/get.json",
    "/ultragroup/hismsg/query.json",
    "/ultragroup/message/expansion/set.json",
    "/ultragroup/message/expansion/delete.json",
    "/ultragroup/message/expansion/query.json",
];

/// `sha1(secret + nonce + timestamp)` in lowercase hex: the Server API signature.
pub fn signature(secret: &str, nonce: &str, timestamp: &str) -> String {
    let mut h = Sha1::new();
    h.update(secret.as_bytes());
    h.update(nonce.as_bytes());
    h.update(timestamp.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A nonce no earlier request used.
pub fn fresh_nonce() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{:x}",
        NEXT.fetch_add(1, Ordering::Relaxed),
        rand::random::<u32>()
    )
}

/// A validly signed form `POST` of `body` to `path`.
pub fn signed_form(path: &str, body: &str) -> Request<Body> {
    let nonce = fresh_nonce();
    let timestamp = now_ms().to_string();
    Request::post(path)
        .header("App-Key", APP_KEY)
        .header("Nonce", &nonce)
        .header("Timestamp", &timestamp)
        .header("Signature", signature(APP_SECRET, &nonce, &timestamp))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(Body::from(body.to_owned()))
        .expect("a valid request")
}

/// Milliseconds since the epoch.
pub fn now_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

/// Calls the Server API of a harness; panics unless the answer is a JSON object with a
/// numeric `code`. Returns the code (404 for a path no route takes).
pub fn call(harness: &Harness, api: &ServerApi, request: Request<Body>) -> u64 {
    let (status, body) = harness.rt.block_on(api.call(request));
    // A path no route takes: the HTTP listener's fallback (not part of these routes) answers
    // it with a JSON 404.
    if status == 404 && body.is_empty() {
        return 404;
    }
    let json: serde_json::Value = serde_json::from_slice(&body)
        .unwrap_or_else(|e| panic!("status {status}: the answer is not JSON ({e}): {body:?}"));
    json.get("code")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or_else(|| panic!("status {status}: no numeric code in {json}"))
}

/// A live server whose Server API is fed fuzzed requests.
pub struct ServerApiTarget {
    harness: Harness,
    /// Answers by Server API code.
    pub codes: BTreeMap<u64, u64>,
    executions: u64,
}

impl Default for ServerApiTarget {
    fn default() -> Self {
        Self::new()
    }
}

impl ServerApiTarget {
    /// Starts the server.
    pub fn new() -> Self {
        Self {
            harness: Harness::start(),
            codes: BTreeMap::new(),
            executions: 0,
        }
    }

    /// Runs one input: fields separated by [`FIELD_SEPARATOR`] — flags, path, query, body,
    /// app key, nonce, timestamp, signature (missing fields are empty). The query and body go
    /// through the parameter parser; then the request goes to the routes. Every 32 inputs,
    /// another user must still be served.
    pub fn run(&mut self, data: &[u8]) {
        let mut fields = data.split(|b| *b == FIELD_SEPARATOR);
        let mut next = || fields.next().unwrap_or(&[]);
        let flags = next().first().copied().unwrap_or(0);
        let (path, query, body) = (next(), next(), next());
        let (key, nonce, timestamp, sig) = (next(), next(), next(), next());
        let json = flags & JSON != 0;
        self.harness.rt.block_on(api_params(query, body, json));

        // A path no route takes only meets the listener's 404: map it to a route, so every
        // input reaches a handler's parameters.
        let path = match std::str::from_utf8(path) {
            Ok(p) if ROUTES.contains(&p) => p,
            _ => ROUTES[path.iter().map(|b| *b as usize).sum::<usize>() % ROUTES.len()],
        };
        let query = String::from_utf8_lossy(query);
        let uri = format!("/{}?{query}", path.trim_start_matches('/'));
        let mut builder = Request::post(uri.as_str());
        if builder.uri_ref().is_none() {
            builder = Request::post(format!("/{}", path.trim_start_matches('/')).as_str());
        }
        if builder.uri_ref().is_none() {
            builder = Request::post("/");
        }
        let (nonce, timestamp, sig) = if flags & SIGN != 0 {
            let nonce = fresh_nonce();
            let timestamp = now_ms().to_string();
            let sig = signature(APP_SECRET, &nonce, &timestamp);
            (nonce.into_bytes(), timestamp.into_bytes(), sig.into_bytes())
        } else {
            (nonce.to_vec(), timestamp.to_vec(), sig.to_vec())
        };
        let key = if flags & SIGN != 0 {
            APP_KEY.as_bytes()
        } else {
            key
        };
        let prefix = if flags & RC_PREFIX != 0 { "RC-" } else { "" };
        for (name, value) in [
            ("App-Key", key),
            ("Nonce", &nonce[..]),
            ("Timestamp", &timestamp[..]),
            ("Signature", &sig[..]),
        ] {
            if let Ok(value) = HeaderValue::from_bytes(value) {
                builder = builder.header(format!("{prefix}{name}"), value);
            }
        }
        let content_type = if json {
            "application/json"
        } else {
            "application/x-www-form-urlencoded"
        };
        let request = builder
            .header("Content-Type", content_type)
            .body(Body::from(body.to_vec()));
        if let Ok(request) = request {
            let code = call(&self.harness, &self.harness.api, request);
            *self.codes.entry(code).or_default() += 1;
        }
        self.executions += 1;
        if self.executions % 32 == 0 {
            self.harness.assert_serving();
        }
    }

    /// Inputs run so far.
    pub fn executions(&self) -> u64 {
        self.executions
    }

    /// One line of figures: inputs, answers by code.
    pub fn summary(&self) -> String {
        format!(
            "{} inputs, answers by code {:?}",
            self.executions, self.codes
        )
    }

    /// Checks once more that the server serves another user (end of a run).
    pub fn finish(&mut self) {
        self.harness.assert_serving();
    }
}
