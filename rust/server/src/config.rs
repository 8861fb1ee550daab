//! The server's configuration: built in code (tests) or from the command line.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything the server needs to start. No config file: build it in code or from the CLI.
#[derive(Clone)]
pub struct ServerConfig {
    /// Directory of the SQLite database (created if missing).
    pub data_dir: PathBuf,
    /// Client gateway address (port 0 = any free port).
    pub listen: SocketAddr,
    /// HTTP address: navigation and the Server API (port 0 = any free port).
    pub http: SocketAddr,
    /// The one app this server hosts.
    pub app_key: String,
    /// Secret of that app: signs tokens and Server API requests. Never sent to clients.
    pub app_secret: String,
    /// Expected seconds between client heartbeats; a connection silent for 3× this is closed.
    pub heartbeat_secs: u32,
    /// Days offline inbox entries are kept (0 = never pruned).
    pub offline_retention_days: u32,
    /// Accepted sends per connection in any sliding second (RongCloud: 5); beyond it a send
    /// is answered 20604. 0 = unlimited.
    pub send_rate_per_sec: u32,
    /// Accepted recalls, read receipts and conversation settings together per connection in
    /// any sliding second (default 50); beyond it they are answered 20604. 0 = unlimited.
    /// Under either limit, a resend of a request already executed still gets its original
    /// answer and does not count.
    pub request_rate_per_sec: u32,
}

impl std::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerConfig")
            .field("data_dir", &self.data_dir)
            .field("listen", &self.listen)
            .field("http", &self.http)
            .field("app_key", &self.app_key)
            .field("app_secret", &"<redacted>")
            .field("heartbeat_secs", &self.heartbeat_secs)
            .field("offline_retention_days", &self.offline_retention_days)
            .field("send_rate_per_sec", &self.send_rate_per_sec)
            .field("request_rate_per_sec", &self.request_rate_per_sec)
            .finish()
    }
}

impl ServerConfig {
    /// A config with defaults: gateway and HTTP on `127.0.0.1:0`, 30 s heartbeat, 7 days of
    /// offline storage, 5 sends and 50 other state-changing requests per second.
    pub fn new(
        data_dir: impl Into<PathBuf>,
        app_key: impl Into<String>,
        app_secret: impl Into<String>,
    ) -> Self {
        let any_port = SocketAddr::from(([127, 0, 0, 1], 0));
        Self {
            data_dir: data_dir.into(),
            listen: any_port,
            http: any_port,
            app_key: app_key.into(),
            app_secret: app_secret.into(),
            heartbeat_secs: 30,
            offline_retention_days: 7,
            send_rate_per_sec: 5,
            request_rate_per_sec: 50,
        }
    }
}
