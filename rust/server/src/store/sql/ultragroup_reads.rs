//! Reads of the ultra-group channel streams (migration 13): changes after a sequence,
//! history pages, chosen messages and each channel's state for one user, always as that
//! user may see them (directed messages only for their readers and sender, nothing they
//! cleared, nothing older than the retention).

use super::db::{params, Db, Optional, Row};
use super::ultragroup_stream::read_heads;
use crate::expansion::Stored;
use crate::model::{HistorySlice, ENTRY_OVERHEAD, SYNC_BYTES};
use crate::store::ultragroup_stream_records::{
    UgChangesPage, UgChangesQuery, UgChannelState, UgHistoryQuery, MAX_COUNTED_UNREAD,
};
use rcim_proto::v1::Message;

/// Bytes of messages one page holds at most: half a frame, so the answer's envelope and
/// anything queued beside it always fit.
pub(crate) const UG_PAGE_BYTES: usize = SYNC_BYTES / 2;

/// The SQL condition "user :u may see message m" (directed messages: its readers and sender).
const VISIBLE: &str = "(m.directed = 0 OR m.sender_id = :u OR EXISTS (SELECT 1 FROM \
     ug_directed d WHERE d.msg_id = m.id AND d.user_id = :u))";

/// What a user recorded about a channel.
#[derive(Debug, Clone, Copy, Default)]
struct UserChannel {
    read_sent: i64,
    read_seq: i64,
    read_time: i64,
    cleared_before: i64,
}

fn user_channel(c: &Db, user: &str, group: &str, channel: &str) -> anyhow::Result<UserChannel> {
    Ok(c.prepare_cached(
        "SELECT read_sent, read_seq, read_time, cleared_before FROM ug_user_channels \
             WHERE user_id = ?1 AND group_id = ?2 AND channel_id = ?3",
    )?
    .query_row(params![user, group, channel], |r| {
        Ok(UserChannel {
            read_sent: r.get(0)?,
            read_seq: r.get(1)?,
            read_time: r.get(2)?,
            cleared_before: r.get(3)?,
        })
    })
    .optional()?
    .unwrap_or_default())
}

/// When `user` joined `group` (0: not a member in the directory tables).
fn joined_at(c: &Db, user: &str, group: &str) -> anyhow::Result<i64> {
    Ok(
        c.prepare_cached("SELECT joined_at FROM ug_members WHERE group_id = ?1 AND user_id = ?2")?
            .query_row(params![group, user], |r| r.get(0))
            .optional()?
            .unwrap_or(0),
    )
}

/// The message of a row whose first two columns are `message` and `expansion`.
fn decode(r: &Row<'_>) -> super::db::SqlResult<Option<Message>> {
    let blob: Vec<u8> = r.get(0)?;
    let expansion: String = r.get(1)?;
    match <Message as prost::Message>::decode(blob.as_slice()) {
        Ok(mut m) => {
            m.expansion = Stored::parse(&expansion).to_wire();
            Ok(Some(m))
        }
        Err(e) => {
            tracing::warn!(error = %e, "skipping an unreadable ultra-group message");
            Ok(None)
        }
    }
}

/// The lowest sent time a user sees: after their clear, within retention.
fn floor(cleared_before: i64, since: i64) -> i64 {
    cleared_before.max(since.saturating_sub(1))
}

/// The changes query; `known_only`: only messages changed since stored (the partial index
/// of changed messages, so messages merely stored since `:a` are not walked) that the device
/// holds (`conv_seq` <= `:x`, or stored at or before `:a`).
fn changes_sql(known_only: bool) -> String {
    let (index, known) = if known_only {
        (
            "INDEXED BY ug_messages_changed",
            "AND m.change_seq > m.first_seq AND m.conv_seq <= :x \
             AND (m.conv_seq > 0 OR m.first_seq <= :a)",
        )
    } else {
        ("", "AND m.conv_seq <= :x")
    };
    format!(
        "SELECT m.message, m.expansion FROM ug_messages m {index} WHERE m.group_id = :g \
         AND m.channel_id = :c AND m.change_seq > :a {known} AND m.sent_time > :f \
         AND {VISIBLE} ORDER BY m.change_seq LIMIT :n"
    )
}

/// Changes after `q.after_seq` (see `UltraGroupChangesRequest`).
pub(crate) fn read_changes(c: &Db, q: &UgChangesQuery) -> anyhow::Result<UgChangesPage> {
    let tx = c.unchecked_transaction()?;
    let heads = read_heads(&tx, &q.group_id, &q.channel_id)?;
    let cleared = user_channel(&tx, &q.user_id, &q.group_id, &q.channel_id)?.cleared_before;
    let mut stmt = tx.prepare_cached(&changes_sql(q.max_conv_seq > 0))?;
    let count = q.count.clamp(1, 100) as usize;
    let max_conv = if q.max_conv_seq > 0 {
        i64::try_from(q.max_conv_seq).unwrap_or(i64::MAX)
    } else {
        i64::MAX
    };
    let rows = stmt.query_map(
        super::db::named_params! {
            ":g": q.group_id, ":c": q.channel_id, ":a": q.after_seq as i64,
            ":f": floor(cleared, q.since), ":u": q.user_id, ":n": count as i64 + 1,
            ":x": max_conv,
        },
        decode,
    )?;
    let mut page = UgChangesPage {
        head_seq: heads.change_head,
        ..Default::default()
    };
    let mut bytes = 0;
    for m in rows {
        let Some(m) = m? else { continue };
        let size = prost::Message::encoded_len(&m) + ENTRY_OVERHEAD;
        if page.messages.len() == count
            || (bytes + size > UG_PAGE_BYTES && !page.messages.is_empty())
        {
            page.more = true;
            break;
        }
        bytes += size;
        page.messages.push(m);
    }
    Ok(page)
}

/// The history messages of channel (?1, ?2).
const HISTORY: &str = "FROM ug_messages m INDEXED BY ug_messages_history WHERE m.group_id = ?1 \
     AND m.channel_id = ?2 AND m.conv_seq > 0";

/// The `conv_seq` of the nearest history message after (`after`) or before time ?3: one
/// index step (`conv_seq` rises with `sent_time` in a channel), never an aggregate over the
/// channel.
fn history_bound_sql(after: bool) -> String {
    if after {
        format!("SELECT m.conv_seq {HISTORY} AND m.sent_time > ?3 ORDER BY m.sent_time LIMIT 1")
    } else {
        format!(
            "SELECT m.conv_seq {HISTORY} AND m.sent_time < ?3 ORDER BY m.sent_time DESC LIMIT 1"
        )
    }
}

/// A history page of a channel (see `HistoryPage`): its messages in the history (`conv_seq`
/// > 0) that the user did not clear, within retention.
pub(crate) fn read_history(c: &Db, q: &UgHistoryQuery) -> anyhow::Result<HistorySlice> {
    let tx = c.unchecked_transaction()?;
    let heads = read_heads(&tx, &q.group_id, &q.channel_id)?;
    let cleared = user_channel(&tx, &q.user_id, &q.group_id, &q.channel_id)?.cleared_before;
    let low = floor(cleared, q.since);
    let count = q.count.clamp(1, 100) as usize;
    let base = HISTORY;
    let (bound_seq, sql) = if q.after {
        let from: Option<i64> = tx
            .prepare_cached(&history_bound_sql(true))?
            .query_row(params![q.group_id, q.channel_id, q.sent_time], |r| r.get(0))
            .optional()?;
        (
            from,
            format!(
                "SELECT m.message, m.expansion, m.conv_seq {base} AND m.sent_time > ?3 \
                 AND m.sent_time > ?4 ORDER BY m.sent_time LIMIT ?5"
            ),
        )
    } else {
        let to: Option<i64> = if q.sent_time <= 0 {
            (heads.conv_head > 0).then_some(heads.conv_head as i64)
        } else {
            tx.prepare_cached(&history_bound_sql(false))?
                .query_row(params![q.group_id, q.channel_id, q.sent_time], |r| r.get(0))
                .optional()?
        };
        (
            to,
            format!(
                "SELECT m.message, m.expansion, m.conv_seq {base} AND m.sent_time < ?3 \
                 AND m.sent_time > ?4 ORDER BY m.sent_time DESC LIMIT ?5"
            ),
        )
    };
    let Some(bound_seq) = bound_seq else {
        return Ok(HistorySlice::default());
    };
    let bound_time = if !q.after && q.sent_time <= 0 {
        i64::MAX
    } else {
        q.sent_time
    };
    let mut stmt = tx.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![q.group_id, q.channel_id, bound_time, low, count as i64 + 1],
        decode,
    )?;
    let (mut messages, mut has_more, mut bytes) = (Vec::new(), false, 0);
    for m in rows {
        let Some(m) = m? else { continue };
        let size = prost::Message::encoded_len(&m) + ENTRY_OVERHEAD;
        if messages.len() == count || (bytes + size > UG_PAGE_BYTES && !messages.is_empty()) {
            has_more = true;
            break;
        }
        bytes += size;
        messages.push(m);
    }
    let bound_seq = bound_seq.max(0) as u64;
    let slice = if q.after {
        let to = match messages.last() {
            Some(m) if has_more => m.conv_seq,
            _ => heads.conv_head,
        };
        HistorySlice {
            messages,
            from_seq: bound_seq,
            to_seq: to,
            has_more,
        }
    } else {
        messages.reverse();
        let from = match messages.first() {
            Some(m) if has_more => m.conv_seq,
            _ => 1,
        };
        HistorySlice {
            messages,
            from_seq: from,
            to_seq: bound_seq,
            has_more,
        }
    };
    Ok(slice)
}

/// The messages `uids` of a channel that `viewer` may see (`None`: any, the Server API), as
/// they are now, in the order asked; unknown ones are left out.
pub(crate) fn read_messages(
    c: &Db,
    group: &str,
    channel: &str,
    uids: &[String],
    viewer: Option<&str>,
) -> anyhow::Result<Vec<Message>> {
    let sql = format!(
        "SELECT m.message, m.expansion FROM ug_messages m WHERE m.uid = :i AND m.group_id = :g \
         AND m.channel_id = :c AND (CAST(:u AS TEXT) IS NULL OR {VISIBLE})"
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let mut out = Vec::new();
    for uid in uids {
        let m = stmt
            .query_row(
                super::db::named_params! {":i": uid, ":g": group, ":c": channel, ":u": viewer},
                decode,
            )
            .optional()?;
        out.extend(m.flatten());
    }
    Ok(out)
}

/// The stored expansion of message `uid` of a channel (`None` when unknown).
pub(crate) fn read_expansion(
    c: &Db,
    group: &str,
    channel: &str,
    uid: &str,
) -> anyhow::Result<Option<Stored>> {
    let json: Option<String> = c
        .prepare_cached(
            "SELECT expansion FROM ug_messages WHERE uid = ?1 AND group_id = ?2 \
             AND channel_id = ?3",
        )?
        .query_row(params![uid, group, channel], |r| r.get(0))
        .optional()?;
    Ok(json.map(|j| Stored::parse(&j)))
}

/// Rows of a channel the unread counts look at, newest first: at most this many after the
/// read position, so a count costs a bounded number of index steps however many messages
/// are unread (own, uncounted or others' directed ones included). The counts are exact
/// unless more than this many newest messages hold fewer than [`MAX_COUNTED_UNREAD`]
/// countable ones; then they count those newest rows only.
pub(crate) const MAX_SCANNED_UNREAD: i64 = 5000;

/// `COUNT` of the unread messages (`mentions`: mentioning the user, walked on the partial
/// index of mentioning messages) after `:f`, over at most [`MAX_SCANNED_UNREAD`] newest rows.
fn unread_sql(mentions: bool) -> String {
    let (index, mention) = if mentions {
        ("INDEXED BY ug_messages_mention", "AND m.mention > 0")
    } else {
        ("INDEXED BY ug_messages_sent", "")
    };
    let named = if mentions {
        "AND (m.mention = 1 OR (m.mention = 2 AND EXISTS (SELECT 1 FROM ug_mentions x \
         WHERE x.msg_id = m.id AND x.user_id = :u)))"
    } else {
        ""
    };
    // The inner LIMIT bounds the rows walked (a subquery with a LIMIT is not flattened into
    // the outer WHERE); the outer one the matches.
    format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM (SELECT m.id, m.sender_id, m.counted, m.recalled, \
         m.directed, m.mention FROM ug_messages m {index} WHERE m.group_id = :g \
         AND m.channel_id = :c AND m.sent_time > :f {mention} ORDER BY m.sent_time DESC \
         LIMIT :k) m WHERE m.counted = 1 AND m.recalled = 0 AND m.sender_id != :u \
         AND {VISIBLE} {named} LIMIT :n) AS n"
    )
}

/// The `conv_seq` of the channel's newest history message sent at or before `time` (0: none
/// left, or `time` 0).
fn history_seq_at(c: &Db, group: &str, channel: &str, time: i64) -> anyhow::Result<i64> {
    if time <= 0 {
        return Ok(0);
    }
    Ok(c.prepare_cached(
        "SELECT m.conv_seq FROM ug_messages m INDEXED BY ug_messages_history \
             WHERE m.group_id = ?1 AND m.channel_id = ?2 AND m.conv_seq > 0 \
             AND m.sent_time <= ?3 ORDER BY m.sent_time DESC LIMIT 1",
    )?
    .query_row(params![group, channel, time], |r| r.get(0))
    .optional()?
    .unwrap_or(0))
}

/// The state of each of `channels` for `user` (see `UltraGroupChannelState`), in order.
/// Unread and mention counts stop at [`MAX_COUNTED_UNREAD`] matches and
/// [`MAX_SCANNED_UNREAD`] rows; messages from before the user joined the group are read.
pub(crate) fn read_states(
    c: &Db,
    user: &str,
    channels: &[(String, String)],
    since: i64,
) -> anyhow::Result<Vec<UgChannelState>> {
    let tx = c.unchecked_transaction()?;
    let last_sql = format!(
        "SELECT m.message, m.expansion FROM ug_messages m WHERE m.group_id = :g \
         AND m.channel_id = :c AND m.sent_time > :f AND {VISIBLE} \
         ORDER BY m.sent_time DESC LIMIT 1"
    );
    let (unread_sql, mention_sql) = (unread_sql(false), unread_sql(true));
    let mut out = Vec::with_capacity(channels.len());
    let mut joined = (String::new(), 0);
    for (group, channel) in channels {
        if joined.0 != *group {
            joined = (group.clone(), joined_at(&tx, user, group)?);
        }
        let heads = read_heads(&tx, group, channel)?;
        let uc = user_channel(&tx, user, group, channel)?;
        let low = floor(uc.cleared_before, since);
        let last = tx
            .prepare_cached(&last_sql)?
            .query_row(
                super::db::named_params! {":g": group, ":c": channel, ":f": low, ":u": user},
                decode,
            )
            .optional()?
            .flatten();
        let read_floor = low.max(uc.read_sent).max(joined.1);
        let count = |sql: &str| -> anyhow::Result<u32> {
            let n: i64 = tx.prepare_cached(sql)?.query_row(
                super::db::named_params! {
                    ":g": group, ":c": channel, ":f": read_floor, ":u": user,
                    ":n": i64::from(MAX_COUNTED_UNREAD), ":k": MAX_SCANNED_UNREAD,
                },
                |r| r.get(0),
            )?;
            Ok(n.clamp(0, i64::from(MAX_COUNTED_UNREAD)) as u32)
        };
        let read_seq = if joined.1 > uc.read_sent {
            uc.read_seq
                .max(history_seq_at(&tx, group, channel, joined.1)?)
        } else {
            uc.read_seq
        };
        out.push(UgChannelState {
            group_id: group.clone(),
            channel_id: channel.clone(),
            head_seq: heads.change_head,
            last_message: last,
            unread: count(&unread_sql)?,
            unread_mentions: count(&mention_sql)?,
            read_time: uc.read_time,
            read_seq: read_seq.max(0) as u64,
            cleared_before: uc.cleared_before,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    //! M3/M4: the reads of a sync and of a history page cost the same however many messages
    //! a channel holds (SQLite's VM steps of each statement, before and after the channel
    //! doubles).
    use super::super::schema::{migrate, open_conn};
    use super::super::ultragroup_stream::apply_ug_write;
    use super::*;
    use crate::model::NewMessage;
    use crate::store::ultragroup_stream_records::{UgAppend, UgWrite, UgWritten};
    use rusqlite::StatementStatus;

    fn send(c: &Db, sender: &str, all: bool, now: i64) -> Message {
        let msg = NewMessage {
            sender_id: sender.into(),
            conversation_type: rcim_proto::conversation_type::ULTRA_GROUP,
            to_id: "g".into(),
            channel_id: "c".into(),
            object_name: "RC:TxtMsg".into(),
            content: "{}".into(),
            persisted: true,
            counted: true,
            ..Default::default()
        };
        let a = UgAppend {
            msg,
            mentioned: Vec::new(),
            mentions_all: all,
        };
        match apply_ug_write(c, UgWrite::Append(Box::new(a)), now).unwrap() {
            UgWritten::Appended {
                message: Some(m), ..
            } => *m,
            other => panic!("{other:?}"),
        }
    }

    /// `n` messages of `u` itself (never unread for `u`), in one transaction.
    fn own_messages(c: &mut Db, n: usize) {
        c.execute_batch("BEGIN").unwrap();
        for i in 0..n {
            send(c, "u", false, 10 + i as i64);
        }
        c.execute_batch("COMMIT").unwrap();
    }

    /// The VM steps `sql` took since the last call (cumulative counter of the cached
    /// statement, reset here).
    fn steps(c: &Db, sql: &str) -> i32 {
        // The statement as `Db` prepared it (named placeholders numbered).
        let sql = super::super::db::number_named(sql).0;
        let stmt = c.as_sqlite().unwrap().prepare_cached(&sql).unwrap();
        let n = stmt.get_status(StatementStatus::VmStep);
        stmt.reset_status(StatementStatus::VmStep);
        n
    }

    #[test]
    fn unread_counts_walk_bounded_rows() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = open_conn(&dir.path().join("db")).unwrap();
        migrate(&mut c).unwrap();
        send(&c, "a", true, 1);
        own_messages(&mut c, 4000);
        let channels = [("g".to_owned(), "c".to_owned())];
        let (unread, mentions) = (unread_sql(false), unread_sql(true));
        let s = read_states(&c, "u", &channels, 0).unwrap();
        assert_eq!((s[0].unread, s[0].unread_mentions), (1, 1));
        own_messages(&mut c, 6000);
        steps(&c, &unread);
        steps(&c, &mentions);
        let s = read_states(&c, "u", &channels, 0).unwrap();
        // The message is older than the newest rows walked: not counted as unread any more,
        // still found by the index of mentioning messages.
        assert_eq!((s[0].unread, s[0].unread_mentions), (0, 1));
        let first = (steps(&c, &unread), steps(&c, &mentions));
        own_messages(&mut c, 6000);
        read_states(&c, "u", &channels, 0).unwrap();
        let second = (steps(&c, &unread), steps(&c, &mentions));
        assert!(first.0 > 0 && first.1 > 0, "{first:?}");
        assert!(
            second.0 <= first.0 + 10,
            "unread: {first:?} then {second:?}"
        );
        assert!(
            second.1 <= first.1 + 10,
            "mentions: {first:?} then {second:?}"
        );
        assert!(second.1 < 200, "mentions: {second:?}");
    }

    #[test]
    fn history_bounds_take_one_step() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = open_conn(&dir.path().join("db")).unwrap();
        migrate(&mut c).unwrap();
        let page = |c: &Db, sent_time: i64, after: bool| {
            let q = UgHistoryQuery {
                group_id: "g".into(),
                channel_id: "c".into(),
                user_id: "u".into(),
                sent_time,
                after,
                count: 2,
                since: 0,
            };
            read_history(c, &q).unwrap()
        };
        let first_msg = send(&c, "a", false, 1);
        own_messages(&mut c, 3000);
        let last = send(&c, "a", false, 100_000);
        let p = page(&c, last.sent_time, false);
        assert_eq!((p.to_seq, p.messages.len()), (3001, 2));
        let p = page(&c, first_msg.sent_time, true);
        assert_eq!((p.from_seq, p.messages.len()), (2, 2));
        let before = (
            steps(&c, &history_bound_sql(false)),
            steps(&c, &history_bound_sql(true)),
        );
        own_messages(&mut c, 3000);
        let last = send(&c, "a", false, 200_000);
        let p = page(&c, last.sent_time, false);
        assert_eq!(p.to_seq, 6002);
        let p = page(&c, first_msg.sent_time, true);
        assert_eq!(p.from_seq, 2);
        let after = (
            steps(&c, &history_bound_sql(false)),
            steps(&c, &history_bound_sql(true)),
        );
        assert!(before.0 > 0 && before.1 > 0, "{before:?}");
        assert!(
            after.0 <= before.0 + 10 && after.1 <= before.1 + 10,
            "{before:?} {after:?}"
        );
    }
}
