//! Abuse limits: every bound a hostile client or peer meets.

use std::time::Duration;

/// Connections, sessions, in-flight requests, rates, queue bytes, timeouts and bodies.
///
/// Loopback addresses are exempt from the per-IP limits by default
/// ([`Self::per_ip_exempt_loopback`]): a reverse proxy on the same host, the test suites and
/// the benchmarks all connect from 127.0.0.1; the overall limits still apply to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitsConfig {
    /// Gateway connections at the same time, logged in or not (default 100,000; 0 =
    /// unlimited). One more is closed at once, before any byte is read.
    pub max_connections: usize,
    /// Gateway connections from one IP address (an IPv6 client counts by its /64; default
    /// 64; 0 = unlimited).
    pub max_connections_per_ip: usize,
    /// HTTP connections at the same time on each HTTP listener (default 10,000; 0 =
    /// unlimited).
    pub http_max_connections: usize,
    /// HTTP connections from one IP address on each HTTP listener (default 64; 0 =
    /// unlimited).
    pub http_max_connections_per_ip: usize,
    /// Whether loopback clients skip the per-IP limits (default true).
    pub per_ip_exempt_loopback: bool,
    /// Time a new gateway connection has to send its `Connect` frame (default 10 s); separate
    /// from the idle timeout of logged-in connections (three heartbeats).
    pub login_timeout: Duration,
    /// Time an HTTP client has to send a request's headers (default 10 s); a connection
    /// that has not sent them by then is closed.
    pub http_header_timeout: Duration,
    /// Connections (devices) one user may have online at the same time (default 16; 0 =
    /// unlimited). A login beyond it is refused with ConnectAck 20604 (transient: the client
    /// retries later); a device reconnecting replaces its own session and is not counted
    /// twice.
    pub max_sessions_per_user: usize,
    /// Requests of one connection being executed at the same time (writes waiting for their
    /// commit, pages being read; default 256). At the cap the connection's next frames are
    /// not read until one completes: its client is held back by TCP flow control, and the
    /// server keeps at most this many tasks and requests of it in memory.
    pub max_in_flight_per_connection: usize,
    /// Sends one user may make per sliding second across all their connections (default
    /// 20; 20604 beyond). Never below `ServerConfig::send_rate_per_sec` (one connection's
    /// own), and not applied while that is 0: a server that lifts the per-connection send
    /// rate lifts this one too.
    pub user_send_rate_per_sec: u32,
    /// Other state-changing requests one user may make per sliding second across all their
    /// connections (default 200; 20604 beyond). Never below
    /// `ServerConfig::request_rate_per_sec`, and not applied while that is 0.
    pub user_request_rate_per_sec: u32,
    /// Bytes of frames one connection may have queued for writing (default 8 MiB; 0 =
    /// frames only). A connection whose queue holds this much (or
    /// [`crate::hub::OUTBOUND_QUEUE`] frames) is a slow reader: it is disconnected when a
    /// frame it must get does not fit, and misses droppable ones (chatroom low-priority
    /// messages, ultra-group events).
    pub max_outbound_bytes: usize,
    /// Largest request body of `/navi.json` (default 4 KiB; 413 beyond).
    pub navi_body_max_bytes: usize,
    /// Largest request body of the Server API (default 2 MiB, a 128 KB message
    /// percent-encoded fits; 413 beyond). Uploads stream their body and are capped by their
    /// ticket instead.
    pub api_body_max_bytes: usize,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            max_connections: 100_000,
            max_connections_per_ip: 64,
            http_max_connections: 10_000,
            http_max_connections_per_ip: 64,
            per_ip_exempt_loopback: true,
            login_timeout: Duration::from_secs(10),
            http_header_timeout: Duration::from_secs(10),
            max_sessions_per_user: 16,
            max_in_flight_per_connection: 256,
            user_send_rate_per_sec: 20,
            user_request_rate_per_sec: 200,
            max_outbound_bytes: 8 * 1024 * 1024,
            navi_body_max_bytes: 4 * 1024,
            api_body_max_bytes: 2 * 1024 * 1024,
        }
    }
}

impl LimitsConfig {
    /// The admission counters of the gateway listener.
    pub(crate) fn gateway_connections(&self) -> std::sync::Arc<crate::limits::Connections> {
        crate::limits::Connections::new(
            self.max_connections,
            self.max_connections_per_ip,
            self.per_ip_exempt_loopback,
        )
    }

    /// The admission counters of one HTTP listener (each listener has its own).
    pub(crate) fn http_connections(&self) -> std::sync::Arc<crate::limits::Connections> {
        crate::limits::Connections::new(
            self.http_max_connections,
            self.http_max_connections_per_ip,
            self.per_ip_exempt_loopback,
        )
    }
}
