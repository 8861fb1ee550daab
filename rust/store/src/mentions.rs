//! Mentions: the unread messages that @-mention this user (`messages.mentioned`, see
//! migration 005) and their count (`conversations.mentioned_count`, kept exact by every write
//! that changes unread messages: see `rows::recount_unread`).

use crate::error::Result;
use crate::rows::{self, ConversationKey, MessageRow};
use crate::store::Store;
use rusqlite::params;

impl Store {
    /// The unread messages of a conversation that @-mention this user, oldest first
    /// (`getUnreadMentionedMessages`). Read off the index `messages_unread`.
    pub fn unread_mentioned_messages(&self, key: &ConversationKey) -> Result<Vec<MessageRow>> {
        rows::query_messages(
            &self.conn,
            "SELECT * FROM messages
             WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3
               AND mentioned = 1 AND direction = 1 AND received_status = 0 AND counted = 1
             ORDER BY sent_time ASC, id ASC",
            params![key.conversation_type, key.target_id, key.channel_id],
        )
    }

    /// The number of unread messages of a conversation that @-mention this user
    /// (`getUnreadMentionedCount`; 0 when the conversation does not exist).
    pub fn unread_mentioned_count(&self, key: &ConversationKey) -> Result<u64> {
        Ok(self.conversation(key)?.map_or(0, |c| c.mentioned_count))
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;

    fn group_msg(uid: &str, time: i64, mentioned: bool) -> NewMessage {
        let mut m = msg("g1", Some(uid), direction::RECEIVE, time);
        m.conversation_type = 2;
        m.sender_id = "alice".into();
        m.mentioned = mentioned;
        m
    }

    fn g1() -> ConversationKey {
        ConversationKey::new(2, "g1", "")
    }

    fn uids(s: &Store) -> Vec<String> {
        s.unread_mentioned_messages(&g1())
            .unwrap()
            .into_iter()
            .map(|m| m.uid.unwrap())
            .collect()
    }

    #[test]
    fn mentioned_count_follows_receive_clear_read_sync_and_recall() {
        let mut s = Store::open_in_memory().unwrap();
        s.apply_inbox(
            &[
                group_msg("A", 1, true),
                group_msg("B", 2, false),
                group_msg("C", 3, true),
                group_msg("D", 4, true),
            ],
            4,
        )
        .unwrap();
        // A redelivery does not count twice.
        s.apply_inbox(&[group_msg("A", 1, true)], 5).unwrap();
        assert_eq!(s.unread_mentioned_count(&g1()).unwrap(), 3);
        assert_eq!(uids(&s), vec!["A", "C", "D"]);
        assert_eq!(s.unread_count(&g1()).unwrap(), 4);
        // Clearing up to time 1 reads A only.
        s.clear_unread(&g1(), 1).unwrap();
        assert_eq!(s.unread_mentioned_count(&g1()).unwrap(), 2);
        // A recall of an unread mention.
        s.recall_message(&recall_of("C")).unwrap().unwrap();
        assert_eq!(s.unread_mentioned_count(&g1()).unwrap(), 1);
        assert_eq!(uids(&s), vec!["D"]);
        // Read on another device up to time 4 (a read mark of this user).
        s.apply_inbox_entries(
            &[],
            &[],
            &[ReadMark {
                key: g1(),
                timestamp: 4,
                by_peer: false,
            }],
            &[],
            6,
        )
        .unwrap();
        assert_eq!(s.unread_mentioned_count(&g1()).unwrap(), 0);
        assert_eq!(s.unread_count(&g1()).unwrap(), 0);
        assert!(uids(&s).is_empty());
        assert_eq!(s.unread_mentioned_count(&key("nobody")).unwrap(), 0);
    }

    #[test]
    fn unread_mentions_are_read_off_their_index() {
        let s = Store::open_in_memory().unwrap();
        let plan: String = s
            .conn
            .query_row(
                "EXPLAIN QUERY PLAN SELECT * FROM messages
                 WHERE conversation_type = 2 AND target_id = 'g' AND channel_id = ''
                   AND mentioned = 1 AND direction = 1 AND received_status = 0 AND counted = 1
                 ORDER BY sent_time ASC, id ASC",
                [],
                |r| r.get(3),
            )
            .unwrap();
        assert!(plan.contains("USING INDEX messages_unread"), "{plan}");
    }
}
