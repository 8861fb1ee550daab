//! Messages: outgoing rows and their send results, recalls, lookups and pages.

use crate::error::Result;
use crate::rows::{self, ConversationKey, MessageRow, NewMessage, RecallUpdate, TimeOrder};
use crate::store::Store;
use rusqlite::params;

impl Store {
    /// Stores an outgoing message (status SENDING) and makes it its conversation's last message.
    pub fn insert_outgoing(&mut self, message: &NewMessage) -> Result<MessageRow> {
        let tx = self.conn.savepoint()?;
        let id = rows::insert_message(&tx, message)?;
        rows::touch_conversation(&tx, &message.key(), id, message.sent_time, false)?;
        let row = rows::message_by_id(&tx, id)?.expect("row just inserted");
        tx.commit()?;
        Ok(row)
    }

    /// Updates the send result of message `id`. Returns the updated row.
    pub fn update_sent(
        &mut self,
        id: i64,
        status: u8,
        uid: Option<&str>,
        sent_time: Option<i64>,
    ) -> Result<Option<MessageRow>> {
        let tx = self.conn.savepoint()?;
        tx.execute(
            "UPDATE messages SET sent_status = ?2, uid = COALESCE(?3, uid),
                 sent_time = COALESCE(?4, sent_time) WHERE id = ?1",
            params![id, status, uid, sent_time],
        )?;
        let row = rows::message_by_id(&tx, id)?;
        if let Some(row) = &row {
            // The server's time orders the conversation list (the device clock may be off);
            // a draft saved meanwhile keeps the conversation where the draft put it.
            tx.execute(
                "UPDATE conversations
                 SET sort_time = CASE WHEN draft <> '' THEN MAX(sort_time, ?4) ELSE ?4 END
                 WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3
                   AND last_message_id = ?5",
                params![
                    row.conversation_type,
                    row.target_id,
                    row.channel_id,
                    row.sent_time,
                    row.id
                ],
            )?;
        }
        tx.commit()?;
        Ok(row)
    }

    /// Outgoing messages still waiting for an ack, oldest first (to resend after a restart).
    pub fn pending_outgoing(&self) -> Result<Vec<MessageRow>> {
        rows::query_messages(
            &self.conn,
            "SELECT * FROM messages WHERE sent_status = 0 AND direction = 0 ORDER BY id",
            [],
        )
    }

    /// Turns the message with server uid `recall.uid` into a recall notification (its type,
    /// object name and content replaced, the old content kept in the notification's
    /// `originalMessageContent` when `recall.keep_original`; no longer searchable nor
    /// counted). A received
    /// message still unread leaves the unread count. Returns the converted row, or `None`
    /// when no such message is stored. Converting an already converted row changes nothing.
    pub fn recall_message(&mut self, recall: &RecallUpdate) -> Result<Option<MessageRow>> {
        let tx = self.conn.savepoint()?;
        let row = rows::recall(&tx, recall)?;
        tx.commit()?;
        Ok(row)
    }

    /// The message with local id `id`.
    pub fn message(&self, id: i64) -> Result<Option<MessageRow>> {
        rows::message_by_id(&self.conn, id)
    }

    /// The message with server uid `uid`.
    pub fn message_by_uid(&self, uid: &str) -> Result<Option<MessageRow>> {
        Ok(
            rows::query_messages(&self.conn, "SELECT * FROM messages WHERE uid = ?1", [uid])?
                .into_iter()
                .next(),
        )
    }

    /// A page of a conversation's messages around `sent_time` (0 = from the newest for
    /// [`TimeOrder::Before`], from the oldest for [`TimeOrder::After`]).
    /// `Before` returns newest first; `After` returns oldest first.
    pub fn messages(
        &self,
        key: &ConversationKey,
        sent_time: i64,
        order: TimeOrder,
        count: u32,
    ) -> Result<Vec<MessageRow>> {
        let sql = match order {
            TimeOrder::Before => {
                "SELECT * FROM messages WHERE conversation_type = ?1 AND target_id = ?2
                   AND channel_id = ?3 AND (?4 <= 0 OR sent_time < ?4)
                 ORDER BY sent_time DESC, id DESC LIMIT ?5"
            }
            TimeOrder::After => {
                "SELECT * FROM messages WHERE conversation_type = ?1 AND target_id = ?2
                   AND channel_id = ?3 AND sent_time > ?4
                 ORDER BY sent_time ASC, id ASC LIMIT ?5"
            }
        };
        rows::query_messages(
            &self.conn,
            sql,
            params![
                key.conversation_type,
                key.target_id,
                key.channel_id,
                sent_time,
                count
            ],
        )
    }

    /// Number of messages stored for a conversation.
    pub fn message_count(&self, key: &ConversationKey) -> Result<u64> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM messages WHERE conversation_type = ?1 AND target_id = ?2
               AND channel_id = ?3",
            params![key.conversation_type, key.target_id, key.channel_id],
            |r| r.get(0),
        )?)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;

    #[test]
    fn outgoing_message_becomes_last_message_and_pending() {
        let mut s = Store::open_in_memory().unwrap();
        let row = s
            .insert_outgoing(&msg("bob", None, direction::SEND, 10))
            .unwrap();
        assert_eq!(s.pending_outgoing().unwrap(), vec![row.clone()]);
        let conv = s.conversation(&key("bob")).unwrap().unwrap();
        assert_eq!(conv.last_message.unwrap().id, row.id);
        assert_eq!(conv.unread_count, 0);

        let sent = s
            .update_sent(row.id, sent_status::SENT, Some("U1"), Some(20))
            .unwrap()
            .unwrap();
        assert_eq!(sent.uid.as_deref(), Some("U1"));
        assert_eq!(sent.sent_time, 20);
        assert!(s.pending_outgoing().unwrap().is_empty());
        assert_eq!(s.conversation(&key("bob")).unwrap().unwrap().sort_time, 20);
    }

    #[test]
    fn message_pages_follow_the_time_order() {
        let mut s = Store::open_in_memory().unwrap();
        let batch: Vec<_> = (1..=30)
            .map(|i| msg("alice", Some(&format!("u{i}")), direction::RECEIVE, i))
            .collect();
        s.apply_inbox(&batch, 30).unwrap();
        let newest = s.messages(&key("alice"), 0, TimeOrder::Before, 20).unwrap();
        assert_eq!(newest.len(), 20);
        assert_eq!(newest[0].sent_time, 30);
        assert_eq!(newest[19].sent_time, 11);
        let older = s
            .messages(&key("alice"), 11, TimeOrder::Before, 20)
            .unwrap();
        assert_eq!(older.len(), 10);
        assert_eq!(older[0].sent_time, 10);
        let after = s.messages(&key("alice"), 25, TimeOrder::After, 20).unwrap();
        let times: Vec<_> = after.iter().map(|m| m.sent_time).collect();
        assert_eq!(times, vec![26, 27, 28, 29, 30]);
        assert_eq!(s.message_count(&key("alice")).unwrap(), 30);
        assert_eq!(s.message_by_uid("u7").unwrap().unwrap().sent_time, 7);
    }

    #[test]
    fn recalls_convert_rows_once_and_leave_the_unread_count() {
        let mut s = Store::open_in_memory().unwrap();
        let recv = |uid, t| msg("bob", Some(uid), direction::RECEIVE, t);
        // A message and its recall in the same package: stored already converted.
        let (inserted, recalled) = s
            .apply_inbox_entries(
                &[recv("U1", 10), recv("U2", 20)],
                &[recall_of("U1")],
                &[],
                &[],
                2,
            )
            .unwrap();
        assert_eq!(inserted[0].object_name, "RC:RcNtf");
        assert_eq!(inserted[0].message_type, 8);
        assert_eq!(inserted[1].object_name, "RC:TxtMsg");
        assert_eq!(recalled.len(), 1);
        assert_eq!(s.unread_count(&key("bob")).unwrap(), 1);
        // A later recall; again (no double decrement); an unknown uid is skipped.
        let row = s.recall_message(&recall_of("U2")).unwrap().unwrap();
        assert_eq!(row.object_name, "RC:RcNtf");
        assert!(!row.counted);
        // The notification keeps what was recalled.
        assert_eq!(
            row.content,
            r#"{"operatorId":"bob","originalMessageContent":{"content":"hi"}}"#
        );
        assert_eq!(s.unread_count(&key("bob")).unwrap(), 0);
        s.recall_message(&recall_of("U2")).unwrap().unwrap();
        assert_eq!(s.unread_count(&key("bob")).unwrap(), 0);
        assert!(s.recall_message(&recall_of("U9")).unwrap().is_none());
        // Recalled content is no longer searchable.
        assert!(s
            .search_messages(&key("bob"), "hi", 0, 10)
            .unwrap()
            .is_empty());
    }
}
