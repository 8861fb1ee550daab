//! libFuzzer target: see `rcim_fuzz::requests::RequestTarget` (a live in-process server, started on the
//! first input and kept for the whole run).
#![no_main]

use prost::Message as _;
use rcim_fuzz::requests::RequestTarget;
use rcim_proto::v1::Request;
use std::sync::{LazyLock, Mutex};

/// Every how many inputs the figures are printed (libFuzzer has no end-of-run hook).
const SUMMARY_EVERY: u64 = 10_000;

static TARGET: LazyLock<Mutex<RequestTarget>> = LazyLock::new(|| Mutex::new(RequestTarget::new()));

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut target = TARGET.lock().unwrap_or_else(|e| e.into_inner());
    target.run(data);
    if target.stats.executions % SUMMARY_EVERY == 0 {
        eprintln!("rcim-fuzz requests: {}", target.summary());
    }
});

/// Byte mutations mostly break protobuf encoding (a length or a tag), and an input that does
/// not decode tests nothing here: retry libFuzzer's mutation a few times until the result
/// decodes as a `Request`.
const TRIES: usize = 8;

libfuzzer_sys::fuzz_mutator!(
    |data: &mut [u8], size: usize, max_size: usize, _seed: u32| {
        let original = data[..size].to_vec();
        for _ in 0..TRIES {
            let new_size = libfuzzer_sys::fuzzer_mutate(data, size, max_size);
            if Request::decode(&data[..new_size]).is_ok() {
                return new_size;
            }
            data[..size].copy_from_slice(&original);
        }
        libfuzzer_sys::fuzzer_mutate(data, size, max_size)
    }
);
