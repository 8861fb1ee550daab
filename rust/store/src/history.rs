//! Cloud history on the client: the history sequence of stored messages (`conv_seq`), the
//! ranges of sequences the store holds completely (`history_ranges`), storing a page fetched
//! from the server, storing what the server delivers (inbox or page; see [`insert_delivered`]),
//! and deciding whether a local page is complete.
//!
//! A message with sequence `s` adds `[s, s]`; a fetched page adds `[from_seq, to_seq]`;
//! overlapping or adjacent ranges merge, so a conversation read back from the newest message
//! ends up as one range. Deleting messages leaves the ranges: what was deleted on purpose
//! stays "held" (deleted messages are not fetched again, and a page that brings them anyway,
//! e.g. REMOTE, does not store them again).
//!
//! A range is *live* when it holds a message this device received through its inbox (or the
//! send result of its own send): from there on the conversation's new messages reach this
//! device through the inbox, so a live highest range reaches "up to now". A range made of
//! fetched pages only is not: a new device (no offline compensation) starts at the inbox
//! head, and a page read from the oldest message (or from some time back) can end far below
//! the server's newest message while being the highest range held. Merged ranges are live
//! when any part is.

use crate::error::Result;
use crate::rows::{self, seq_value, ConversationKey, MessageRow, NewMessage, TimeOrder};
use crate::store::Store;
use crate::values::{direction, received_status, sent_status};
use rusqlite::{params, Connection, OptionalExtension};

/// An interval of history sequences held completely, with the sent times of its ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryRange {
    /// Lowest sequence (1 = the start of the conversation).
    pub lo_seq: u64,
    /// Highest sequence.
    pub hi_seq: u64,
    /// Sent time at `lo_seq` (or the oldest message known there).
    pub lo_time: i64,
    /// Sent time at `hi_seq` (or the newest message known there).
    pub hi_time: i64,
    /// Holds a message delivered through the inbox (or an own send result): newer messages
    /// reach this device through the inbox (see the module documentation).
    pub live: bool,
}

/// A page of cloud history to store (see [`Store::store_history_page`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HistoryPageRows {
    /// The page's messages (any order).
    pub messages: Vec<NewMessage>,
    /// The sequence interval the page covers (both 0: nothing on that side).
    pub from_seq: u64,
    /// See `from_seq`.
    pub to_seq: u64,
    /// Sent time at `from_seq` when no message of the page is there (the reference time of
    /// the request is a safe bound).
    pub from_time: i64,
    /// Sent time at `to_seq` when no message of the page is there.
    pub to_time: i64,
    /// The page reached the server's head while this device's inbox was caught up: its
    /// range is live (see [`HistoryRange::live`]).
    pub live: bool,
}

/// Most ranges one conversation keeps; beyond it the oldest ones are forgotten (their
/// messages are then simply fetched again, duplicates ignored).
const MAX_RANGES: usize = 1000;

/// Records that message `seq` (sent at `time`) of `key` is stored (0 = not in the history);
/// `live`: it came through the inbox (or is an own send result).
pub(crate) fn note_message(
    conn: &Connection,
    key: &ConversationKey,
    seq: u64,
    time: i64,
    live: bool,
) -> Result<()> {
    if seq == 0 {
        return Ok(());
    }
    add_range(
        conn,
        key,
        HistoryRange {
            lo_seq: seq,
            hi_seq: seq,
            lo_time: time,
            hi_time: time,
            live,
        },
    )
}

/// Records that `messages` (delivered by the server: `live` when through the inbox) are
/// stored: their sequences join their conversations' ranges. Consecutive sequences of one
/// conversation are added as one range, so a package of 200 inbox messages costs a few range
/// updates, not 200.
pub(crate) fn note_messages(conn: &Connection, messages: &[NewMessage], live: bool) -> Result<()> {
    let mut seqs: Vec<(ConversationKey, u64, i64)> = messages
        .iter()
        .filter(|m| m.conv_seq > 0)
        .map(|m| (m.key(), m.conv_seq, m.sent_time))
        .collect();
    seqs.sort_by(|(a, a_seq, _), (b, b_seq, _)| {
        (a.conversation_type, &a.target_id, &a.channel_id, a_seq).cmp(&(
            b.conversation_type,
            &b.target_id,
            &b.channel_id,
            b_seq,
        ))
    });
    let mut run: Option<(ConversationKey, HistoryRange)> = None;
    for (key, seq, time) in seqs {
        if let Some((run_key, r)) = &mut run {
            if *run_key == key && seq <= r.hi_seq + 1 {
                if seq > r.hi_seq {
                    r.hi_seq = seq;
                    r.hi_time = time;
                }
                continue;
            }
            add_range(conn, run_key, *r)?;
        }
        let range = HistoryRange {
            lo_seq: seq,
            hi_seq: seq,
            lo_time: time,
            hi_time: time,
            live,
        };
        run = Some((key, range));
    }
    if let Some((key, r)) = run {
        add_range(conn, &key, r)?;
    }
    Ok(())
}

/// Adds `range`, merging it with the ranges it overlaps or touches (live if any part is).
pub(crate) fn add_range(
    conn: &Connection,
    key: &ConversationKey,
    range: HistoryRange,
) -> Result<()> {
    if range.lo_seq == 0 || range.hi_seq < range.lo_seq {
        return Ok(());
    }
    let (lo, hi) = (seq_value(range.lo_seq), seq_value(range.hi_seq));
    let touching: Vec<HistoryRange> = {
        let mut stmt = conn.prepare_cached(
            "SELECT lo_seq, hi_seq, lo_time, hi_time, live FROM history_ranges
             WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3
               AND lo_seq <= ?5 + 1 AND hi_seq + 1 >= ?4",
        )?;
        let found = stmt.query_map(
            params![key.conversation_type, key.target_id, key.channel_id, lo, hi],
            range_from_row,
        )?;
        found.collect::<rusqlite::Result<_>>()?
    };
    let mut merged = range;
    for r in &touching {
        if r.lo_seq < merged.lo_seq {
            merged.lo_seq = r.lo_seq;
            merged.lo_time = r.lo_time;
        }
        if r.hi_seq > merged.hi_seq {
            merged.hi_seq = r.hi_seq;
            merged.hi_time = r.hi_time;
        }
        merged.live |= r.live;
    }
    if touching.len() == 1 && touching[0] == merged {
        return Ok(());
    }
    if touching.len() == 1 && touching[0].lo_seq == merged.lo_seq {
        // The common case (the next message of a conversation): the range grows upwards.
        conn.prepare_cached(
            "UPDATE history_ranges SET hi_seq = ?5, hi_time = ?6, live = ?7
             WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3
               AND lo_seq = ?4",
        )?
        .execute(params![
            key.conversation_type,
            key.target_id,
            key.channel_id,
            seq_value(merged.lo_seq),
            seq_value(merged.hi_seq),
            merged.hi_time,
            merged.live
        ])?;
        return Ok(());
    }
    conn.prepare_cached(
        "DELETE FROM history_ranges
         WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3
           AND lo_seq <= ?5 + 1 AND hi_seq + 1 >= ?4",
    )?
    .execute(params![
        key.conversation_type,
        key.target_id,
        key.channel_id,
        lo,
        hi
    ])?;
    conn.prepare_cached(
        "INSERT INTO history_ranges (conversation_type, target_id, channel_id, lo_seq, hi_seq,
             lo_time, hi_time, live) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        key.conversation_type,
        key.target_id,
        key.channel_id,
        seq_value(merged.lo_seq),
        seq_value(merged.hi_seq),
        merged.lo_time,
        merged.hi_time,
        merged.live
    ])?;
    conn.prepare_cached(
        "DELETE FROM history_ranges
         WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3
           AND lo_seq NOT IN (SELECT lo_seq FROM history_ranges
               WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3
               ORDER BY lo_seq DESC LIMIT ?4)",
    )?
    .execute(params![
        key.conversation_type,
        key.target_id,
        key.channel_id,
        MAX_RANGES as i64
    ])?;
    Ok(())
}

fn ranges_of(conn: &Connection, key: &ConversationKey) -> Result<Vec<HistoryRange>> {
    let mut stmt = conn.prepare_cached(
        "SELECT lo_seq, hi_seq, lo_time, hi_time, live FROM history_ranges
         WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3
         ORDER BY lo_seq",
    )?;
    let found = stmt.query_map(
        params![key.conversation_type, key.target_id, key.channel_id],
        range_from_row,
    )?;
    Ok(found.collect::<rusqlite::Result<_>>()?)
}

fn range_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<HistoryRange> {
    Ok(HistoryRange {
        lo_seq: r.get::<_, i64>(0)?.max(0) as u64,
        hi_seq: r.get::<_, i64>(1)?.max(0) as u64,
        lo_time: r.get(2)?,
        hi_time: r.get(3)?,
        live: r.get(4)?,
    })
}

impl Store {
    /// The history ranges held for `key`, lowest first.
    pub fn history_ranges(&self, key: &ConversationKey) -> Result<Vec<HistoryRange>> {
        ranges_of(&self.conn, key)
    }

    /// Records the history sequence the server gave this device's own message `id` (its send
    /// result): the row keeps it and the conversation's ranges take it (live: new messages of
    /// the conversation reach this device through the inbox from there on).
    pub fn set_conv_seq(&mut self, id: i64, conv_seq: u64) -> Result<Option<MessageRow>> {
        if conv_seq == 0 {
            return rows::message_by_id(&self.conn, id);
        }
        let tx = self.conn.savepoint()?;
        tx.execute(
            "UPDATE messages SET conv_seq = ?2 WHERE id = ?1",
            params![id, seq_value(conv_seq)],
        )?;
        let row = rows::message_by_id(&tx, id)?;
        if let Some(row) = &row {
            note_message(&tx, &row.key(), conv_seq, row.sent_time, true)?;
        }
        tx.commit()?;
        Ok(row)
    }

    /// Stores a page of `key`'s cloud history in one transaction: messages not stored yet are
    /// inserted as read and without counting them as unread (no receive events follow; if the
    /// inbox brings one of them later, that copy is received then, see
    /// `inbox::insert_delivered`); duplicates by uid are skipped (a local outgoing row of this
    /// user with the same client id is completed instead); messages whose sequence lies in a
    /// range held before the page are skipped too: the store held them, so a missing one was
    /// deleted on purpose and stays deleted. The page updates the last message of an existing
    /// conversation only: reading history never adds a conversation to the list (RongCloud
    /// behaves the same; a removed conversation stays removed). Then the page's interval joins
    /// the ranges (not live: a page proves nothing about what reaches the inbox). Returns
    /// how many rows were added.
    pub fn store_history_page(
        &mut self,
        key: &ConversationKey,
        page: &HistoryPageRows,
    ) -> Result<usize> {
        let tx = self.conn.savepoint()?;
        let held = ranges_of(&tx, key)?;
        let listed = rows::conversation_exists(&tx, key)?;
        let mut added = 0;
        for message in &page.messages {
            if message.key() != *key {
                // Not of this conversation: the server's answer is wrong; never store it.
                tracing::warn!(uid = ?message.uid, "history page message of another conversation skipped");
                continue;
            }
            if message.conv_seq > 0
                && held
                    .iter()
                    .any(|r| (r.lo_seq..=r.hi_seq).contains(&message.conv_seq))
            {
                continue;
            }
            let mut message = message.clone();
            message.received_status = received_status::READ;
            note_messages(&tx, std::slice::from_ref(&message), false)?;
            if let Some(id) = insert_delivered(&tx, &message, Delivery::HistoryPage)? {
                if listed {
                    rows::touch_conversation(&tx, key, id, message.sent_time, false)?;
                }
                added += 1;
            }
        }
        let own: Vec<NewMessage> = page
            .messages
            .iter()
            .filter(|m| m.key() == *key)
            .cloned()
            .collect();
        crate::group_receipts::merge_delivered(&tx, &own)?;
        if page.from_seq > 0 && page.to_seq >= page.from_seq {
            let at = |seq: u64| {
                page.messages
                    .iter()
                    .find(|m| m.conv_seq == seq)
                    .map(|m| m.sent_time)
            };
            let oldest = page.messages.iter().map(|m| m.sent_time).min();
            let newest = page.messages.iter().map(|m| m.sent_time).max();
            add_range(
                &tx,
                key,
                HistoryRange {
                    lo_seq: page.from_seq,
                    hi_seq: page.to_seq,
                    lo_time: at(page.from_seq).or(oldest).unwrap_or(page.from_time),
                    hi_time: at(page.to_seq)
                        .unwrap_or(page.to_time.max(newest.unwrap_or(i64::MIN))),
                    live: page.live,
                },
            )?;
        }
        tx.commit()?;
        Ok(added)
    }

    /// Whether the local page `page` of `key` (as [`Store::messages`] returned it for
    /// `sent_time`, `order`, `count`) is the complete answer, so the server need not be asked
    /// (LOCAL_REMOTE). It is when one history range covers it:
    ///
    /// * BEFORE `sent_time`: the range reaches the start of the conversation (or, for a full
    ///   page, the page's oldest message) and reaches `sent_time` (or is the highest range
    ///   and live: newer messages all arrive through the inbox; `sent_time` 0 = the newest
    ///   needs it).
    /// * AFTER `sent_time`: the range reaches back to `sent_time` (or the start of the
    ///   conversation; `sent_time` 0 = the oldest needs the start) and is the highest range
    ///   and live (or, for a full page, reaches the page's newest message).
    ///
    /// A highest range that is not live (fetched pages only) may end below the server's
    /// newest message, and so may every range while the inbox is still being synced
    /// (`inbox_current` false: messages the server already has are on their way): a page
    /// that needs "up to now" is then fetched.
    pub fn history_page_complete(
        &self,
        key: &ConversationKey,
        sent_time: i64,
        order: TimeOrder,
        count: u32,
        page: &[MessageRow],
        inbox_current: bool,
    ) -> Result<bool> {
        let ranges = self.history_ranges(key)?;
        let Some(highest) = ranges.iter().map(|r| r.hi_seq).max() else {
            return Ok(false);
        };
        let short = page.len() < count as usize;
        let oldest = page.iter().map(|m| m.sent_time).min();
        let newest = page.iter().map(|m| m.sent_time).max();
        // A range reaching the start of the conversation (or being the highest one) holds
        // everything on that side whatever the page's ends are: messages without a sequence
        // (inserted locally, failed sends) may lie beyond the range's times and must not make
        // such a page look incomplete forever.
        let reaches_now = |r: &HistoryRange| inbox_current && r.hi_seq == highest && r.live;
        let covers = |r: &HistoryRange| match order {
            TimeOrder::Before => {
                let low_ok = r.lo_seq <= 1 || (!short && oldest.is_some_and(|t| r.lo_time <= t));
                let high_ok = reaches_now(r) || (sent_time > 0 && r.hi_time >= sent_time);
                low_ok && high_ok
            }
            TimeOrder::After => {
                let low_ok = r.lo_seq <= 1 || (sent_time > 0 && r.lo_time <= sent_time);
                let high_ok = reaches_now(r) || (!short && newest.is_some_and(|t| r.hi_time >= t));
                low_ok && high_ok
            }
        };
        Ok(ranges.iter().any(covers))
    }
}

/// Where a message the server delivered comes from (see [`insert_delivered`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delivery {
    /// The user's inbox: a received message that counts and is announced.
    Inbox,
    /// A cloud history page: stored read, never counted nor announced.
    HistoryPage,
}

/// Stores a message the server delivered (inbox or history page) unless it is stored
/// already: a copy of this user's own message carrying the client id of a local outgoing row
/// completes that row (this device sent it but missed the ack); one whose uid is stored is
/// skipped, except that the first inbox copy of a row stored from a history page (the page
/// reached the server's head before the inbox did) turns that row into the received message
/// the inbox brings. The caller records its history sequence ([`note_messages`]).
/// Returns the id of a row that is new for `delivery`: inserted, or (inbox) taken over from
/// a history page; the caller counts and announces it.
pub(crate) fn insert_delivered(
    tx: &rusqlite::Connection,
    message: &NewMessage,
    delivery: Delivery,
) -> Result<Option<i64>> {
    if complete_own_send(tx, message)? {
        return Ok(None);
    }
    if let Some(uid) = &message.uid {
        let stored: Option<(i64, bool)> = tx
            .prepare_cached("SELECT id, from_history FROM messages WHERE uid = ?1")?
            .query_row([uid], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        return match stored {
            Some((id, true)) if delivery == Delivery::Inbox => {
                tx.prepare_cached(
                    "UPDATE messages SET from_history = 0, received_status = ?2, counted = ?3,
                         mentioned = ?4
                     WHERE id = ?1",
                )?
                .execute(params![
                    id,
                    message.received_status,
                    message.counted,
                    message.mentioned
                ])?;
                Ok(Some(id))
            }
            Some(_) => Ok(None),
            None => insert_new(tx, message, delivery).map(Some),
        };
    }
    insert_new(tx, message, delivery).map(Some)
}

/// Inserts a delivered message that is not stored. Client ids are unique in the store, but
/// only a sender's own client ids are; another sender's message that carries a client id
/// already stored (by chance or by malice) is stored without it rather than refused.
fn insert_new(tx: &rusqlite::Connection, message: &NewMessage, delivery: Delivery) -> Result<i64> {
    let taken = match &message.client_msg_id {
        Some(client_msg_id) => tx
            .prepare_cached("SELECT 1 FROM messages WHERE client_msg_id = ?1")?
            .exists([client_msg_id])?,
        None => false,
    };
    let id = if taken {
        let mut message = message.clone();
        message.client_msg_id = None;
        rows::insert_message(tx, &message)?
    } else {
        rows::insert_message(tx, message)?
    };
    if delivery == Delivery::HistoryPage {
        tx.prepare_cached("UPDATE messages SET from_history = 1 WHERE id = ?1")?
            .execute([id])?;
    }
    Ok(id)
}

/// Our own message whose ack we missed: the server's copy completes the local outgoing row
/// with its client id. Only this user's own rows (direction SEND, same sender): another
/// sender's client id, whatever it is, never touches them. True when a row was completed.
fn complete_own_send(tx: &rusqlite::Connection, message: &NewMessage) -> Result<bool> {
    let Some(client_msg_id) = &message.client_msg_id else {
        return Ok(false);
    };
    if message.direction != direction::SEND {
        return Ok(false);
    }
    let updated = tx
        .prepare_cached(
            "UPDATE messages SET uid = COALESCE(uid, ?2), sent_time = ?3,
                 sent_status = ?4, conv_seq = MAX(conv_seq, ?5)
             WHERE client_msg_id = ?1 AND direction = ?6 AND sender_id = ?7",
        )?
        .execute(params![
            client_msg_id,
            message.uid,
            message.sent_time,
            sent_status::SENT,
            rows::seq_value(message.conv_seq),
            direction::SEND,
            message.sender_id
        ])?;
    Ok(updated > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;

    fn seq_msg(seq: u64) -> NewMessage {
        let mut m = msg(
            "bob",
            Some(&format!("u{seq}")),
            direction::RECEIVE,
            seq as i64 * 10,
        );
        m.conv_seq = seq;
        m
    }

    fn page(from: u64, to: u64) -> HistoryPageRows {
        HistoryPageRows {
            messages: (from..=to).map(seq_msg).collect(),
            from_seq: from,
            to_seq: to,
            from_time: 0,
            to_time: 0,
            live: false,
        }
    }

    fn page_of(messages: Vec<NewMessage>) -> HistoryPageRows {
        let seqs = messages.iter().map(|m| m.conv_seq);
        HistoryPageRows {
            from_seq: seqs.clone().min().unwrap_or(0),
            to_seq: seqs.max().unwrap_or(0),
            messages,
            ..Default::default()
        }
    }

    #[test]
    fn ranges_start_extend_and_merge() {
        let mut s = Store::open_in_memory().unwrap();
        s.apply_inbox(&[seq_msg(10), seq_msg(11), seq_msg(20)], 3)
            .unwrap();
        let r = s.history_ranges(&key("bob")).unwrap();
        assert_eq!(
            r.iter().map(|r| (r.lo_seq, r.hi_seq)).collect::<Vec<_>>(),
            vec![(10, 11), (20, 20)]
        );
        assert_eq!((r[0].lo_time, r[0].hi_time), (100, 110));
        // A page bridging the gap merges everything.
        assert_eq!(s.store_history_page(&key("bob"), &page(5, 19)).unwrap(), 13);
        let r = s.history_ranges(&key("bob")).unwrap();
        assert_eq!(
            r,
            vec![HistoryRange {
                lo_seq: 5,
                hi_seq: 20,
                lo_time: 50,
                hi_time: 200,
                live: true
            }]
        );
        // A page inside changes nothing; a duplicate is not stored twice.
        assert_eq!(s.store_history_page(&key("bob"), &page(6, 8)).unwrap(), 0);
        assert_eq!(s.history_ranges(&key("bob")).unwrap().len(), 1);
        assert_eq!(s.message_count(&key("bob")).unwrap(), 16);
    }

    #[test]
    fn history_pages_are_stored_read_and_not_counted() {
        let mut s = Store::open_in_memory().unwrap();
        s.apply_inbox(&[seq_msg(30)], 1).unwrap();
        assert_eq!(s.unread_count(&key("bob")).unwrap(), 1);
        s.store_history_page(&key("bob"), &page(1, 29)).unwrap();
        assert_eq!(s.unread_count(&key("bob")).unwrap(), 1);
        let conv = s.conversation(&key("bob")).unwrap().unwrap();
        assert_eq!(conv.last_message.unwrap().conv_seq, 30);
        let old = s.message_by_uid("u3").unwrap().unwrap();
        assert_eq!(
            (old.conv_seq, old.received_status),
            (3, received_status::READ)
        );
        // A message of another conversation in the page is not stored.
        let mut stray = page(31, 31);
        stray.messages[0].target_id = "eve".into();
        s.store_history_page(&key("bob"), &stray).unwrap();
        assert!(s.message_by_uid("u31").unwrap().is_none());
    }

    #[test]
    fn a_page_is_complete_only_when_one_range_covers_it() {
        let mut s = Store::open_in_memory().unwrap();
        let k = key("bob");
        let before = |s: &Store, t: i64, n: u32| {
            let p = s.messages(&k, t, TimeOrder::Before, n).unwrap();
            s.history_page_complete(&k, t, TimeOrder::Before, n, &p, true)
                .unwrap()
        };
        let after = |s: &Store, t: i64, n: u32| {
            let p = s.messages(&k, t, TimeOrder::After, n).unwrap();
            s.history_page_complete(&k, t, TimeOrder::After, n, &p, true)
                .unwrap()
        };
        // Nothing known: fetch.
        assert!(!before(&s, 0, 5));
        // Live messages 41..=50 (times 410..=500): the newest 5 are covered, 20 are not.
        let live: Vec<_> = (41..=50).map(seq_msg).collect();
        s.apply_inbox(&live, 10).unwrap();
        assert!(before(&s, 0, 5));
        assert!(!before(&s, 0, 20));
        assert!(before(&s, 460, 5));
        assert!(!before(&s, 450, 5));
        // A page of 21..=40 joins them; older than 210 is unknown.
        s.store_history_page(&k, &page(21, 40)).unwrap();
        assert!(before(&s, 0, 20));
        assert!(before(&s, 300, 9));
        assert!(!before(&s, 300, 10));
        // An isolated older range, not reaching the higher one: not complete beyond it.
        s.store_history_page(&k, &page(1, 10)).unwrap();
        assert!(
            before(&s, 100, 20),
            "start of conversation reached: short page complete"
        );
        assert!(!before(&s, 150, 20));
        // AFTER: from the start needs lo_seq 1; short pages need the highest range.
        assert!(after(&s, 0, 5));
        assert!(!after(&s, 0, 20));
        assert!(after(&s, 300, 20));
        assert!(!after(&s, 150, 5));
        s.store_history_page(&k, &page(11, 20)).unwrap();
        assert_eq!(s.history_ranges(&k).unwrap().len(), 1);
        assert!(after(&s, 0, 20) && before(&s, 150, 20));
    }

    #[test]
    fn an_own_send_result_records_its_sequence() {
        let mut s = Store::open_in_memory().unwrap();
        let row = s
            .insert_outgoing(&msg("bob", None, direction::SEND, 10))
            .unwrap();
        s.update_sent(row.id, sent_status::SENT, Some("U1"), Some(20))
            .unwrap();
        let row = s.set_conv_seq(row.id, 7).unwrap().unwrap();
        assert_eq!(row.conv_seq, 7);
        let r = s.history_ranges(&key("bob")).unwrap();
        assert_eq!(
            r,
            vec![HistoryRange {
                lo_seq: 7,
                hi_seq: 7,
                lo_time: 20,
                hi_time: 20,
                live: true
            }]
        );
    }

    #[test]
    fn a_message_stored_from_a_page_is_received_when_its_inbox_copy_arrives() {
        let mut s = Store::open_in_memory().unwrap();
        s.apply_inbox(&[seq_msg(1)], 1).unwrap();
        // The page read from the newest reaches the server's head (seq 2) before the inbox.
        let mut head = seq_msg(2);
        head.mentioned = true;
        s.store_history_page(
            &key("bob"),
            &HistoryPageRows {
                messages: vec![seq_msg(1), head.clone()],
                from_seq: 1,
                to_seq: 2,
                ..Default::default()
            },
        )
        .unwrap();
        let stored = s.message_by_uid("u2").unwrap().unwrap();
        assert_eq!(stored.received_status, received_status::READ);
        assert_eq!(s.unread_count(&key("bob")).unwrap(), 1);
        // Its inbox copy: received now (returned to be announced), unread, mention counted,
        // same row.
        let received = s.apply_inbox(&[head.clone()], 2).unwrap();
        assert_eq!(received.len(), 1);
        assert_eq!(received[0].id, stored.id);
        assert_eq!(received[0].received_status, received_status::UNREAD);
        let conv = s.conversation(&key("bob")).unwrap().unwrap();
        assert_eq!((conv.unread_count, conv.mentioned_count), (2, 1));
        // Only the first inbox copy: a redelivery is a duplicate again.
        assert!(s.apply_inbox(&[head], 3).unwrap().is_empty());
        assert_eq!(s.unread_count(&key("bob")).unwrap(), 2);
        assert_eq!(s.message_count(&key("bob")).unwrap(), 2);
    }

    #[test]
    fn messages_deleted_inside_held_ranges_are_not_stored_again() {
        let mut s = Store::open_in_memory().unwrap();
        s.apply_inbox(&[seq_msg(10)], 1).unwrap();
        s.store_history_page(&key("bob"), &page(1, 9)).unwrap();
        let gone: Vec<i64> = ["u3", "u10"]
            .iter()
            .map(|u| s.message_by_uid(u).unwrap().unwrap().id)
            .collect();
        s.delete_messages(&gone).unwrap();
        // The same interval fetched again (REMOTE): what was deleted stays deleted; the part
        // not held before (11) is stored.
        assert_eq!(s.store_history_page(&key("bob"), &page(1, 11)).unwrap(), 1);
        assert!(s.message_by_uid("u3").unwrap().is_none());
        assert!(s.message_by_uid("u10").unwrap().is_none());
        assert!(s.message_by_uid("u11").unwrap().is_some());
        assert_eq!(s.message_count(&key("bob")).unwrap(), 9);
    }

    #[test]
    fn a_page_does_not_bring_back_a_removed_conversation() {
        let mut s = Store::open_in_memory().unwrap();
        s.store_history_page(&key("bob"), &page(1, 5)).unwrap();
        assert!(s.conversation(&key("bob")).unwrap().is_none());
        assert_eq!(s.message_count(&key("bob")).unwrap(), 5);
        // A listed conversation gets a newer last message from a page.
        s.apply_inbox(&[seq_msg(6)], 1).unwrap();
        s.store_history_page(&key("bob"), &page(7, 8)).unwrap();
        let conv = s.conversation(&key("bob")).unwrap().unwrap();
        assert_eq!(conv.last_message.unwrap().conv_seq, 8);
    }

    #[test]
    fn another_senders_client_id_never_completes_a_local_row() {
        let mut s = Store::open_in_memory().unwrap();
        let mut mine = msg("bob", None, direction::SEND, 1);
        mine.client_msg_id = Some("c1".into());
        let row = s.insert_outgoing(&mine).unwrap();
        // Bob's message that happens to carry the same client id, in a history page.
        let mut theirs = seq_msg(1);
        theirs.client_msg_id = Some("c1".into());
        s.store_history_page(&key("bob"), &page_of(vec![theirs]))
            .unwrap();
        let local = s.message(row.id).unwrap().unwrap();
        assert_eq!((local.uid, local.conv_seq), (None, 0));
        assert!(s.message_by_uid("u1").unwrap().is_some());
        // Our own copy (same sender, SEND) does complete it.
        let mut own = msg("bob", Some("U2"), direction::SEND, 20);
        own.client_msg_id = Some("c1".into());
        own.conv_seq = 2;
        s.store_history_page(&key("bob"), &page_of(vec![own]))
            .unwrap();
        let local = s.message(row.id).unwrap().unwrap();
        assert_eq!((local.uid.as_deref(), local.conv_seq), (Some("U2"), 2));
    }

    #[test]
    fn messages_without_a_sequence_do_not_decide_coverage() {
        let mut s = Store::open_in_memory().unwrap();
        let k = key("bob");
        // An old local message (inserted, conv_seq 0), then the whole cloud history (19: the
        // newest through the inbox, the rest from a page).
        s.insert_messages(&[msg("bob", None, direction::RECEIVE, 1)])
            .unwrap();
        s.apply_inbox(&[seq_msg(19)], 1).unwrap();
        s.store_history_page(&k, &page(1, 18)).unwrap();
        let p = s.messages(&k, 0, TimeOrder::Before, 20).unwrap();
        assert_eq!(p.len(), 20);
        assert!(s
            .history_page_complete(&k, 0, TimeOrder::Before, 20, &p, true)
            .unwrap());
        // A failed send newer than everything: AFTER from the start stays complete.
        s.insert_outgoing(&msg("bob", None, direction::SEND, 10_000))
            .unwrap();
        let p = s.messages(&k, 0, TimeOrder::After, 20).unwrap();
        assert!(s
            .history_page_complete(&k, 0, TimeOrder::After, 20, &p, true)
            .unwrap());
    }

    #[test]
    fn only_a_live_highest_range_reaches_the_newest_message() {
        let mut s = Store::open_in_memory().unwrap();
        let k = key("bob");
        let complete = |s: &Store, t: i64, order: TimeOrder, n: u32| {
            let p = s.messages(&k, t, order, n).unwrap();
            s.history_page_complete(&k, t, order, n, &p, true).unwrap()
        };
        let live = |s: &Store| {
            s.history_ranges(&k)
                .unwrap()
                .iter()
                .map(|r| (r.lo_seq, r.hi_seq, r.live))
                .collect::<Vec<_>>()
        };
        // A new device pages from the oldest message: 1..=20 of a longer history. The highest
        // range held, but not live: the newest page and AFTER beyond it are fetched.
        s.store_history_page(&k, &page(1, 20)).unwrap();
        assert_eq!(live(&s), vec![(1, 20, false)]);
        assert!(!complete(&s, 0, TimeOrder::Before, 5));
        assert!(!complete(&s, 0, TimeOrder::Before, 20));
        assert!(!complete(&s, 150, TimeOrder::After, 20), "short, up to now");
        assert!(!complete(&s, 500, TimeOrder::Before, 5), "beyond the range");
        // What the range holds is still complete.
        assert!(complete(&s, 0, TimeOrder::After, 20));
        assert!(complete(&s, 150, TimeOrder::Before, 5));
        assert!(complete(&s, 50, TimeOrder::After, 5));
        // Another page (from some time back) is not live either; merged, still not.
        s.store_history_page(&k, &page(21, 40)).unwrap();
        assert_eq!(live(&s), vec![(1, 40, false)]);
        assert!(!complete(&s, 0, TimeOrder::Before, 5));
        // An inbox message apart from it: live, and the highest range.
        s.apply_inbox(&[seq_msg(50)], 1).unwrap();
        assert_eq!(live(&s), vec![(1, 40, false), (50, 50, true)]);
        assert!(complete(&s, 0, TimeOrder::Before, 1));
        assert!(!complete(&s, 0, TimeOrder::Before, 5), "gap 41..=49");
        // A page joining them: the merged range is live (either part is).
        s.store_history_page(&k, &page(41, 49)).unwrap();
        assert_eq!(live(&s), vec![(1, 50, true)]);
        assert!(complete(&s, 0, TimeOrder::Before, 20));
        assert!(complete(&s, 450, TimeOrder::After, 20));
        // A page beyond it (read ahead of the inbox) is the highest range, not live; the inbox
        // copy of a message inside it makes it live (it contains that message).
        s.store_history_page(&k, &page(52, 55)).unwrap();
        assert_eq!(live(&s), vec![(1, 50, true), (52, 55, false)]);
        assert!(!complete(&s, 0, TimeOrder::Before, 2));
        s.apply_inbox(&[seq_msg(53)], 2).unwrap();
        assert_eq!(live(&s), vec![(1, 50, true), (52, 55, true)]);
        assert!(complete(&s, 0, TimeOrder::Before, 2));
        // An own send result is live too.
        let other = key("carol");
        let mut first = seq_msg(1);
        first.target_id = "carol".into();
        s.store_history_page(&other, &page_of(vec![first])).unwrap();
        let row = s
            .insert_outgoing(&msg("carol", None, direction::SEND, 20))
            .unwrap();
        s.update_sent(row.id, sent_status::SENT, Some("C2"), Some(20))
            .unwrap();
        s.set_conv_seq(row.id, 2).unwrap();
        let r = s.history_ranges(&other).unwrap();
        assert_eq!((r[0].lo_seq, r[0].hi_seq, r[0].live), (1, 2, true));
    }
}
