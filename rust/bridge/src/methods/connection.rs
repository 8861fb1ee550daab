//! Connection: connect, disconnect.

use super::rows::{Operation, Row};
use serde::Deserialize;

pub(super) const ROWS: &[&dyn Row] = &[
    &Operation {
        names: &["connect"],
        run: |engine, a: ConnectArgs, event_id| engine.connect(&a.token, a.timeout, event_id),
    },
    &Operation {
        names: &["disconnect"],
        run: |engine, a: DisconnectArgs, _| engine.disconnect(a.receive_push),
    },
];

#[derive(Deserialize)]
pub(super) struct ConnectArgs {
    token: String,
    timeout: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DisconnectArgs {
    receive_push: bool,
}
