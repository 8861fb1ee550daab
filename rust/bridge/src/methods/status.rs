//! Local status edits (`changeMessageSentStatus`, `changeMessageReceiveStatus`); their
//! listeners get `code` and `messageId`.

use super::rows::{Local, Row};
use serde::{Deserialize, Serialize};

pub(super) const ROWS: &[&dyn Row] = &[
    &Local {
        names: &["changeMessageSentStatus"],
        listener: "onMessageSentStatusChanged",
        field: None,
        run: |engine, a: &SentStatusArgs| {
            engine.change_message_sent_status(a.message_id, a.sent_status)
        },
    },
    &Local {
        names: &["changeMessageReceiveStatus"],
        listener: "onMessageReceiveStatusChanged",
        field: None,
        run: |engine, a: &ReceivedStatusArgs| {
            engine.change_message_receive_status(a.message_id, a.received_status)
        },
    },
];

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SentStatusArgs {
    message_id: i64,
    #[serde(skip_serializing)]
    sent_status: u8,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ReceivedStatusArgs {
    message_id: i64,
    #[serde(skip_serializing)]
    received_status: u8,
}
