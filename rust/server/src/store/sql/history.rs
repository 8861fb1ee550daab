//! Reads of the cloud history: pages of a conversation as one user may see them, and the
//! offline compensation start of an inbox.
//!
//! A conversation's history messages are numbered 1, 2, 3, ... (`messages.conv_seq`) in
//! sent-time order, so "before/after a time" is a sequence bound found through the
//! `(conv_key, sent_time)` index, and a page is a range scan of the `(conv_key, conv_seq)`
//! index. What the user may not see is filtered out: a lower time bound (their clear time and,
//! in a group, when they joined) becomes a lower sequence bound, and their deleted messages
//! are skipped one by one.

use super::db::{params, Db, Optional};
use super::reads::{joined_at, message_from_row, MESSAGE_COLUMNS};
use crate::model::{HistoryQuery, HistorySlice, Rejected, ENTRY_OVERHEAD, SYNC_BYTES};
use rcim_proto::conversation_type::GROUP;
use rcim_proto::v1::Message;

/// Bytes of messages one page holds at most (the rest of a frame is the envelope).
const PAGE_BYTES: usize = SYNC_BYTES - 64;

/// A page of the history of `q.conversation` (see `HistoryPage` in the protocol). 22406 for
/// a group the user is not a member of.
pub(crate) fn read_history(c: &Db, q: &HistoryQuery) -> anyhow::Result<HistorySlice> {
    // One snapshot for the bounds and the rows.
    let tx = c.unchecked_transaction()?;
    let conv = &q.conversation;
    let key = conv.key();
    let mut visible_after: i64 = tx
        .prepare_cached(
            "SELECT before_time FROM history_cleared WHERE user_id = ?1 AND conv_key = ?2",
        )?
        .query_row(params![conv.user_id, key], |r| r.get(0))
        .optional()?
        .unwrap_or(i64::MIN);
    if conv.conversation_type == GROUP {
        let Some(joined) = joined_at(&tx, &conv.target_id, &conv.user_id)? else {
            return Err(Rejected::err(
                rcim_proto::codes::NOT_IN_GROUP,
                format!(
                    "{} is not a member of group {}",
                    conv.user_id, conv.target_id
                ),
            ));
        };
        visible_after = visible_after.max(joined.saturating_sub(1));
    }
    let head: u64 = tx
        .prepare_cached("SELECT head FROM conv_heads WHERE conv_key = ?1")?
        .query_row([&key], |r| r.get::<_, i64>(0))
        .optional()?
        .unwrap_or(0)
        .max(0) as u64;
    // The lowest sequence the user may see (u64::MAX: none).
    let min_visible = first_seq_after(&tx, &key, visible_after)?.unwrap_or(u64::MAX);
    let count = q.count.clamp(1, 100) as usize;
    let page = if q.after {
        let Some(from) = first_seq_after(&tx, &key, q.sent_time)? else {
            return Ok(HistorySlice::default());
        };
        let (messages, has_more) = scan(
            &tx,
            &key,
            &conv.user_id,
            from.max(min_visible),
            head,
            true,
            count,
        )?;
        let to_seq = match messages.last() {
            Some(m) if has_more => m.conv_seq,
            _ => head,
        };
        HistorySlice {
            messages,
            from_seq: from,
            to_seq,
            has_more,
        }
    } else {
        let to = if q.sent_time <= 0 {
            head
        } else {
            last_seq_before(&tx, &key, q.sent_time)?.unwrap_or(0)
        };
        if to == 0 {
            return Ok(HistorySlice::default());
        }
        let (mut messages, has_more) =
            scan(&tx, &key, &conv.user_id, min_visible, to, false, count)?;
        messages.reverse();
        let from_seq = match messages.first() {
            Some(m) if has_more => m.conv_seq,
            _ => 1,
        };
        HistorySlice {
            messages,
            from_seq,
            to_seq: to,
            has_more,
        }
    };
    tracing::trace!(user = %conv.user_id, from = page.from_seq, to = page.to_seq,
        n = page.messages.len(), has_more = page.has_more, "history page");
    Ok(page)
}

/// The lowest history sequence of `key` sent after `time`.
fn first_seq_after(c: &Db, key: &str, time: i64) -> anyhow::Result<Option<u64>> {
    Ok(c.prepare_cached(
        "SELECT conv_seq FROM messages WHERE conv_key = ?1 AND conv_seq > 0 \
             AND sent_time > ?2 ORDER BY sent_time ASC LIMIT 1",
    )?
    .query_row(params![key, time], |r| r.get::<_, i64>(0))
    .optional()?
    .map(|s| s.max(0) as u64))
}

/// The highest history sequence of `key` sent before `time`.
fn last_seq_before(c: &Db, key: &str, time: i64) -> anyhow::Result<Option<u64>> {
    Ok(c.prepare_cached(
        "SELECT conv_seq FROM messages WHERE conv_key = ?1 AND conv_seq > 0 \
             AND sent_time < ?2 ORDER BY sent_time DESC LIMIT 1",
    )?
    .query_row(params![key, time], |r| r.get::<_, i64>(0))
    .optional()?
    .map(|s| s.max(0) as u64))
}

/// Up to `count` messages of `key` with sequences in `lo..=hi` that `user` has not deleted,
/// from `lo` upwards (`ascending`) or from `hi` downwards, within [`PAGE_BYTES`]; and whether
/// more remain in that direction.
fn scan(
    c: &Db,
    key: &str,
    user: &str,
    lo: u64,
    hi: u64,
    ascending: bool,
    count: usize,
) -> anyhow::Result<(Vec<Message>, bool)> {
    if lo > hi {
        return Ok((Vec::new(), false));
    }
    let order = if ascending { "ASC" } else { "DESC" };
    let sql = format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages m \
         WHERE m.conv_key = ?1 AND m.conv_seq > 0 AND m.conv_seq BETWEEN ?2 AND ?3 \
         AND NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.user_id = ?4 AND h.msg_id = m.id) \
         ORDER BY m.conv_seq {order} LIMIT ?5"
    );
    let to_i = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![key, to_i(lo), to_i(hi), user, (count + 1) as i64],
        |r| message_from_row(r, 0),
    )?;
    let mut out = Vec::with_capacity(count.min(100));
    let mut bytes = 0usize;
    for row in rows {
        let mut m = row?;
        super::receipt_view::fill(c, user, &mut m)?;
        crate::model::hide_sender_only(user, &mut m);
        let size = prost::Message::encoded_len(&m) + ENTRY_OVERHEAD;
        if out.len() == count || (!out.is_empty() && bytes + size > PAGE_BYTES) {
            return Ok((out, true));
        }
        bytes += size;
        out.push(m);
    }
    Ok((out, false))
}

/// The highest inbox sequence of `user_id` created before `time_ms` (0 if none): where a
/// device without a cursor starts syncing (offline compensation). Asked on every connect, so
/// it is one seek of index `inbox_user_created` (migration 7), whose entries end with the
/// key's `seq`: the last entry created before the time. Entries are appended by one writer in
/// sequence order with its clock, so that is the highest such sequence (should the clock step
/// back, the start moves by the entries of that step, which is harmless for a start).
pub(crate) fn read_seq_before(c: &Db, user_id: &str, time_ms: i64) -> anyhow::Result<u64> {
    Ok(c.prepare_cached(SEQ_BEFORE)?
        .query_row(params![user_id, time_ms], |r| r.get::<_, i64>(0))
        .optional()?
        .unwrap_or(0)
        .max(0) as u64)
}

const SEQ_BEFORE: &str = "SELECT seq FROM inbox INDEXED BY inbox_user_created \
     WHERE user_id = ?1 AND created_at < ?2 ORDER BY created_at DESC, seq DESC LIMIT 1";

#[cfg(test)]
mod tests {
    use super::super::schema::{migrate, open_conn, DB_FILE};
    use super::*;

    /// The compensation start is one index seek (no scan of the inbox, no sort), and right
    /// at the bounds: strictly before the time, ties resolved to the highest sequence.
    #[test]
    fn compensation_start_is_one_index_seek() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = open_conn(&dir.path().join(DB_FILE)).unwrap();
        migrate(&mut c).unwrap();
        let plan: Vec<String> = c
            .prepare(&format!("EXPLAIN QUERY PLAN {SEQ_BEFORE}"))
            .unwrap()
            .query_map(params!["u", 5], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            plan,
            vec![
                "SEARCH inbox USING COVERING INDEX inbox_user_created (user_id=? AND created_at<?)"
            ],
        );
        let mut insert = c
            .prepare("INSERT INTO inbox (user_id, seq, msg_id, created_at) VALUES (?1, ?2, 0, ?3)")
            .unwrap();
        for (user, seq, at) in [
            ("u", 1, 10),
            ("u", 2, 20),
            ("u", 3, 20),
            ("u", 4, 30),
            ("v", 9, 15),
        ] {
            insert.execute(params![user, seq, at]).unwrap();
        }
        let before = |t| read_seq_before(&c, "u", t).unwrap();
        assert_eq!(before(10), 0);
        assert_eq!(before(11), 1);
        assert_eq!(before(20), 1);
        assert_eq!(before(21), 3);
        assert_eq!(before(30), 3);
        assert_eq!(before(i64::MAX), 4);
        assert_eq!(read_seq_before(&c, "w", i64::MAX).unwrap(), 0);
    }
}
