//! Methods of the bridge itself: the round-trip and event-rate benchmarks, the log level.

use super::rows::{code, parse_args, Custom, Row};
use crate::call::{ArgError, Context, Outcome};
use serde::Deserialize;
use serde_json::json;

pub(super) const ROWS: &[&dyn Row] = &[
    &Custom {
        names: &["ping"],
        run: |_, _| Ok(code(0)),
    },
    &Custom {
        names: &["pingAsync"],
        run: ping_async,
    },
    &Custom {
        names: &["benchEvents"],
        run: bench_events,
    },
    &Custom {
        names: &["changeLogLevel"],
        run: change_log_level,
    },
];

/// Replies from a runtime thread: the cross-thread round trip (bridge benchmark).
fn ping_async(_: &Context<'_>, _: serde_json::Value) -> Result<Outcome, ArgError> {
    Ok(Outcome::Later(Box::pin(async { json!({ "code": 0 }) })))
}

#[derive(Deserialize)]
struct BenchEventsArgs {
    count: u32,
}

/// Emits `count` small events straight through the event gate (bridge benchmark), with the same
/// backpressure as engine events: each waits while the host's event queue is full.
fn bench_events(context: &Context<'_>, args: serde_json::Value) -> Result<Outcome, ArgError> {
    let args: BenchEventsArgs = parse_args(args)?;
    if args.count > 10_000_000 {
        return Err(ArgError("count too large".into()));
    }
    let gate = context.gate.clone();
    tokio::spawn(async move {
        for i in 0..args.count {
            let event = json!({ "name": "onBench", "args": { "i": i } }).to_string();
            if !gate.deliver_event(&event).await {
                break;
            }
        }
    });
    Ok(code(0))
}

#[derive(Deserialize)]
struct LogLevelArgs {
    level: u32,
}

fn change_log_level(_: &Context<'_>, args: serde_json::Value) -> Result<Outcome, ArgError> {
    let args: LogLevelArgs = parse_args(args)?;
    if !crate::logging::change_level(args.level) {
        return Err(ArgError(format!("unknown log level {}", args.level)));
    }
    Ok(code(0))
}
