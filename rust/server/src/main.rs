//! `rcim-server`: the RCIM reference server as one process.
//!
//! ```text
//! rcim-server --data-dir DIR --listen HOST:PORT --http HOST:PORT --app-key KEY --app-secret SECRET
//! ```
//! The options are in [`rcim_server::cli`]. Logging follows `RUST_LOG` (or `--log`), default
//! `info`.

use clap::Parser;
use rcim_server::cli::Cli;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(command) = cli.command {
        match command {}
    }
    let args = cli.serve;
    tracing_subscriber::fmt()
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .with_env_filter(
            EnvFilter::try_new(args.log_filter()).unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    raise_open_file_limit();
    let config = args.into_config()?;
    let server = rcim_server::start(config).await?;
    tracing::info!(gateway = %server.gateway_addr(), navi = %server.navi_url(), "ready");
    wait_for_signal().await;
    tracing::info!("signal received; shutting down");
    server.shutdown().await;
    Ok(())
}

/// Every client connection is a file descriptor: raise the soft open-file limit to the hard
/// one (the soft default, often 1,024, would refuse connections long before memory runs out).
fn raise_open_file_limit() {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => tracing::debug!(limit, "open-file limit"),
        Err(e) => tracing::warn!(error = %e, "cannot raise the open-file limit"),
    }
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
