//! Message expansion: `updateMessageExpansion`, `removeMessageExpansionForKeys` (outcomes as
//! the engine's `onMessageExpansionUpdated` / `onMessageExpansionForKeysRemoved` events).

use super::rows::{Operation, Row};
use serde::Deserialize;
use serde_json::{Map, Value};

pub(super) const ROWS: &[&dyn Row] = &[
    &Operation {
        names: &["updateMessageExpansion"],
        run: |engine, a: UpdateExpansionArgs, event_id| {
            engine.update_message_expansion(&a.message_uid, a.expansion, event_id)
        },
    },
    &Operation {
        names: &["removeMessageExpansionForKeys"],
        run: |engine, a: RemoveExpansionArgs, event_id| {
            engine.remove_message_expansion_for_keys(&a.message_uid, a.keys, event_id)
        },
    },
];

#[derive(Deserialize)]
pub(super) struct UpdateExpansionArgs {
    #[serde(rename = "messageUId", alias = "messageUid")]
    message_uid: String,
    expansion: Map<String, Value>,
}

#[derive(Deserialize)]
pub(super) struct RemoveExpansionArgs {
    #[serde(rename = "messageUId", alias = "messageUid")]
    message_uid: String,
    keys: Vec<String>,
}
