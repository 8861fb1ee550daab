//! Unread counts and marking messages read.

use crate::error::Result;
use crate::rows::{self, ConversationKey, MessageRow};
use crate::store::Store;
use crate::values::notification_level;
use rusqlite::params;

impl Store {
    /// Unread count of one conversation (0 when it does not exist).
    pub fn unread_count(&self, key: &ConversationKey) -> Result<u64> {
        Ok(self.conversation(key)?.map_or(0, |c| c.unread_count))
    }

    /// Sum of unread counts of all conversations but chatrooms (ultra groups: of `channel_id`
    /// only; other conversations have no channels).
    pub fn total_unread_count(&self, channel_id: &str) -> Result<u64> {
        Ok(self.conn.query_row(
            "SELECT COALESCE(SUM(unread_count), 0) FROM conversations
             WHERE (channel_id = ?1 OR conversation_type <> 5) AND conversation_type <> 3",
            [channel_id],
            |r| r.get(0),
        )?)
    }

    /// Marks messages sent at or before `timestamp` as read (`timestamp` <= 0: all) and
    /// recomputes the conversation's unread count. Returns false when there is no such
    /// conversation.
    pub fn clear_unread(&mut self, key: &ConversationKey, timestamp: i64) -> Result<bool> {
        let tx = self.conn.savepoint()?;
        let exists = rows::clear_unread(&tx, key, timestamp)?;
        tx.commit()?;
        Ok(exists)
    }

    /// The oldest received, unread message of a conversation that counts towards its unread
    /// count (`getFirstUnreadMessage`), or `None`.
    pub fn first_unread_message(&self, key: &ConversationKey) -> Result<Option<MessageRow>> {
        Ok(rows::query_messages(
            &self.conn,
            "SELECT * FROM messages WHERE conversation_type = ?1 AND target_id = ?2
               AND channel_id = ?3 AND direction = 1 AND received_status = 0 AND counted = 1
             ORDER BY sent_time ASC, id ASC LIMIT 1",
            params![key.conversation_type, key.target_id, key.channel_id],
        )?
        .into_iter()
        .next())
    }

    /// Sum of the unread counts of the conversations of `types` (chatrooms never count; ultra
    /// groups of `channel_id` only). `contain` = also count do-not-disturb conversations
    /// ([`notification_level::is_dnd`]): those whose own level mutes them, or that have none
    /// set (NONE) while their type's level mutes them; ALL_MESSAGE on a conversation overrides
    /// its type's level.
    pub fn unread_count_by_types(
        &self,
        types: &[u32],
        channel_id: &str,
        contain: bool,
    ) -> Result<u64> {
        let placeholders = vec!["?"; types.len()].join(",");
        let (lo, hi, none) = (
            notification_level::MUTED.start(),
            notification_level::MUTED.end(),
            notification_level::NONE,
        );
        let sql = format!(
            "SELECT COALESCE(SUM(unread_count), 0) FROM conversations c
             WHERE conversation_type IN ({placeholders}) AND conversation_type <> 3
               AND (channel_id = ? OR conversation_type <> 5)
               AND (? OR NOT (notification_level BETWEEN {lo} AND {hi}
                 OR notification_level = {none}
                    AND COALESCE((SELECT level FROM type_notification_levels t
                                  WHERE t.conversation_type = c.conversation_type), {none})
                        BETWEEN {lo} AND {hi}))"
        );
        let mut values: Vec<rusqlite::types::Value> =
            types.iter().map(|t| (*t as i64).into()).collect();
        values.push(channel_id.to_string().into());
        values.push((contain as i64).into());
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(values), |r| r.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;

    #[test]
    fn first_unread_message_and_unread_counts_by_type() {
        let mut s = Store::open_in_memory().unwrap();
        assert!(s.first_unread_message(&key("alice")).unwrap().is_none());
        let mut not_counted = text("alice", "N", 1, "recall");
        not_counted.counted = false;
        s.apply_inbox(
            &[
                not_counted,
                text("alice", "A", 2, "one"),
                text("alice", "B", 3, "two"),
            ],
            3,
        )
        .unwrap();
        let mut group = text("g1", "G", 4, "group");
        group.conversation_type = 2;
        s.apply_inbox(&[group, text("muted", "M", 5, "dnd")], 5)
            .unwrap();
        assert_eq!(
            s.first_unread_message(&key("alice"))
                .unwrap()
                .unwrap()
                .uid
                .as_deref(),
            Some("A")
        );
        s.clear_unread(&key("alice"), 2).unwrap();
        assert_eq!(
            s.first_unread_message(&key("alice"))
                .unwrap()
                .unwrap()
                .uid
                .as_deref(),
            Some("B")
        );
        s.conn
            .execute(
                "UPDATE conversations SET notification_level = 5 WHERE target_id = 'muted'",
                [],
            )
            .unwrap();
        // alice 1 + muted 1 (private), g1 1 (group).
        assert_eq!(s.unread_count_by_types(&[1], "", true).unwrap(), 2);
        assert_eq!(s.unread_count_by_types(&[1], "", false).unwrap(), 1);
        assert_eq!(s.unread_count_by_types(&[1, 2], "", false).unwrap(), 2);
        assert_eq!(s.unread_count_by_types(&[2], "", true).unwrap(), 1);
        // Only ultra groups have channels.
        assert_eq!(s.unread_count_by_types(&[1, 2], "other", true).unwrap(), 3);
        // A muting level of the group type makes g1 do-not-disturb.
        s.apply_user_setting(&crate::UserSettingUpdate::TypeLevel {
            conversation_type: 2,
            level: 5,
        })
        .unwrap();
        assert_eq!(s.unread_count_by_types(&[1, 2], "", false).unwrap(), 1);
        assert_eq!(s.unread_count_by_types(&[1, 2], "", true).unwrap(), 3);
        s.apply_user_setting(&crate::UserSettingUpdate::TypeLevel {
            conversation_type: 2,
            level: 0,
        })
        .unwrap();
        assert_eq!(s.unread_count_by_types(&[1, 2], "", false).unwrap(), 2);
        assert_eq!(s.unread_count_by_types(&[3], "", true).unwrap(), 0);
        assert!(notification_level::is_muted(5));
        assert!(!notification_level::is_muted(notification_level::NONE));
        assert!(!notification_level::is_muted(
            notification_level::ALL_MESSAGE
        ));
    }

    #[test]
    fn do_not_disturb_follows_the_conversation_level_then_its_type() {
        use notification_level::{is_dnd, ALL_MESSAGE, NONE};
        // (conversation level, type level, do-not-disturb)
        let mut table = vec![
            (ALL_MESSAGE, NONE, false),
            (ALL_MESSAGE, ALL_MESSAGE, false),
            (NONE, NONE, false),
            (NONE, ALL_MESSAGE, false),
        ];
        for muting in 2..=5 {
            // An explicit ALL_MESSAGE overrides a muting type; not set follows it.
            table.push((ALL_MESSAGE, muting, false));
            table.push((NONE, muting, true));
            for type_level in [ALL_MESSAGE, NONE, 2, 5] {
                table.push((muting, type_level, true));
            }
        }
        for (level, type_level, dnd) in table {
            assert_eq!(is_dnd(level, type_level), dnd, "{level} / {type_level}");
            let mut s = Store::open_in_memory().unwrap();
            let mut group = text("g1", "G", 4, "group");
            group.conversation_type = 2;
            s.apply_inbox(&[group], 1).unwrap();
            // A new conversation's level is not set.
            assert_eq!(
                s.conversation_notification_level(&ConversationKey::new(2, "g1", ""))
                    .unwrap(),
                NONE
            );
            s.set_conversation_setting(&crate::rows::ConversationSettingUpdate {
                key: ConversationKey::new(2, "g1", ""),
                top: None,
                notification_level: Some(level),
                time: 5,
            })
            .unwrap();
            s.apply_user_setting(&crate::UserSettingUpdate::TypeLevel {
                conversation_type: 2,
                level: type_level,
            })
            .unwrap();
            let counted = s.unread_count_by_types(&[2], "", false).unwrap();
            assert_eq!(counted, !dnd as u64, "{level} / {type_level}");
            assert_eq!(s.unread_count_by_types(&[2], "", true).unwrap(), 1);
        }
    }

    #[test]
    fn read_marks_mark_sent_messages_read_or_clear_unread() {
        let mut s = Store::open_in_memory().unwrap();
        let a = s
            .insert_outgoing(&msg("bob", None, direction::SEND, 10))
            .unwrap();
        let b = s
            .insert_outgoing(&msg("bob", None, direction::SEND, 20))
            .unwrap();
        s.update_sent(a.id, sent_status::SENT, Some("A"), Some(10))
            .unwrap();
        s.update_sent(b.id, sent_status::SENT, Some("B"), Some(20))
            .unwrap();
        let incoming = [
            msg("bob", Some("R1"), direction::RECEIVE, 15),
            msg("bob", Some("R2"), direction::RECEIVE, 25),
        ];
        let peer = ReadMark {
            key: key("bob"),
            timestamp: 10,
            by_peer: true,
        };
        s.apply_inbox_entries(&incoming, &[], &[peer], &[], 3)
            .unwrap();
        assert_eq!(
            s.message(a.id).unwrap().unwrap().sent_status,
            sent_status::READ
        );
        assert_eq!(
            s.message(b.id).unwrap().unwrap().sent_status,
            sent_status::SENT
        );
        assert_eq!(s.unread_count(&key("bob")).unwrap(), 2);
        // This user read up to 15 on another device.
        let mine = ReadMark {
            key: key("bob"),
            timestamp: 15,
            by_peer: false,
        };
        s.apply_inbox_entries(&[], &[], &[mine], &[], 4).unwrap();
        assert_eq!(s.unread_count(&key("bob")).unwrap(), 1);
        assert_eq!(s.inbox_cursor().unwrap(), 4);
    }

    #[test]
    fn a_channel_selects_among_ultra_groups_only() {
        let mut s = Store::open_in_memory().unwrap();
        let mut ultra = msg("u1", Some("U"), direction::RECEIVE, 1);
        ultra.conversation_type = 5;
        ultra.target_id = "ug".into();
        ultra.channel_id = "c1".into();
        s.apply_inbox(&[msg("alice", Some("A"), direction::RECEIVE, 2), ultra], 2)
            .unwrap();
        assert_eq!(s.total_unread_count("c1").unwrap(), 2);
        // Chatrooms never count towards the total.
        let mut room = msg("carol", Some("R"), direction::RECEIVE, 3);
        room.conversation_type = 3;
        room.target_id = "room".into();
        s.apply_inbox(&[room], 3).unwrap();
        assert_eq!(s.total_unread_count("c1").unwrap(), 2);
        assert_eq!(s.total_unread_count("").unwrap(), 1);
        assert_eq!(s.conversations(&[1, 5], "c1", 0, 10).unwrap().len(), 2);
        assert_eq!(s.conversations(&[1, 5], "c2", 0, 10).unwrap().len(), 1);
        assert_eq!(s.unread_count_by_types(&[1, 5], "c2", true).unwrap(), 1);
    }
}
