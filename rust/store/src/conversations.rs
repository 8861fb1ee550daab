//! The conversation list: pages, one conversation, removal, pinned and blocked lists.

use crate::error::Result;
use crate::rows::{self, ConversationKey, ConversationRow};
use crate::store::Store;
use crate::values::notification_level;
use rusqlite::params;

/// Where a page resumes: right after this position in list order (a conversation's, or a
/// virtual one: see [`Store::conversations`]).
struct Anchor {
    top: bool,
    sort_time: i64,
    key: ConversationKey,
}

impl Store {
    /// A page of the conversation list (`getConversations`) in list order: pinned first, then
    /// newest first (`sort_time`, exposed as `operationTime`), ties by key. `start_time` 0
    /// starts at the top; the app then passes the time of the last conversation of the previous
    /// page (its last message's sent time, or its sort time without one), and nothing else
    /// tells where that page ended: no state is kept between calls, so other listings in
    /// between change nothing.
    ///
    /// Where the page resumes, in this order:
    /// 1. Conversations whose time is `start_time` (sort time, or last message's sent time):
    ///    right after the last of them in list order. A time alone cannot tell which of several
    ///    such conversations ended the previous page, and the list may have moved since (a
    ///    conversation arriving on top shifts every position), so the choice is the one that
    ///    never repeats a conversation (a repeated key breaks a FlatList): when a page ends
    ///    between conversations of the very same millisecond, the rest of them are skipped.
    /// 2. Else (the conversation that ended the page got a newer message, or its draft moved
    ///    it) the conversation owning the newest stored message sent at `start_time`, of the
    ///    listed types: the page resumes where that conversation was, at the virtual position
    ///    (its current section, `start_time`, its key), so a pinned conversation that moved
    ///    still continues the pinned section and loses nothing.
    /// 3. Else both sections go on below `start_time`: the pinned conversations older than it,
    ///    then the unpinned ones.
    ///
    /// `channel_id` selects among ultra groups only (other conversations have no channels).
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
            t => match self.page_anchor(types, channel_id, t)? {
                Some(anchor) => Some(anchor),
                None => self.message_anchor(types, channel_id, t)?,
            },
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
        rows::query_conversations(&self.conn, &sql, rusqlite::params_from_iter(values))
    }

    /// Rule 1 of [`Store::conversations`]: the last conversation in list order whose sort time
    /// is `time` or whose last message was sent at `time`. A conversation's sort time is never
    /// older than its last message, so each section is read bottom-up from `time` on
    /// `conversations_by_list` (unpinned first: it comes last in the list) and stops at the
    /// first match: O(ties) when a conversation has sort time `time` (the usual case). When none
    /// has (the page end was moved up by a draft or a newer message), the search goes on up the
    /// sections, for a draft-moved one whose last message is at `time`: O(conversations above
    /// `time`), still a range of the index (no sort). Finding such a conversation among the
    /// ties alone would need its last message's time in `conversations`.
    fn page_anchor(&self, types: &[u32], channel_id: &str, time: i64) -> Result<Option<Anchor>> {
        let sql = anchor_sql(types.len());
        let mut stmt = self.conn.prepare_cached(&sql)?;
        for top in [0i64, 1] {
            let mut values: Vec<rusqlite::types::Value> =
                types.iter().map(|t| (*t as i64).into()).collect();
            values.extend([
                channel_id.to_string().into(),
                top.into(),
                time.into(),
                time.into(),
                time.into(),
            ]);
            let mut rows = stmt.query(rusqlite::params_from_iter(values))?;
            if let Some(r) = rows.next()? {
                return Ok(Some(Anchor {
                    top: r.get(0)?,
                    sort_time: r.get(1)?,
                    key: ConversationKey {
                        conversation_type: r.get(2)?,
                        target_id: r.get(3)?,
                        channel_id: r.get(4)?,
                    },
                }));
            }
        }
        Ok(None)
    }

    /// Rule 2 of [`Store::conversations`]: the virtual position (section, `time`, key) of the
    /// listed conversation owning the newest stored message sent at `time`. One probe of
    /// `messages_by_conversation_time` per listed conversation; only reached when no
    /// conversation has that time any more.
    fn message_anchor(&self, types: &[u32], channel_id: &str, time: i64) -> Result<Option<Anchor>> {
        let placeholders = vec!["?"; types.len()].join(",");
        let sql = format!(
            "SELECT top, conversation_type, target_id, channel_id FROM (
               SELECT c.top, c.conversation_type, c.target_id, c.channel_id,
                      (SELECT MAX(m.id) FROM messages m
                       WHERE m.conversation_type = c.conversation_type
                         AND m.target_id = c.target_id AND m.channel_id = c.channel_id
                         AND m.sent_time = ?) AS newest
               FROM conversations c WHERE c.conversation_type IN ({placeholders})
                 AND (c.channel_id = ? OR c.conversation_type <> 5))
             WHERE newest IS NOT NULL ORDER BY newest DESC LIMIT 1"
        );
        let mut values: Vec<rusqlite::types::Value> = vec![time.into()];
        values.extend(types.iter().map(|t| (*t as i64).into()));
        values.push(channel_id.to_string().into());
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(values))?;
        let Some(r) = rows.next()? else {
            return Ok(None);
        };
        Ok(Some(Anchor {
            top: r.get(0)?,
            sort_time: time,
            key: ConversationKey {
                conversation_type: r.get(1)?,
                target_id: r.get(2)?,
                channel_id: r.get(3)?,
            },
        }))
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

/// The query of [`Store::page_anchor`] for `types` conversation types: one section (`top = ?`)
/// read bottom-up from `sort_time >= ?` on `conversations_by_list`, first match only.
fn anchor_sql(types: usize) -> String {
    let placeholders = vec!["?"; types].join(",");
    format!(
        "SELECT top, sort_time, conversation_type, target_id, channel_id
         FROM conversations c WHERE +conversation_type IN ({placeholders})
           AND (channel_id = ? OR conversation_type <> 5) AND top = ? AND sort_time >= ?
           AND (sort_time = ?
                OR (SELECT m.sent_time FROM messages m WHERE m.id = c.last_message_id) = ?)
         ORDER BY sort_time, conversation_type DESC, target_id DESC, channel_id DESC
         LIMIT 1"
    )
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

    /// `paged` is `expected` in order, nothing repeated, except that conversations sharing
    /// the exact time of the one before them may be missing: a page that ends between
    /// conversations of one millisecond resumes after the last of them (rule 1).
    fn assert_paged(s: &Store, paged: &[String], expected: &[String]) {
        let time = |peer: &str| time_of(&s.conversation(&key(peer)).unwrap().unwrap());
        let mut rest = expected.iter().enumerate();
        for peer in paged {
            loop {
                let (i, e) = rest
                    .next()
                    .unwrap_or_else(|| panic!("{peer} repeated or out of order: {paged:?}"));
                if e == peer {
                    break;
                }
                assert!(
                    i > 0 && time(e) == time(&expected[i - 1]),
                    "{e} missed though it has a time of its own: {paged:?}"
                );
            }
        }
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
        let paged = page_through(&mut s, 50);
        assert_paged(&s, &paged, &expected);
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
            let paged = page_through_with(&mut s, &[1], 50, listings);
            assert_paged(&s, &paged, &expected);
            let mut with_group = expected.clone();
            with_group.push("g1".into());
            let paged = page_through_with(&mut s, &[1, 2], 50, listings);
            assert_paged(&s, &paged, &with_group);
        }
        let mut s = Store::open_in_memory().unwrap();
        let expected = sixty_pinned(&mut s);
        s.apply_inbox(&[group], 500).unwrap();
        let paged = page_through_with(&mut s, &[1], 3, listings);
        assert_paged(&s, &paged, &expected);
    }

    #[test]
    fn paging_through_more_pinned_conversations_than_a_page() {
        let mut s = Store::open_in_memory().unwrap();
        let expected = sixty_pinned(&mut s);
        assert_eq!(expected.len(), 91);
        // Pages ending inside the pinned section, on the message-less one and on ties.
        for count in [50, 7, 3, 2] {
            let paged = page_through(&mut s, count);
            assert_paged(&s, &paged, &expected);
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
        // A time no conversation and no message has: both sections below it (rule 3).
        let older = s.conversations(&[1], "", 105, 50).unwrap();
        assert_eq!(older.len(), 1);
        assert_eq!(older[0].key.target_id, "a");
    }

    fn ids(page: &[crate::rows::ConversationRow]) -> Vec<&str> {
        page.iter().map(|c| c.key.target_id.as_str()).collect()
    }

    fn receive(s: &mut Store, peer: &str, uid: &str, time: i64, seq: u64) {
        s.apply_inbox(&[text(peer, uid, time, "hi")], seq).unwrap();
    }

    #[test]
    fn a_page_ending_on_a_conversation_without_messages_resumes_at_its_sort_time() {
        // What the app passes then is the conversation's `operationTime` (its sort time): the
        // only time it has without a last message.
        let mut s = Store::open_in_memory().unwrap();
        receive(&mut s, "a", "m1", 100, 1);
        receive(&mut s, "b", "m2", 110, 2);
        s.save_draft(&key("d"), "draft only", 105).unwrap();
        pin(&mut s, "p", 90);
        let first = s.conversations(&[1], "", 0, 3).unwrap();
        assert_eq!(ids(&first), vec!["p", "b", "d"]);
        assert!(first[2].last_message.is_none());
        assert_eq!(first[2].sort_time, 105);
        assert_eq!(ids(&s.conversations(&[1], "", 105, 3).unwrap()), vec!["a"]);
        // A page ending on the settings-only pinned one.
        let first = s.conversations(&[1], "", 0, 1).unwrap();
        assert_eq!(ids(&first), vec!["p"]);
        assert!(first[0].last_message.is_none());
        assert_eq!(
            ids(&s.conversations(&[1], "", 90, 3).unwrap()),
            vec!["b", "d", "a"]
        );
    }

    /// Pinned p1 (300) and p2 (200), unpinned u1 (250) and u2 (150).
    fn pinned_and_unpinned(s: &mut Store) {
        for (i, (peer, time)) in [("p1", 300), ("p2", 200), ("u1", 250), ("u2", 150)]
            .into_iter()
            .enumerate()
        {
            receive(s, peer, &format!("m{i}"), time, i as u64 + 1);
        }
        pin(s, "p1", 300);
        pin(s, "p2", 200);
    }

    #[test]
    fn a_pinned_page_end_that_got_a_newer_message_resumes_where_it_was() {
        let mut s = Store::open_in_memory().unwrap();
        pinned_and_unpinned(&mut s);
        assert_eq!(ids(&s.conversations(&[1], "", 0, 1).unwrap()), vec!["p1"]);
        // p1 moves on before page 2: no conversation has time 300 any more, but p1's message
        // of 300 tells the page ended in the pinned section, at 300.
        receive(&mut s, "p1", "m9", 400, 9);
        assert_eq!(
            ids(&s.conversations(&[1], "", 300, 50).unwrap()),
            vec!["p2", "u1", "u2"]
        );
        // The same for an unpinned page end: [p1, p2, u1], then u1 moves on. Its message of
        // 250 keeps the page in the unpinned section (p2, older than 250, is not repeated).
        let first = s.conversations(&[1], "", 0, 3).unwrap();
        assert_eq!(ids(&first), vec!["p1", "p2", "u1"]);
        receive(&mut s, "u1", "m10", 500, 10);
        assert_eq!(
            ids(&s.conversations(&[1], "", 250, 50).unwrap()),
            vec!["u2"]
        );
        // p1 left the list (its messages stay, but it is no longer listed): both sections
        // go on below 300, pinned first (u1 is at 500 by now).
        assert!(s.remove_conversation(&key("p1")).unwrap());
        assert_eq!(
            ids(&s.conversations(&[1], "", 300, 50).unwrap()),
            vec!["p2", "u2"]
        );
        // Another type's message of that time does not anchor the page (it would resume in
        // the unpinned section): both sections go on below it.
        let mut group = text("g", "G1", 220, "group");
        group.conversation_type = 2;
        s.apply_inbox(&[group], 11).unwrap();
        assert_eq!(
            ids(&s.conversations(&[1], "", 220, 50).unwrap()),
            vec!["p2", "u2"]
        );
    }

    #[test]
    fn a_conversation_arriving_between_pages_never_repeats_a_tie() {
        // Pages of 2 over A(50) B(40) X(30) Y(30) C(20): [A, B], [X, Y]. D arrives on top; the
        // time 30 alone cannot tell X from Y, and the page resumes after the last of them.
        let mut s = Store::open_in_memory().unwrap();
        for (i, (peer, time)) in [("A", 50), ("B", 40), ("X", 30), ("Y", 30), ("C", 20)]
            .into_iter()
            .enumerate()
        {
            receive(&mut s, peer, &format!("m{i}"), time, i as u64 + 1);
        }
        let first = s.conversations(&[1], "", 0, 2).unwrap();
        assert_eq!(ids(&first), vec!["A", "B"]);
        let second = s.conversations(&[1], "", time_of(&first[1]), 2).unwrap();
        assert_eq!(ids(&second), vec!["X", "Y"]);
        receive(&mut s, "D", "m9", 60, 9);
        assert_eq!(
            ids(&s.conversations(&[1], "", time_of(&second[1]), 2).unwrap()),
            vec!["C"]
        );
        // The price: a page ending between the two of that millisecond skips the other.
        let first = s.conversations(&[1], "", 0, 4).unwrap();
        assert_eq!(ids(&first), vec!["D", "A", "B", "X"]);
        assert_eq!(
            ids(&s.conversations(&[1], "", time_of(&first[3]), 4).unwrap()),
            vec!["C"]
        );
    }

    #[test]
    fn the_page_anchor_is_a_bounded_range_scan_of_the_list_index() {
        let s = Store::open_in_memory().unwrap();
        let plan: Vec<String> = s
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {}", super::anchor_sql(2)))
            .unwrap()
            .query_map(rusqlite::params![1, 2, "", 0, 100, 100, 100], |r| {
                r.get::<_, String>(3)
            })
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(
            plan[0],
            "SEARCH c USING INDEX conversations_by_list (top=? AND sort_time>?)"
        );
        assert!(plan.iter().all(|p| !p.contains("TEMP B-TREE")), "{plan:?}");
    }

    #[test]
    fn finding_the_page_anchor_reads_the_ties_not_the_list() {
        // 2,000 conversations above the page end: the anchor is found with a few index steps
        // (SQLite's VM step counter), not one per conversation above it.
        let mut s = Store::open_in_memory().unwrap();
        for i in 0..2_000u64 {
            receive(
                &mut s,
                &format!("c{i:04}"),
                &format!("m{i}"),
                10_000 + i as i64,
                i + 1,
            );
        }
        receive(&mut s, "tie-a", "t1", 5_000, 3_001);
        receive(&mut s, "tie-b", "t2", 5_000, 3_002);
        receive(&mut s, "older", "t3", 4_000, 3_003);
        let sql = super::anchor_sql(1);
        let mut stmt = s.conn.prepare(&sql).unwrap();
        let top: Option<String> = stmt
            .query_row(rusqlite::params![1, "", 0, 5_000, 5_000, 5_000], |r| {
                r.get(3)
            })
            .ok();
        assert_eq!(top.as_deref(), Some("tie-b"));
        let steps = stmt.get_status(rusqlite::StatementStatus::VmStep);
        assert!(steps < 200, "{steps} VM steps");
        assert_eq!(
            ids(&s.conversations(&[1], "", 5_000, 5).unwrap()),
            vec!["older"]
        );
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
