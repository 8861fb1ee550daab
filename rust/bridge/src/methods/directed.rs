//! Directed group messages.

use super::rows::{Operation, Row};
use rcim_core::Message;
use serde::Deserialize;

pub(super) const ROWS: &[&dyn Row] = &[&Operation {
    names: &["sendGroupMessageToDesignatedUsers"],
    run: |engine, a: DirectedArgs, event_id| {
        // null and undefined ids are dropped, as the API says.
        let ids = a.user_ids.into_iter().flatten().collect();
        engine.send_group_message_to_designated_users(a.message, ids, event_id)
    },
}];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DirectedArgs {
    message: Message,
    user_ids: Vec<Option<String>>,
}
