//! The client session: one connection's state machine without I/O ([`core`]) and the thin task
//! that drives it ([`driver`]).
//!
//! Layout, lowest first (no file uses one above it): `clock`, `command` (what the engine asks),
//! `operations` (the generic request path: one queued `Request` per state-changing call, what
//! its `Response` changes and reports), `types` (inputs, actions, store jobs), `jobs` (store
//! jobs on the database thread), `queue` (send rules), `inbox` (sync state), `core` (with `core/stored.rs`: what follows a
//! store job), `driver`.
//!
//! Adding a server request type on the client: its message in `rust/proto/proto/rcim.proto`;
//! in `operations.rs` a request builder plus its arms in [`operations::effect`] and
//! [`operations::outcome`]; a `Command` variant (`command.rs`) with its arm in
//! `SessionCore::command`; and the engine method that sends the command.

mod clock;
mod command;
mod core;
mod driver;
mod inbox;
mod jobs;
mod operations;
mod queue;
mod types;

#[cfg(test)]
mod tests;

pub use clock::now_ms;
pub(crate) use command::{Command, SettingChange, StopReason};
pub(crate) use driver::{ConnectionTask, SessionContext};
