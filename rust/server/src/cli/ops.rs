//! Operations: the address navigation hands out, the admin listener, the log format.

use crate::config::ServerConfig;
use std::net::SocketAddr;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line (for log collectors).
    Json,
}

/// Options of this group; each also reads an `RCIM_*` environment variable.
#[derive(Debug, clap::Args)]
pub(super) struct OpsArgs {
    /// The gateway address navigation hands out, when clients reach the gateway through NAT,
    /// a load balancer or a proxy at another address than `--listen`: HOST:PORT (TLS when
    /// this server has a certificate), or tls://HOST:PORT (e.g. a TLS-terminating proxy in
    /// front of a plain gateway) or tcp://HOST:PORT to say the scheme explicitly.
    #[arg(long, env = "RCIM_PUBLIC_GATEWAY")]
    public_gateway: Option<String>,
    /// A separate HTTP address for the Server API and /metrics; `--http` then serves only
    /// navigation, media and the health checks. Unset: all on `--http`.
    #[arg(long, env = "RCIM_ADMIN_HTTP")]
    admin_http: Option<SocketAddr>,
    /// Serve /metrics on `--http` too (it shows online users, connections and Server API
    /// and push figures to whoever asks). Unset: /metrics only on `--admin-http`.
    #[arg(long, env = "RCIM_METRICS_PUBLIC")]
    metrics_public: bool,
    /// Log line format.
    #[arg(long, env = "RCIM_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
}

impl OpsArgs {
    /// The log line format.
    pub(super) fn log_format(&self) -> LogFormat {
        self.log_format
    }

    pub(super) fn apply(self, config: &mut ServerConfig) -> anyhow::Result<()> {
        config.ops.public_gateway = self.public_gateway;
        config.ops.admin_http = self.admin_http;
        config.ops.metrics_public = self.metrics_public;
        config.ops.validate()
    }
}
