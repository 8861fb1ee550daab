//! Drafts.

use super::Engine;
use crate::codes;
use crate::event::{Event, EventId};
use rcim_store::ConversationKey;

/// Longest draft text, in bytes.
pub const MAX_DRAFT_LEN: usize = 64 * 1024;

impl Engine {
    /// `saveDraftMessage`: stores the draft on the conversation (creating it) and moves the
    /// conversation up the list. An empty draft clears it.
    pub fn save_draft_message(&self, key: ConversationKey, draft: &str, event_id: EventId) -> i32 {
        if draft.len() > MAX_DRAFT_LEN {
            return codes::PARAM_ERROR;
        }
        let text = draft.to_string();
        let draft = draft.to_string();
        let now = crate::session::now_ms();
        self.conversation_query(
            key,
            move |s, key| s.save_draft(key, &text, now),
            move |code, key, _| Event::DraftMessageSaved {
                code,
                key,
                draft,
                event_id,
            },
        )
    }

    /// `clearDraftMessage`.
    pub fn clear_draft_message(&self, key: ConversationKey, event_id: EventId) -> i32 {
        self.conversation_query(
            key,
            |s, key| s.clear_draft(key),
            move |code, key, _| Event::DraftMessageCleared {
                code,
                key,
                event_id,
            },
        )
    }

    /// `loadDraftMessage` / `getDraftMessage` ("" when there is none).
    pub fn load_draft_message(&self, key: ConversationKey, event_id: EventId) -> i32 {
        self.conversation_query(
            key,
            |s, key| s.draft(key),
            move |code, key, draft| Event::DraftMessageLoaded {
                code,
                key,
                draft: draft.unwrap_or_default(),
                event_id,
            },
        )
    }
}
