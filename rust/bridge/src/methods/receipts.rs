//! Read receipts.

use super::args::null_as_empty;
use super::rows::{Operation, Row};
use serde::Deserialize;

pub(super) const ROWS: &[&dyn Row] = &[&Operation {
    names: &["sendPrivateReadReceiptMessage"],
    run: |engine, a: ReadReceiptArgs, event_id| {
        engine.send_private_read_receipt_message(&a.target_id, &a.channel_id, a.timestamp, event_id)
    },
}];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ReadReceiptArgs {
    target_id: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    channel_id: String,
    timestamp: i64,
}
