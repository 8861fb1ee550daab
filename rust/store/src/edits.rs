//! Local edits: messages inserted by the app (`insertMessage(s)`, never sent) and status
//! changes (`changeMessageSentStatus`, `changeMessageReceiveStatus`).

use crate::error::Result;
use crate::rows::{self, MessageRow, NewMessage};
use crate::store::Store;
use rusqlite::params;

impl Store {
    /// Stores app-inserted messages, all or none (one transaction): each becomes its
    /// conversation's newest message when it is the newest, and a received unread message
    /// counts as unread (and as a mention when `mentioned`). Returns the stored rows in order.
    pub fn insert_messages(&mut self, messages: &[NewMessage]) -> Result<Vec<MessageRow>> {
        let tx = self.conn.savepoint()?;
        let mut stored = Vec::with_capacity(messages.len());
        for message in messages {
            let id = rows::store_message(&tx, message)?;
            stored.push(rows::message_by_id(&tx, id)?.expect("row just inserted"));
        }
        tx.commit()?;
        Ok(stored)
    }

    /// Sets the sent status of message `id`. Returns the updated row, `None` when there is no
    /// such message.
    pub fn set_sent_status(&mut self, id: i64, status: u8) -> Result<Option<MessageRow>> {
        self.conn
            .prepare_cached("UPDATE messages SET sent_status = ?2 WHERE id = ?1")?
            .execute(params![id, status])?;
        rows::message_by_id(&self.conn, id)
    }

    /// Replaces the `extra_json` of message `id` (fields kept beside the content: push
    /// options, expansion, ...). Returns the updated row, `None` when there is no such message.
    pub fn set_extra_json(
        &mut self,
        id: i64,
        extra_json: Option<&str>,
    ) -> Result<Option<MessageRow>> {
        self.conn
            .prepare_cached("UPDATE messages SET extra_json = ?2 WHERE id = ?1")?
            .execute(params![id, extra_json])?;
        rows::message_by_id(&self.conn, id)
    }

    /// Sets the received status of message `id` and recounts its conversation's unread and
    /// mentioned counts (a message marked read no longer counts; one marked unread again
    /// does). Returns the updated row, `None` when there is no such message.
    pub fn set_received_status(&mut self, id: i64, status: u8) -> Result<Option<MessageRow>> {
        let tx = self.conn.savepoint()?;
        tx.prepare_cached("UPDATE messages SET received_status = ?2 WHERE id = ?1")?
            .execute(params![id, status])?;
        let row = rows::message_by_id(&tx, id)?;
        if let Some(row) = &row {
            rows::recount_unread(&tx, &row.key())?;
        }
        tx.commit()?;
        Ok(row)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;

    fn mention(target: &str, time: i64) -> NewMessage {
        let mut m = msg(target, None, direction::RECEIVE, time);
        m.conversation_type = 2;
        m.mentioned = true;
        m
    }

    fn group(target: &str) -> ConversationKey {
        ConversationKey::new(2, target, "")
    }

    #[test]
    fn inserted_messages_update_the_conversation_and_its_counts() {
        let mut s = Store::open_in_memory().unwrap();
        let mut sent = msg("bob", None, direction::SEND, 5);
        sent.sent_status = sent_status::SENT;
        let rows = s
            .insert_messages(&[
                sent,
                msg("bob", None, direction::RECEIVE, 7),
                msg("bob", None, direction::RECEIVE, 3),
                mention("g1", 9),
            ])
            .unwrap();
        assert_eq!(rows.len(), 4);
        assert!(rows.iter().all(|r| r.uid.is_none()));
        let bob = s.conversation(&key("bob")).unwrap().unwrap();
        // The newest by sent time is the last message, whatever the insertion order.
        assert_eq!(bob.last_message.unwrap().id, rows[1].id);
        assert_eq!(bob.unread_count, 2);
        assert_eq!(bob.mentioned_count, 0);
        let g1 = s.conversation(&group("g1")).unwrap().unwrap();
        assert_eq!((g1.unread_count, g1.mentioned_count), (1, 1));
        assert!(rows[3].mentioned);
    }

    #[test]
    fn a_failing_batch_stores_nothing() {
        let mut s = Store::open_in_memory().unwrap();
        s.apply_inbox(&[msg("bob", Some("U1"), direction::RECEIVE, 1)], 1)
            .unwrap();
        // The second message reuses a stored uid: the batch fails as a whole.
        let err = s.insert_messages(&[
            msg("carol", None, direction::RECEIVE, 2),
            msg("bob", Some("U1"), direction::RECEIVE, 3),
        ]);
        assert!(err.is_err());
        assert!(s.conversation(&key("carol")).unwrap().is_none());
        assert_eq!(s.message_count(&key("bob")).unwrap(), 1);
    }

    #[test]
    fn status_changes_keep_unread_and_mention_counts() {
        let mut s = Store::open_in_memory().unwrap();
        let rows = s
            .insert_messages(&[mention("g1", 1), mention("g1", 2)])
            .unwrap();
        let read = s
            .set_received_status(rows[0].id, received_status::READ)
            .unwrap()
            .unwrap();
        assert_eq!(read.received_status, received_status::READ);
        let g1 = s.conversation(&group("g1")).unwrap().unwrap();
        assert_eq!((g1.unread_count, g1.mentioned_count), (1, 1));
        // Unread again: counted again.
        s.set_received_status(rows[0].id, received_status::UNREAD)
            .unwrap();
        assert_eq!(
            s.conversation(&group("g1"))
                .unwrap()
                .unwrap()
                .mentioned_count,
            2
        );
        // Another status than READ/UNREAD (LISTENED) no longer counts as unread.
        s.set_received_status(rows[1].id, 2).unwrap();
        let g1 = s.conversation(&group("g1")).unwrap().unwrap();
        assert_eq!((g1.unread_count, g1.mentioned_count), (1, 1));
        let sent = s.set_sent_status(rows[1].id, sent_status::FAILED).unwrap();
        assert_eq!(sent.unwrap().sent_status, sent_status::FAILED);
        assert!(s.set_sent_status(999, sent_status::SENT).unwrap().is_none());
        assert!(s.set_received_status(999, 1).unwrap().is_none());
    }
}
