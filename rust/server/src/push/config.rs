//! Push provider configuration, loaded from a JSON file at start.
//!
//! ```json
//! {
//!   "apns": {"keyFile": "AuthKey_ABC123.p8", "keyId": "ABC123", "teamId": "TEAM123",
//!            "topic": "com.example.app", "voipTopic": "com.example.app.voip",
//!            "endpoint": "https://api.push.apple.com"},
//!   "fcm": {"serviceAccountFile": "service-account.json", "endpoint": "https://fcm.googleapis.com"},
//!   "defaultLanguage": "zh_CN", "queueCapacity": 10000, "concurrency": 32,
//!   "maxAttempts": 5, "requestTimeoutMs": 10000, "retryBaseDelayMs": 500
//! }
//! ```
//! Every provider is optional; relative credential paths are resolved against the
//! configuration file's directory. The credential files are read and checked here (a key
//! that cannot sign is a start error), so a bad deployment fails at start, not at the first
//! push.

use anyhow::{bail, Context as _};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Apple's production endpoint.
pub const APNS_ENDPOINT: &str = "https://api.push.apple.com";
/// Google's FCM endpoint.
pub const FCM_ENDPOINT: &str = "https://fcm.googleapis.com";

/// Which push providers the server sends through, with their credentials and limits.
/// `Default` = no provider: pushes are decided and dropped (logged at debug).
#[derive(Debug, Clone)]
pub struct PushConfig {
    /// APNs (token-based auth); `None` = iOS devices get no push.
    pub apns: Option<ApnsConfig>,
    /// FCM HTTP v1; `None` = Android devices get no push.
    pub fcm: Option<FcmConfig>,
    /// Language of receivers that never chose one (`changePushLanguage`); default `zh_CN`.
    pub default_language: String,
    /// Notifications waiting per provider; beyond it new ones are dropped and counted.
    pub queue_capacity: usize,
    /// Sends in flight per provider.
    pub concurrency: usize,
    /// Attempts per notification, the first included (at least 1).
    pub max_attempts: u32,
    /// Longest wait for one attempt's answer; past it the attempt counts as a temporary
    /// failure.
    pub request_timeout: Duration,
    /// First delay before a retry; it doubles per attempt (with jitter, at most a minute).
    pub retry_base_delay: Duration,
}

impl Default for PushConfig {
    fn default() -> Self {
        Self {
            apns: None,
            fcm: None,
            default_language: "zh_CN".into(),
            queue_capacity: 10_000,
            concurrency: 32,
            max_attempts: 5,
            request_timeout: Duration::from_secs(10),
            retry_base_delay: Duration::from_millis(500),
        }
    }
}

/// APNs token-based authentication and topics.
#[derive(Clone)]
pub struct ApnsConfig {
    /// The `.p8` signing key (PKCS#8 PEM, P-256), checked to sign ES256.
    pub key_pem: String,
    /// The key's id (JWT `kid`).
    pub key_id: String,
    /// The Apple developer team (JWT `iss`).
    pub team_id: String,
    /// The app's bundle id (`apns-topic` of alert pushes).
    pub topic: String,
    /// Topic of VoIP pushes; default `<topic>.voip`.
    pub voip_topic: String,
    /// Base URL without trailing `/`: `https://` negotiates HTTP/2 over TLS, `http://` uses
    /// HTTP/2 with prior knowledge (a local stand-in).
    pub endpoint: String,
}

impl fmt::Debug for ApnsConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApnsConfig")
            .field("key_pem", &"<redacted>")
            .field("key_id", &self.key_id)
            .field("team_id", &self.team_id)
            .field("topic", &self.topic)
            .field("voip_topic", &self.voip_topic)
            .field("endpoint", &self.endpoint)
            .finish()
    }
}

/// FCM HTTP v1 with a service account.
#[derive(Clone)]
pub struct FcmConfig {
    /// The service-account key file's JSON text (its `token_uri` is where access tokens
    /// come from).
    pub service_account_json: String,
    /// The key file's `project_id` (part of the send URL).
    pub project_id: String,
    /// Base URL without trailing `/` (as for APNs).
    pub endpoint: String,
}

impl fmt::Debug for FcmConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FcmConfig")
            .field("service_account_json", &"<redacted>")
            .field("project_id", &self.project_id)
            .field("endpoint", &self.endpoint)
            .finish()
    }
}

/// The file's shape.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FileConfig {
    apns: Option<FileApns>,
    fcm: Option<FileFcm>,
    default_language: Option<String>,
    queue_capacity: Option<usize>,
    concurrency: Option<usize>,
    max_attempts: Option<u32>,
    request_timeout_ms: Option<u64>,
    retry_base_delay_ms: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FileApns {
    key_file: PathBuf,
    key_id: String,
    team_id: String,
    topic: String,
    voip_topic: Option<String>,
    endpoint: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FileFcm {
    service_account_file: PathBuf,
    endpoint: Option<String>,
}

/// The fields of a service-account key file that FCM needs.
#[derive(Deserialize)]
struct ServiceAccount {
    project_id: Option<String>,
    client_email: Option<String>,
    private_key: Option<String>,
    token_uri: Option<String>,
}

impl PushConfig {
    /// Reads the configuration file and the credential files it names, and checks them.
    pub fn from_file(path: impl AsRef<Path>) -> anyhow::Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read push config {}", path.display()))?;
        let file: FileConfig = serde_json::from_str(&text)
            .with_context(|| format!("push config {} is not valid", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        let defaults = Self::default();
        let config = Self {
            apns: file.apns.map(|a| load_apns(a, base)).transpose()?,
            fcm: file.fcm.map(|f| load_fcm(f, base)).transpose()?,
            default_language: file.default_language.unwrap_or(defaults.default_language),
            queue_capacity: file.queue_capacity.unwrap_or(defaults.queue_capacity),
            concurrency: file.concurrency.unwrap_or(defaults.concurrency),
            max_attempts: file.max_attempts.unwrap_or(defaults.max_attempts),
            request_timeout: file
                .request_timeout_ms
                .map_or(defaults.request_timeout, Duration::from_millis),
            retry_base_delay: file
                .retry_base_delay_ms
                .map_or(defaults.retry_base_delay, Duration::from_millis),
        };
        if config.queue_capacity == 0 || config.concurrency == 0 || config.max_attempts == 0 {
            bail!("push config: queueCapacity, concurrency and maxAttempts must be at least 1");
        }
        if config.request_timeout.is_zero() {
            bail!("push config: requestTimeoutMs must be at least 1");
        }
        Ok(config)
    }
}

fn load_apns(a: FileApns, base: &Path) -> anyhow::Result<ApnsConfig> {
    let key_path = base.join(&a.key_file);
    let key_pem = std::fs::read_to_string(&key_path)
        .with_context(|| format!("cannot read the APNs key file {}", key_path.display()))?;
    check_signing_key(&key_pem, Algorithm::ES256).with_context(|| {
        format!(
            "the APNs key file {} is not a P-256 private key (.p8)",
            key_path.display()
        )
    })?;
    for (name, value) in [
        ("keyId", &a.key_id),
        ("teamId", &a.team_id),
        ("topic", &a.topic),
    ] {
        if value.trim().is_empty() {
            bail!("push config: apns.{name} is empty");
        }
    }
    let voip_topic = a.voip_topic.unwrap_or_else(|| format!("{}.voip", a.topic));
    Ok(ApnsConfig {
        key_pem,
        key_id: a.key_id,
        team_id: a.team_id,
        topic: a.topic,
        voip_topic,
        endpoint: endpoint(a.endpoint, APNS_ENDPOINT, "apns")?,
    })
}

fn load_fcm(f: FileFcm, base: &Path) -> anyhow::Result<FcmConfig> {
    let path = base.join(&f.service_account_file);
    let json = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "cannot read the FCM service-account file {}",
            path.display()
        )
    })?;
    let account: ServiceAccount = serde_json::from_str(&json).with_context(|| {
        format!(
            "the FCM service-account file {} is not a key file",
            path.display()
        )
    })?;
    let missing = |name: &str| {
        anyhow::anyhow!(
            "the FCM service-account file {} has no {name}",
            path.display()
        )
    };
    let project_id = account.project_id.ok_or_else(|| missing("project_id"))?;
    account
        .client_email
        .ok_or_else(|| missing("client_email"))?;
    let token_uri = account.token_uri.ok_or_else(|| missing("token_uri"))?;
    if !(token_uri.starts_with("https://") || token_uri.starts_with("http://")) {
        bail!(
            "the FCM service-account file {} has a token_uri that is not a URL",
            path.display()
        );
    }
    let key = account.private_key.ok_or_else(|| missing("private_key"))?;
    check_signing_key(&key, Algorithm::RS256).with_context(|| {
        format!(
            "the private_key of the FCM service-account file {} is not an RSA key",
            path.display()
        )
    })?;
    Ok(FcmConfig {
        service_account_json: json,
        project_id,
        endpoint: endpoint(f.endpoint, FCM_ENDPOINT, "fcm")?,
    })
}

/// Signs a throwaway token: the only check that the key really works for `alg`.
fn check_signing_key(pem: &str, alg: Algorithm) -> anyhow::Result<()> {
    let key = match alg {
        Algorithm::ES256 => EncodingKey::from_ec_pem(pem.as_bytes())?,
        _ => EncodingKey::from_rsa_pem(pem.as_bytes())?,
    };
    jsonwebtoken::encode(&Header::new(alg), &serde_json::json!({"check": 1}), &key)?;
    Ok(())
}

fn endpoint(value: Option<String>, default: &str, provider: &str) -> anyhow::Result<String> {
    let url = value.unwrap_or_else(|| default.to_string());
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        bail!("push config: {provider}.endpoint must be an http:// or https:// URL");
    }
    Ok(url.trim_end_matches('/').to_string())
}
