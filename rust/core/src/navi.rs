//! Navigation: asks the server's HTTP endpoint (`naviServer`) which gateway to connect to.

use serde::Deserialize;
use std::time::Duration;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NaviReply {
    code: i64,
    #[serde(default)]
    server: String,
    #[serde(default)]
    servers: Vec<String>,
}

/// Why navigation failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum NaviError {
    /// Network error or bad reply: retry later.
    #[error("navigation request failed: {0}")]
    Transient(String),
    /// The server refused the app key.
    #[error("navigation refused with code {0}")]
    Refused(i64),
}

/// Normalises a `naviServer` option into a base URL (`http://` is assumed without a scheme).
pub(crate) fn base_url(navi_server: &str) -> String {
    let trimmed = navi_server.trim().trim_end_matches('/');
    if trimmed.starts_with("http://") || trimmed.starts_with("https://") {
        trimmed.to_string()
    } else {
        format!("http://{trimmed}")
    }
}

/// Fetches the gateway addresses (`host:port`) for `app_key`.
pub(crate) async fn fetch_gateways(
    client: &reqwest::Client,
    navi_server: &str,
    app_key: &str,
) -> Result<Vec<String>, NaviError> {
    let mut url = reqwest::Url::parse(&format!("{}/navi.json", base_url(navi_server)))
        .map_err(|e| NaviError::Transient(format!("bad naviServer: {e}")))?;
    url.query_pairs_mut().append_pair("appKey", app_key);
    let reply: NaviReply = client
        .get(url)
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .map_err(|e| NaviError::Transient(e.to_string()))?
        .json()
        .await
        .map_err(|e| NaviError::Transient(e.to_string()))?;
    if reply.code != 200 {
        return Err(NaviError::Refused(reply.code));
    }
    let mut servers = reply.servers;
    if servers.is_empty() && !reply.server.is_empty() {
        servers.push(reply.server);
    }
    if servers.is_empty() {
        return Err(NaviError::Transient(
            "no gateway in navigation reply".into(),
        ));
    }
    Ok(servers)
}
