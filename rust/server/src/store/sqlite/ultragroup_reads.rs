//! Reads of the ultra-group channel streams (migration 13): changes after a sequence,
//! history pages, chosen messages and each channel's state for one user, always as that
//! user may see them (directed messages only for their readers and sender, nothing they
//! cleared, nothing older than the retention).

use super::ultragroup_stream::read_heads;
use crate::expansion::Stored;
use crate::model::{HistorySlice, ENTRY_OVERHEAD, SYNC_BYTES};
use crate::store::ultragroup_stream_records::{
    UgChangesPage, UgChangesQuery, UgChannelState, UgHistoryQuery, MAX_COUNTED_UNREAD,
};
use rcim_proto::v1::Message;
use rusqlite::{params, Connection, OptionalExtension, Row};

/// Bytes of messages one page holds at most: half a frame, so the answer's envelope and
/// anything queued beside it always fit.
pub(crate) const UG_PAGE_BYTES: usize = SYNC_BYTES / 2;

/// The SQL condition "user :u may see message m" (directed messages: its readers and sender).
const VISIBLE: &str = "(m.directed = 0 OR m.sender_id = :u OR EXISTS (SELECT 1 FROM \
     ug_directed d WHERE d.msg_id = m.id AND d.user_id = :u))";

/// What a user recorded about a channel: (read_sent, read_time, cleared_before).
fn user_channel(
    c: &Connection,
    user: &str,
    group: &str,
    channel: &str,
) -> anyhow::Result<(i64, i64, i64)> {
    Ok(c.prepare_cached(
        "SELECT read_sent, read_time, cleared_before FROM ug_user_channels \
             WHERE user_id = ?1 AND group_id = ?2 AND channel_id = ?3",
    )?
    .query_row(params![user, group, channel], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })
    .optional()?
    .unwrap_or((0, 0, 0)))
}

/// The message of a row whose first two columns are `message` and `expansion`.
fn decode(r: &Row<'_>) -> rusqlite::Result<Option<Message>> {
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

/// Changes after `q.after_seq` (see `UltraGroupChangesRequest`).
pub(crate) fn read_changes(c: &Connection, q: &UgChangesQuery) -> anyhow::Result<UgChangesPage> {
    let tx = c.unchecked_transaction()?;
    let heads = read_heads(&tx, &q.group_id, &q.channel_id)?;
    let (_, _, cleared) = user_channel(&tx, &q.user_id, &q.group_id, &q.channel_id)?;
    let sql = format!(
        "SELECT m.message, m.expansion FROM ug_messages m WHERE m.group_id = :g \
         AND m.channel_id = :c AND m.change_seq > :a AND m.sent_time > :f AND {VISIBLE} \
         ORDER BY m.change_seq LIMIT :n"
    );
    let mut stmt = tx.prepare_cached(&sql)?;
    let count = q.count.clamp(1, 100) as usize;
    let rows = stmt.query_map(
        rusqlite::named_params! {
            ":g": q.group_id, ":c": q.channel_id, ":a": q.after_seq as i64,
            ":f": floor(cleared, q.since), ":u": q.user_id, ":n": count as i64 + 1,
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

/// A history page of a channel (see `HistoryPage`): its messages in the history (`conv_seq`
/// > 0) that the user did not clear, within retention.
pub(crate) fn read_history(c: &Connection, q: &UgHistoryQuery) -> anyhow::Result<HistorySlice> {
    let tx = c.unchecked_transaction()?;
    let heads = read_heads(&tx, &q.group_id, &q.channel_id)?;
    let (_, _, cleared) = user_channel(&tx, &q.user_id, &q.group_id, &q.channel_id)?;
    let low = floor(cleared, q.since);
    let count = q.count.clamp(1, 100) as usize;
    let base = "FROM ug_messages m WHERE m.group_id = ?1 AND m.channel_id = ?2 AND m.conv_seq > 0";
    let (bound_seq, sql) = if q.after {
        let from: Option<i64> = tx
            .prepare_cached(&format!(
                "SELECT MIN(m.conv_seq) {base} AND m.sent_time > ?3"
            ))?
            .query_row(params![q.group_id, q.channel_id, q.sent_time], |r| r.get(0))?;
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
            tx.prepare_cached(&format!(
                "SELECT MAX(m.conv_seq) {base} AND m.sent_time < ?3"
            ))?
            .query_row(params![q.group_id, q.channel_id, q.sent_time], |r| r.get(0))?
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
    c: &Connection,
    group: &str,
    channel: &str,
    uids: &[String],
    viewer: Option<&str>,
) -> anyhow::Result<Vec<Message>> {
    let sql = format!(
        "SELECT m.message, m.expansion FROM ug_messages m WHERE m.uid = :i AND m.group_id = :g \
         AND m.channel_id = :c AND (:u IS NULL OR {VISIBLE})"
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let mut out = Vec::new();
    for uid in uids {
        let m = stmt
            .query_row(
                rusqlite::named_params! {":i": uid, ":g": group, ":c": channel, ":u": viewer},
                decode,
            )
            .optional()?;
        out.extend(m.flatten());
    }
    Ok(out)
}

/// The stored expansion of message `uid` of a channel (`None` when unknown).
pub(crate) fn read_expansion(
    c: &Connection,
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

/// The state of each of `channels` for `user` (see `UltraGroupChannelState`), in order.
/// Unread and mention counts stop at [`MAX_COUNTED_UNREAD`] (`LIMIT` subqueries), so a
/// channel of a million unread messages costs a thousand index steps.
pub(crate) fn read_states(
    c: &Connection,
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
    let unread = format!(
        "FROM ug_messages m WHERE m.group_id = :g AND m.channel_id = :c AND m.sent_time > :f \
         AND m.counted = 1 AND m.recalled = 0 AND m.sender_id != :u AND {VISIBLE}"
    );
    let unread_sql = format!("SELECT COUNT(*) FROM (SELECT 1 {unread} LIMIT :n)");
    let mention_sql = format!(
        "SELECT COUNT(*) FROM (SELECT 1 {unread} AND (m.mention = 1 OR (m.mention = 2 AND \
         EXISTS (SELECT 1 FROM ug_mentions x WHERE x.msg_id = m.id AND x.user_id = :u))) \
         LIMIT :n)"
    );
    let mut out = Vec::with_capacity(channels.len());
    for (group, channel) in channels {
        let heads = read_heads(&tx, group, channel)?;
        let (read_sent, read_time, cleared) = user_channel(&tx, user, group, channel)?;
        let low = floor(cleared, since);
        let last = tx
            .prepare_cached(&last_sql)?
            .query_row(
                rusqlite::named_params! {":g": group, ":c": channel, ":f": low, ":u": user},
                decode,
            )
            .optional()?
            .flatten();
        let count = |sql: &str| -> anyhow::Result<u32> {
            let n: i64 = tx.prepare_cached(sql)?.query_row(
                rusqlite::named_params! {
                    ":g": group, ":c": channel, ":f": low.max(read_sent), ":u": user,
                    ":n": i64::from(MAX_COUNTED_UNREAD),
                },
                |r| r.get(0),
            )?;
            Ok(n.clamp(0, i64::from(MAX_COUNTED_UNREAD)) as u32)
        };
        out.push(UgChannelState {
            group_id: group.clone(),
            channel_id: channel.clone(),
            head_seq: heads.change_head,
            last_message: last,
            unread: count(&unread_sql)?,
            unread_mentions: count(&mention_sql)?,
            read_time,
            cleared_before: cleared,
        });
    }
    Ok(out)
}
