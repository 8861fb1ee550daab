//! What the engine asks of the session: the commands of its API calls and why it stops.

use super::operations::Operation;
use super::platform::PlatformEvent;
use super::reads::{ReadRequest, TicketRequest};
use crate::event::EventId;
use crate::model::Message;
use std::time::Instant;

/// Requests of the engine to the session.
pub(crate) enum Command {
    /// Store, announce and send a message.
    Send {
        message: Box<Message>,
        event_id: EventId,
        /// When the app called `sendMessage`.
        requested: Instant,
    },
    /// Any other call that changes server state (recall, read receipt, conversation
    /// setting, ...): stored in the outbox, sent, and reported once answered.
    Operation(Operation),
    /// Ask the server for a media upload ticket (not persisted: a read-like request).
    MediaTicket(TicketRequest),
    /// Ask the server something answered by a `Response` (a history page): not persisted,
    /// correlated by seq, asked again after a reconnect (see `reads`).
    Read(Box<ReadRequest>),
    /// The platform reported a network or app-state change.
    Platform(PlatformEvent),
    /// Tell the peer this user types (never stored or queued: dropped unless connected).
    Typing(super::typing::TypingCommand),
    /// A chatroom call (join, leave, history, KV).
    Chatroom(super::chatroom::ChatroomCommand),
}

/// Why the engine asks the session to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StopReason {
    /// Keep running.
    Run,
    /// `disconnect()`; push after logout is wanted or not.
    SignOut { receive_push: bool },
    /// The engine is being destroyed.
    Shutdown,
}
