//! Abuse limits

use crate::config::ServerConfig;

/// Options of this group; each also reads an `RCIM_*` environment variable.
#[derive(Debug, clap::Args)]
pub(super) struct LimitArgs {}

impl LimitArgs {
    pub(super) fn apply(self, config: &mut ServerConfig) -> anyhow::Result<()> {
        let _ = config;
        Ok(())
    }
}
