//! RCIM bridge: the single entry point the C++ JSI host object calls.
//!
//! * [`ffi`]: the C ABI declared in `cpp/rcim_bridge.h` (create, call, destroy), panic-proof.
//! * [`BridgeEngine`]: the safe Rust API behind it (also used by tests).
//! * `methods`: THE method table, one row per `RCIMIWEngine` method and one file per area:
//!   name → argument struct → engine call (→ listener, for local calls). Adding an API method
//!   means adding a row there (and the TypeScript wrapper); C++ never changes.
//! * [`events`]: the one generic mapping of results and engine events to
//!   `{"name": "onXxx", "eventId"?, "args": {...}}` JSON.
//! * `gate` (the way out to the [`Sink`]), `call` (what handlers receive and produce).
//!
//! Argument errors answer PARAM_ERROR (1) and nothing is sent; a destroyed engine answers
//! ENGINE_DESTROYED (2); a local call beyond [`MAX_LOCAL_CALLS_IN_FLIGHT`] answers
//! SEND_MSG_FREQUENCY_OVERRUN (20604) and does not run.

mod call;
pub mod events;
pub mod ffi;
mod gate;
mod logging;
mod methods;
mod registry;

pub use gate::{Offer, Sink};
pub use registry::{platform_event, BridgeEngine, MAX_LOCAL_CALLS_IN_FLIGHT};
