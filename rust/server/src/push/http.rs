//! What the provider clients share: the HTTP/2 client and reading an answer's `Retry-After`.

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

/// Describes a transport failure (connection refused, reset, TLS) for logs.
pub(crate) fn transport_reason(e: &reqwest::Error) -> String {
    let mut reason = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        reason.push_str(": ");
        reason.push_str(&s.to_string());
        source = s.source();
    }
    reason
}
