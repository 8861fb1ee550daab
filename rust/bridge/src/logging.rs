//! Logging: one `tracing` subscriber for the process, its level driven by `changeLogLevel`
//! (`RCIMIWLogLevel`: NONE 0, ERROR 1, WARN 2, INFO 3, DEBUG 4, VERBOSE 5).

use std::sync::OnceLock;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::{layer::SubscriberExt, reload, util::SubscriberInitExt, Registry};

type Handle = reload::Handle<LevelFilter, Registry>;

static HANDLE: OnceLock<Option<Handle>> = OnceLock::new();

fn initial_level() -> LevelFilter {
    match std::env::var("RCIM_LOG").as_deref() {
        Ok("trace") => LevelFilter::TRACE,
        Ok("debug") => LevelFilter::DEBUG,
        Ok("info") => LevelFilter::INFO,
        Ok("error") => LevelFilter::ERROR,
        Ok("off") => LevelFilter::OFF,
        _ => LevelFilter::WARN,
    }
}

/// Installs the subscriber once (no-op if the host installed its own).
pub(crate) fn init() {
    HANDLE.get_or_init(|| {
        let (filter, handle) = reload::Layer::new(initial_level());
        let installed = tracing_subscriber::registry()
            .with(filter)
            .with(
                tracing_subscriber::fmt::layer()
                    .with_writer(std::io::stderr)
                    .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())),
            )
            .try_init()
            .is_ok();
        installed.then_some(handle)
    });
}

/// Maps an `RCIMIWLogLevel` to a filter; `None` for an unknown value.
pub(crate) fn level_filter(level: u32) -> Option<LevelFilter> {
    Some(match level {
        0 => LevelFilter::OFF,
        1 => LevelFilter::ERROR,
        2 => LevelFilter::WARN,
        3 => LevelFilter::INFO,
        4 => LevelFilter::DEBUG,
        5 => LevelFilter::TRACE,
        _ => return None,
    })
}

/// Applies `changeLogLevel`.
pub(crate) fn set_level(filter: LevelFilter) {
    init();
    if let Some(Some(handle)) = HANDLE.get() {
        let _ = handle.modify(|f| *f = filter);
    }
}

/// Applies `changeLogLevel` (`RCIMIWLogLevel`); false for an unknown level.
pub(crate) fn change_level(level: u32) -> bool {
    match level_filter(level) {
        Some(filter) => {
            set_level(filter);
            true
        }
        None => false,
    }
}
