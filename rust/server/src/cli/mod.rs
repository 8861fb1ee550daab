//! The command line of `rcim-server`: `rcim-server [OPTIONS]` serves; subcommands do one-off
//! jobs (`rcim-server token --user ID`). Every option also reads an environment variable
//! (`RCIM_DATA_DIR`, `RCIM_LISTEN`, ...). Options are grouped by concern, one file each.

mod chatroom;
mod core;
mod limits;
mod media;
mod ops;
mod security;
mod storage;
mod tls;
mod token;
mod ultragroup;

use crate::config::ServerConfig;
use clap::{Parser, Subcommand};

pub use ops::LogFormat;
pub use token::TokenArgs;

/// `rcim-server`'s arguments.
#[derive(Debug, Parser)]
#[command(
    name = "rcim-server",
    version,
    about = "RCIM reference IM server",
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Cli {
    /// A one-off job instead of serving.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Serving options (when no subcommand is given).
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// One-off jobs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Prints a connection token for a user (no running server needed).
    Token(TokenArgs),
}

/// Everything serving needs, by concern.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    core: core::CoreArgs,
    #[command(flatten)]
    media: media::MediaArgs,
    #[command(flatten)]
    chatroom: chatroom::ChatroomArgs,
    #[command(flatten)]
    ultragroup: ultragroup::UltraGroupArgs,
    #[command(flatten)]
    tls: tls::TlsArgs,
    #[command(flatten)]
    security: security::SecurityArgs,
    #[command(flatten)]
    ops: ops::OpsArgs,
    #[command(flatten)]
    limits: limits::LimitArgs,
    #[command(flatten)]
    storage: storage::StorageArgs,
}

impl ServeArgs {
    /// The log filter (`RUST_LOG` syntax).
    pub fn log_filter(&self) -> &str {
        self.core.log()
    }

    /// The log line format.
    pub fn log_format(&self) -> LogFormat {
        self.ops.log_format()
    }

    /// The server config these options describe.
    pub fn into_config(self) -> anyhow::Result<ServerConfig> {
        let mut config = self.core.into_config()?;
        self.media.apply(&mut config);
        self.chatroom.apply(&mut config);
        self.ultragroup.apply(&mut config);
        self.tls.apply(&mut config)?;
        self.security.apply(&mut config)?;
        self.ops.apply(&mut config)?;
        self.limits.apply(&mut config)?;
        self.storage.apply(&mut config)?;
        Ok(config)
    }
}
