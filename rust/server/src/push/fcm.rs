//! FCM HTTP v1 client: `POST {endpoint}/v1/projects/{project}/messages:send` with an OAuth 2
//! access token of the service account. `gcp_auth` makes the tokens (a JWT signed with the
//! account's key, exchanged at the key file's `token_uri`) and caches them until shortly
//! before they expire.

use super::config::FcmConfig;
use super::http;
use super::{Notification, ProviderKind, PushProvider, SendOutcome};
use futures::future::BoxFuture;
use gcp_auth::{CustomServiceAccount, TokenProvider};
use reqwest::StatusCode;
use serde_json::{json, Map, Value};
use std::time::Duration;

/// The OAuth scope of sending FCM messages.
const SCOPE: &str = "https://www.googleapis.com/auth/firebase.messaging";

/// The FCM client.
pub struct FcmProvider {
    client: reqwest::Client,
    /// The full `messages:send` URL.
    url: String,
    auth: CustomServiceAccount,
}

impl FcmProvider {
    /// A client for `config` (its key was checked when the configuration was loaded).
    pub fn new(config: &FcmConfig) -> anyhow::Result<Self> {
        let auth = CustomServiceAccount::from_json(&config.service_account_json)
            .map_err(|e| anyhow::anyhow!("FCM service account: {e}"))?;
        Ok(Self {
            client: http::client(&config.endpoint)?,
            url: format!(
                "{}/v1/projects/{}/messages:send",
                config.endpoint, config.project_id
            ),
            auth,
        })
    }

    async fn send_once(&self, n: &Notification) -> SendOutcome {
        let token = match self.auth.token(&[SCOPE]).await {
            Ok(token) => token,
            // The token endpoint failing is as temporary as FCM failing.
            Err(e) => {
                return SendOutcome::Retry {
                    reason: format!("FCM access token: {e}"),
                    retry_after: None,
                }
            }
        };
        let response = match self
            .client
            .post(&self.url)
            .bearer_auth(token.as_str())
            .json(&payload(n))
            .send()
            .await
        {
            Ok(response) => response,
            Err(e) => return http::failed_request(e),
        };
        let status = response.status();
        if status.is_success() {
            return SendOutcome::Delivered;
        }
        let retry_after = http::retry_after(response.headers());
        let body = response.json::<Value>().await.unwrap_or(Value::Null);
        outcome(status, &body, retry_after)
    }
}

impl PushProvider for FcmProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Fcm
    }

    fn send<'a>(&'a self, n: &'a Notification) -> BoxFuture<'a, SendOutcome> {
        Box::pin(self.send_once(n))
    }
}

/// What an FCM error answer (`{"error":{"code","message","status","details"}}`) means.
fn outcome(status: StatusCode, body: &Value, retry_after: Option<Duration>) -> SendOutcome {
    let error = &body["error"];
    let api_status = error["status"].as_str().unwrap_or_default();
    let message = error["message"].as_str().unwrap_or_default();
    let details = error["details"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    // FCM's own code (`FcmError.errorCode`) is more precise than the API status.
    let fcm_code = details
        .iter()
        .find_map(|d| d["errorCode"].as_str())
        .unwrap_or(api_status);
    let described = format!("FCM {}: {fcm_code} {message}", status.as_u16());
    // Only FCM's own word that the token is gone removes it: a bare 404 (a proxy, a wrong
    // endpoint) must not forget every token it is asked about, and an INVALID_ARGUMENT may
    // be about any field.
    if fcm_code == "UNREGISTERED" || api_status == "NOT_FOUND" {
        SendOutcome::Unregistered
    } else if status == StatusCode::TOO_MANY_REQUESTS
        || status.is_server_error()
        || matches!(fcm_code, "UNAVAILABLE" | "INTERNAL" | "QUOTA_EXCEEDED")
    {
        SendOutcome::Retry {
            reason: described,
            retry_after,
        }
    } else {
        SendOutcome::Rejected(described)
    }
}

/// The v1 message: the visible notification, the Android fields and the data keys (`rc` as
/// JSON text, as FCM data values are strings).
fn payload(n: &Notification) -> Value {
    let mut notification = Map::new();
    if !n.title.is_empty() {
        notification.insert("title".into(), json!(n.title));
    }
    notification.insert("body".into(), json!(n.body));
    if !n.android.image_url.is_empty() {
        notification.insert("image".into(), json!(n.android.image_url));
    }
    let mut android_notification = Map::new();
    if !n.android.channel_id.is_empty() {
        android_notification.insert("channel_id".into(), json!(n.android.channel_id));
    }
    if !n.android.notification_id.is_empty() {
        android_notification.insert("tag".into(), json!(n.android.notification_id));
    }
    if let Some(badge) = n.badge {
        android_notification.insert("notification_count".into(), json!(badge));
    }
    let mut android = Map::new();
    if !n.android.collapse_key.is_empty() {
        android.insert("collapse_key".into(), json!(n.android.collapse_key));
    }
    android.insert("notification".into(), Value::Object(android_notification));
    let mut data = Map::new();
    if !n.rc.is_null() {
        data.insert("rc".into(), json!(n.rc.to_string()));
    }
    if !n.data.is_empty() {
        data.insert("appData".into(), json!(n.data));
    }
    let mut message = Map::new();
    message.insert("token".into(), json!(n.token));
    message.insert("notification".into(), Value::Object(notification));
    message.insert("android".into(), Value::Object(android));
    if !data.is_empty() {
        message.insert("data".into(), Value::Object(data));
    }
    json!({ "message": message })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(code: u16, status: &str, message: &str, details: Value) -> Value {
        json!({"error": {"code": code, "status": status, "message": message, "details": details}})
    }

    #[test]
    fn error_answers_map_to_outcomes() {
        let unregistered = error(
            404,
            "NOT_FOUND",
            "Requested entity was not found.",
            json!([{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                    "errorCode": "UNREGISTERED"}]),
        );
        assert_eq!(
            outcome(StatusCode::NOT_FOUND, &unregistered, None),
            SendOutcome::Unregistered
        );
        let bad_token = error(
            400,
            "INVALID_ARGUMENT",
            "The registration token is not a valid FCM registration token",
            json!([]),
        );
        assert!(matches!(
            outcome(StatusCode::BAD_REQUEST, &bad_token, None),
            SendOutcome::Rejected(_)
        ));
        let bad_field = error(
            400,
            "INVALID_ARGUMENT",
            "Invalid value at 'message.android.notification.channel_id'",
            json!([{"@type": "type.googleapis.com/google.rpc.BadRequest",
                    "fieldViolations": [{"field": "message.android.notification.channel_id"}]}]),
        );
        assert!(matches!(
            outcome(StatusCode::BAD_REQUEST, &bad_field, None),
            SendOutcome::Rejected(_)
        ));
        let busy = error(429, "RESOURCE_EXHAUSTED", "quota", json!([]));
        assert_eq!(
            outcome(
                StatusCode::TOO_MANY_REQUESTS,
                &busy,
                Some(Duration::from_secs(7))
            ),
            SendOutcome::Retry {
                reason: "FCM 429: RESOURCE_EXHAUSTED quota".into(),
                retry_after: Some(Duration::from_secs(7)),
            }
        );
        let down = error(503, "UNAVAILABLE", "", json!([]));
        assert!(matches!(
            outcome(StatusCode::SERVICE_UNAVAILABLE, &down, None),
            SendOutcome::Retry { .. }
        ));
        assert!(matches!(
            outcome(StatusCode::UNAUTHORIZED, &Value::Null, None),
            SendOutcome::Rejected(_)
        ));
        // A 404 with FCM's NOT_FOUND status but no FcmError detail: the token is gone.
        let not_found = error(
            404,
            "NOT_FOUND",
            "Requested entity was not found.",
            json!([]),
        );
        assert_eq!(
            outcome(StatusCode::NOT_FOUND, &not_found, None),
            SendOutcome::Unregistered
        );
        // A bare 404 (a proxy's HTML page, a wrong endpoint) removes nothing.
        assert!(matches!(
            outcome(StatusCode::NOT_FOUND, &Value::Null, None),
            SendOutcome::Rejected(_)
        ));
        let other = json!({"error": {"code": 404, "status": "NOT_FOUND_PROXY"}});
        assert!(matches!(
            outcome(StatusCode::NOT_FOUND, &other, None),
            SendOutcome::Rejected(_)
        ));
    }
}
