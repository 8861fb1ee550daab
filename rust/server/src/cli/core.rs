//! The basic options: where data lives, what to listen on, the app, retention and the message rules.

use crate::config::ServerConfig;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Data directory, listeners, the app, retentions, rates and message rules.
#[derive(Debug, clap::Args)]
pub(super) struct CoreArgs {
    /// Directory of the embedded database and of uploaded media (`media/`).
    #[arg(long, env = "RCIM_DATA_DIR", default_value = "./rcim-data")]
    data_dir: PathBuf,
    /// Client gateway address.
    #[arg(long, env = "RCIM_LISTEN", default_value = "0.0.0.0:8100")]
    listen: SocketAddr,
    /// HTTP address: navigation, the Server API and the file service.
    #[arg(long, env = "RCIM_HTTP", default_value = "0.0.0.0:8101")]
    http: SocketAddr,
    /// The app key this server hosts.
    #[arg(long, env = "RCIM_APP_KEY")]
    app_key: String,
    /// The app secret (signs tokens and Server API requests).
    #[arg(long, env = "RCIM_APP_SECRET", hide_env_values = true)]
    app_secret: String,
    /// Expected seconds between client heartbeats.
    #[arg(long, env = "RCIM_HEARTBEAT_SECS", default_value_t = 30)]
    heartbeat_secs: u32,
    /// Days offline messages are kept (0 = forever).
    #[arg(long, env = "RCIM_OFFLINE_RETENTION_DAYS", default_value_t = 7)]
    offline_retention_days: u32,
    /// Sends per connection per second (0 = unlimited).
    #[arg(long, env = "RCIM_SEND_RATE", default_value_t = 5)]
    send_rate_per_sec: u32,
    /// Recalls, read receipts, conversation settings and media upload tickets per connection
    /// per second (0 = unlimited).
    #[arg(long, env = "RCIM_REQUEST_RATE", default_value_t = 50)]
    request_rate_per_sec: u32,
    /// Days the cloud history is kept (0 = forever).
    #[arg(long, env = "RCIM_HISTORY_RETENTION_DAYS", default_value_t = 180)]
    history_retention_days: u32,
    /// Days of inbox entries a new device or a reinstall receives (0..=7; 0 = none).
    #[arg(long, env = "RCIM_OFFLINE_COMPENSATION_DAYS", default_value_t = 1)]
    offline_compensation_days: u32,
    /// Only a message's sender may recall it (others get 25107).
    #[arg(long, env = "RCIM_RECALL_ONLY_SENDER")]
    recall_only_sender: bool,
    /// Most sensitive words (`/sensitiveword/add.json`; beyond: 1016).
    #[arg(long, env = "RCIM_SENSITIVE_WORD_LIMIT", default_value_t = 50)]
    sensitive_word_limit: usize,
    /// Object names the sensitive-word filter screens besides RC:TxtMsg (every top-level
    /// string of their JSON content); comma-separated or repeated.
    #[arg(long, env = "RCIM_SENSITIVE_WORD_OBJECT_NAMES", value_delimiter = ',')]
    sensitive_word_object_name: Vec<String>,
    /// Most conversations a user may pin or set a level for (beyond: 20605).
    #[arg(long, env = "RCIM_MAX_CONVERSATION_SETTINGS", default_value_t = 10_000)]
    max_conversation_settings: usize,
    /// Offline push providers (APNs, FCM) and their limits: a JSON file (see
    /// `PushConfig::from_file`); without it no push is sent.
    #[arg(long, env = "RCIM_PUSH_CONFIG")]
    push_config: Option<PathBuf>,
    /// Log filter (RUST_LOG syntax), e.g. `info,rcim_server=debug`.
    #[arg(long, env = "RUST_LOG", default_value = "info")]
    log: String,
}

impl CoreArgs {
    /// The log filter (`RUST_LOG` syntax).
    pub(super) fn log(&self) -> &str {
        &self.log
    }

    /// The config these options describe, before the other groups apply theirs.
    pub(super) fn into_config(self) -> anyhow::Result<ServerConfig> {
        let mut config = ServerConfig::new(self.data_dir, self.app_key, self.app_secret);
        config.listen = self.listen;
        config.http = self.http;
        config.heartbeat_secs = self.heartbeat_secs;
        config.offline_retention_days = self.offline_retention_days;
        config.send_rate_per_sec = self.send_rate_per_sec;
        config.request_rate_per_sec = self.request_rate_per_sec;
        config.history_retention_days = self.history_retention_days;
        config.offline_compensation_days = self.offline_compensation_days;
        config.recall_only_sender = self.recall_only_sender;
        config.sensitive_word_limit = self.sensitive_word_limit;
        config.sensitive_word_object_names = self.sensitive_word_object_name;
        config.max_conversation_settings = self.max_conversation_settings;
        if let Some(path) = &self.push_config {
            config.push = crate::push::PushConfig::from_file(path)?;
        }
        Ok(config)
    }
}
