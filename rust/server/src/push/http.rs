//! What the provider clients share: the HTTP/2 client, reading an answer's `Retry-After` and
//! what a failed request means.

use super::SendOutcome;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use std::time::Duration;

/// An HTTP client for one provider endpoint. `https://` negotiates HTTP/2 through ALPN over
/// rustls; `http://` (a local stand-in) speaks HTTP/2 with prior knowledge, as APNs only
/// speaks HTTP/2. Attempt timeouts are the dispatcher's; only connecting is bounded here.
pub(crate) fn client(endpoint: &str) -> anyhow::Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .http2_keep_alive_interval(Duration::from_secs(60))
        .http2_keep_alive_while_idle(true);
    if endpoint.starts_with("http://") {
        builder = builder.http2_prior_knowledge();
    }
    Ok(builder.build()?)
}

/// The `Retry-After` of an answer, when given in seconds.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// What a failed request means: a request that could not even be built (an invalid header
/// value, say) fails the same way every time and is rejected; a transport failure
/// (connection refused, reset, TLS, timeout) is retried.
pub(crate) fn failed_request(e: reqwest::Error) -> SendOutcome {
    if e.is_builder() {
        SendOutcome::Rejected(format!("invalid request: {}", transport_reason(e)))
    } else {
        SendOutcome::Retry {
            reason: transport_reason(e),
            retry_after: None,
        }
    }
}

/// Describes a request failure for logs, without its URL: an APNs URL ends in the device's
/// token, which logs must not hold.
pub(crate) fn transport_reason(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut reason = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        reason.push_str(": ");
        reason.push_str(&s.to_string());
        source = s.source();
    }
    reason
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn failures_name_no_url_and_bad_requests_are_rejected() {
        // Nothing listens on port 9 of localhost: a transport failure, retried, and its
        // reason does not hold the URL (an APNs URL ends in the device token).
        let client = client("http://127.0.0.1:9").unwrap();
        let e = client
            .post("http://127.0.0.1:9/3/device/secrettoken")
            .send()
            .await
            .unwrap_err();
        match failed_request(e) {
            SendOutcome::Retry { reason, .. } => {
                assert!(!reason.contains("secrettoken"), "{reason}")
            }
            other => panic!("expected a retry, got {other:?}"),
        }
        // An invalid header value fails every time: rejected, not retried.
        let e = client
            .post("http://127.0.0.1:9/3/device/secrettoken")
            .header("apns-collapse-id", "a\nb")
            .send()
            .await
            .unwrap_err();
        match failed_request(e) {
            SendOutcome::Rejected(reason) => assert!(!reason.contains("secrettoken"), "{reason}"),
            other => panic!("expected a rejection, got {other:?}"),
        }
    }
}
