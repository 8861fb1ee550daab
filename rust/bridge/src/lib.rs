//! RCIM bridge: the single entry point the C++ JSI host object calls.
//!
//! * [`ffi`]: the C ABI declared in `cpp/rcim_bridge.h` (create, call, destroy), panic-proof.
//! * [`BridgeEngine`]: the safe Rust API behind it (also used by tests).
//! * [`methods`]: THE method table — one entry per `RCIMIWEngine` method: name → argument struct
//!   → engine call. Adding an API method means adding a row there (and the TypeScript wrapper);
//!   C++ never changes.
//! * [`events`]: engine events → `{"name": "onXxx", "eventId"?, "args": {...}}` JSON.
//!
//! Argument errors answer PARAM_ERROR (1) and nothing is sent; a destroyed engine answers
//! ENGINE_DESTROYED (2).

pub mod events;
pub mod ffi;
mod logging;
pub mod methods;
mod registry;

pub use registry::{BridgeEngine, Offer, Sink};
