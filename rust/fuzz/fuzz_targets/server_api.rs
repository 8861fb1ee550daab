//! libFuzzer target: the Server API parameter parser and routes of a live in-process server
//! (see `rcim_fuzz::server_api::ServerApiTarget`).
#![no_main]

use rcim_fuzz::server_api::ServerApiTarget;
use std::sync::{LazyLock, Mutex};

static TARGET: LazyLock<Mutex<ServerApiTarget>> =
    LazyLock::new(|| Mutex::new(ServerApiTarget::new()));

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut target = TARGET.lock().unwrap_or_else(|e| e.into_inner());
    target.run(data);
});
