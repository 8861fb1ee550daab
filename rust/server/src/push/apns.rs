//! APNs client: HTTP/2 to `{endpoint}/3/device/{token}` with token-based authentication
//! (an ES256 JWT signed with the team's `.p8` key, renewed well before Apple's one-hour
//! limit).

use super::config::ApnsConfig;
use super::http;
use super::{Notification, ProviderKind, PushProvider, SendOutcome};
use futures::future::BoxFuture;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{json, Map, Value};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A provider token is reused this long (Apple rejects tokens older than an hour and
/// refreshes more often than every 20 minutes).
const TOKEN_LIFETIME: Duration = Duration::from_secs(50 * 60);

/// Largest APNs payload of an alert notification, in bytes (Apple's limit is 4096).
const MAX_PAYLOAD: usize = 4096;

/// How long APNs keeps trying to reach an offline device (`apns-expiration`).
const EXPIRATION: Duration = Duration::from_secs(24 * 3600);

/// The APNs client.
pub struct ApnsProvider {
    client: reqwest::Client,
    endpoint: String,
    topic: String,
    voip_topic: String,
    key_id: String,
    team_id: String,
    key: EncodingKey,
    /// The current provider token and when it was made.
    token: Mutex<Option<(String, Instant)>>,
}

impl ApnsProvider {
    /// A client for `config` (its key was checked when the configuration was loaded).
    pub fn new(config: &ApnsConfig) -> anyhow::Result<Self> {
        Ok(Self {
            client: http::client(&config.endpoint)?,
            endpoint: config.endpoint.clone(),
            topic: config.topic.clone(),
            voip_topic: config.voip_topic.clone(),
            key_id: config.key_id.clone(),
            team_id: config.team_id.clone(),
            key: EncodingKey::from_ec_pem(config.key_pem.as_bytes())?,
            token: Mutex::new(None),
        })
    }

    /// The provider token: the cached one while it is young enough, else a new one.
    fn provider_token(&self) -> Result<String, String> {
        let mut cached = self.token.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((token, made)) = cached.as_ref() {
            if made.elapsed() < TOKEN_LIFETIME {
                return Ok(token.clone());
            }
        }
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(self.key_id.clone());
        let claims = json!({"iss": self.team_id, "iat": unix_now().as_secs()});
        let token = jsonwebtoken::encode(&header, &claims, &self.key)
            .map_err(|e| format!("cannot sign the APNs provider token: {e}"))?;
        *cached = Some((token.clone(), Instant::now()));
        Ok(token)
    }

    /// Forgets the provider token (APNs said it expired).
    fn drop_provider_token(&self) {
        *self.token.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    async fn send_once(&self, n: &Notification) -> SendOutcome {
        let token = match self.provider_token() {
            Ok(token) => token,
            Err(reason) => return SendOutcome::Rejected(reason),
        };
        let (topic, push_type) = if n.voip {
            (&self.voip_topic, "voip")
        } else {
            (&self.topic, "alert")
        };
        let expiration = (unix_now() + EXPIRATION).as_secs();
        let mut request = self
            .client
            .post(format!("{}/3/device/{}", self.endpoint, n.token))
            .bearer_auth(token)
            .header("apns-topic", topic)
            .header("apns-push-type", push_type)
            .header("apns-priority", "10")
            .header("apns-expiration", expiration.to_string())
            .json(&payload(n));
        if !n.ios.collapse_id.is_empty() {
            request = request.header("apns-collapse-id", &n.ios.collapse_id);
        }
        let response = match request.send().await {
            Ok(response) => response,
            Err(e) => return http::failed_request(e),
        };
        let status = response.status();
        if status.is_success() {
            return SendOutcome::Delivered;
        }
        let retry_after = http::retry_after(response.headers());
        let reason = response
            .json::<Value>()
            .await
            .ok()
            .and_then(|body| body.get("reason")?.as_str().map(str::to_string))
            .unwrap_or_default();
        if reason == "ExpiredProviderToken" {
            self.drop_provider_token();
        }
        outcome(status, reason, retry_after)
    }
}

impl PushProvider for ApnsProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Apns
    }

    fn send<'a>(&'a self, n: &'a Notification) -> BoxFuture<'a, SendOutcome> {
        Box::pin(self.send_once(n))
    }
}

/// What an APNs error answer means.
fn outcome(status: StatusCode, reason: String, retry_after: Option<Duration>) -> SendOutcome {
    let described = format!("APNs {}: {reason}", status.as_u16());
    if status == StatusCode::GONE || reason == "BadDeviceToken" || reason == "Unregistered" {
        SendOutcome::Unregistered
    } else if status == StatusCode::TOO_MANY_REQUESTS
        || status.is_server_error()
        // A provider token that expired is renewed on the next attempt.
        || reason == "ExpiredProviderToken"
    {
        SendOutcome::Retry {
            reason: described,
            retry_after,
        }
    } else {
        SendOutcome::Rejected(described)
    }
}

/// The APNs JSON payload: `aps` with the alert, badge, sound and iOS fields, then the
/// conversation (`rc`), the sender's data (`appData`) and the rich media URL beside it.
fn payload(n: &Notification) -> Value {
    let mut alert = Map::new();
    if !n.title.is_empty() {
        alert.insert("title".into(), json!(n.title));
    }
    alert.insert("body".into(), json!(n.body));
    let mut aps = Map::new();
    aps.insert("alert".into(), Value::Object(alert));
    if let Some(badge) = n.badge {
        aps.insert("badge".into(), json!(badge));
    }
    aps.insert("sound".into(), json!("default"));
    if !n.ios.thread_id.is_empty() {
        aps.insert("thread-id".into(), json!(n.ios.thread_id));
    }
    if !n.ios.category.is_empty() {
        aps.insert("category".into(), json!(n.ios.category));
    }
    if !n.ios.rich_media_uri.is_empty() {
        // Lets the app's notification service extension download the media.
        aps.insert("mutable-content".into(), json!(1));
    }
    let mut root = Map::new();
    root.insert("aps".into(), Value::Object(aps));
    if !n.rc.is_null() {
        root.insert("rc".into(), n.rc.clone());
    }
    if !n.ios.rich_media_uri.is_empty() {
        root.insert("richMediaUri".into(), json!(n.ios.rich_media_uri));
    }
    if !n.data.is_empty() {
        // The sender's data goes only if the payload stays within Apple's limit: the
        // notification matters more than its data.
        let without = Value::Object(root.clone()).to_string().len();
        // `,"appData":` and the JSON string of the data.
        let with = without + 11 + json!(n.data).to_string().len();
        if with <= MAX_PAYLOAD {
            root.insert("appData".into(), json!(n.data));
        } else {
            tracing::warn!(
                bytes = n.data.len(),
                "push data too large for an APNs payload; sent without it"
            );
        }
    }
    Value::Object(root)
}

fn unix_now() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notification(data: String) -> Notification {
        Notification {
            provider: ProviderKind::Apns,
            token: "t".into(),
            title: "T".into(),
            body: "B".into(),
            data,
            badge: Some(1),
            voip: false,
            rc: json!({"cType": "PR", "fId": "al"}),
            ios: Default::default(),
            android: Default::default(),
        }
    }

    #[test]
    fn push_data_beyond_the_payload_limit_is_dropped() {
        let small = payload(&notification("x".repeat(100)));
        assert_eq!(small["appData"], "x".repeat(100));
        assert!(small.to_string().len() <= MAX_PAYLOAD);
        let big = payload(&notification("x".repeat(MAX_PAYLOAD)));
        assert!(big.get("appData").is_none());
        assert_eq!(big["aps"]["alert"]["body"], "B");
        // Right at the limit: kept, and the payload is exactly within it.
        let base = payload(&notification(String::new())).to_string().len();
        let fits = MAX_PAYLOAD - base - 11 - 2;
        let at = payload(&notification("x".repeat(fits)));
        assert_eq!(at.to_string().len(), MAX_PAYLOAD);
        assert!(at.get("appData").is_some());
        assert!(payload(&notification("x".repeat(fits + 1)))
            .get("appData")
            .is_none());
    }

    #[test]
    fn error_answers_map_to_outcomes() {
        let gone = outcome(StatusCode::GONE, "Unregistered".into(), None);
        assert_eq!(gone, SendOutcome::Unregistered);
        let bad = outcome(StatusCode::BAD_REQUEST, "BadDeviceToken".into(), None);
        assert_eq!(bad, SendOutcome::Unregistered);
        let busy = outcome(
            StatusCode::TOO_MANY_REQUESTS,
            "TooManyRequests".into(),
            Some(Duration::from_secs(3)),
        );
        assert_eq!(
            busy,
            SendOutcome::Retry {
                reason: "APNs 429: TooManyRequests".into(),
                retry_after: Some(Duration::from_secs(3)),
            }
        );
        let down = outcome(StatusCode::SERVICE_UNAVAILABLE, String::new(), None);
        assert!(matches!(down, SendOutcome::Retry { .. }));
        let expired = outcome(StatusCode::FORBIDDEN, "ExpiredProviderToken".into(), None);
        assert!(matches!(expired, SendOutcome::Retry { .. }));
        let topic = outcome(
            StatusCode::BAD_REQUEST,
            "DeviceTokenNotForTopic".into(),
            None,
        );
        assert_eq!(
            topic,
            SendOutcome::Rejected("APNs 400: DeviceTokenNotForTopic".into())
        );
    }
}
