//! The user's inbox as the server delivers it: batches of messages, recalls, read marks and
//! conversation settings applied in one transaction with the inbox cursor.

use crate::error::Result;
use crate::history::{insert_delivered, note_messages, Delivery};
use crate::rows::{
    self, ConversationSettingUpdate, MessageRow, NewMessage, ReadMark, RecallUpdate,
};
use crate::store::Store;

const CURSOR_KEY: &str = "inbox_cursor";
/// The server's inbox epoch the cursor belongs to (`ConnectAck.inbox_epoch`).
const EPOCH_KEY: &str = "inbox_epoch";

impl Store {
    /// Stores a batch of messages from the server's inbox and moves the inbox cursor to `cursor`,
    /// in one transaction. Messages whose uid is already stored are skipped (a redelivery, or a
    /// message this device sent itself) unless only a history page stored them (they are
    /// received now); a copy of our own message carrying the client id of a local outgoing row
    /// completes that row (this device sent it but missed the ack). Returns the rows received,
    /// in order.
    pub fn apply_inbox(&mut self, messages: &[NewMessage], cursor: u64) -> Result<Vec<MessageRow>> {
        Ok(self.apply_inbox_entries(messages, &[], &[], &[], cursor)?.0)
    }

    /// [`Store::apply_inbox`] plus recalls and read marks, in one transaction: the messages are
    /// stored first (a recall always follows its message in the inbox), then each recall
    /// converts its message (see [`Store::recall_message`]), then the read marks and the
    /// conversation settings apply. Returns the inserted rows (as stored after the recalls) and
    /// the rows converted by a recall (recalls of unknown messages are skipped).
    pub fn apply_inbox_entries(
        &mut self,
        messages: &[NewMessage],
        recalls: &[RecallUpdate],
        marks: &[ReadMark],
        settings: &[ConversationSettingUpdate],
        cursor: u64,
    ) -> Result<(Vec<MessageRow>, Vec<MessageRow>)> {
        let tx = self.conn.savepoint()?;
        let mut inserted = Vec::with_capacity(messages.len());
        note_messages(&tx, messages, true)?;
        for message in messages {
            let Some(id) = insert_delivered(&tx, message, Delivery::Inbox)? else {
                continue;
            };
            rows::account_new_message(&tx, message, id)?;
            inserted.push(rows::message_by_id(&tx, id)?.expect("row just inserted"));
        }
        crate::group_receipts::merge_delivered(&tx, messages)?;
        let mut recalled = Vec::with_capacity(recalls.len());
        for recall in recalls {
            if let Some(row) = rows::recall(&tx, recall)? {
                if let Some(pos) = inserted.iter().position(|r| r.id == row.id) {
                    inserted[pos] = row.clone();
                }
                recalled.push(row);
            }
        }
        for mark in marks {
            rows::apply_read_mark(&tx, mark)?;
        }
        for setting in settings {
            rows::apply_setting(&tx, setting)?;
        }
        rows::kv_set(&tx, CURSOR_KEY, &cursor.to_string())?;
        tx.commit()?;
        Ok((inserted, recalled))
    }

    /// The highest inbox sequence applied locally (0 for a new database).
    pub fn inbox_cursor(&self) -> Result<u64> {
        Ok(self
            .kv_get(CURSOR_KEY)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// Whether an inbox cursor was ever stored (false for a new installation, which starts
    /// syncing at the server's offline compensation point instead of at 0).
    pub fn inbox_synced(&self) -> Result<bool> {
        Ok(self.kv_get(CURSOR_KEY)?.is_some())
    }

    /// Moves the inbox cursor (e.g. back, when the server's inbox was reset).
    pub fn set_inbox_cursor(&mut self, cursor: u64) -> Result<()> {
        rows::kv_set(&self.conn, CURSOR_KEY, &cursor.to_string())
    }

    /// The server's inbox epoch the cursor counts in (0: never told, or a server without
    /// epochs).
    pub fn inbox_epoch(&self) -> Result<u64> {
        Ok(self
            .kv_get(EPOCH_KEY)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// Moves the inbox cursor and, unless `epoch` is 0, records the epoch it counts in, in
    /// one transaction (a cursor of one epoch is never stored with another).
    pub fn set_inbox_position(&mut self, cursor: u64, epoch: u64) -> Result<()> {
        let tx = self.conn.savepoint()?;
        rows::kv_set(&tx, CURSOR_KEY, &cursor.to_string())?;
        if epoch != 0 {
            rows::kv_set(&tx, EPOCH_KEY, &epoch.to_string())?;
        }
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;

    #[test]
    fn inbox_batches_dedupe_count_unread_and_move_the_cursor() {
        let mut s = Store::open_in_memory().unwrap();
        assert_eq!(s.inbox_cursor().unwrap(), 0);
        let batch = vec![
            msg("alice", Some("A"), direction::RECEIVE, 1),
            msg("alice", Some("B"), direction::RECEIVE, 2),
        ];
        assert_eq!(s.apply_inbox(&batch, 2).unwrap().len(), 2);
        // Redelivery of B plus a new C: only C is inserted.
        let again = vec![
            msg("alice", Some("B"), direction::RECEIVE, 2),
            msg("alice", Some("C"), direction::RECEIVE, 3),
        ];
        let inserted = s.apply_inbox(&again, 4).unwrap();
        assert_eq!(inserted.len(), 1);
        assert_eq!(inserted[0].uid.as_deref(), Some("C"));
        assert_eq!(s.inbox_cursor().unwrap(), 4);
        assert_eq!(s.unread_count(&key("alice")).unwrap(), 3);
        assert_eq!(s.total_unread_count("").unwrap(), 3);

        assert!(s.clear_unread(&key("alice"), 2).unwrap());
        assert_eq!(s.unread_count(&key("alice")).unwrap(), 1);
        assert!(s.clear_unread(&key("alice"), 0).unwrap());
        assert_eq!(s.unread_count(&key("alice")).unwrap(), 0);
        assert!(!s.clear_unread(&key("nobody"), 0).unwrap());
    }

    #[test]
    fn the_cursor_and_its_epoch_move_together() {
        let mut s = Store::open_in_memory().unwrap();
        assert_eq!(s.inbox_epoch().unwrap(), 0);
        s.set_inbox_position(7, 42).unwrap();
        assert_eq!(
            (s.inbox_cursor().unwrap(), s.inbox_epoch().unwrap()),
            (7, 42)
        );
        // Epoch 0 leaves the stored one.
        s.set_inbox_position(3, 0).unwrap();
        assert_eq!(
            (s.inbox_cursor().unwrap(), s.inbox_epoch().unwrap()),
            (3, 42)
        );
        assert!(s.inbox_synced().unwrap());
    }

    #[test]
    fn an_inbox_copy_of_our_own_unacked_message_completes_it() {
        let mut s = Store::open_in_memory().unwrap();
        let mut outgoing = msg("bob", None, direction::SEND, 1);
        outgoing.client_msg_id = Some("c1".into());
        let row = s.insert_outgoing(&outgoing).unwrap();
        // The server stored it, the ack was lost, and our own inbox copy arrives first.
        let mut copy = msg("bob", Some("U9"), direction::SEND, 7);
        copy.client_msg_id = Some("c1".into());
        assert!(s.apply_inbox(&[copy], 1).unwrap().is_empty());
        let completed = s.message(row.id).unwrap().unwrap();
        assert_eq!(completed.uid.as_deref(), Some("U9"));
        assert_eq!(completed.sent_status, sent_status::SENT);
        assert_eq!(s.message_count(&key("bob")).unwrap(), 1);
        // The late ack changes nothing.
        s.update_sent(row.id, sent_status::SENT, Some("U9"), Some(7))
            .unwrap();
        assert_eq!(s.message_count(&key("bob")).unwrap(), 1);
    }
}
