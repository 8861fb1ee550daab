//! RCIM client engine.
//!
//! [`Engine`] is one IM client: it connects to an RCIM server (navigation, then the TCP
//! gateway), keeps reconnecting on the seed's schedule, stores every message in a per-user SQLite
//! database before announcing or sending it, and syncs the user's inbox after each connect.
//! Local calls return their results ([`Query`]); operations through the server and what the
//! session reports by itself arrive as [`Event`]s. It knows nothing about JavaScript:
//! `rcim-bridge` adapts it to the JSON method table used by the C++ host object.
//!
//! Layout: [`engine`] (the API, one file per area), `shared` (state the engine and its tasks
//! share), `session` (the connection: a session core without I/O and the task that drives it;
//! send queue, persisted operations, sync), `db` (the database thread),
//! [`codec`] (API ⇄ stored ⇄ wire messages), [`media`] (image preparation, file transfers), [`model`] (API types), [`event`] (events),
//! [`query`] (results of local calls), [`config`] (options), [`codes`] (status codes and
//! [`Code`]).

pub mod codec;
pub mod codes;
pub mod config;

mod db;
pub mod engine;
pub mod event;
mod event_queue;
pub mod media;
pub mod model;
mod navi;
pub mod query;
mod session;
mod shared;
pub mod tls;
pub mod token;

pub use codes::Code;
pub use config::{EngineConfig, EngineOptions};
pub use engine::Engine;
pub use event::{
    BlockedMessageInfo, ChatRoomMemberAction, ChatroomEvent, Event, EventId, MessagingEvent,
    TypingStatus, UltraGroupTypingStatusInfo, UltragroupCallResult, UltragroupEvent,
};
pub use event_queue::EventStream;
pub use model::{Conversation, Message};
pub use query::Query;
pub use rcim_store::ConversationKey;
pub use session::now_ms;
