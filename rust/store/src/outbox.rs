//! The persisted request queue (outbox): operations that change server state, stored before
//! they go on the wire and removed once the server's answer has been applied (migration 003).
//!
//! The store only keeps the rows; the engine decides what a request means. A send's row points
//! at its message (`message_id`) and carries no encoded request: it is rebuilt from the message.

use crate::error::Result;
use crate::rows::{self, MessageRow, NewMessage};
use crate::store::Store;
use crate::values::sent_status;
use rusqlite::{params, OptionalExtension};

/// One queued operation, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxRow {
    /// Local id; the queue's order.
    pub id: i64,
    /// Client-generated request id (a send's is its message's client id).
    pub request_id: String,
    /// The encoded protobuf `Request`; empty for sends.
    pub request: Vec<u8>,
    /// The message of a send.
    pub message_id: Option<i64>,
    /// When it was queued (ms since the epoch).
    pub created_at: i64,
}

/// A queued operation with the message row of a send (rows whose message is gone are skipped).
pub type QueuedOperation = (OutboxRow, Option<MessageRow>);

impl Store {
    /// Queues an operation that has no message row; returns its id.
    pub fn outbox_push(
        &mut self,
        request_id: &str,
        request: &[u8],
        created_at: i64,
    ) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO outbox (request_id, request, created_at) VALUES (?1, ?2, ?3)",
            params![request_id, request, created_at],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Stores an outgoing message (status SENDING, see [`Store::insert_outgoing`]) and queues
    /// its send under its client id, in one transaction. Returns the row and the queue id.
    pub fn insert_queued_outgoing(&mut self, message: &NewMessage) -> Result<(MessageRow, i64)> {
        let tx = self.conn.savepoint()?;
        let id = rows::insert_message(&tx, message)?;
        rows::touch_conversation(&tx, &message.key(), id, message.sent_time, false)?;
        let row = rows::message_by_id(&tx, id)?.expect("row just inserted");
        let queued = queue_send(&tx, &row)?;
        tx.commit()?;
        Ok((row, queued))
    }

    /// Sends a FAILED outgoing message again: back to SENDING and queued, in one transaction.
    /// Returns `None` when `message_id` is not a failed outgoing message.
    pub fn requeue_failed(&mut self, message_id: i64) -> Result<Option<(MessageRow, i64)>> {
        let tx = self.conn.savepoint()?;
        let changed = tx.execute(
            "UPDATE messages SET sent_status = ?2 WHERE id = ?1 AND sent_status = ?3
               AND direction = 0",
            params![message_id, sent_status::SENDING, sent_status::FAILED],
        )?;
        if changed == 0 {
            return Ok(None);
        }
        let row = rows::message_by_id(&tx, message_id)?.expect("row just updated");
        let queued = queue_send(&tx, &row)?;
        tx.commit()?;
        Ok(Some((row, queued)))
    }

    /// Every queued operation, oldest first, with the message row of sends.
    pub fn outbox(&self) -> Result<Vec<QueuedOperation>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, request_id, request, message_id, created_at FROM outbox ORDER BY id",
        )?;
        let queued = stmt
            .query_map([], |r| {
                Ok(OutboxRow {
                    id: r.get(0)?,
                    request_id: r.get(1)?,
                    request: r.get(2)?,
                    message_id: r.get(3)?,
                    created_at: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(queued.len());
        for row in queued {
            match row.message_id {
                Some(id) => {
                    if let Some(message) = rows::message_by_id(&self.conn, id)? {
                        out.push((row, Some(message)));
                    }
                }
                None => out.push((row, None)),
            }
        }
        Ok(out)
    }

    /// Removes an answered (or abandoned) operation. Returns false when it was not queued.
    pub fn outbox_remove(&mut self, id: i64) -> Result<bool> {
        Ok(self
            .conn
            .execute("DELETE FROM outbox WHERE id = ?1", [id])?
            > 0)
    }

    /// The queue id of the send of message `message_id`, if it is queued.
    pub fn outbox_of_message(&self, message_id: i64) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM outbox WHERE message_id = ?1",
                [message_id],
                |r| r.get(0),
            )
            .optional()?)
    }
}

/// Queues the send of `row` under its client id.
pub(crate) fn queue_send(tx: &rusqlite::Connection, row: &MessageRow) -> Result<i64> {
    let request_id = row.client_msg_id.clone().unwrap_or_default();
    tx.execute(
        "INSERT INTO outbox (request_id, message_id, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (request_id) DO UPDATE SET message_id = excluded.message_id",
        params![request_id, row.id, row.sent_time],
    )?;
    Ok(tx.query_row(
        "SELECT id FROM outbox WHERE request_id = ?1",
        [request_id],
        |r| r.get(0),
    )?)
}

#[cfg(test)]
mod tests {
    use crate::rows::NewMessage;
    use crate::store::Store;
    use crate::values::{direction, received_status, sent_status};

    fn outgoing(client_id: &str) -> NewMessage {
        NewMessage {
            conversation_type: 1,
            target_id: "bob".into(),
            channel_id: String::new(),
            message_type: 2,
            object_name: "RC:TxtMsg".into(),
            content: r#"{"content":"hi"}"#.into(),
            uid: None,
            client_msg_id: Some(client_id.into()),
            sender_id: "me".into(),
            direction: direction::SEND,
            sent_status: sent_status::SENDING,
            received_status: received_status::READ,
            sent_time: 10,
            received_time: 10,
            counted: false,
            extra_json: None,
            conv_seq: 0,
            mentioned: false,
            group_receipt: None,
        }
    }

    #[test]
    fn operations_come_back_in_order_until_removed() {
        let mut store = Store::open_in_memory().unwrap();
        let a = store.outbox_push("r1", b"one", 1).unwrap();
        let (row, b) = store.insert_queued_outgoing(&outgoing("c1")).unwrap();
        let c = store.outbox_push("r2", b"two", 3).unwrap();
        let queued = store.outbox().unwrap();
        let ids: Vec<i64> = queued.iter().map(|(q, _)| q.id).collect();
        assert_eq!(ids, vec![a, b, c]);
        assert_eq!(queued[0].0.request, b"one");
        assert_eq!(queued[1].0.request_id, "c1");
        assert!(queued[1].0.request.is_empty());
        assert_eq!(queued[1].1.as_ref().unwrap().id, row.id);
        assert!(queued[2].1.is_none());
        assert_eq!(store.outbox_of_message(row.id).unwrap(), Some(b));

        assert!(store.outbox_remove(b).unwrap());
        assert!(!store.outbox_remove(b).unwrap());
        let ids: Vec<i64> = store.outbox().unwrap().iter().map(|(q, _)| q.id).collect();
        assert_eq!(ids, vec![a, c]);
    }

    #[test]
    fn a_request_id_is_queued_once() {
        let mut store = Store::open_in_memory().unwrap();
        store.outbox_push("r1", b"one", 1).unwrap();
        assert!(store.outbox_push("r1", b"again", 2).is_err());
        assert_eq!(store.outbox().unwrap().len(), 1);
    }

    #[test]
    fn a_failed_message_is_queued_again_but_not_a_sent_one() {
        let mut store = Store::open_in_memory().unwrap();
        let (row, queued) = store.insert_queued_outgoing(&outgoing("c1")).unwrap();
        assert!(
            store.requeue_failed(row.id).unwrap().is_none(),
            "still sending"
        );
        store.outbox_remove(queued).unwrap();
        store
            .update_sent(row.id, sent_status::FAILED, None, None)
            .unwrap();
        let (again, requeued) = store.requeue_failed(row.id).unwrap().unwrap();
        assert_eq!(again.sent_status, sent_status::SENDING);
        assert_eq!(store.outbox_of_message(row.id).unwrap(), Some(requeued));
        store.outbox_remove(requeued).unwrap();
        store
            .update_sent(row.id, sent_status::SENT, Some("u1"), Some(20))
            .unwrap();
        assert!(store.requeue_failed(row.id).unwrap().is_none());
    }

    #[test]
    fn messages_left_sending_by_an_older_version_are_queued_by_the_migration() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("im.db");
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute_batch(include_str!("../migrations/001_init.sql"))
                .unwrap();
            conn.execute_batch(include_str!("../migrations/002_search.sql"))
                .unwrap();
            conn.pragma_update(None, "user_version", 2).unwrap();
            conn.execute(
                "INSERT INTO messages (conversation_type, target_id, message_type, object_name,
                   content, client_msg_id, sender_id, direction, sent_status, received_status,
                   sent_time, received_time)
                 VALUES (1, 'bob', 2, 'RC:TxtMsg', '{}', 'old', 'me', 0, 0, 1, 5, 5),
                        (1, 'bob', 2, 'RC:TxtMsg', '{}', 'done', 'me', 0, 2, 1, 6, 6),
                        (1, 'bob', 2, 'RC:TxtMsg', '{}', NULL, 'me', 0, 0, 1, 7, 7)",
                [],
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let queued = store.outbox().unwrap();
        assert_eq!(queued.len(), 1);
        assert_eq!(queued[0].0.request_id, "old");
        assert_eq!(
            queued[0].1.as_ref().unwrap().client_msg_id.as_deref(),
            Some("old")
        );
        // Without a client id it cannot be queued: it failed (instead of SENDING forever).
        let no_id = store
            .message(3)
            .unwrap()
            .expect("the message without a client id");
        assert_eq!(no_id.client_msg_id, None);
        assert_eq!(no_id.sent_status, sent_status::FAILED);
        assert_eq!(
            store.message(1).unwrap().unwrap().sent_status,
            sent_status::SENDING
        );
    }
}
