//! The conversation list: pages, one conversation, removal, pinned and blocked lists.

use crate::error::Result;
use crate::rows::{self, ConversationKey, ConversationRow};
use crate::store::Store;
use crate::values::notification_level;
use rusqlite::params;
use serde::{Deserialize, Serialize};

/// Where the last page of the conversation list ended (kept in `kv`).
const PAGE_KEY: &str = "conversation_page_end";

/// The last conversation of the last page and the query it answered.
#[derive(Serialize, Deserialize)]
struct PageEnd {
    types: Vec<u32>,
    channel_id: String,
    top: bool,
    sort_time: i64,
    /// Its last message's sent time (what the app reads as the conversation's time).
    sent_time: Option<i64>,
    conversation_type: u32,
    target_id: String,
    key_channel_id: String,
}

impl Store {
    /// A page of the conversation list (`getConversations`): pinned first, then newest first,
    /// ties by key. `start_time` 0 starts at the top; the app then passes the time of the last
    /// conversation of the previous page. A time alone cannot say where that page ended (the
    /// pinned section and the rest both run from new to old, and several conversations may share
    /// a time), so the position after each page is remembered and a `start_time` equal to its
    /// time resumes exactly there: every conversation comes once, in list order. Any other
    /// `start_time` returns the conversations whose last activity is older than it, pinned
    /// first. `channel_id` selects among ultra groups only (other conversations have no
    /// channels).
    pub fn conversations(
        &self,
        types: &[u32],
        channel_id: &str,
        start_time: i64,
        count: u32,
    ) -> Result<Vec<ConversationRow>> {
        let placeholders = vec!["?"; types.len()].join(",");
        let mut values: Vec<rusqlite::types::Value> =
            types.iter().map(|t| (*t as i64).into()).collect();
        values.push(channel_id.to_string().into());
        let resume = match start_time {
            t if t <= 0 => None,
            t => self
                .kv_get(PAGE_KEY)?
                .and_then(|memo| serde_json::from_str::<PageEnd>(&memo).ok())
                .filter(|memo| memo.types == types && memo.channel_id == channel_id)
                .filter(|memo| memo.sort_time == t || memo.sent_time == Some(t)),
        };
        // `+conversation_type`: the page is read off `conversations_by_list` in list order and
        // stops after `count` rows, instead of sorting every conversation of the types (which
        // the primary key would lead SQLite to, lacking statistics).
        let position = match &resume {
            Some(end) => {
                values.extend([
                    (end.top as i64).into(),
                    (end.top as i64).into(),
                    end.sort_time.into(),
                    end.sort_time.into(),
                    (end.conversation_type as i64).into(),
                    end.target_id.clone().into(),
                    end.key_channel_id.clone().into(),
                ]);
                "AND (top < ? OR (top = ? AND (sort_time < ? OR (sort_time = ?
                   AND (conversation_type, target_id, channel_id) > (?, ?, ?)))))"
            }
            None if start_time > 0 => {
                values.push(start_time.into());
                "AND sort_time < ?"
            }
            None => "",
        };
        let sql = format!(
            "SELECT * FROM conversations WHERE +conversation_type IN ({placeholders})
               AND (channel_id = ? OR conversation_type <> 5) {position}
             ORDER BY top DESC, sort_time DESC, conversation_type, target_id, channel_id
             LIMIT ?"
        );
        values.push((count as i64).into());
        let page = rows::query_conversations(&self.conn, &sql, rusqlite::params_from_iter(values))?;
        if let Some(last) = page.last() {
            let end = PageEnd {
                types: types.to_vec(),
                channel_id: channel_id.to_string(),
                top: last.top,
                sort_time: last.sort_time,
                sent_time: last.last_message.as_ref().map(|m| m.sent_time),
                conversation_type: last.key.conversation_type,
                target_id: last.key.target_id.clone(),
                key_channel_id: last.key.channel_id.clone(),
            };
            let memo = serde_json::to_string(&end).expect("a page end serialises");
            rows::kv_set(&self.conn, PAGE_KEY, &memo)?;
        }
        Ok(page)
    }

    /// Removes every conversation of `types` (ultra groups: of `channel_id` only) together with
    /// its local messages (`removeConversations`; queued sends among them leave the outbox with
    /// them). History ranges stay, as for other deletions: messages removed on purpose are not
    /// fetched again by LOCAL_REMOTE paging. Returns how many conversations went.
    pub fn remove_conversations(&mut self, types: &[u32], channel_id: &str) -> Result<u64> {
        let tx = self.conn.savepoint()?;
        let placeholders = vec!["?"; types.len()].join(",");
        let mut values: Vec<rusqlite::types::Value> =
            types.iter().map(|t| (*t as i64).into()).collect();
        values.push(channel_id.to_string().into());
        let scope = format!(
            "conversation_type IN ({placeholders}) AND (channel_id = ? OR conversation_type <> 5)"
        );
        tx.execute(
            &format!("DELETE FROM messages WHERE {scope}"),
            rusqlite::params_from_iter(values.clone()),
        )?;
        let removed = tx.execute(
            &format!("DELETE FROM conversations WHERE {scope}"),
            rusqlite::params_from_iter(values),
        )?;
        tx.commit()?;
        Ok(removed as u64)
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
                 ORDER BY top DESC, sort_time DESC, conversation_type, target_id, channel_id
                 LIMIT 50",
            )
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(
            plan,
            vec!["SCAN conversations USING INDEX conversations_by_list"]
        );
    }

    /// Pages of `count` until a short one, each resumed at the last conversation's time.
    fn page_through(s: &mut Store, count: u32) -> Vec<String> {
        let mut seen = Vec::new();
        let mut start = 0;
        loop {
            let page = s.conversations(&[1, 2], "", start, count).unwrap();
            seen.extend(page.iter().map(|c| c.key.target_id.clone()));
            match page.last() {
                Some(last) if page.len() == count as usize => {
                    start = last
                        .last_message
                        .as_ref()
                        .map_or(last.sort_time, |m| m.sent_time)
                }
                _ => return seen,
            }
        }
    }

    #[test]
    fn paging_with_pinned_conversations_returns_each_once_in_order() {
        let mut s = Store::open_in_memory().unwrap();
        // 120 conversations; every third pair shares a sent time (ties across page ends).
        let mut expected_pinned = Vec::new();
        let mut rest = Vec::new();
        for i in 0..120u64 {
            let peer = format!("p{i:03}");
            let time = 1_000 + (i as i64 / 2) * 10;
            s.apply_inbox(&[text(&peer, &format!("m{i}"), time, "hi")], i + 1)
                .unwrap();
            let pinned = i % 17 == 3;
            if pinned {
                s.set_conversation_setting(&crate::rows::ConversationSettingUpdate {
                    key: key(&peer),
                    top: Some(true),
                    notification_level: None,
                    time,
                })
                .unwrap();
                expected_pinned.push((time, peer));
            } else {
                rest.push((time, peer));
            }
        }
        assert_eq!(expected_pinned.len(), 7);
        // List order: pinned first, newest first, ties by target id.
        let order = |v: &mut Vec<(i64, String)>| {
            v.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        };
        order(&mut expected_pinned);
        order(&mut rest);
        let expected: Vec<String> = expected_pinned
            .into_iter()
            .chain(rest)
            .map(|(_, peer)| peer)
            .collect();
        assert_eq!(page_through(&mut s, 50), expected);
        // Pages that end inside the pinned section and on ties too.
        assert_eq!(page_through(&mut s, 3), expected);
        assert_eq!(page_through(&mut s, 1), expected);
    }

    #[test]
    fn removing_conversations_by_type_deletes_their_messages() {
        let mut s = Store::open_in_memory().unwrap();
        let mut group = text("g1", "G", 2, "group");
        group.conversation_type = 2;
        let ultra = |channel: &str, uid: &str| {
            let mut m = text("ug", uid, 3, "ultra");
            m.conversation_type = 5;
            m.channel_id = channel.into();
            m
        };
        let (u1, u2) = (ultra("c1", "U1"), ultra("c2", "U2"));
        s.apply_inbox(&[text("bob", "B", 1, "hi"), group, u1, u2], 4)
            .unwrap();
        assert_eq!(s.remove_conversations(&[1, 5], "c1").unwrap(), 2);
        assert!(s.message_by_uid("B").unwrap().is_none());
        assert!(s.message_by_uid("U1").unwrap().is_none());
        // Another type and another channel stay.
        assert!(s.message_by_uid("G").unwrap().is_some());
        assert!(s.message_by_uid("U2").unwrap().is_some());
        assert_eq!(s.conversations(&[1, 2, 5], "c2", 0, 50).unwrap().len(), 2);
    }
}
