//! Messages inserted locally (`insertMessage`, `insertMessages`).

use super::rows::{Local, Row};
use rcim_core::Message;
use serde::{Deserialize, Serialize};

pub(super) const ROWS: &[&dyn Row] = &[
    &Local {
        names: &["insertMessage"],
        listener: "onMessageInserted",
        field: Some("message"),
        run: |engine, a: &InsertMessageArgs| engine.insert_message(a.message.clone()),
    },
    &Local {
        names: &["insertMessages"],
        listener: "onMessagesInserted",
        field: Some("messages"),
        run: |engine, a: &InsertMessagesArgs| engine.insert_messages(a.messages.clone()),
    },
];

/// The listener's `message` is the stored message (it replaces the argument in the echo).
#[derive(Deserialize, Serialize)]
pub(super) struct InsertMessageArgs {
    message: Message,
}

/// The listener's `messages` are the stored messages (they replace the argument).
#[derive(Deserialize, Serialize)]
pub(super) struct InsertMessagesArgs {
    messages: Vec<Message>,
}
