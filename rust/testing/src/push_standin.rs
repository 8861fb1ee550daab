//! Local stand-ins for APNs and FCM: HTTP/2 servers on loopback (cleartext h2c, which the
//! server's clients speak to `http://` endpoints) that check authentication like the real
//! services, record what they accept, and can be told to misbehave per device token.
//!
//! ```ignore
//! let push = PushStandIns::start().await;
//! let config = push.config(dir.path()); // generated credentials + a push config file
//! push.fcm.unregister("token-2");
//! let got = push.apns.wait_for(1, Duration::from_secs(5)).await;
//! ```
//! Keys are generated at start (a fresh P-256 `.p8` key for APNs, a fresh RSA-2048
//! service-account key for FCM); nothing is read from fixtures.

use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Json, Router};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use rcim_server::PushConfig;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// The APNs topic (bundle id) of the generated configuration.
pub const APNS_TOPIC: &str = "com.rcim.test";
/// The APNs team of the generated key.
pub const APNS_TEAM_ID: &str = "RCIMTEAM01";
/// The APNs key id of the generated key.
pub const APNS_KEY_ID: &str = "RCIMKEY001";
/// The FCM project of the generated service account.
pub const FCM_PROJECT: &str = "rcim-test";
/// The generated service account's e-mail.
pub const FCM_CLIENT_EMAIL: &str = "push@rcim-test.iam.gserviceaccount.com";
const FCM_SCOPE: &str = "https://www.googleapis.com/auth/firebase.messaging";

/// One notification a stand-in accepted.
#[derive(Debug, Clone)]
pub struct Received {
    /// The device token (APNs: the URL's; FCM: `message.token`).
    pub token: String,
    /// Request headers, names in lower case.
    pub headers: HashMap<String, String>,
    /// The JSON body.
    pub body: Value,
}

/// What a stand-in was told to do with one token.
#[derive(Default)]
struct Rule {
    unregistered: bool,
    /// Requests still to answer with 500.
    failures: u32,
    /// Requests still to answer with 429, and the `Retry-After` (seconds) they give.
    throttled: (u32, u64),
    /// Hang this long before answering; `None` count = every request.
    hang: Option<(Duration, Option<u32>)>,
}

enum Answer {
    Accept,
    Unregistered,
    Fail,
    /// 429 with this `Retry-After` (seconds).
    Throttle(u64),
}

/// What both stand-ins share: the record of requests and the per-token behaviour.
#[derive(Default)]
pub struct Recording {
    received: Mutex<Vec<Received>>,
    attempts: Mutex<HashMap<String, usize>>,
    rules: Mutex<HashMap<String, Rule>>,
    auth_failures: AtomicUsize,
    changed: Notify,
}

impl Recording {
    /// Every notification accepted (answered as delivered) so far, in arrival order.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until at least `n` notifications were accepted and returns them all; panics
    /// after `timeout`.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let deadline = Instant::now() + timeout;
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            let received = self.received();
            if received.len() >= n {
                return received;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if tokio::time::timeout(left, changed).await.is_err() {
                panic!(
                    "stand-in accepted {} notifications, expected {n}: {received:#?}",
                    received.len()
                );
            }
        }
    }

    /// Requests that reached the stand-in for `token`, whatever their answer (retries
    /// included; requests refused for bad authentication excluded).
    pub fn attempts(&self, token: &str) -> usize {
        self.attempts
            .lock()
            .unwrap()
            .get(token)
            .copied()
            .unwrap_or(0)
    }

    /// Requests refused for missing or bad authentication.
    pub fn auth_failures(&self) -> usize {
        self.auth_failures.load(Ordering::Relaxed)
    }

    /// Answers every later request for `token` with "unregistered" (APNs 410, FCM 404
    /// `UNREGISTERED`).
    pub fn unregister(&self, token: &str) {
        self.rules
            .lock()
            .unwrap()
            .entry(token.into())
            .or_default()
            .unregistered = true;
    }

    /// Answers the next `times` requests for `token` with 500.
    pub fn fail_times(&self, token: &str, times: u32) {
        self.rules
            .lock()
            .unwrap()
            .entry(token.into())
            .or_default()
            .failures = times;
    }

    /// Answers the next `times` requests for `token` with 429 and `Retry-After:
    /// retry_after_secs`.
    pub fn throttle(&self, token: &str, times: u32, retry_after_secs: u64) {
        self.rules
            .lock()
            .unwrap()
            .entry(token.into())
            .or_default()
            .throttled = (times, retry_after_secs);
    }

    /// Holds every later request for `token` this long before answering.
    pub fn hang(&self, token: &str, duration: Duration) {
        self.rules
            .lock()
            .unwrap()
            .entry(token.into())
            .or_default()
            .hang = Some((duration, None));
    }

    /// Holds the next `times` requests for `token` this long before answering.
    pub fn hang_times(&self, token: &str, duration: Duration, times: u32) {
        self.rules
            .lock()
            .unwrap()
            .entry(token.into())
            .or_default()
            .hang = Some((duration, Some(times)));
    }

    /// Counts the request, applies the token's rule (hanging if told) and says how to
    /// answer. A client that gives up while this hangs drops the request unrecorded.
    async fn plan(&self, token: &str) -> Answer {
        *self
            .attempts
            .lock()
            .unwrap()
            .entry(token.into())
            .or_default() += 1;
        let (hang, answer) = {
            let mut rules = self.rules.lock().unwrap();
            match rules.get_mut(token) {
                None => (None, Answer::Accept),
                Some(rule) => {
                    let hang = match &mut rule.hang {
                        Some((d, None)) => Some(*d),
                        Some((d, Some(left))) if *left > 0 => {
                            *left -= 1;
                            Some(*d)
                        }
                        _ => None,
                    };
                    let answer = if rule.unregistered {
                        Answer::Unregistered
                    } else if rule.failures > 0 {
                        rule.failures -= 1;
                        Answer::Fail
                    } else if rule.throttled.0 > 0 {
                        rule.throttled.0 -= 1;
                        Answer::Throttle(rule.throttled.1)
                    } else {
                        Answer::Accept
                    };
                    (hang, answer)
                }
            }
        };
        if let Some(d) = hang {
            tokio::time::sleep(d).await;
        }
        answer
    }

    fn accept(&self, received: Received) {
        self.received.lock().unwrap().push(received);
        self.changed.notify_waiters();
    }

    fn auth_failed(&self) {
        self.auth_failures.fetch_add(1, Ordering::Relaxed);
    }
}

fn header_map(headers: &HeaderMap) -> HashMap<String, String> {
    headers
        .iter()
        .map(|(k, v)| {
            let value = String::from_utf8_lossy(v.as_bytes()).into_owned();
            (k.as_str().to_ascii_lowercase(), value)
        })
        .collect()
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get("authorization")?.to_str().ok()?;
    value
        .strip_prefix("bearer ")
        .or_else(|| value.strip_prefix("Bearer "))
}

fn unix_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Serves `router` on a loopback port (HTTP/1.1 and h2c).
async fn serve(router: Router) -> (SocketAddr, JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (addr, task)
}

/// The APNs stand-in: `POST /3/device/{token}`, provider tokens checked against the
/// generated key's public half.
pub struct ApnsStandIn {
    recording: Arc<Recording>,
    addr: SocketAddr,
    /// The generated `.p8` key (PKCS#8 PEM).
    pub key_pem: String,
    task: JoinHandle<()>,
}

struct ApnsState {
    recording: Arc<Recording>,
    public_key: DecodingKey,
}

impl ApnsStandIn {
    /// Generates a key and starts serving.
    pub async fn start() -> Self {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let public_key = DecodingKey::from_ec_pem(key.public_key_pem().as_bytes()).unwrap();
        let recording = Arc::new(Recording::default());
        let state = Arc::new(ApnsState {
            recording: recording.clone(),
            public_key,
        });
        let router = Router::new()
            .route("/3/device/{token}", post(apns_send))
            .with_state(state);
        let (addr, task) = serve(router).await;
        Self {
            recording,
            addr,
            key_pem: key.serialize_pem(),
            task,
        }
    }

    /// The endpoint to configure (`http://127.0.0.1:PORT`).
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Deref for ApnsStandIn {
    type Target = Recording;
    fn deref(&self) -> &Recording {
        &self.recording
    }
}

impl Drop for ApnsStandIn {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Checks an APNs provider token: ES256 with our key, our key id and team, not older than
/// an hour.
fn apns_token_valid(state: &ApnsState, headers: &HeaderMap) -> bool {
    let Some(token) = bearer(headers) else {
        return false;
    };
    let Ok(header) = jsonwebtoken::decode_header(token) else {
        return false;
    };
    if header.alg != Algorithm::ES256 || header.kid.as_deref() != Some(APNS_KEY_ID) {
        return false;
    }
    let mut validation = Validation::new(Algorithm::ES256);
    validation.required_spec_claims = HashSet::new();
    validation.validate_exp = false;
    let Ok(data) = jsonwebtoken::decode::<Value>(token, &state.public_key, &validation) else {
        return false;
    };
    let iat = data.claims["iat"].as_u64().unwrap_or(0);
    let now = unix_secs();
    data.claims["iss"] == APNS_TEAM_ID && iat + 3600 > now && iat <= now + 60
}

async fn apns_send(
    State(state): State<Arc<ApnsState>>,
    UrlPath(token): UrlPath<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !apns_token_valid(&state, &headers) {
        state.recording.auth_failed();
        let reason = json!({"reason": "InvalidProviderToken"});
        return (StatusCode::FORBIDDEN, Json(reason)).into_response();
    }
    match state.recording.plan(&token).await {
        Answer::Accept => {
            state.recording.accept(Received {
                token,
                headers: header_map(&headers),
                body: serde_json::from_slice(&body).unwrap_or(Value::Null),
            });
            let id = format!("{:032x}", unix_secs());
            (StatusCode::OK, [("apns-id", id)]).into_response()
        }
        Answer::Unregistered => {
            let body = json!({"reason": "Unregistered", "timestamp": unix_secs() * 1000});
            (StatusCode::GONE, Json(body)).into_response()
        }
        Answer::Fail => {
            let body = json!({"reason": "InternalServerError"});
            (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response()
        }
        Answer::Throttle(secs) => {
            let body = json!({"reason": "TooManyRequests"});
            let retry_after = [("retry-after", secs.to_string())];
            (StatusCode::TOO_MANY_REQUESTS, retry_after, Json(body)).into_response()
        }
    }
}

/// The FCM stand-in: the OAuth token endpoint (`POST /token`, the service account's
/// `token_uri`) and `POST /v1/projects/{project}/messages:send`, which accepts only access
/// tokens the token endpoint issued.
pub struct FcmStandIn {
    recording: Arc<Recording>,
    state: Arc<FcmState>,
    addr: SocketAddr,
    /// The generated service-account key (PKCS#8 PEM).
    pub key_pem: String,
    task: JoinHandle<()>,
}

struct FcmState {
    recording: Arc<Recording>,
    public_key: DecodingKey,
    token_uri: String,
    issued: Mutex<HashSet<String>>,
    token_requests: AtomicUsize,
}

impl FcmStandIn {
    /// Generates a service-account key and starts serving.
    pub async fn start() -> Self {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256).unwrap();
        let public_key = DecodingKey::from_rsa_pem(key.public_key_pem().as_bytes()).unwrap();
        let recording = Arc::new(Recording::default());
        // The token URI names the port: bind before making the state.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(FcmState {
            recording: recording.clone(),
            public_key,
            token_uri: format!("http://{addr}/token"),
            issued: Mutex::new(HashSet::new()),
            token_requests: AtomicUsize::new(0),
        });
        let router = Router::new()
            .route("/token", post(fcm_token))
            .fallback(fcm_send)
            .with_state(state.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Self {
            recording,
            state,
            addr,
            key_pem: key.serialize_pem(),
            task,
        }
    }

    /// The endpoint to configure (`http://127.0.0.1:PORT`).
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The service account's `token_uri`.
    pub fn token_uri(&self) -> String {
        self.state.token_uri.clone()
    }

    /// Access tokens requested so far (valid requests only).
    pub fn token_requests(&self) -> usize {
        self.state.token_requests.load(Ordering::Relaxed)
    }

    /// The service-account key file's JSON.
    pub fn service_account_json(&self) -> Value {
        json!({
            "type": "service_account",
            "project_id": FCM_PROJECT,
            "private_key_id": "rcim-test-key",
            "private_key": self.key_pem,
            "client_email": FCM_CLIENT_EMAIL,
            "client_id": "1",
            "auth_uri": format!("{}/auth", self.endpoint()),
            "token_uri": self.token_uri(),
        })
    }
}

impl Deref for FcmStandIn {
    type Target = Recording;
    fn deref(&self) -> &Recording {
        &self.recording
    }
}

impl Drop for FcmStandIn {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(Deserialize)]
struct TokenRequest {
    grant_type: String,
    assertion: String,
}

/// The service-account flow: a JWT signed with the account's key, for our `token_uri`.
async fn fcm_token(State(state): State<Arc<FcmState>>, Form(req): Form<TokenRequest>) -> Response {
    let valid = req.grant_type == "urn:ietf:params:oauth:grant-type:jwt-bearer"
        && assertion_valid(&state, &req.assertion);
    if !valid {
        state.recording.auth_failed();
        let body = json!({"error": "invalid_grant", "error_description": "bad assertion"});
        return (StatusCode::BAD_REQUEST, Json(body)).into_response();
    }
    let n = state.token_requests.fetch_add(1, Ordering::Relaxed) + 1;
    let token = format!("ya29.stand-in-{n}");
    state.issued.lock().unwrap().insert(token.clone());
    Json(json!({"access_token": token, "expires_in": 3600, "token_type": "Bearer"})).into_response()
}

/// Checks an OAuth assertion: RS256 by the account's key, issued by the account for our
/// token URI and the FCM scope, not expired. Like Google's endpoint it accepts base64url
/// with or without padding (`gcp_auth` pads), so the signature is checked over the parts
/// as sent rather than through `jsonwebtoken::decode`.
fn assertion_valid(state: &FcmState, assertion: &str) -> bool {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    use base64::Engine as _;
    const B64: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let Some((message, signature)) = assertion.rsplit_once('.') else {
        return false;
    };
    let Some((header, claims)) = message.split_once('.') else {
        return false;
    };
    let decode =
        |part: &str| -> Option<Value> { serde_json::from_slice(&B64.decode(part).ok()?).ok() };
    let (Some(header), Some(claims)) = (decode(header), decode(claims)) else {
        return false;
    };
    let signed = jsonwebtoken::crypto::verify(
        signature.trim_end_matches('='),
        message.as_bytes(),
        &state.public_key,
        Algorithm::RS256,
    )
    .unwrap_or(false);
    let now = unix_secs();
    signed
        && header["alg"] == "RS256"
        && claims["iss"] == FCM_CLIENT_EMAIL
        && claims["aud"] == state.token_uri.as_str()
        && claims["scope"]
            .as_str()
            .is_some_and(|s| s.split(' ').any(|s| s == FCM_SCOPE))
        && claims["exp"].as_u64().is_some_and(|exp| exp > now)
        && claims["iat"].as_u64().is_some_and(|iat| iat <= now + 60)
}

fn fcm_error(status: StatusCode, api_status: &str, message: &str, details: Value) -> Response {
    let body = json!({"error": {
        "code": status.as_u16(), "message": message, "status": api_status, "details": details,
    }});
    (status, Json(body)).into_response()
}

async fn fcm_send(
    State(state): State<Arc<FcmState>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if uri.path() != format!("/v1/projects/{FCM_PROJECT}/messages:send") {
        let message = format!("no such method {}", uri.path());
        return fcm_error(
            StatusCode::BAD_REQUEST,
            "INVALID_ARGUMENT",
            &message,
            json!([]),
        );
    }
    let authorized = bearer(&headers).is_some_and(|t| state.issued.lock().unwrap().contains(t));
    if !authorized {
        state.recording.auth_failed();
        return fcm_error(
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            "Request had invalid authentication credentials.",
            json!([]),
        );
    }
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let token = body["message"]["token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    match state.recording.plan(&token).await {
        Answer::Accept => {
            state.recording.accept(Received {
                token,
                headers: header_map(&headers),
                body,
            });
            Json(json!({"name": format!("projects/{FCM_PROJECT}/messages/{}", unix_secs())}))
                .into_response()
        }
        Answer::Unregistered => fcm_error(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "Requested entity was not found.",
            json!([{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                    "errorCode": "UNREGISTERED"}]),
        ),
        Answer::Fail => fcm_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL",
            "Internal error encountered.",
            json!([{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                    "errorCode": "INTERNAL"}]),
        ),
        Answer::Throttle(secs) => {
            let mut answer = fcm_error(
                StatusCode::TOO_MANY_REQUESTS,
                "RESOURCE_EXHAUSTED",
                "Quota exceeded.",
                json!([{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                        "errorCode": "QUOTA_EXCEEDED"}]),
            );
            answer.headers_mut().insert("retry-after", secs.into());
            answer
        }
    }
}

/// Both stand-ins.
pub struct PushStandIns {
    pub apns: ApnsStandIn,
    pub fcm: FcmStandIn,
}

impl PushStandIns {
    /// Starts both.
    pub async fn start() -> Self {
        Self {
            apns: ApnsStandIn::start().await,
            fcm: FcmStandIn::start().await,
        }
    }

    /// Writes the credentials (`apns-key.p8`, `fcm-service-account.json`) and a push
    /// configuration file (`push.json`) naming both stand-ins into `dir`, and returns the
    /// file's path. Limits suit tests: 1 s per attempt, 3 attempts, 50 ms first retry
    /// delay, 8 sends in flight, 1,000 queued per provider.
    pub fn write_config(&self, dir: &Path) -> PathBuf {
        std::fs::write(dir.join("apns-key.p8"), &self.apns.key_pem).unwrap();
        let account = serde_json::to_vec_pretty(&self.fcm.service_account_json()).unwrap();
        std::fs::write(dir.join("fcm-service-account.json"), account).unwrap();
        let config = json!({
            "apns": {
                "keyFile": "apns-key.p8",
                "keyId": APNS_KEY_ID,
                "teamId": APNS_TEAM_ID,
                "topic": APNS_TOPIC,
                "endpoint": self.apns.endpoint(),
            },
            "fcm": {
                "serviceAccountFile": "fcm-service-account.json",
                "endpoint": self.fcm.endpoint(),
            },
            "requestTimeoutMs": 1000,
            "maxAttempts": 3,
            "retryBaseDelayMs": 50,
            "concurrency": 8,
            "queueCapacity": 1000,
        });
        let path = dir.join("push.json");
        std::fs::write(&path, serde_json::to_vec_pretty(&config).unwrap()).unwrap();
        path
    }

    /// [`Self::write_config`] loaded as the server loads it.
    pub fn config(&self, dir: &Path) -> PushConfig {
        PushConfig::from_file(self.write_config(dir)).expect("stand-in push config")
    }
}
