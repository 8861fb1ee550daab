//! Logging: one `tracing` subscriber for the process, its level driven by `changeLogLevel`
//! (`RCIMIWLogLevel`: NONE 0, ERROR 1, WARN 2, INFO 3, DEBUG 4, VERBOSE 5).
//!
//! Events pass one reloadable level filter, then go to the platform's log: logcat on Android
//! (tag `RCIM`), the unified log on iOS (subsystem `io.rcim`, category `engine`), stderr
//! elsewhere (the Linux host and tests).

use std::sync::OnceLock;
use tracing::Subscriber;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::{layer::SubscriberExt, reload, util::SubscriberInitExt, Layer, Registry};

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

/// Logcat, where `adb logcat -s RCIM` shows it (logcat adds the time and the level itself).
#[cfg(target_os = "android")]
fn output<S>() -> impl Layer<S>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    paranoid_android::layer("RCIM").with_ansi(false)
}

/// The unified log (Console.app, `log stream --predicate 'subsystem == "io.rcim"'`).
#[cfg(target_os = "ios")]
fn output<S>() -> impl Layer<S>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    tracing_oslog::OsLogger::new("io.rcim", "engine")
}

#[cfg(not(any(target_os = "android", target_os = "ios")))]
fn output<S>() -> impl Layer<S>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
}

/// `output` behind a level filter that the returned handle changes.
fn subscriber<L>(level: LevelFilter, output: L) -> (impl Subscriber + Send + Sync, Handle)
where
    L: Layer<tracing_subscriber::layer::Layered<reload::Layer<LevelFilter, Registry>, Registry>>
        + Send
        + Sync,
{
    let (filter, handle) = reload::Layer::new(level);
    (
        tracing_subscriber::registry().with(filter).with(output),
        handle,
    )
}

/// Installs the subscriber once (no-op if the host installed its own).
pub(crate) fn init() {
    HANDLE.get_or_init(|| {
        let (subscriber, handle) = subscriber(initial_level(), output());
        subscriber.try_init().is_ok().then_some(handle)
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

/// Sets `handle`'s filter to an `RCIMIWLogLevel`; false (and no change) for an unknown level.
fn apply_level(handle: &Handle, level: u32) -> bool {
    let Some(filter) = level_filter(level) else {
        return false;
    };
    let _ = handle.modify(|f| *f = filter);
    true
}

/// Applies `changeLogLevel` (`RCIMIWLogLevel`); false for an unknown level.
pub(crate) fn change_level(level: u32) -> bool {
    init();
    match HANDLE.get() {
        Some(Some(handle)) => apply_level(handle, level),
        // The host's own subscriber decides; still reject what is no level.
        _ => level_filter(level).is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};
    use tracing::{debug, error, info, trace, warn};
    use tracing_subscriber::layer::Context;

    /// Records the level of each event that gets through the filter.
    #[derive(Clone, Default)]
    struct Seen(Arc<Mutex<Vec<tracing::Level>>>);

    impl<S: Subscriber> Layer<S> for Seen {
        fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
            self.0.lock().unwrap().push(*event.metadata().level());
        }
    }

    impl Seen {
        fn take(&self) -> Vec<tracing::Level> {
            std::mem::take(&mut self.0.lock().unwrap())
        }
    }

    fn emit_each_level() {
        error!("e");
        warn!("w");
        info!("i");
        debug!("d");
        trace!("t");
    }

    #[test]
    fn change_log_level_sets_which_events_reach_the_output() {
        use tracing::Level as L;
        let seen = Seen::default();
        let (subscriber, handle) = subscriber(LevelFilter::WARN, seen.clone());
        tracing::subscriber::with_default(subscriber, || {
            emit_each_level();
            assert_eq!(seen.take(), [L::ERROR, L::WARN], "initial WARN");

            let expected: [&[L]; 6] = [
                &[],
                &[L::ERROR],
                &[L::ERROR, L::WARN],
                &[L::ERROR, L::WARN, L::INFO],
                &[L::ERROR, L::WARN, L::INFO, L::DEBUG],
                &[L::ERROR, L::WARN, L::INFO, L::DEBUG, L::TRACE],
            ];
            for (level, expected) in (0u32..).zip(expected) {
                assert!(apply_level(&handle, level));
                emit_each_level();
                assert_eq!(seen.take(), expected, "RCIMIWLogLevel {level}");
            }

            // An unknown level is refused and leaves the filter as it was (VERBOSE).
            assert!(!apply_level(&handle, 6));
            emit_each_level();
            assert_eq!(seen.take().len(), 5);
        });
    }
}
