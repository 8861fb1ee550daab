//! The conversation list: pages, one conversation, removal, pinned and blocked lists.

use crate::error::Result;
use crate::rows::{self, ConversationKey, ConversationRow};
use crate::store::Store;
use crate::values::notification_level;
use rusqlite::params;

/// Where a page resumes: right after this conversation, in list order.
struct Anchor {
    top: bool,
    sort_time: i64,
    key: ConversationKey,
}

impl Store {
    /// A page of the conversation list (`getConversations`) in list order: pinned first, then
    /// newest first (`sort_time`), ties by key. `start_time` 0 starts at the top; the app then
    /// passes the time of the last conversation of the previous page (its last message's sent
    /// time, or its sort time), and nothing else tells where that page ended: no state is kept
    /// between calls, so other listings in between change nothing.
    ///
    /// The conversation the previous page ended with is the one whose time is `start_time`,
    /// and the page resumes right after it (in the pinned section, the rest of it and then
    /// the unpinned ones). Several conversations may share that time; the one that ended the
    /// previous page is taken to be the last of them at a multiple of `count` from the top
    /// (the app pages with the same `count` from `start_time` 0), else the last of them, never
    /// an earlier one (the app would page in a loop). The limit of a time as the only cursor:
    /// when two conversations of the exact same time both sit at page ends (pages of one, or a
    /// pinned and an unpinned conversation of the same millisecond), or the list changed
    /// between the pages, conversations of that time may be missed; none is repeated.
    /// No conversation has that time (it changed or left the list): the page is the unpinned
    /// conversations older than `start_time`. `channel_id` selects among ultra groups only
    /// (other conversations have no channels).
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
        let anchor = match start_time {
            t if t <= 0 => None,
            t => self.page_anchor(types, channel_id, t, count)?,
        };
        // `+conversation_type`: the page is read off `conversations_by_list` in list order and
        // stops after `count` rows, instead of sorting every conversation of the types (which
        // the primary key would lead SQLite to, lacking statistics).
        let position = match anchor {
            Some(end) => {
                values.extend([
                    (end.top as i64).into(),
                    (end.top as i64).into(),
                    end.sort_time.into(),
                    end.sort_time.into(),
                    (end.key.conversation_type as i64).into(),
                    end.key.target_id.into(),
                    end.key.channel_id.into(),
                ]);
                "AND (top < ? OR (top = ? AND (sort_time < ? OR (sort_time = ?
                   AND (conversation_type, target_id, channel_id) > (?, ?, ?)))))"
            }
            None if start_time > 0 => {
                values.push(start_time.into());
                "AND top = 0 AND sort_time < ?"
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
        rows::query_conversations(&self.conn, &sql, rusqlite::params_from_iter(values))
    }

    /// The conversation a page that ended at `time` ended with (see [`Store::conversations`]):
    /// among those whose last message was sent at `time` or whose sort time is `time`, the
    /// last one at a multiple of `count` from the top, else the last one. Reads the list down
    /// to `time` (a conversation's sort time is never older than its last message): all
    /// pinned ones, then the unpinned ones not older than `time`.
    fn page_anchor(
        &self,
        types: &[u32],
        channel_id: &str,
        time: i64,
        count: u32,
    ) -> Result<Option<Anchor>> {
        let placeholders = vec!["?"; types.len()].join(",");
        let sql = format!(
            "SELECT top, sort_time, conversation_type, target_id, channel_id,
                    (SELECT m.sent_time FROM messages m WHERE m.id = c.last_message_id)
             FROM conversations c WHERE +conversation_type IN ({placeholders})
               AND (channel_id = ? OR conversation_type <> 5) AND (top <> 0 OR sort_time >= ?)
             ORDER BY top DESC, sort_time DESC, conversation_type, target_id, channel_id"
        );
        let mut values: Vec<rusqlite::types::Value> =
            types.iter().map(|t| (*t as i64).into()).collect();
        values.push(channel_id.to_string().into());
        values.push(time.into());
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(values))?;
        let (mut last, mut aligned) = (None, None);
        let mut position = 0u64;
        while let Some(r) = rows.next()? {
            position += 1;
            let sort_time: i64 = r.get(1)?;
            let sent_time: Option<i64> = r.get(5)?;
            if sort_time != time && sent_time != Some(time) {
                continue;
            }
            let anchor = Anchor {
                top: r.get(0)?,
                sort_time,
                key: ConversationKey {
                    conversation_type: r.get(2)?,
                    target_id: r.get(3)?,
                    channel_id: r.get(4)?,
                },
            };
            if count > 0 && position % count as u64 == 0 {
                aligned = Some(anchor);
            } else {
                last = Some(anchor);
            }
        }
        Ok(aligned.or(last))
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

    /// The time the app passes for the next page: the last conversation's last message's sent
    /// time (its sort time without one).
    fn time_of(c: &crate::rows::ConversationRow) -> i64 {
        c.last_message.as_ref().map_or(c.sort_time, |m| m.sent_time)
    }

    /// Pages of `count` of `types` until a short one, each resumed at the last conversation's
    /// time; `between` runs between pages.
    fn page_through_with(
        s: &mut Store,
        types: &[u32],
        count: u32,
        mut between: impl FnMut(&mut Store),
    ) -> Vec<String> {
        let mut seen = Vec::new();
        let mut start = 0;
        loop {
            let page = s.conversations(types, "", start, count).unwrap();
            seen.extend(page.iter().map(|c| c.key.target_id.clone()));
            match page.last() {
                Some(last) if page.len() == count as usize => start = time_of(last),
                _ => return seen,
            }
            assert!(seen.len() <= 10_000, "paging does not end");
            between(s);
        }
    }

    fn page_through(s: &mut Store, count: u32) -> Vec<String> {
        page_through_with(s, &[1, 2], count, |_| {})
    }

    fn pin(s: &mut Store, peer: &str, time: i64) {
        s.set_conversation_setting(&crate::rows::ConversationSettingUpdate {
            key: key(peer),
            top: Some(true),
            notification_level: None,
            time,
        })
        .unwrap();
    }

    /// List order: pinned first, newest first, ties by target id.
    fn list_order(mut pinned: Vec<(i64, String)>, mut rest: Vec<(i64, String)>) -> Vec<String> {
        let order = |v: &mut Vec<(i64, String)>| {
            v.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        };
        order(&mut pinned);
        order(&mut rest);
        pinned
            .into_iter()
            .chain(rest)
            .map(|(_, peer)| peer)
            .collect()
    }

    /// 120 conversations, 7 of them pinned; every pair shares a sent time (ties across page
    /// ends: the first page of 50 ends between the two of a pair).
    fn hundred_and_twenty(s: &mut Store) -> Vec<String> {
        let (mut pinned, mut rest) = (Vec::new(), Vec::new());
        for i in 0..120u64 {
            let peer = format!("p{i:03}");
            let time = 1_000 + (i as i64 / 2) * 10;
            s.apply_inbox(&[text(&peer, &format!("m{i}"), time, "hi")], i + 1)
                .unwrap();
            if i % 17 == 3 {
                pin(s, &peer, time);
                pinned.push((time, peer));
            } else {
                rest.push((time, peer));
            }
        }
        assert_eq!(pinned.len(), 7);
        list_order(pinned, rest)
    }

    #[test]
    fn paging_with_pinned_conversations_returns_each_once_in_order() {
        let mut s = Store::open_in_memory().unwrap();
        let expected = hundred_and_twenty(&mut s);
        assert_eq!(page_through(&mut s, 50), expected);
        // Here every pinned conversation shares its time with an unpinned one: small pages
        // may end on both, and the later one is taken. Some are missed then, but nothing
        // comes twice and the order holds (ties within a section: see below).
        for count in [3, 1] {
            let paged = page_through(&mut s, count);
            let mut rest = expected.iter();
            assert!(
                paged.iter().all(|peer| rest.any(|e| e == peer)),
                "{paged:?}"
            );
        }
    }

    /// 60 pinned conversations and 30 unpinned ones whose times interleave (a time alone says
    /// nothing of the section), the unpinned ones in pairs of the same time; one more pinned
    /// for its settings only, without a message.
    fn sixty_pinned(s: &mut Store) -> Vec<String> {
        let (mut pinned, mut rest) = (Vec::new(), Vec::new());
        for i in 0..90u64 {
            let peer = format!("q{i:03}");
            let time = if i % 3 != 0 {
                2_000 + i as i64 * 10
            } else {
                2_005 + (i as i64 / 6) * 60
            };
            s.apply_inbox(&[text(&peer, &format!("m{i}"), time, "hi")], i + 1)
                .unwrap();
            if i % 3 != 0 {
                pin(s, &peer, time);
                pinned.push((time, peer));
            } else {
                rest.push((time, peer));
            }
        }
        pin(s, "setting-only", 2_455);
        pinned.push((2_455, "setting-only".into()));
        list_order(pinned, rest)
    }

    #[test]
    fn other_listings_between_pages_change_nothing() {
        // A badge reading the top of the list, another type, another page size.
        let listings = |s: &mut Store| {
            assert_eq!(s.conversations(&[1, 2], "", 0, 1).unwrap().len(), 1);
            assert_eq!(s.conversations(&[2], "", 0, 50).unwrap().len(), 1);
            let first = s.conversations(&[1], "", 0, 7).unwrap();
            s.conversations(&[1], "", time_of(first.last().unwrap()), 7)
                .unwrap();
        };
        let mut group = text("g1", "G1", 5, "group");
        group.conversation_type = 2;
        for fill in [hundred_and_twenty, sixty_pinned] {
            let mut s = Store::open_in_memory().unwrap();
            let expected = fill(&mut s);
            s.apply_inbox(std::slice::from_ref(&group), 500).unwrap();
            assert_eq!(page_through_with(&mut s, &[1], 50, listings), expected);
            let mut with_group = expected.clone();
            with_group.push("g1".into());
            assert_eq!(page_through_with(&mut s, &[1, 2], 50, listings), with_group);
        }
        let mut s = Store::open_in_memory().unwrap();
        let expected = sixty_pinned(&mut s);
        s.apply_inbox(&[group], 500).unwrap();
        assert_eq!(page_through_with(&mut s, &[1], 3, listings), expected);
    }

    #[test]
    fn paging_through_more_pinned_conversations_than_a_page() {
        let mut s = Store::open_in_memory().unwrap();
        let expected = sixty_pinned(&mut s);
        assert_eq!(expected.len(), 91);
        // Pages ending inside the pinned section, on the message-less one and on ties.
        for count in [50, 7, 3, 2] {
            assert_eq!(page_through(&mut s, count), expected, "pages of {count}");
        }
        // The first page is pinned conversations only; the second finishes them, then the rest.
        let first = s.conversations(&[1], "", 0, 50).unwrap();
        assert!(first.iter().all(|c| c.top));
        let second = s
            .conversations(&[1], "", time_of(first.last().unwrap()), 50)
            .unwrap();
        assert_eq!(second.iter().filter(|c| c.top).count(), 11);
        assert!(!second[11].top);
    }

    #[test]
    fn a_page_resumes_after_a_conversation_whose_draft_moved_it() {
        let mut s = Store::open_in_memory().unwrap();
        for (i, peer) in ["a", "b", "c", "d"].iter().enumerate() {
            s.apply_inbox(
                &[text(peer, &format!("m{i}"), 100 + i as i64 * 10, "hi")],
                i as u64 + 1,
            )
            .unwrap();
        }
        // c's draft moves it to the top (sort time 500), its last message stays at 120.
        s.save_draft(&key("c"), "later", 500).unwrap();
        let first = s.conversations(&[1], "", 0, 2).unwrap();
        let ids: Vec<_> = first.iter().map(|c| c.key.target_id.as_str()).collect();
        assert_eq!(ids, vec!["c", "d"]);
        let second = s.conversations(&[1], "", 130, 2).unwrap();
        let ids: Vec<_> = second.iter().map(|c| c.key.target_id.as_str()).collect();
        assert_eq!(ids, vec!["b", "a"]);
        // A time no conversation has: the unpinned conversations older than it.
        let older = s.conversations(&[1], "", 105, 50).unwrap();
        assert_eq!(older.len(), 1);
        assert_eq!(older[0].key.target_id, "a");
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
