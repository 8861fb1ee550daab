//! libFuzzer target: every request handler of a live in-process server (see
//! `rcim_fuzz::requests::RequestTarget`).
#![no_main]

use rcim_fuzz::requests::RequestTarget;
use std::sync::{LazyLock, Mutex};

static TARGET: LazyLock<Mutex<RequestTarget>> = LazyLock::new(|| Mutex::new(RequestTarget::new()));

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut target = TARGET.lock().unwrap_or_else(|e| e.into_inner());
    target.run(data);
});
