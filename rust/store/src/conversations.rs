//! The conversation list: pages, one conversation, removal, pinned and blocked lists.

use crate::error::Result;
use crate::rows::{self, ConversationKey, ConversationRow};
use crate::store::Store;
use crate::values::notification_level;
use rusqlite::params;

impl Store {
    /// A page of the conversation list: pinned first, then newest first; `start_time` > 0 returns
    /// only conversations whose last activity is older than it (paging). `channel_id` selects
    /// among ultra groups only (other conversations have no channels).
    pub fn conversations(
        &self,
        types: &[u32],
        channel_id: &str,
        start_time: i64,
        count: u32,
    ) -> Result<Vec<ConversationRow>> {
        let placeholders = vec!["?"; types.len()].join(",");
        // `+conversation_type`: the page is read off `conversations_by_time` in list order and
        // stops after `count` rows, instead of sorting every conversation of the types (which
        // the primary key would lead SQLite to, lacking statistics).
        let sql = format!(
            "SELECT * FROM conversations WHERE +conversation_type IN ({placeholders})
               AND (channel_id = ? OR conversation_type <> 5)
               AND (? <= 0 OR sort_time < ?)
             ORDER BY top DESC, sort_time DESC LIMIT ?"
        );
        let mut values: Vec<rusqlite::types::Value> =
            types.iter().map(|t| (*t as i64).into()).collect();
        values.push(channel_id.to_string().into());
        values.push(start_time.into());
        values.push(start_time.into());
        values.push((count as i64).into());
        rows::query_conversations(&self.conn, &sql, rusqlite::params_from_iter(values))
    }

    /// One conversation.
    pub fn conversation(&self, key: &ConversationKey) -> Result<Option<ConversationRow>> {
        Ok(rows::query_conversations(
            &self.conn,
            "SELECT * FROM conversations WHERE conversation_type = ?1 AND target_id = ?2
               AND channel_id = ?3",
            params![key.conversation_type, key.target_id, key.channel_id],
        )?
        .into_iter()
        .next())
    }

    /// Removes a conversation from the list (its messages stay, as in IMLib).
    pub fn remove_conversation(&mut self, key: &ConversationKey) -> Result<bool> {
        let changed = self.conn.execute(
            "DELETE FROM conversations WHERE conversation_type = ?1 AND target_id = ?2
               AND channel_id = ?3",
            params![key.conversation_type, key.target_id, key.channel_id],
        )?;
        Ok(changed > 0)
    }

    /// The pinned conversations of `types` with `channel_id`, newest first
    /// (`getTopConversations`).
    pub fn top_conversations(
        &self,
        types: &[u32],
        channel_id: &str,
    ) -> Result<Vec<ConversationRow>> {
        self.conversations_where(types, channel_id, "top = 1")
    }

    /// The conversations of `types` with `channel_id` whose notification level mutes them
    /// ([`notification_level::is_muted`]), newest first (`getBlockedConversations`).
    pub fn blocked_conversations(
        &self,
        types: &[u32],
        channel_id: &str,
    ) -> Result<Vec<ConversationRow>> {
        let filter = format!(
            "notification_level BETWEEN {} AND {}",
            notification_level::MUTED.start(),
            notification_level::MUTED.end()
        );
        self.conversations_where(types, channel_id, &filter)
    }

    fn conversations_where(
        &self,
        types: &[u32],
        channel_id: &str,
        filter: &str,
    ) -> Result<Vec<ConversationRow>> {
        let placeholders = vec!["?"; types.len()].join(",");
        let sql = format!(
            "SELECT * FROM conversations WHERE conversation_type IN ({placeholders})
               AND (channel_id = ? OR conversation_type <> 5) AND {filter}
             ORDER BY sort_time DESC"
        );
        let mut values: Vec<rusqlite::types::Value> =
            types.iter().map(|t| (*t as i64).into()).collect();
        values.push(channel_id.to_string().into());
        rows::query_conversations(&self.conn, &sql, rusqlite::params_from_iter(values))
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;

    #[test]
    fn conversations_are_listed_newest_first_with_paging() {
        let mut s = Store::open_in_memory().unwrap();
        for (i, peer) in ["a", "b", "c"].iter().enumerate() {
            let uid = format!("x{i}");
            s.apply_inbox(
                &[msg(peer, Some(&uid), direction::RECEIVE, i as i64 + 1)],
                i as u64 + 1,
            )
            .unwrap();
        }
        let all = s.conversations(&[1, 2], "", 0, 50).unwrap();
        let ids: Vec<_> = all.iter().map(|c| c.key.target_id.as_str()).collect();
        assert_eq!(ids, vec!["c", "b", "a"]);
        let page = s.conversations(&[1], "", 3, 1).unwrap();
        assert_eq!(page[0].key.target_id, "b");
        assert!(s.conversations(&[2], "", 0, 50).unwrap().is_empty());
        assert!(s.remove_conversation(&key("b")).unwrap());
        assert_eq!(s.conversations(&[1], "", 0, 50).unwrap().len(), 2);
    }

    #[test]
    fn a_page_of_conversations_is_read_off_the_list_order_index() {
        let s = Store::open_in_memory().unwrap();
        let plan: Vec<String> = s
            .conn
            .prepare(
                "EXPLAIN QUERY PLAN SELECT * FROM conversations
                 WHERE +conversation_type IN (1, 2)
                   AND (channel_id = '' OR conversation_type <> 5)
                   AND (0 <= 0 OR sort_time < 0)
                 ORDER BY top DESC, sort_time DESC LIMIT 50",
            )
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(
            plan,
            vec!["SCAN conversations USING INDEX conversations_by_time"]
        );
    }
}
