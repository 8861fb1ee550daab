//! Business rules and their codes, shared by the client gateway and the Server API: both
//! call the same function for the same operation (a send, a recall, a membership change...),
//! which checks what the business requires and then calls the [`crate::store::ServerStore`].
//! Each front end keeps only its own syntax checks and maps [`ServiceError`] to its codes.

pub(crate) mod chatroom;
pub(crate) mod conversation;
pub(crate) mod deletion;
pub(crate) mod dnd;
pub(crate) mod error;
pub(crate) mod events;
pub(crate) mod expansion;
pub(crate) mod groups;
pub(crate) mod history;
pub(crate) mod inbox;
pub(crate) mod media;
pub(crate) mod messages;
pub(crate) mod moderation;
pub(crate) mod push;
pub(crate) mod quota;
pub(crate) mod receipts;
pub(crate) mod replay;
pub(crate) mod settings;
pub(crate) mod typing;
// Placeholder until the streams and the Server API use it.
#[allow(dead_code, unused_imports)]
pub(crate) mod ultragroup;
pub(crate) mod users;

pub(crate) use error::ServiceError;
