//! Typing status.

use super::args::ConversationArgs;
use super::rows::{Operation, Row};
use serde::Deserialize;

pub(super) const ROWS: &[&dyn Row] = &[&Operation {
    names: &["sendTypingStatus"],
    // No callback and no result listener: the reply's code is all there is.
    run: |engine, a: TypingArgs, _| {
        engine.send_typing_status(a.conversation.key(), &a.current_type)
    },
}];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct TypingArgs {
    #[serde(flatten)]
    conversation: ConversationArgs,
    current_type: String,
}
