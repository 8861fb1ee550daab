//! libFuzzer target: see `rcim_fuzz::server_api::ServerApiTarget` (a live in-process server, started on the
//! first input and kept for the whole run).
#![no_main]

use rcim_fuzz::server_api::ServerApiTarget;
use std::sync::{LazyLock, Mutex};

/// Every how many inputs the figures are printed (libFuzzer has no end-of-run hook).
const SUMMARY_EVERY: u64 = 10_000;

static TARGET: LazyLock<Mutex<ServerApiTarget>> =
    LazyLock::new(|| Mutex::new(ServerApiTarget::new()));

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut target = TARGET.lock().unwrap_or_else(|e| e.into_inner());
    target.run(data);
    if target.executions() % SUMMARY_EVERY == 0 {
        eprintln!("rcim-fuzz server_api: {}", target.summary());
    }
});
