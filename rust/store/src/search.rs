//! Local message search.

use crate::error::Result;
use crate::rows::{self, ConversationKey, ConversationRow, MessageRow};
use crate::store::Store;
use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension};

/// The SQL condition on `messages` matching `keyword` (case-insensitively, as a substring of
/// the message's `search_text`) and its one parameter; `None` for an empty keyword, which
/// matches nothing. Keywords of 3 or more characters go through the trigram index
/// (`messages_fts`, one FTS5 phrase); shorter ones, which a trigram index cannot answer, are a
/// `LIKE` with the pattern characters escaped.
fn keyword_condition(keyword: &str) -> Option<(&'static str, String)> {
    if keyword.is_empty() {
        return None;
    }
    if keyword.chars().count() >= 3 {
        let phrase = format!("\"{}\"", keyword.replace('"', "\"\""));
        Some((
            "id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)",
            phrase,
        ))
    } else {
        Some((LIKE_CONDITION, like_pattern(keyword)))
    }
}

/// The scan condition of short keywords.
const LIKE_CONDITION: &str = "search_text LIKE ? ESCAPE '\\'";

/// A `LIKE` pattern matching `keyword` anywhere, its pattern characters escaped.
fn like_pattern(keyword: &str) -> String {
    format!(
        "%{}%",
        keyword
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
}

/// How many of the newest messages of a time range a keyword search scans before it turns to
/// the trigram index (see [`Store::search_messages_in_range`]).
const SCAN_WINDOW: u32 = 2_000;

/// The sent time of the `?6`-th newest message (0-based) of one conversation (`?1`..`?3`)
/// sent in `[?4, ?5]`, read off the index `messages_by_conversation_time`.
const WINDOW_FLOOR: &str = "SELECT sent_time FROM messages
     WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3
       AND sent_time >= ?4 AND sent_time <= ?5
     ORDER BY sent_time DESC, id DESC LIMIT 1 OFFSET ?6";

/// A keyword scan of one conversation's messages sent in `[?4, ?5]`, newest first.
const SCAN_RANGE: &str = "SELECT * FROM messages
     WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3
       AND sent_time >= ?4 AND sent_time <= ?5 AND search_text LIKE ?6 ESCAPE '\\'
     ORDER BY sent_time DESC, id DESC LIMIT ?7 OFFSET ?8";

/// The page of `search_messages_by_user` (one sender in one conversation, before a time).
const MESSAGES_BY_USER: &str = "SELECT * FROM messages
     WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3
       AND sender_id = ?4 AND sent_time < ?5
     ORDER BY sent_time DESC, id DESC LIMIT ?6";

impl Store {
    /// Messages of one conversation whose text contains `keyword` (case-insensitively), newest
    /// first, sent before `start_time` (<= 0: from the newest), at most `count`.
    ///
    /// Keywords of 3 or more characters go through the trigram index (`messages_fts`); shorter
    /// ones, which a trigram index cannot answer, scan the conversation's messages newest first
    /// and stop after `count` matches. An empty keyword matches nothing.
    pub fn search_messages(
        &self,
        key: &ConversationKey,
        keyword: &str,
        start_time: i64,
        count: u32,
    ) -> Result<Vec<MessageRow>> {
        let before = if start_time <= 0 {
            i64::MAX
        } else {
            start_time - 1
        };
        self.search_messages_in_range(key, keyword, i64::MIN, before, 0, count)
    }

    /// Messages of one conversation whose text contains `keyword` (as
    /// [`Store::search_messages`]), sent between `start_time` and `end_time` (both included),
    /// newest first, skipping the first `offset` matches, at most `count`
    /// (`searchMessagesByTimeRange`).
    ///
    /// Keywords of 3 or more characters first scan the newest messages of the range (at most
    /// [`SCAN_WINDOW`]): a common keyword is answered there, without reading its long posting
    /// list from the trigram index; when the window does not hold the answer (a rare keyword,
    /// a long range) the index answers.
    pub fn search_messages_in_range(
        &self,
        key: &ConversationKey,
        keyword: &str,
        start_time: i64,
        end_time: i64,
        offset: u32,
        count: u32,
    ) -> Result<Vec<MessageRow>> {
        let Some((condition, pattern)) = keyword_condition(keyword) else {
            return Ok(Vec::new());
        };
        if condition != LIKE_CONDITION {
            // The newest messages of the range first: a keyword found often is answered there
            // without reading its whole posting list from the index. The window is every
            // message sent at or after the time of the range's SCAN_WINDOW-th newest (a prefix
            // of the answer's order); without such a message it is the whole range.
            let floor: Option<i64> = self
                .conn
                .prepare_cached(WINDOW_FLOOR)?
                .query_row(
                    params![
                        key.conversation_type,
                        key.target_id,
                        key.channel_id,
                        start_time,
                        end_time,
                        SCAN_WINDOW - 1
                    ],
                    |r| r.get(0),
                )
                .optional()?;
            let scanned = rows::query_messages(
                &self.conn,
                SCAN_RANGE,
                params![
                    key.conversation_type,
                    key.target_id,
                    key.channel_id,
                    floor.map_or(start_time, |f| f.max(start_time)),
                    end_time,
                    like_pattern(keyword),
                    count,
                    offset
                ],
            )?;
            if scanned.len() as u32 >= count || floor.is_none() {
                return Ok(scanned);
            }
        }
        let sql = format!(
            "SELECT * FROM messages
             WHERE {condition}
               AND conversation_type = ? AND target_id = ? AND channel_id = ?
               AND sent_time >= ? AND sent_time <= ?
             ORDER BY sent_time DESC, id DESC LIMIT ? OFFSET ?"
        );
        rows::query_messages(
            &self.conn,
            &sql,
            params![
                pattern,
                key.conversation_type,
                key.target_id,
                key.channel_id,
                start_time,
                end_time,
                count,
                offset
            ],
        )
    }

    /// The conversations of `types` (ultra groups: of `channel_id` only) with messages of
    /// `message_types` whose text contains `keyword`, with the number of such messages in
    /// each, pinned first then newest first (`searchConversations`). Conversations removed
    /// from the list are left out. Keywords of 3 or more characters go through the trigram
    /// index; shorter ones scan every message with text.
    pub fn search_conversations(
        &self,
        types: &[u32],
        channel_id: &str,
        message_types: &[u32],
        keyword: &str,
    ) -> Result<Vec<(ConversationRow, u64)>> {
        let Some((condition, pattern)) = keyword_condition(keyword) else {
            return Ok(Vec::new());
        };
        let list = |n: usize| vec!["?"; n].join(",");
        let sql = format!(
            "SELECT conversation_type, target_id, channel_id, COUNT(*) FROM messages
             WHERE {condition}
               AND conversation_type IN ({}) AND message_type IN ({})
               AND (channel_id = ? OR conversation_type <> 5)
             GROUP BY conversation_type, target_id, channel_id",
            list(types.len()),
            list(message_types.len()),
        );
        let mut values: Vec<Value> = vec![pattern.into()];
        values.extend(types.iter().map(|t| Value::from(*t as i64)));
        values.extend(message_types.iter().map(|t| Value::from(*t as i64)));
        values.push(channel_id.to_string().into());
        let matches = self
            .conn
            .prepare_cached(&sql)?
            .query_map(rusqlite::params_from_iter(values), |r| {
                Ok((
                    ConversationKey {
                        conversation_type: r.get(0)?,
                        target_id: r.get(1)?,
                        channel_id: r.get(2)?,
                    },
                    r.get::<_, u64>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut found = Vec::with_capacity(matches.len());
        for (key, count) in matches {
            if let Some(conversation) = self.conversation(&key)? {
                found.push((conversation, count));
            }
        }
        found.sort_by_key(|(c, _)| std::cmp::Reverse((c.top, c.sort_time)));
        Ok(found)
    }

    /// Messages of one conversation sent by `user_id`, newest first, sent before `start_time`
    /// (<= 0: from the newest), at most `count`. Read off the index
    /// `messages_by_conversation_sender_time`: O(count), whatever the others sent.
    pub fn search_messages_by_user(
        &self,
        key: &ConversationKey,
        user_id: &str,
        start_time: i64,
        count: u32,
    ) -> Result<Vec<MessageRow>> {
        // A plain upper bound (no `?5 <= 0 OR ...`), so SQLite seeks to it in the index.
        let before = if start_time <= 0 {
            i64::MAX
        } else {
            start_time
        };
        rows::query_messages(
            &self.conn,
            MESSAGES_BY_USER,
            params![
                key.conversation_type,
                key.target_id,
                key.channel_id,
                user_id,
                before,
                count
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;

    fn found(s: &Store, target: &str, keyword: &str) -> Vec<String> {
        s.search_messages(&key(target), keyword, 0, 50)
            .unwrap()
            .into_iter()
            .map(|m| m.uid.unwrap())
            .collect()
    }

    #[test]
    fn search_finds_cjk_substrings_of_any_length() {
        let mut s = Store::open_in_memory().unwrap();
        s.apply_inbox(
            &[
                text("alice", "A", 1, "你好世界"),
                text("alice", "B", 2, "今天天气很好"),
                text("bob", "C", 3, "你好世界"),
            ],
            3,
        )
        .unwrap();
        // 1 and 2 characters: the fallback scan; 3 and more: the trigram index.
        assert_eq!(found(&s, "alice", "世"), vec!["A"]);
        assert_eq!(found(&s, "alice", "世界"), vec!["A"]);
        assert_eq!(found(&s, "alice", "好世界"), vec!["A"]);
        assert_eq!(found(&s, "alice", "你好世界"), vec!["A"]);
        // "好" is in both messages of alice: newest first; bob's message is another conversation.
        assert_eq!(found(&s, "alice", "好"), vec!["B", "A"]);
        assert!(found(&s, "alice", "世界和平").is_empty());
        assert!(found(&s, "alice", "").is_empty());
        assert!(found(&s, "carol", "世界").is_empty());
    }

    #[test]
    fn search_is_case_insensitive_pages_by_time_and_escapes_keywords() {
        let mut s = Store::open_in_memory().unwrap();
        let batch: Vec<_> = (1..=10)
            .map(|i| text("alice", &format!("u{i}"), i, &format!("Hello World {i}")))
            .chain([
                text("alice", "pct", 11, "100% sure_thing \"quoted\""),
                text("alice", "other", 12, "nothing here"),
            ])
            .collect();
        s.apply_inbox(&batch, 12).unwrap();
        assert_eq!(found(&s, "alice", "hello world").len(), 10);
        assert_eq!(found(&s, "alice", "WORLD 1"), vec!["u10", "u1"]);
        assert_eq!(found(&s, "alice", "LO").len(), 10);
        assert_eq!(found(&s, "alice", "h").len(), 12);
        // Paging: newest first, older than startTime, at most count.
        let page: Vec<_> = s
            .search_messages(&key("alice"), "hello", 8, 3)
            .unwrap()
            .iter()
            .map(|m| m.sent_time)
            .collect();
        assert_eq!(page, vec![7, 6, 5]);
        // LIKE and FTS5 syntax characters are plain text.
        assert_eq!(found(&s, "alice", "%"), vec!["pct"]);
        assert_eq!(found(&s, "alice", "_"), vec!["pct"]);
        assert!(found(&s, "alice", "0_").is_empty());
        assert_eq!(found(&s, "alice", "\"quoted\""), vec!["pct"]);
        assert_eq!(found(&s, "alice", "% s"), vec!["pct"]);
        assert!(found(&s, "alice", "AND").is_empty());
    }

    #[test]
    fn search_index_follows_deletes_and_migrated_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("im.db");
        {
            // A database written before migration 002: text rows without search_text.
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute_batch(include_str!("../migrations/001_init.sql"))
                .unwrap();
            conn.execute_batch(
                r#"INSERT INTO messages (conversation_type, target_id, message_type, object_name,
                       content, sender_id, direction, sent_status, received_status, sent_time,
                       received_time)
                   VALUES (1, 'alice', 2, 'RC:TxtMsg', '{"content":"旧消息 old text"}', 'alice', 1, 2,
                           0, 1, 1),
                          (1, 'alice', 0, 'App:Raw', 'not json', 'alice', 1, 2, 0, 2, 2);
                   PRAGMA user_version = 1;"#,
            )
            .unwrap();
        }
        let mut s = Store::open(&path).unwrap();
        assert_eq!(s.schema_version().unwrap(), crate::migrations::latest());
        assert_eq!(found_ids(&s, "旧消息").len(), 1);
        assert_eq!(found_ids(&s, "旧").len(), 1);
        assert!(found_ids(&s, "not json").is_empty());
        s.apply_inbox(&[text("alice", "N", 3, "new text")], 1)
            .unwrap();
        assert_eq!(found_ids(&s, "text").len(), 2);
        s.conn
            .execute("DELETE FROM messages WHERE uid = 'N'", [])
            .unwrap();
        assert_eq!(found_ids(&s, "text").len(), 1);
        s.conn
            .execute(
                "UPDATE messages SET search_text = 'changed' WHERE search_text IS NOT NULL",
                [],
            )
            .unwrap();
        assert!(found_ids(&s, "text").is_empty());
        assert_eq!(found_ids(&s, "changed").len(), 1);
        s.conn
            .execute(
                "INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)",
                [],
            )
            .unwrap();
    }

    #[test]
    fn search_by_user_pages_one_senders_messages_newest_first() {
        let mut s = Store::open_in_memory().unwrap();
        let group = |uid: &str, sender: &str, time: i64| {
            let mut m = text("g1", uid, time, uid);
            m.conversation_type = 2;
            m.sender_id = sender.into();
            m
        };
        s.apply_inbox(
            &[
                group("a1", "alice", 1),
                group("b1", "bob", 2),
                group("a2", "alice", 3),
                group("b2", "bob", 4),
                group("a3", "alice", 5),
                // Same sender, other conversations.
                text("alice", "p1", 6, "private"),
                {
                    let mut m = group("x1", "alice", 7);
                    m.target_id = "g2".into();
                    m
                },
            ],
            7,
        )
        .unwrap();
        let g1 = ConversationKey {
            conversation_type: 2,
            target_id: "g1".into(),
            channel_id: String::new(),
        };
        let uids = |user: &str, start_time: i64, count: u32| -> Vec<String> {
            s.search_messages_by_user(&g1, user, start_time, count)
                .unwrap()
                .into_iter()
                .map(|m| m.uid.unwrap())
                .collect()
        };
        assert_eq!(uids("alice", 0, 50), vec!["a3", "a2", "a1"]);
        assert_eq!(uids("bob", 0, 50), vec!["b2", "b1"]);
        // Paging: at most count, then older than the last one's sentTime.
        assert_eq!(uids("alice", 0, 2), vec!["a3", "a2"]);
        assert_eq!(uids("alice", 3, 2), vec!["a1"]);
        assert!(uids("alice", 1, 2).is_empty());
        assert!(uids("carol", 0, 50).is_empty());
    }

    #[test]
    fn search_by_user_reads_a_page_off_its_index() {
        let s = Store::open_in_memory().unwrap();
        let plan: Vec<String> = s
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {}", super::MESSAGES_BY_USER))
            .unwrap()
            .query_map(rusqlite::params![2, "g", "", "u", 100, 20], |r| {
                r.get::<_, String>(3)
            })
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(
            plan,
            vec![
                "SEARCH messages USING INDEX messages_by_conversation_sender_time \
                 (conversation_type=? AND target_id=? AND channel_id=? AND sender_id=? AND sent_time<?)"
            ]
        );
    }

    #[test]
    fn search_by_time_range_pages_with_offset_within_both_bounds() {
        let mut s = Store::open_in_memory().unwrap();
        let batch: Vec<_> = (1..=10)
            .map(|i| text("alice", &format!("u{i}"), i * 10, &format!("会议纪要 {i}")))
            .chain([text("alice", "x", 55, "别的内容")])
            .collect();
        s.apply_inbox(&batch, 11).unwrap();
        let page = |keyword: &str, start: i64, end: i64, offset: u32, count: u32| -> Vec<i64> {
            s.search_messages_in_range(&key("alice"), keyword, start, end, offset, count)
                .unwrap()
                .iter()
                .map(|m| m.sent_time)
                .collect()
        };
        // Both bounds included, newest first.
        assert_eq!(page("会议纪要", 20, 50, 0, 50), vec![50, 40, 30, 20]);
        assert_eq!(page("会议", 20, 50, 0, 50), vec![50, 40, 30, 20]);
        assert_eq!(page("纪", 20, 50, 0, 50), vec![50, 40, 30, 20]);
        // Paging: offset skips matches.
        assert_eq!(page("会议纪要", 0, 1000, 0, 3), vec![100, 90, 80]);
        assert_eq!(page("会议纪要", 0, 1000, 3, 3), vec![70, 60, 50]);
        assert_eq!(page("会议纪要", 0, 1000, 9, 3), vec![10]);
        assert!(page("会议纪要", 0, 1000, 10, 3).is_empty());
        assert!(page("会议纪要", 51, 59, 0, 50).is_empty());
        assert!(page("", 0, 1000, 0, 50).is_empty());
    }

    #[test]
    fn a_keyword_beyond_the_scanned_window_is_found_through_the_index() {
        let mut s = Store::open_in_memory().unwrap();
        let n = super::SCAN_WINDOW as i64 + 100;
        let batch: Vec<_> = (1..=n)
            .map(|i| {
                let body = match i {
                    1 => "很久以前的暗号".to_string(),
                    _ if i % 2 == 0 => format!("常见的词 {i}"),
                    _ => format!("filler {i}"),
                };
                text("alice", &format!("u{i}"), i, &body)
            })
            .collect();
        s.apply_inbox(&batch, 1).unwrap();
        let times = |keyword: &str, offset: u32, count: u32| -> Vec<i64> {
            s.search_messages_in_range(&key("alice"), keyword, 0, i64::MAX, offset, count)
                .unwrap()
                .iter()
                .map(|m| m.sent_time)
                .collect()
        };
        // Only in the oldest message, outside the newest window: the index finds it.
        assert_eq!(times("以前的暗号", 0, 10), vec![1]);
        // A common keyword: answered from the window, newest first, with paging.
        assert_eq!(times("常见的词", 0, 3), vec![n, n - 2, n - 4]);
        assert_eq!(times("常见的词", 2, 2), vec![n - 4, n - 6]);
        // Paging past the window: the index completes the answer.
        let deep = times("常见的词", 1_000, 20);
        assert_eq!(deep.len(), 20);
        assert_eq!(deep[0], n - 2 * 1_000);
        assert_eq!(times("常见的词", 0, 50).len(), 50);
    }

    #[test]
    fn search_conversations_counts_matches_per_conversation() {
        let mut s = Store::open_in_memory().unwrap();
        let mut group = text("g1", "g", 5, "今天开会吗");
        group.conversation_type = 2;
        let mut ultra_other_channel = text("u1", "uc", 6, "今天开会");
        ultra_other_channel.conversation_type = 5;
        ultra_other_channel.channel_id = "c2".into();
        s.apply_inbox(
            &[
                text("alice", "a1", 1, "今天开会"),
                text("alice", "a2", 2, "明天开会"),
                text("alice", "a3", 3, "不开"),
                text("bob", "b1", 4, "开会了"),
                group,
                ultra_other_channel,
            ],
            6,
        )
        .unwrap();
        let found = |s: &Store, types: &[u32], message_types: &[u32], keyword: &str| {
            s.search_conversations(types, "c1", message_types, keyword)
                .unwrap()
                .into_iter()
                .map(|(c, n)| (c.key.target_id, n))
                .collect::<Vec<(String, u64)>>()
        };
        // Newest conversation first; counts per conversation; 2 characters go by scan.
        assert_eq!(
            found(&s, &[1, 2, 5], &[2], "开会"),
            vec![("g1".into(), 1), ("bob".into(), 1), ("alice".into(), 2)]
        );
        assert_eq!(found(&s, &[1], &[2], "今天开"), vec![("alice".into(), 1)]);
        // Other types, other message types, other channels: nothing.
        assert!(found(&s, &[3], &[2], "开会").is_empty());
        assert!(found(&s, &[1, 2], &[12], "开会").is_empty());
        assert!(found(&s, &[5], &[2], "开会").is_empty());
        assert!(found(&s, &[1, 2], &[2], "").is_empty());
        // A conversation removed from the list is not found.
        s.remove_conversation(&key("alice")).unwrap();
        assert_eq!(found(&s, &[1], &[2], "开会"), vec![("bob".into(), 1)]);
    }

    fn found_ids(s: &Store, keyword: &str) -> Vec<i64> {
        s.search_messages(&key("alice"), keyword, 0, 50)
            .unwrap()
            .into_iter()
            .map(|m| m.id)
            .collect()
    }
}
