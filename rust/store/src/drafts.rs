//! Drafts, stored on their conversation.

use crate::error::Result;
use crate::rows::ConversationKey;
use crate::store::Store;
use rusqlite::{params, OptionalExtension};

impl Store {
    /// Saves the conversation's draft text (`saveDraftMessage`) and moves the conversation to
    /// `now` (ms) in the list, creating it when it has no messages yet, as IMLib does. An empty
    /// draft clears it ([`Store::clear_draft`]).
    pub fn save_draft(&mut self, key: &ConversationKey, draft: &str, now: i64) -> Result<()> {
        if draft.is_empty() {
            return self.clear_draft(key);
        }
        self.conn.execute(
            "INSERT INTO conversations (conversation_type, target_id, channel_id, sort_time, draft)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (conversation_type, target_id, channel_id) DO UPDATE SET
                 draft = excluded.draft, sort_time = MAX(sort_time, excluded.sort_time)",
            params![
                key.conversation_type,
                key.target_id,
                key.channel_id,
                now,
                draft
            ],
        )?;
        Ok(())
    }

    /// Removes the conversation's draft (`clearDraftMessage`). A conversation that only existed
    /// for its draft (no message, not pinned, no notification level (NONE), nothing unread) leaves the
    /// list again.
    pub fn clear_draft(&mut self, key: &ConversationKey) -> Result<()> {
        let tx = self.conn.savepoint()?;
        tx.execute(
            "UPDATE conversations SET draft = ''
             WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3",
            params![key.conversation_type, key.target_id, key.channel_id],
        )?;
        tx.execute(
            "DELETE FROM conversations
             WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3
               AND last_message_id IS NULL AND top = 0 AND notification_level = 1
               AND unread_count = 0 AND mentioned_count = 0",
            params![key.conversation_type, key.target_id, key.channel_id],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The conversation's draft text ("" when none).
    pub fn draft(&self, key: &ConversationKey) -> Result<String> {
        Ok(self
            .conn
            .query_row(
                "SELECT draft FROM conversations
                 WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3",
                params![key.conversation_type, key.target_id, key.channel_id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;

    #[test]
    fn drafts_are_stored_on_the_conversation_and_move_it_up() {
        let mut s = Store::open_in_memory().unwrap();
        s.apply_inbox(&[text("alice", "A", 10, "hi")], 1).unwrap();
        // A draft on a conversation without messages creates it.
        s.save_draft(&key("bob"), "草稿", 5).unwrap();
        assert_eq!(s.draft(&key("bob")).unwrap(), "草稿");
        let bob = s.conversation(&key("bob")).unwrap().unwrap();
        assert_eq!(bob.draft, "草稿");
        assert!(bob.last_message.is_none());
        let ids = |s: &Store| -> Vec<String> {
            s.conversations(&[1], "", 0, 50)
                .unwrap()
                .into_iter()
                .map(|c| c.key.target_id)
                .collect()
        };
        assert_eq!(ids(&s), vec!["alice", "bob"]);
        // Saving a draft moves the conversation to the top.
        s.save_draft(&key("bob"), "later", 20).unwrap();
        assert_eq!(ids(&s), vec!["bob", "alice"]);
        // A message sent before the draft was saved still becomes the last message.
        s.apply_inbox(&[text("bob", "B", 15, "earlier")], 2)
            .unwrap();
        let bob = s.conversation(&key("bob")).unwrap().unwrap();
        assert_eq!(bob.last_message.unwrap().uid.as_deref(), Some("B"));
        assert_eq!(bob.draft, "later");
        // Clearing keeps a conversation with messages, drops one that only had a draft.
        s.clear_draft(&key("bob")).unwrap();
        assert_eq!(s.draft(&key("bob")).unwrap(), "");
        assert!(s.conversation(&key("bob")).unwrap().is_some());
        s.save_draft(&key("carol"), "x", 30).unwrap();
        assert_eq!(ids(&s), vec!["carol", "bob", "alice"]);
        s.save_draft(&key("carol"), "", 31).unwrap();
        assert!(s.conversation(&key("carol")).unwrap().is_none());
        assert_eq!(s.draft(&key("nobody")).unwrap(), "");
    }

    #[test]
    fn an_ack_after_a_draft_keeps_the_draft_time() {
        let mut s = Store::open_in_memory().unwrap();
        let row = s
            .insert_outgoing(&msg("bob", None, direction::SEND, 100))
            .unwrap();
        s.save_draft(&key("bob"), "typing", 200).unwrap();
        s.update_sent(row.id, sent_status::SENT, Some("U1"), Some(90))
            .unwrap();
        let conv = s.conversation(&key("bob")).unwrap().unwrap();
        assert_eq!(conv.sort_time, 200);
        assert_eq!(conv.last_message.unwrap().uid.as_deref(), Some("U1"));
        // Without a draft the server's time wins, as before.
        let other = s
            .insert_outgoing(&msg("carol", None, direction::SEND, 100))
            .unwrap();
        s.update_sent(other.id, sent_status::SENT, Some("U2"), Some(90))
            .unwrap();
        assert_eq!(
            s.conversation(&key("carol")).unwrap().unwrap().sort_time,
            90
        );
    }
}
