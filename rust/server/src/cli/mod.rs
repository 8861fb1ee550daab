//! The command line of `rcim-server`: `rcim-server [OPTIONS]` serves; subcommands do one-off
//! jobs (`rcim-server token --user ID`). Every option also reads an environment variable
//! (`RCIM_DATA_DIR`, `RCIM_LISTEN`, ...). Options are grouped by concern, one file each.

mod chatroom;
mod cluster;
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
use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand};

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

/// What the command line asks for.
#[derive(Debug)]
pub enum Invocation {
    /// Serve with these options.
    Serve(Box<ServeArgs>),
    /// Do a one-off job.
    Command(Command),
}

impl Cli {
    /// Parses the process's arguments (printing help or the error and exiting on failure).
    pub fn invocation() -> Invocation {
        Self::try_invocation_from(std::env::args_os()).unwrap_or_else(|e| e.exit())
    }

    /// Parses `args`. Unlike [`Parser::parse`], a subcommand does not need the serving
    /// options: they are only read when no subcommand is given.
    pub fn try_invocation_from<I, T>(args: I) -> Result<Invocation, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let matches = Self::command().try_get_matches_from(args)?;
        if matches.subcommand_name().is_some() {
            Ok(Invocation::Command(Command::from_arg_matches(&matches)?))
        } else {
            Ok(Invocation::Serve(Box::new(ServeArgs::from_arg_matches(
                &matches,
            )?)))
        }
    }
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
    #[command(flatten)]
    cluster: cluster::ClusterArgs,
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
        self.cluster.apply(&mut config)?;
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn operations_and_security_options_reach_the_config() {
        let Ok(Invocation::Serve(serve)) = Cli::try_invocation_from([
            "rcim-server",
            "--app-key=k",
            "--app-secret=s",
            "--admin-http=127.0.0.1:9102",
            "--public-gateway=im.example.com:443",
            "--api-replay-window-secs=0",
            "--api-max-nonces=10",
            "--log-format=json",
        ]) else {
            panic!("serving options");
        };
        assert_eq!(serve.log_format(), LogFormat::Json);
        let config = serve.into_config().expect("valid");
        assert_eq!(
            config.ops.admin_http,
            Some("127.0.0.1:9102".parse().unwrap())
        );
        assert_eq!(
            config.ops.public_gateway.as_deref(),
            Some("im.example.com:443")
        );
        assert_eq!(config.api_security.replay_window, Duration::ZERO);
        assert_eq!(config.api_security.max_nonces, 10);

        let defaults =
            Cli::try_parse_from(["rcim-server", "--app-key=k", "--app-secret=s"]).expect("parses");
        assert_eq!(defaults.serve.log_format(), LogFormat::Text);
        let config = defaults.serve.into_config().expect("valid");
        assert_eq!(
            config.api_security,
            crate::config::ApiSecurityConfig::default()
        );
        assert_eq!(config.ops, crate::config::OpsConfig::default());

        let Ok(Invocation::Serve(bad)) = Cli::try_invocation_from([
            "rcim-server",
            "--app-key=k",
            "--app-secret=s",
            "--public-gateway=nowhere",
        ]) else {
            panic!("serving options");
        };
        assert!(bad.into_config().is_err());
        // Serving still needs the app.
        assert!(Cli::try_invocation_from(["rcim-server"]).is_err());
    }

    #[test]
    fn cluster_options_reach_the_config() {
        let Ok(Invocation::Serve(serve)) = Cli::try_invocation_from([
            "rcim-server",
            "--app-key=k",
            "--app-secret=s",
            "--bus=nats://10.0.0.5:4222",
            "--cluster-name=prod",
            "--cluster-gateways=im1.example.com:8100, tls://im2.example.com:443",
        ]) else {
            panic!("serving options");
        };
        let config = serve.into_config().expect("valid");
        assert_eq!(config.cluster.bus.as_deref(), Some("nats://10.0.0.5:4222"));
        assert_eq!(config.cluster.name.as_deref(), Some("prod"));
        assert_eq!(
            config.cluster.gateways,
            ["im1.example.com:8100", "tls://im2.example.com:443"]
        );
        let defaults =
            Cli::try_parse_from(["rcim-server", "--app-key=k", "--app-secret=s"]).expect("parses");
        let config = defaults.serve.into_config().expect("valid");
        assert_eq!(config.cluster, crate::config::ClusterConfig::default());
        let Ok(Invocation::Serve(bad)) = Cli::try_invocation_from([
            "rcim-server",
            "--app-key=k",
            "--app-secret=s",
            "--bus=redis://10.0.0.5:6379",
        ]) else {
            panic!("serving options");
        };
        assert!(bad.into_config().is_err());
    }

    #[test]
    fn token_subcommand_needs_no_serving_options() {
        let parsed = Cli::try_invocation_from([
            "rcim-server",
            "token",
            "--user=alice",
            "--app-key=k",
            "--app-secret=s",
        ]);
        let Ok(Invocation::Command(Command::Token(args))) = parsed else {
            panic!("the token command: {parsed:?}");
        };
        let token = args.token().expect("a token");
        let claims = crate::token::verify_signature(&token, "s").expect("signed");
        assert_eq!(
            (claims.app_key.as_str(), claims.user_id.as_str()),
            ("k", "alice")
        );
    }
}
