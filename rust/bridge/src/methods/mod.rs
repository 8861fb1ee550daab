//! The method table: every `RCIMIWEngine` method the bridge supports, one row per method, in one
//! file per area (the same areas as the engine's `rust/core/src/engine/`). The kinds of rows
//! are in [`rows`]; to add a method, add a row to its area's `ROWS` (and the TypeScript wrapper
//! in `src/RCIMEngine.ts`). C++ never changes.

mod args;
mod blacklist;
mod chatroom;
mod connection;
mod conversations;
mod create;
mod deletion;
mod diagnostics;
mod directed;
mod drafts;
mod expansion;
mod insert;
mod media;
mod mentions;
mod messages;
mod push;
mod receipts;
mod rows;
mod search;
mod settings;
mod status;
mod typing;
mod ultragroup;
mod unread;

use crate::call::{ArgError, Context, Outcome};
use rcim_core::codes;
use rows::{Custom, Row};
use serde_json::json;

/// Every row, by area.
const AREAS: &[&[&dyn Row]] = &[
    INTERNAL,
    diagnostics::ROWS,
    connection::ROWS,
    create::ROWS,
    messages::ROWS,
    deletion::ROWS,
    media::ROWS,
    receipts::ROWS,
    conversations::ROWS,
    unread::ROWS,
    settings::ROWS,
    blacklist::ROWS,
    push::ROWS,
    drafts::ROWS,
    search::ROWS,
    insert::ROWS,
    status::ROWS,
    mentions::ROWS,
    expansion::ROWS,
    typing::ROWS,
    directed::ROWS,
    chatroom::ROWS,
    ultragroup::ROWS,
];

/// Methods about the table itself.
const INTERNAL: &[&dyn Row] = &[&Custom {
    names: &["__methods"],
    run: |_, _| Ok(Outcome::Now(json!({ "code": 0, "value": names() }))),
}];

/// Every method name in the table (5.2.5 names and their deprecated aliases).
pub(crate) fn names() -> Vec<&'static str> {
    AREAS
        .iter()
        .flat_map(|rows| rows.iter())
        .flat_map(|row| row.names().iter().copied())
        .collect()
}

fn find(method: &str) -> Option<&'static dyn Row> {
    AREAS
        .iter()
        .flat_map(|rows| rows.iter())
        .find(|row| row.names().contains(&method))
        .copied()
}

/// Runs `method`.
pub(crate) fn dispatch(context: &Context<'_>, method: &str, args: serde_json::Value) -> Outcome {
    let Some(row) = find(method) else {
        return Outcome::Now(json!({
            "code": codes::PARAM_ERROR,
            "message": format!("unknown method {method}"),
        }));
    };
    match row.call(context, args) {
        Ok(outcome) => outcome,
        Err(ArgError(message)) => {
            tracing::debug!(method, %message, "argument error");
            Outcome::Now(json!({ "code": codes::PARAM_ERROR, "message": message }))
        }
    }
}
