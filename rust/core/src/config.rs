//! Engine configuration: `RCIMIWEngineOptions` plus what the platform provides.

use serde::Deserialize;
use std::path::PathBuf;
use std::time::Duration;

/// The reconnect schedule of the seed: 0, 0.25, 0.5, 1, 2, 4, 8, 16, 32 s, then every 64 s.
pub const RECONNECT_SCHEDULE_MS: [u64; 9] = [0, 250, 500, 1000, 2000, 4000, 8000, 16000, 32000];

/// Delay after the schedule is exhausted.
pub const RECONNECT_STEADY_MS: u64 = 64_000;

/// The delay before reconnect attempt `attempt` (0-based).
pub fn reconnect_delay(attempt: usize) -> Duration {
    Duration::from_millis(
        RECONNECT_SCHEDULE_MS
            .get(attempt)
            .copied()
            .unwrap_or(RECONNECT_STEADY_MS),
    )
}

/// `RCIMIWEngineOptions` fields the engine uses (unknown fields are ignored).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EngineOptions {
    /// Navigation server base URL (`http://host:port`); the server answers with the gateway.
    #[serde(default)]
    pub navi_server: Option<String>,
    /// Media server base URL.
    #[serde(default)]
    pub file_server: Option<String>,
    /// Seed semantics: when reconnecting finds another mobile device online, give up (true) or
    /// kick it (false).
    #[serde(default)]
    pub kick_reconnect_device: Option<bool>,
}

/// Everything needed to create an engine.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// The app key.
    pub app_key: String,
    /// Navigation server base URL.
    pub navi_server: String,
    /// Directory under which the engine keeps one database per user.
    pub data_dir: PathBuf,
    /// See [`EngineOptions::kick_reconnect_device`].
    pub kick_reconnect_device: bool,
    /// How long a message may wait for a connection before it fails.
    pub send_timeout: Duration,
    /// How long to wait for a TCP connect or a `ConnectAck`.
    pub connect_step_timeout: Duration,
    /// Heartbeat interval override (the server's value is used when `None`).
    pub heartbeat: Option<Duration>,
    /// How many events may wait for the embedder in the engine's channel.
    pub event_queue_len: usize,
}

/// Default [`EngineConfig::event_queue_len`].
pub const DEFAULT_EVENT_QUEUE_LEN: usize = 10_000;

/// Default navigation server when the options name none.
pub const DEFAULT_NAVI_SERVER: &str = "http://127.0.0.1:8080";

impl EngineConfig {
    /// A configuration from `create(appKey, options)` and the platform's data directory.
    pub fn new(app_key: &str, options: &EngineOptions, data_dir: PathBuf) -> Self {
        Self {
            app_key: app_key.to_string(),
            navi_server: options
                .navi_server
                .clone()
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_NAVI_SERVER.to_string()),
            data_dir,
            kick_reconnect_device: options.kick_reconnect_device.unwrap_or(false),
            send_timeout: Duration::from_secs(30),
            connect_step_timeout: Duration::from_secs(10),
            heartbeat: None,
            event_queue_len: DEFAULT_EVENT_QUEUE_LEN,
        }
    }

    /// The database file of `user_id`.
    pub fn database_path(&self, user_id: &str) -> PathBuf {
        self.app_dir().join(user_id).join("im.db")
    }

    /// The directory of this app key.
    pub fn app_dir(&self) -> PathBuf {
        self.data_dir.join("rcim").join(sanitize(&self.app_key))
    }
}

/// A directory name for an id that is safe everywhere: `[a-z0-9-]` are kept, every other
/// byte becomes `_XX` (hex). Distinct ids give distinct names even on case-insensitive file
/// systems ("Alice" ≠ "alice"), and no id can escape the data directory.
pub fn sanitize(component: &str) -> String {
    let mut out = String::with_capacity(component.len());
    for byte in component.bytes() {
        match byte {
            b'a'..=b'z' | b'0'..=b'9' | b'-' => out.push(byte as char),
            _ => out.push_str(&format!("_{byte:02x}")),
        }
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_matches_the_seed() {
        let secs: Vec<f64> = (0..11).map(|i| reconnect_delay(i).as_secs_f64()).collect();
        assert_eq!(
            secs,
            vec![0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 64.0]
        );
    }

    #[test]
    fn user_ids_map_to_distinct_safe_directory_names() {
        assert_eq!(sanitize("../etc"), "_2e_2e_2fetc");
        assert_eq!(sanitize("a+b=c_d-e"), "a_2bb_3dc_5fd-e");
        assert_ne!(sanitize("Alice"), sanitize("alice"));
        assert_ne!(sanitize("Alice").to_lowercase(), sanitize("alice"));
        assert_eq!(sanitize(""), "_");
    }
}
