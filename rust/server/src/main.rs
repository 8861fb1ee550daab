//! `rcim-server`: the RCIM reference server as one process.
//!
//! ```text
//! rcim-server --data-dir DIR --listen HOST:PORT --http HOST:PORT --app-key KEY --app-secret SECRET
//! ```
//! The options are in [`rcim_server::cli`]. Logging follows `RUST_LOG` (or `--log`), default
//! `info`, as text or JSON lines (`--log-format json`).
//!
//! ```text
//! rcim-server token --user ID [--expires-in SECS]
//! ```
//! prints a connection token (same `--app-key`/`--app-secret` or `RCIM_APP_*` variables).

use rcim_server::cli::{Cli, Command, Invocation, LogFormat};
use tracing_subscriber::EnvFilter;

fn main() -> anyhow::Result<()> {
    // SAFETY: no other thread exists yet.
    unsafe { rcim_server::disable_sqlite_memory_statistics() };
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(serve())
}

async fn serve() -> anyhow::Result<()> {
    let args = match Cli::invocation() {
        Invocation::Serve(args) => args,
        Invocation::Command(Command::Token(args)) => {
            // The one output of the command, for scripts: `TOKEN=$(rcim-server token ...)`.
            use std::io::Write as _;
            writeln!(std::io::stdout(), "{}", args.token()?)?;
            return Ok(());
        }
    };
    init_logging(args.log_filter(), args.log_format());
    raise_open_file_limit();
    let config = args.into_config()?;
    let server = rcim_server::start(config).await?;
    tracing::info!(gateway = %server.gateway_addr(), navi = %server.navi_url(), "ready");
    wait_for_signal().await;
    tracing::info!("signal received; shutting down");
    server.shutdown().await;
    Ok(())
}

/// Logs to stdout, filtered by `filter` (`RUST_LOG` syntax; `info` when it does not parse).
fn init_logging(filter: &str, format: LogFormat) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Text => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
            .init(),
        // One object per line with the span context flattened in: what collectors parse.
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .init(),
    }
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
