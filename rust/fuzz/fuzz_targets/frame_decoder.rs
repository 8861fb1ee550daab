//! libFuzzer target: the frame decoder (see `rcim_fuzz::targets::frame_decoder`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rcim_fuzz::targets::frame_decoder(data));
