//! Abuse limits: connections, sessions, rates, queues, timeouts and bodies (see
//! [`crate::config::LimitsConfig`] for what each bounds and its default).

use crate::config::ServerConfig;
use std::time::Duration;

/// Options of this group; each also reads an `RCIM_*` environment variable.
#[derive(Debug, clap::Args)]
pub(super) struct LimitArgs {
    /// Gateway connections at the same time (0 = unlimited).
    #[arg(long, env = "RCIM_MAX_CONNECTIONS", default_value_t = 100_000)]
    max_connections: usize,
    /// Gateway connections from one IP address (0 = unlimited).
    #[arg(long, env = "RCIM_MAX_CONNECTIONS_PER_IP", default_value_t = 64)]
    max_connections_per_ip: usize,
    /// HTTP connections at the same time, per HTTP listener (0 = unlimited).
    #[arg(long, env = "RCIM_HTTP_MAX_CONNECTIONS", default_value_t = 10_000)]
    http_max_connections: usize,
    /// HTTP connections from one IP address, per HTTP listener (0 = unlimited).
    #[arg(long, env = "RCIM_HTTP_MAX_CONNECTIONS_PER_IP", default_value_t = 64)]
    http_max_connections_per_ip: usize,
    /// Apply the per-IP limits to loopback clients too (by default they are exempt).
    #[arg(long, env = "RCIM_LIMIT_LOOPBACK")]
    limit_loopback: bool,
    /// Seconds a new gateway connection has to send its Connect frame.
    #[arg(long, env = "RCIM_LOGIN_TIMEOUT_SECS", default_value_t = 10)]
    login_timeout_secs: u64,
    /// Seconds an HTTP client has to send a request's headers.
    #[arg(long, env = "RCIM_HTTP_HEADER_TIMEOUT_SECS", default_value_t = 10)]
    http_header_timeout_secs: u64,
    /// Connections one user may have online (0 = unlimited; beyond: ConnectAck 20604).
    #[arg(long, env = "RCIM_MAX_SESSIONS_PER_USER", default_value_t = 16)]
    max_sessions_per_user: usize,
    /// Requests one connection may have executing at once (beyond: its reading pauses).
    #[arg(long, env = "RCIM_MAX_IN_FLIGHT", default_value_t = 256)]
    max_in_flight: usize,
    /// Sends per user per second across their connections (0 = unlimited).
    #[arg(long, env = "RCIM_USER_SEND_RATE", default_value_t = 20)]
    user_send_rate: u32,
    /// Other state-changing requests per user per second across their connections
    /// (0 = unlimited).
    #[arg(long, env = "RCIM_USER_REQUEST_RATE", default_value_t = 200)]
    user_request_rate: u32,
    /// Bytes of frames one connection may have queued for writing before it counts as a
    /// slow reader (0 = frames only).
    #[arg(long, env = "RCIM_MAX_OUTBOUND_BYTES", default_value_t = 8 * 1024 * 1024)]
    max_outbound_bytes: usize,
    /// Largest /navi.json request body, bytes.
    #[arg(long, env = "RCIM_NAVI_BODY_MAX", default_value_t = 4 * 1024)]
    navi_body_max: usize,
    /// Largest Server API request body, bytes.
    #[arg(long, env = "RCIM_API_BODY_MAX", default_value_t = 2 * 1024 * 1024)]
    api_body_max: usize,
}

impl LimitArgs {
    pub(super) fn apply(self, config: &mut ServerConfig) -> anyhow::Result<()> {
        if self.login_timeout_secs == 0 || self.http_header_timeout_secs == 0 {
            anyhow::bail!("the login and header timeouts must be at least 1 second");
        }
        let l = &mut config.limits;
        l.max_connections = self.max_connections;
        l.max_connections_per_ip = self.max_connections_per_ip;
        l.http_max_connections = self.http_max_connections;
        l.http_max_connections_per_ip = self.http_max_connections_per_ip;
        l.per_ip_exempt_loopback = !self.limit_loopback;
        l.login_timeout = Duration::from_secs(self.login_timeout_secs);
        l.http_header_timeout = Duration::from_secs(self.http_header_timeout_secs);
        l.max_sessions_per_user = self.max_sessions_per_user;
        l.max_in_flight_per_connection = self.max_in_flight;
        l.user_send_rate_per_sec = self.user_send_rate;
        l.user_request_rate_per_sec = self.user_request_rate;
        l.max_outbound_bytes = self.max_outbound_bytes;
        l.navi_body_max_bytes = self.navi_body_max;
        l.api_body_max_bytes = self.api_body_max;
        Ok(())
    }
}
