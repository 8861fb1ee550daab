//! Chatroom messages on the device (R186, R201): stored like other received messages so
//! lookups and pages find them, but they never make a conversation (no conversation-list
//! entry, no unread count: see `rows::touch_conversation`), and they all go when the user
//! leaves the room, is kicked out of it, or the room is destroyed.

use crate::error::Result;
use crate::history::{insert_delivered, Delivery};
use crate::rows::{self, MessageRow, NewMessage};
use crate::store::Store;
use crate::values::conversation_type::CHATROOM;
use rusqlite::params;

impl Store {
    /// Stores messages received in a chatroom (live, or the recent ones a join returns), in
    /// one transaction, as the inbox stores delivered messages: a message whose uid is stored
    /// already is skipped (a re-join after a reconnect returns the room's recent messages
    /// again), and this user's own message whose ack was missed completes its outgoing row.
    /// Returns the rows inserted, in order.
    pub fn store_chatroom_messages(&mut self, messages: &[NewMessage]) -> Result<Vec<MessageRow>> {
        let tx = self.conn.savepoint()?;
        let mut inserted = Vec::with_capacity(messages.len());
        for message in messages {
            let mut message = message.clone();
            // Chatroom messages never count as unread.
            message.counted = false;
            if let Some(id) = insert_delivered(&tx, &message, Delivery::Inbox)? {
                inserted.push(rows::message_by_id(&tx, id)?.expect("row just inserted"));
            }
        }
        tx.commit()?;
        Ok(inserted)
    }

    /// Deletes every local message of chatroom `room_id` (sent and received). Returns how
    /// many were deleted.
    pub fn delete_chatroom_messages(&mut self, room_id: &str) -> Result<u64> {
        let tx = self.conn.savepoint()?;
        let deleted = tx.execute(
            "DELETE FROM messages WHERE conversation_type = ?1 AND target_id = ?2",
            params![CHATROOM, room_id],
        )?;
        // A conversation row of the room could only come from an older build: it goes too.
        tx.execute(
            "DELETE FROM conversations WHERE conversation_type = ?1 AND target_id = ?2",
            params![CHATROOM, room_id],
        )?;
        tx.commit()?;
        Ok(deleted as u64)
    }

    /// Deletes the local messages of every chatroom (a session starts or ends: no membership
    /// outlives it). Returns how many were deleted.
    pub fn delete_all_chatroom_messages(&mut self) -> Result<u64> {
        let tx = self.conn.savepoint()?;
        let deleted = tx.execute(
            "DELETE FROM messages WHERE conversation_type = ?1",
            params![CHATROOM],
        )?;
        tx.execute(
            "DELETE FROM conversations WHERE conversation_type = ?1",
            params![CHATROOM],
        )?;
        tx.commit()?;
        Ok(deleted as u64)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;

    fn room_message(uid: &str, time: i64) -> NewMessage {
        let mut m = text("carol", uid, time, uid);
        m.conversation_type = 3;
        m.target_id = "room".into();
        m
    }

    fn room() -> ConversationKey {
        ConversationKey::new(3, "room", "")
    }

    #[test]
    fn chatroom_messages_are_stored_without_conversation_or_unread() {
        let mut s = Store::open_in_memory().unwrap();
        let rows = s
            .store_chatroom_messages(&[room_message("A", 1), room_message("B", 2)])
            .unwrap();
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|r| !r.counted));
        assert_eq!(s.message_count(&room()).unwrap(), 2);
        assert!(s.conversations(&[1, 2, 3], "", 0, 10).unwrap().is_empty());
        assert_eq!(s.total_unread_count("").unwrap(), 0);
        // A re-join brings "B" again: only "C" is new.
        let again = s
            .store_chatroom_messages(&[room_message("B", 2), room_message("C", 3)])
            .unwrap();
        assert_eq!(
            again
                .iter()
                .map(|r| r.uid.clone().unwrap())
                .collect::<Vec<_>>(),
            ["C"]
        );
        assert_eq!(s.message_count(&room()).unwrap(), 3);
    }

    #[test]
    fn an_outgoing_chatroom_message_makes_no_conversation() {
        let mut s = Store::open_in_memory().unwrap();
        let mut out = msg("room", None, direction::SEND, 5);
        out.conversation_type = 3;
        s.insert_outgoing(&out).unwrap();
        assert!(s.conversations(&[3], "", 0, 10).unwrap().is_empty());
        assert_eq!(s.message_count(&room()).unwrap(), 1);
    }

    #[test]
    fn the_rooms_copy_of_an_own_send_whose_ack_was_missed_completes_it() {
        let mut s = Store::open_in_memory().unwrap();
        let mut out = msg("room", None, direction::SEND, 5);
        out.conversation_type = 3;
        out.client_msg_id = Some("c1".into());
        let row = s.insert_outgoing(&out).unwrap();
        let mut copy = out.clone();
        copy.uid = Some("U1".into());
        copy.sent_status = sent_status::SENT;
        assert!(s.store_chatroom_messages(&[copy]).unwrap().is_empty());
        let completed = s.message(row.id).unwrap().unwrap();
        assert_eq!(completed.uid.as_deref(), Some("U1"));
        assert_eq!(completed.sent_status, sent_status::SENT);
        assert_eq!(s.message_count(&room()).unwrap(), 1);
    }

    #[test]
    fn leaving_deletes_the_rooms_messages_only() {
        let mut s = Store::open_in_memory().unwrap();
        s.store_chatroom_messages(&[room_message("A", 1)]).unwrap();
        let mut other = room_message("O", 2);
        other.target_id = "other".into();
        s.store_chatroom_messages(&[other]).unwrap();
        s.apply_inbox(&[msg("alice", Some("P"), direction::RECEIVE, 3)], 1)
            .unwrap();
        assert_eq!(s.delete_chatroom_messages("room").unwrap(), 1);
        assert_eq!(s.message_count(&room()).unwrap(), 0);
        assert_eq!(
            s.message_count(&ConversationKey::new(3, "other", ""))
                .unwrap(),
            1
        );
        assert_eq!(s.message_count(&key("alice")).unwrap(), 1);
    }

    #[test]
    fn every_rooms_messages_go_and_nothing_else() {
        let mut s = Store::open_in_memory().unwrap();
        s.store_chatroom_messages(&[room_message("A", 1)]).unwrap();
        let mut other = room_message("O", 2);
        other.target_id = "other".into();
        s.store_chatroom_messages(&[other]).unwrap();
        s.apply_inbox(&[msg("alice", Some("P"), direction::RECEIVE, 3)], 1)
            .unwrap();
        assert_eq!(s.delete_all_chatroom_messages().unwrap(), 2);
        assert_eq!(s.message_count(&room()).unwrap(), 0);
        assert_eq!(
            s.message_count(&ConversationKey::new(3, "other", ""))
                .unwrap(),
            0
        );
        assert_eq!(s.message_count(&key("alice")).unwrap(), 1);
        assert_eq!(s.conversations(&[1], "", 0, 10).unwrap().len(), 1);
    }
}
