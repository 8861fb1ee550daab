//! Fuzz targets of RCIM's parsers and request handlers, on the stable toolchain.
//!
//! Four targets, each a function of arbitrary bytes:
//! * [`targets::frame_decoder`]: `rcim_proto::FrameCodec` reading client and server frames;
//! * [`requests::RequestTarget`]: every protobuf request handler, through a logged-in
//!   connection to an in-process server (which must answer every request and keep serving
//!   another user);
//! * [`server_api::ServerApiTarget`]: the Server API's parameter parser and its routes behind
//!   the signature check;
//! * [`targets::token`]: the connection token parser.
//!
//! They run two ways. Coverage-guided: the `fuzz_targets/` binaries link libFuzzer (feature
//! `libfuzzer`) and are built with LLVM's SanitizerCoverage flags, which stable `rustc` accepts
//! (`-C passes=sancov-module`, `-C llvm-args=…`); `scripts/fuzz.sh` builds and runs them for
//! a bounded time. Without instrumentation: [`mutate::run`] mutates the valid [`seeds`] at
//! random (the smoke runs in `cargo test`, and `rcim-fuzz run` where libFuzzer cannot build).

pub mod harness;
pub mod mutate;
pub mod requests;
pub mod seeds;
pub mod server_api;
pub mod targets;
