//! Drafts.

use super::Engine;
use crate::codes::Code;
use crate::query::Query;
use rcim_store::ConversationKey;

/// Longest draft text, in bytes.
pub const MAX_DRAFT_LEN: usize = 64 * 1024;

impl Engine {
    /// `saveDraftMessage`: stores the draft on the conversation (creating it) and moves the
    /// conversation up the list. An empty draft clears it.
    pub fn save_draft_message(&self, key: ConversationKey, draft: &str) -> Result<Query<()>, Code> {
        if draft.len() > MAX_DRAFT_LEN {
            return Err(Code::PARAM_ERROR);
        }
        let text = draft.to_string();
        let now = crate::session::now_ms();
        self.conversation_query(key, move |s, key| s.save_draft(key, &text, now))
    }

    /// `clearDraftMessage`.
    pub fn clear_draft_message(&self, key: ConversationKey) -> Result<Query<()>, Code> {
        self.conversation_query(key, |s, key| s.clear_draft(key))
    }

    /// `getDraftMessage` ("" when there is none).
    pub fn draft_message(&self, key: ConversationKey) -> Result<Query<String>, Code> {
        self.conversation_query(key, |s, key| s.draft(key))
    }
}
