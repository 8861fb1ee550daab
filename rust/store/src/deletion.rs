//! Deleting messages (by local id, by server uid) and clearing a conversation's history up to
//! a time. Each keeps the conversation's unread count, mentioned count and last message right
//! (`rows::recount_conversation`) in the same transaction. History ranges stay: messages
//! deleted on purpose are not fetched again by LOCAL_REMOTE paging.

use crate::error::Result;
use crate::rows::{self, ConversationKey, MessageRow};
use crate::store::Store;
use rusqlite::params;
use std::collections::HashSet;

/// Most messages one call deletes (the API takes at most 100 per call; this bounds hostile
/// input).
pub const MAX_DELETE: usize = 1000;

impl Store {
    /// Deletes the messages with local ids `ids` (any conversations; unknown ids are skipped,
    /// at most [`MAX_DELETE`] are looked at). Returns the deleted rows.
    pub fn delete_messages(&mut self, ids: &[i64]) -> Result<Vec<MessageRow>> {
        let tx = self.conn.savepoint()?;
        let mut deleted = Vec::new();
        for &id in ids.iter().take(MAX_DELETE) {
            if let Some(row) = rows::message_by_id(&tx, id)? {
                tx.prepare_cached("DELETE FROM messages WHERE id = ?1")?
                    .execute([id])?;
                deleted.push(row);
            }
        }
        recount_all(&tx, &deleted)?;
        tx.commit()?;
        Ok(deleted)
    }

    /// Deletes the messages of `key` with server uids `uids` (another conversation's uids and
    /// unknown ones are skipped; at most [`MAX_DELETE`]). Returns the deleted rows.
    pub fn delete_messages_by_uid(
        &mut self,
        key: &ConversationKey,
        uids: &[String],
    ) -> Result<Vec<MessageRow>> {
        let tx = self.conn.savepoint()?;
        let mut deleted = Vec::new();
        for uid in uids.iter().take(MAX_DELETE) {
            let found = rows::query_messages(
                &tx,
                "SELECT * FROM messages WHERE uid = ?1 AND conversation_type = ?2
                   AND target_id = ?3 AND channel_id = ?4",
                params![uid, key.conversation_type, key.target_id, key.channel_id],
            )?;
            for row in found {
                tx.prepare_cached("DELETE FROM messages WHERE id = ?1")?
                    .execute([row.id])?;
                deleted.push(row);
            }
        }
        recount_all(&tx, &deleted)?;
        tx.commit()?;
        Ok(deleted)
    }

    /// Deletes `key`'s messages sent at or before `before_time` (0 or less: all of them).
    /// Returns how many were deleted.
    pub fn clear_messages(&mut self, key: &ConversationKey, before_time: i64) -> Result<u64> {
        let tx = self.conn.savepoint()?;
        let cleared = tx.execute(
            "DELETE FROM messages WHERE conversation_type = ?1 AND target_id = ?2
               AND channel_id = ?3 AND (?4 <= 0 OR sent_time <= ?4)",
            params![
                key.conversation_type,
                key.target_id,
                key.channel_id,
                before_time
            ],
        )?;
        rows::recount_conversation(&tx, key)?;
        tx.commit()?;
        Ok(cleared as u64)
    }

    /// The sent time of `key`'s newest stored message (`None` without messages).
    pub fn latest_sent_time(&self, key: &ConversationKey) -> Result<Option<i64>> {
        Ok(self.conn.query_row(
            "SELECT MAX(sent_time) FROM messages WHERE conversation_type = ?1
               AND target_id = ?2 AND channel_id = ?3",
            params![key.conversation_type, key.target_id, key.channel_id],
            |r| r.get(0),
        )?)
    }
}

/// Recounts every conversation `deleted` touched, once each.
fn recount_all(tx: &rusqlite::Connection, deleted: &[MessageRow]) -> Result<()> {
    let keys: HashSet<ConversationKey> = deleted.iter().map(MessageRow::key).collect();
    for key in keys {
        rows::recount_conversation(tx, &key)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;

    fn seeded() -> (Store, Vec<crate::MessageRow>) {
        let mut s = Store::open_in_memory().unwrap();
        let batch: Vec<_> = (1..=5)
            .map(|i| msg("bob", Some(&format!("u{i}")), direction::RECEIVE, i * 10))
            .collect();
        let rows = s.apply_inbox(&batch, 5).unwrap();
        (s, rows)
    }

    #[test]
    fn deleting_by_id_recounts_unread_and_moves_the_last_message() {
        let (mut s, rows) = seeded();
        assert_eq!(s.unread_count(&key("bob")).unwrap(), 5);
        let deleted = s.delete_messages(&[rows[4].id, rows[1].id, 999]).unwrap();
        assert_eq!(deleted.len(), 2);
        let conv = s.conversation(&key("bob")).unwrap().unwrap();
        assert_eq!(conv.unread_count, 3);
        assert_eq!(conv.last_message.unwrap().uid.as_deref(), Some("u4"));
        assert_eq!(s.message_count(&key("bob")).unwrap(), 3);
        // Deleted messages are no longer searchable.
        assert_eq!(
            s.search_messages(&key("bob"), "hi", 0, 10).unwrap().len(),
            3
        );
        // Deleting everything leaves the conversation without a last message.
        let rest: Vec<i64> = rows.iter().map(|r| r.id).collect();
        s.delete_messages(&rest).unwrap();
        let conv = s.conversation(&key("bob")).unwrap().unwrap();
        assert_eq!((conv.unread_count, conv.last_message), (0, None));
    }

    #[test]
    fn deleting_by_uid_stays_in_its_conversation() {
        let (mut s, _) = seeded();
        s.apply_inbox(&[msg("eve", Some("e1"), direction::RECEIVE, 1)], 6)
            .unwrap();
        let deleted = s
            .delete_messages_by_uid(&key("bob"), &["u1".into(), "e1".into(), "zz".into()])
            .unwrap();
        assert_eq!(deleted.len(), 1);
        assert!(s.message_by_uid("e1").unwrap().is_some());
        assert_eq!(s.unread_count(&key("bob")).unwrap(), 4);
        assert_eq!(s.unread_count(&key("eve")).unwrap(), 1);
    }

    #[test]
    fn clearing_up_to_a_time_and_everything() {
        let (mut s, _) = seeded();
        assert_eq!(s.latest_sent_time(&key("bob")).unwrap(), Some(50));
        assert_eq!(s.clear_messages(&key("bob"), 30).unwrap(), 3);
        let conv = s.conversation(&key("bob")).unwrap().unwrap();
        assert_eq!(conv.unread_count, 2);
        assert_eq!(conv.last_message.unwrap().sent_time, 50);
        assert_eq!(s.clear_messages(&key("bob"), 0).unwrap(), 2);
        assert_eq!(s.latest_sent_time(&key("bob")).unwrap(), None);
        assert_eq!(s.unread_count(&key("bob")).unwrap(), 0);
    }

    #[test]
    fn deleting_a_queued_send_drops_it_from_the_outbox() {
        let mut s = Store::open_in_memory().unwrap();
        let mut m = msg("bob", None, direction::SEND, 1);
        m.client_msg_id = Some("c1".into());
        let (row, _) = s.insert_queued_outgoing(&m).unwrap();
        assert_eq!(s.outbox().unwrap().len(), 1);
        s.delete_messages(&[row.id]).unwrap();
        assert!(s.outbox().unwrap().is_empty());
    }
}
