//! The client session: one connection's state machine without I/O ([`core`]) and the thin task
//! that drives it ([`driver`]).
//!
//! Layout, lowest first (no file uses one above it): `clock`, `chatroom_job` (the store work of
//! chatrooms), `chatroom` (chatroom calls, joined rooms, entries read in pages, events held
//! during a join), `chatroom_reports` (the events of chatroom answers and room events; the
//! core's side in `core/chatroom.rs`),
//! `command` (what the engine asks),
//! `operations` (the generic request path: one queued `Request` per state-changing call, what
//! its `Response` changes and reports; `messaging_ops` for read-state sync and group
//! receipts), `types` (inputs, actions, store jobs), `jobs` (store jobs on the database
//! thread), `queue` (send rules), `inbox` (sync state; `messaging` for the entries of
//! read-state sync, group receipts and moderation), `typing` (typing status, sent and
//! received), `reads` (server reads: history pages, media upload tickets), `core` (with
//! `core/stored.rs`: what follows a store job; `core/messaging.rs`: typing and directed
//! sends), `driver`. User settings on the wire and their read at login are in `settings` (the
//! core's side in `core/settings.rs`); platform events (network, app state) in `platform` and
//! `core/platform.rs`. Ultra groups keep no state here: `ultragroup` hands the engine's
//! ultra-group task (`engine/ultragroup_sync.rs`) the connections made and the server's
//! `UltraGroupEvent`s; the task asks its reads through `Command::Read`.
//!
//! Adding a server request type on the client: its messages in `rust/proto/proto/rcim.proto`;
//! in `operations.rs` an `Operation` constructor (the call → its `Request`), an arm in `effect`
//! if its answer changes the local store (and in `jobs.rs` if that is a new kind of change),
//! and an arm in `outcome` (the event that reports it); and the engine method that hands
//! `Command::Operation(Operation::...)` to the session. Queueing, persistence, retries,
//! correlation and exactly-once reporting are generic.
//!
//! Adding a server read (a request without request id, answered by a `Response`, nothing
//! persisted): the engine builds a `ReadRequest` (`ReadRequest::channel`) with the request
//! body, hands `Command::Read` to the session and awaits the answer (`reads.rs`: sent once
//! online, asked again after a reconnect, 30002/30003 timeouts, failed when the session ends).
//! History pages (`engine/history.rs`) and media upload tickets use it.

mod chatroom;
mod chatroom_job;
mod chatroom_reports;
mod clock;
mod command;
mod core;
mod driver;
mod inbox;
mod jobs;
mod messaging;
mod messaging_ops;
mod operations;
mod platform;
mod queue;
mod reads;
mod settings;
mod transport;
mod types;
mod typing;
mod ultragroup;

#[cfg(test)]
mod tests;

pub(crate) use chatroom::{ChatroomCommand, ChatroomOp};
pub use clock::now_ms;
pub(crate) use command::{Command, StopReason};
pub(crate) use driver::{ConnectionTask, SessionContext};
pub(crate) use inbox::InboxBehind;
pub(crate) use operations::{
    expansion_outcome, new_request_id, outgoing_row, Operation, SettingChange,
};
pub(crate) use platform::{PlatformEvent, PlatformState};
pub(crate) use reads::{ReadRequest, TicketRequest};
pub(crate) use settings::PushSettingChange;
pub(crate) use typing::TypingCommand;
pub(crate) use ultragroup::{
    forward as forward_ultragroup, UltragroupSignal,
    SIGNAL_QUEUE_LEN as ULTRAGROUP_SIGNAL_QUEUE_LEN,
};
