//! Server API security: replay protection and key separation.

use std::time::Duration;

/// How Server API requests are authenticated beyond the signature.
///
/// A RongCloud signature is `sha1(secret + Nonce + Timestamp)`: it binds the nonce and the
/// time but not the request, so a captured set of headers could be replayed against any
/// endpoint. With the window on, `Timestamp` (seconds or milliseconds since the epoch) must
/// be within [`Self::replay_window`] of the server's clock and each `(Timestamp, Nonce)`
/// pair is accepted once; both refusals are 1004.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiSecurityConfig {
    /// Largest difference between a request's `Timestamp` and the server's clock, either way
    /// (default 5 minutes). Zero turns replay protection off (no window, no nonce memory):
    /// for clients that reuse their headers, such as RongCloud's Node.js SDK, which signs
    /// once at start-up.
    pub replay_window: Duration,
    /// Most nonces remembered at once (default 1,000,000). Each is kept for the window; when
    /// the memory is full the oldest is forgotten and requests no newer than it are refused
    /// (logged as a warning), so a forgotten nonce can never be replayed. The sustained
    /// Server API rate this allows without refusing lagging clocks is
    /// `max_nonces / replay_window` (about 3,333 requests a second by default). An entry
    /// costs about 80 bytes with RongCloud's decimal nonces and at most about 200 bytes
    /// (a 128-byte nonce), so the default memory is about 80 MB, at worst 200 MB; only
    /// validly signed requests are remembered.
    pub max_nonces: usize,
}

impl Default for ApiSecurityConfig {
    fn default() -> Self {
        Self {
            replay_window: Duration::from_secs(300),
            max_nonces: 1_000_000,
        }
    }
}
