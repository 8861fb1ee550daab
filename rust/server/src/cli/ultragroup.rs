//! Options of ultra groups (R210–R244).

use crate::config::{ServerConfig, UltraGroupConfig};
use std::time::Duration;

/// Stream retention, channel rate, typing batches and the directory's limits.
#[derive(Debug, clap::Args)]
pub(super) struct UltraGroupArgs {
    /// Days ultra-group channel messages are kept (0 = forever).
    #[arg(long, env = "RCIM_ULTRAGROUP_RETENTION_DAYS", default_value_t = UltraGroupConfig::default().retention_days)]
    ultragroup_retention_days: u32,
    /// Messages per second one ultra-group channel accepts (beyond: 24415; 0 = unlimited).
    #[arg(long, env = "RCIM_ULTRAGROUP_CHANNEL_RATE", default_value_t = UltraGroupConfig::default().channel_rate_per_sec)]
    ultragroup_channel_rate: u32,
    /// Milliseconds ultra-group typing events are gathered before one batch per group.
    #[arg(long, env = "RCIM_ULTRAGROUP_TYPING_BATCH_MS", default_value_t = UltraGroupConfig::default().typing_batch.as_millis() as u64)]
    ultragroup_typing_batch_ms: u64,
    /// Ultra groups one user may be a member of (beyond: 24412).
    #[arg(long, env = "RCIM_ULTRAGROUP_MAX_GROUPS_PER_USER", default_value_t = UltraGroupConfig::default().max_groups_per_user)]
    ultragroup_max_groups_per_user: usize,
    /// Channels one ultra group may have, RCDefault included (beyond: 24413).
    #[arg(long, env = "RCIM_ULTRAGROUP_MAX_CHANNELS", default_value_t = UltraGroupConfig::default().max_channels)]
    ultragroup_max_channels: usize,
}

impl UltraGroupArgs {
    pub(super) fn apply(self, config: &mut ServerConfig) {
        config.ultragroup = UltraGroupConfig {
            retention_days: self.ultragroup_retention_days,
            channel_rate_per_sec: self.ultragroup_channel_rate,
            typing_batch: Duration::from_millis(self.ultragroup_typing_batch_ms.max(1)),
            max_groups_per_user: self.ultragroup_max_groups_per_user,
            max_channels: self.ultragroup_max_channels,
        };
    }
}
