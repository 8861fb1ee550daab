//! Ultra groups on the client (R210–R244): each channel is its own conversation (type 5,
//! target the group, channel id never empty: "" is "RCDefault"). The server keeps every
//! channel as one stream; this device keeps, per channel, the change sequence it applied up
//! to (its cursor) and the default notification levels last read, both in `kv`. Messages of
//! the stream are stored like inbox messages (their history sequence joins the held ranges,
//! live: newer ones reach this device through the stream's events), and changes (modify,
//! recall, expansion) rewrite the stored row.
//!
//! Unread counts of ultra-group conversations come from the server's channel states (the
//! device may hold only the newest messages) and are capped at [`MAX_UNREAD`] (R230).

use crate::error::Result;
use crate::history::{insert_delivered, note_messages, Delivery};
use crate::rows::{self, ConversationKey, ConversationRow, MessageRow, NewMessage};
use crate::store::Store;
use crate::values::conversation_type::ULTRA_GROUP;
use rusqlite::params;

/// Highest unread (and unread-mention) count an ultra-group conversation shows (R230).
pub const MAX_UNREAD: u64 = 999;

fn cursor_key(key: &ConversationKey) -> String {
    format!("ug_cursor\u{1f}{}\u{1f}{}", key.target_id, key.channel_id)
}

fn level_key(group: &str, channel: &str) -> String {
    format!("ug_level\u{1f}{group}\u{1f}{channel}")
}

/// Caps the unread and mention counts of ultra-group conversations at [`MAX_UNREAD`].
fn cap_counts(conn: &rusqlite::Connection, key: &ConversationKey) -> Result<()> {
    conn.prepare_cached(
        "UPDATE conversations SET unread_count = MIN(unread_count, ?4),
             mentioned_count = MIN(mentioned_count, ?4)
         WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3",
    )?
    .execute(params![
        key.conversation_type,
        key.target_id,
        key.channel_id,
        MAX_UNREAD as i64
    ])?;
    Ok(())
}

impl Store {
    /// The change sequence of channel `key` this device applied up to (0 = none yet).
    pub fn ultragroup_cursor(&self, key: &ConversationKey) -> Result<u64> {
        Ok(self
            .kv_get(&cursor_key(key))?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// Moves the cursor of channel `key` forward to `seq` (never back).
    pub fn advance_ultragroup_cursor(&mut self, key: &ConversationKey, seq: u64) -> Result<()> {
        if seq > self.ultragroup_cursor(key)? {
            rows::kv_set(&self.conn, &cursor_key(key), &seq.to_string())?;
        }
        Ok(())
    }

    /// The highest history sequence (`conv_seq`) of the messages of channel `key` stored
    /// here (0 = none): the changes of a long absence are asked for the messages up to it.
    pub fn ultragroup_held_seq(&self, key: &ConversationKey) -> Result<u64> {
        let seq: i64 = self
            .conn
            .prepare_cached(
                "SELECT COALESCE(MAX(conv_seq), 0) FROM messages
                 WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3
                   AND conv_seq > 0",
            )?
            .query_row(
                params![key.conversation_type, key.target_id, key.channel_id],
                |r| r.get(0),
            )?;
        Ok(seq.max(0) as u64)
    }

    /// Stores messages of ultra-group streams (new to this device: already stored uids are
    /// skipped; an own message completes its outgoing row), counting them as unread like
    /// inbox messages (capped). Returns the rows inserted, in order.
    pub fn store_ultragroup_messages(
        &mut self,
        messages: &[NewMessage],
    ) -> Result<Vec<MessageRow>> {
        let tx = self.conn.savepoint()?;
        note_messages(&tx, messages, true)?;
        let mut inserted = Vec::with_capacity(messages.len());
        for message in messages {
            let Some(id) = insert_delivered(&tx, message, Delivery::Inbox)? else {
                continue;
            };
            rows::account_new_message(&tx, message, id)?;
            cap_counts(&tx, &message.key())?;
            inserted.push(rows::message_by_id(&tx, id)?.expect("row just inserted"));
        }
        tx.commit()?;
        Ok(inserted)
    }

    /// Sets the unread and unread-mention counts of channel `key` as the server counted them
    /// (capped at [`MAX_UNREAD`]); creates the conversation when it has a stored message.
    pub fn set_ultragroup_counts(
        &mut self,
        key: &ConversationKey,
        unread: u64,
        mentioned: u64,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE conversations SET unread_count = ?4, mentioned_count = ?5
                 WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3",
            )?
            .execute(params![
                key.conversation_type,
                key.target_id,
                key.channel_id,
                unread.min(MAX_UNREAD) as i64,
                mentioned.min(unread).min(MAX_UNREAD) as i64
            ])?;
        Ok(())
    }

    /// Replaces the content of message `uid` (a modification by its sender, R225). Returns
    /// the updated row, `None` when it is not stored.
    pub fn modify_message_content(
        &mut self,
        uid: &str,
        object_name: &str,
        content: &str,
    ) -> Result<Option<MessageRow>> {
        let Some(row) = self.message_by_uid(uid)? else {
            return Ok(None);
        };
        self.conn
            .prepare_cached(
                "UPDATE messages SET object_name = ?2, content = ?3, search_text = NULL
                 WHERE id = ?1",
            )?
            .execute(params![row.id, object_name, content])?;
        rows::message_by_id(&self.conn, row.id)
    }

    /// The channel conversations of ultra group `group`, newest first
    /// (`getConversationsForAllChannel`).
    pub fn ultragroup_conversations(&self, group: &str) -> Result<Vec<ConversationRow>> {
        rows::query_conversations(
            &self.conn,
            "SELECT * FROM conversations WHERE conversation_type = ?1 AND target_id = ?2
             ORDER BY sort_time DESC",
            params![ULTRA_GROUP, group],
        )
    }

    /// Sum of the unread counts (`mentions`: unread-mention counts) of the channels of
    /// `group` (`None`: of every ultra group), capped at [`MAX_UNREAD`].
    pub fn ultragroup_unread(&self, group: Option<&str>, mentions: bool) -> Result<u64> {
        let column = if mentions {
            "mentioned_count"
        } else {
            "unread_count"
        };
        let sql = format!(
            "SELECT COALESCE(SUM({column}), 0) FROM conversations
             WHERE conversation_type = ?1 AND (?2 IS NULL OR target_id = ?2)"
        );
        let sum: i64 = self
            .conn
            .query_row(&sql, params![ULTRA_GROUP, group], |r| r.get(0))?;
        Ok((sum.max(0) as u64).min(MAX_UNREAD))
    }

    /// Deletes the messages of every channel of `group` sent at or before `before_time`
    /// (0 or less: all). Returns how many were deleted.
    pub fn clear_ultragroup_messages(&mut self, group: &str, before_time: i64) -> Result<u64> {
        let channels: Vec<String> = self
            .conn
            .prepare(
                "SELECT DISTINCT channel_id FROM messages
                 WHERE conversation_type = ?1 AND target_id = ?2",
            )?
            .query_map(params![ULTRA_GROUP, group], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut cleared = 0;
        for channel in channels {
            cleared += self.clear_messages(
                &ConversationKey::new(ULTRA_GROUP, group, &channel),
                before_time,
            )?;
        }
        Ok(cleared)
    }

    /// The default notification level of the group (`channel` "") or a channel as last read
    /// from the server (`None`: never read).
    pub fn ultragroup_default_level(&self, group: &str, channel: &str) -> Result<Option<u32>> {
        Ok(self
            .kv_get(&level_key(group, channel))?
            .and_then(|v| v.parse().ok()))
    }

    /// Remembers the default notification level of the group (`channel` "") or a channel.
    pub fn set_ultragroup_default_level(
        &mut self,
        group: &str,
        channel: &str,
        level: u32,
    ) -> Result<()> {
        rows::kv_set(&self.conn, &level_key(group, channel), &level.to_string())
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;

    fn ug(uid: &str, channel: &str, time: i64, seq: u64) -> NewMessage {
        let mut m = msg("bob", Some(uid), direction::RECEIVE, time);
        m.conversation_type = 5;
        m.target_id = "g".into();
        m.channel_id = channel.into();
        m.conv_seq = seq;
        m
    }

    #[test]
    fn stream_messages_count_per_channel_and_cap_at_999() {
        let mut s = Store::open_in_memory().unwrap();
        let a = ConversationKey::new(5, "g", "a");
        let inserted = s
            .store_ultragroup_messages(&[
                ug("1", "a", 1, 1),
                ug("2", "a", 2, 2),
                ug("3", "b", 3, 1),
            ])
            .unwrap();
        assert_eq!(inserted.len(), 3);
        assert!(s
            .store_ultragroup_messages(&[ug("1", "a", 1, 1)])
            .unwrap()
            .is_empty());
        assert_eq!(s.unread_count(&a).unwrap(), 2);
        assert_eq!(s.ultragroup_unread(Some("g"), false).unwrap(), 3);
        s.set_ultragroup_counts(&a, 5000, 2).unwrap();
        assert_eq!(s.unread_count(&a).unwrap(), 999);
        assert_eq!(s.ultragroup_unread(None, false).unwrap(), 999);
        assert_eq!(s.ultragroup_unread(Some("g"), true).unwrap(), 2);
        assert_eq!(s.ultragroup_conversations("g").unwrap().len(), 2);
        assert_eq!(s.clear_ultragroup_messages("g", 2).unwrap(), 2);
        assert_eq!(s.message_by_uid("3").unwrap().unwrap().sent_time, 3);
    }

    #[test]
    fn cursors_only_move_forward_and_content_can_change() {
        let mut s = Store::open_in_memory().unwrap();
        let a = ConversationKey::new(5, "g", "a");
        assert_eq!(s.ultragroup_cursor(&a).unwrap(), 0);
        s.advance_ultragroup_cursor(&a, 7).unwrap();
        s.advance_ultragroup_cursor(&a, 3).unwrap();
        assert_eq!(s.ultragroup_cursor(&a).unwrap(), 7);
        assert_eq!(s.ultragroup_held_seq(&a).unwrap(), 0);
        s.store_ultragroup_messages(&[ug("1", "a", 1, 1)]).unwrap();
        s.store_ultragroup_messages(&[ug("2", "a", 2, 9), ug("3", "b", 3, 20)])
            .unwrap();
        assert_eq!(
            s.ultragroup_held_seq(&a).unwrap(),
            9,
            "the channel's own highest"
        );
        let row = s
            .modify_message_content("1", "RC:TxtMsg", r#"{"content":"new"}"#)
            .unwrap()
            .unwrap();
        assert_eq!(row.content, r#"{"content":"new"}"#);
        assert!(s
            .modify_message_content("x", "RC:TxtMsg", "{}")
            .unwrap()
            .is_none());
        assert_eq!(s.ultragroup_default_level("g", "").unwrap(), None);
        s.set_ultragroup_default_level("g", "", 5).unwrap();
        assert_eq!(s.ultragroup_default_level("g", "").unwrap(), Some(5));
    }
}
