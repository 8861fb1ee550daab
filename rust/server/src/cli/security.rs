//! Server API security: the replay window and the nonce memory.

use crate::config::ServerConfig;
use std::time::Duration;

/// Options of this group; each also reads an `RCIM_*` environment variable.
#[derive(Debug, clap::Args)]
pub(super) struct SecurityArgs {
    /// Seconds a Server API request's Timestamp may differ from the server's clock; each
    /// nonce is accepted once within it. 0 = replay protection off (RongCloud's Node.js SDK
    /// reuses its signature headers and needs 0).
    #[arg(long, env = "RCIM_API_REPLAY_WINDOW_SECS", default_value_t = 300)]
    api_replay_window_secs: u64,
    /// Most Server API nonces remembered at once (each for the replay window). Sustained
    /// Server API traffic above max-nonces / window requests a second (default 1,000,000 /
    /// 300 s, about 3,333/s) fills it, and then requests with an older Timestamp (a lagging
    /// app server clock) are refused 1004. About 80 bytes a nonce, at most 200.
    #[arg(long, env = "RCIM_API_MAX_NONCES", default_value_t = 1_000_000)]
    api_max_nonces: usize,
}

impl SecurityArgs {
    pub(super) fn apply(self, config: &mut ServerConfig) -> anyhow::Result<()> {
        if self.api_replay_window_secs > 0 && self.api_max_nonces == 0 {
            anyhow::bail!("--api-max-nonces must be at least 1 while the replay window is on");
        }
        config.api_security.replay_window = Duration::from_secs(self.api_replay_window_secs);
        config.api_security.max_nonces = self.api_max_nonces;
        Ok(())
    }
}
