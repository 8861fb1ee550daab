//! libFuzzer target: the token parser (see `rcim_fuzz::targets::token`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rcim_fuzz::targets::token(data));
