//! Drafts.

use super::args::ConversationArgs;
use super::rows::{Local, Row};
use serde::{Deserialize, Serialize};

pub(super) const ROWS: &[&dyn Row] = &[
    &Local {
        names: &["saveDraftMessage"],
        listener: "onDraftMessageSaved",
        field: None,
        run: |engine, a: &SaveDraftArgs| engine.save_draft_message(a.conversation.key(), &a.draft),
    },
    &Local {
        names: &["clearDraftMessage"],
        listener: "onDraftMessageCleared",
        field: None,
        run: |engine, a: &ConversationArgs| engine.clear_draft_message(a.key()),
    },
    &Local {
        names: &["getDraftMessage", "loadDraftMessage"],
        listener: "onDraftMessageLoaded",
        field: Some("draft"),
        run: |engine, a: &ConversationArgs| engine.draft_message(a.key()),
    },
];

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SaveDraftArgs {
    #[serde(flatten)]
    conversation: ConversationArgs,
    draft: String,
}
