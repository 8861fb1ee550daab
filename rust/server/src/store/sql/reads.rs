//! Reads shared by the writer (inside its transaction) and the read pool.

use super::db::{params, Db, Optional};
use crate::model::{fit_entry, LoggedRequest, RequestKey, SendOutcome, SyncPage, SYNC_BYTES};
use rcim_proto::v1::{inbox_entry, InboxEntry, Message};

/// What a logged request was (`request_log.kind`); a request id reused for another kind of
/// request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RequestKind {
    Recall = 1,
    Event = 2,
}

/// The logged request `key`, if any: (kind as stored, result).
pub(crate) fn read_logged(c: &Db, key: &RequestKey) -> anyhow::Result<Option<(i64, i64)>> {
    Ok(c.prepare_cached(
        "SELECT kind, result FROM request_log WHERE user_id = ?1 AND request_id = ?2",
    )?
    .query_row(params![key.user_id, key.request_id], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
    })
    .optional()?)
}

/// [`read_logged`] as a [`LoggedRequest`] (`None` also for a kind this version does not know).
pub(crate) fn read_logged_request(
    c: &Db,
    key: &RequestKey,
) -> anyhow::Result<Option<LoggedRequest>> {
    Ok(read_logged(c, key)?.and_then(|(kind, result)| match kind {
        k if k == RequestKind::Recall as i64 => Some(LoggedRequest::Recall {
            recall_time: result,
        }),
        k if k == RequestKind::Event as i64 => Some(LoggedRequest::Event),
        _ => None,
    }))
}

/// The outcome of the message `sender` stored under `client_msg_id`, if any (`duplicate` set).
pub(crate) fn read_sent(
    c: &Db,
    sender: &str,
    client_msg_id: &str,
) -> anyhow::Result<Option<SendOutcome>> {
    Ok(c.prepare_cached(
        "SELECT d.uid, d.sent_time, COALESCE(m.conv_seq, u.conv_seq, 0) FROM dedupe d \
         LEFT JOIN messages m ON m.uid = d.uid LEFT JOIN ug_messages u ON u.uid = d.uid \
         WHERE d.sender_id = ?1 AND d.client_msg_id = ?2",
    )?
    .query_row(params![sender, client_msg_id], |r| {
        Ok(SendOutcome {
            uid: r.get(0)?,
            sent_time: r.get(1)?,
            conv_seq: r.get::<_, i64>(2)?.max(0) as u64,
            duplicate: true,
        })
    })
    .optional()?)
}

pub(crate) fn read_head(c: &Db, user_id: &str) -> anyhow::Result<u64> {
    let head = c
        .prepare_cached("SELECT head FROM inbox_heads WHERE user_id = ?1")?
        .query_row([user_id], |r| r.get::<_, i64>(0))
        .optional()?;
    Ok(head.unwrap_or(0).max(0) as u64)
}

pub(crate) fn read_members(c: &Db, group_id: &str) -> anyhow::Result<Vec<String>> {
    let mut stmt = c.prepare_cached(
        "SELECT user_id FROM group_members WHERE group_id = ?1 ORDER BY joined_at, user_id",
    )?;
    let rows = stmt.query_map([group_id], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The members of `group_id` (as [`read_members`]) and the latest of their join times (0 for
/// no members): a group message is sent no earlier than that, so every current member sees it
/// in the history (see `apply::join_time`). The same range read as [`read_members`].
pub(crate) fn read_members_joined(c: &Db, group_id: &str) -> anyhow::Result<(Vec<String>, i64)> {
    let mut stmt = c.prepare_cached(
        "SELECT user_id, joined_at FROM group_members WHERE group_id = ?1 \
         ORDER BY joined_at, user_id",
    )?;
    let mut last_join = 0i64;
    let mut members = Vec::new();
    let rows = stmt.query_map([group_id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    for row in rows {
        let (user, joined) = row?;
        last_join = last_join.max(joined);
        members.push(user);
    }
    Ok((members, last_join))
}

/// Whether `user_id` is a member of `group_id` now.
pub(crate) fn is_member(c: &Db, group_id: &str, user_id: &str) -> anyhow::Result<bool> {
    Ok(joined_at(c, group_id, user_id)?.is_some())
}

/// When `user_id` joined `group_id`, if a member.
pub(crate) fn joined_at(c: &Db, group_id: &str, user_id: &str) -> anyhow::Result<Option<i64>> {
    Ok(c.prepare_cached(
        "SELECT joined_at FROM group_members WHERE group_id = ?1 AND user_id = ?2",
    )?
    .query_row([group_id, user_id], |r| r.get::<_, i64>(0))
    .optional()?)
}

pub(crate) fn member_count(c: &Db, group_id: &str) -> anyhow::Result<usize> {
    let n: i64 = c
        .prepare_cached("SELECT COUNT(*) FROM group_members WHERE group_id = ?1")?
        .query_row([group_id], |r| r.get(0))?;
    Ok(n.max(0) as usize)
}

/// The columns [`message_from_row`] reads, for a `messages` table aliased `m`.
pub(crate) const MESSAGE_COLUMNS: &str = "m.uid, m.conversation_type, m.to_id, m.channel_id, \
     m.sender_id, m.object_name, m.content, m.sent_time, m.client_msg_id, m.persisted, \
     m.counted, m.push_content, m.push_data, m.custom, m.conv_seq, m.can_expand, m.expansion, \
     m.push_options";

pub(crate) fn message_from_row(
    r: &super::db::Row<'_>,
    base: usize,
) -> super::db::SqlResult<Message> {
    Ok(Message {
        uid: r.get(base)?,
        conversation_type: r.get(base + 1)?,
        to_id: r.get(base + 2)?,
        channel_id: r.get(base + 3)?,
        sender_id: r.get(base + 4)?,
        object_name: r.get(base + 5)?,
        content: r.get(base + 6)?,
        sent_time: r.get(base + 7)?,
        client_msg_id: r.get(base + 8)?,
        persisted: r.get(base + 9)?,
        counted: r.get(base + 10)?,
        push_content: r.get(base + 11)?,
        push_data: r.get(base + 12)?,
        custom: r.get(base + 13)?,
        conv_seq: r.get::<_, i64>(base + 14)?.max(0) as u64,
        can_expand: r.get(base + 15)?,
        expansion: crate::expansion::Stored::parse(&r.get::<_, String>(base + 16)?).to_wire(),
        push_options: r.get(base + 17)?,
        status: false,
        receipt: None,
        change_seq: 0,
        modified: false,
        mentions_all: false,
    })
}

/// Inbox entries of `user_id` after `after` (see [`super::super::contract::ServerStore::sync`]).
pub(crate) fn read_sync(c: &Db, user_id: &str, after: u64, limit: u32) -> anyhow::Result<SyncPage> {
    let max = rcim_proto::MAX_SYNC_PACKAGE;
    let limit = if limit == 0 { max } else { limit.min(max) };
    let head = read_head(c, user_id)?;
    let sql = format!(
        "SELECT i.seq, i.event, {MESSAGE_COLUMNS} FROM inbox i \
         LEFT JOIN messages m ON m.id = i.msg_id \
         WHERE i.user_id = ?1 AND i.seq > ?2 AND (i.event IS NOT NULL OR m.id IS NOT NULL) \
         ORDER BY i.seq LIMIT ?3"
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let after_i = i64::try_from(after).unwrap_or(i64::MAX);
    let rows = stmt.query_map(params![user_id, after_i, i64::from(limit) + 1], |r| {
        let seq = r.get::<_, i64>(0)?.max(0) as u64;
        let body = match r.get::<_, Option<Vec<u8>>>(1)? {
            // An undecodable event still moves the client's cursor (body None).
            Some(event) => <InboxEntry as prost::Message>::decode(event.as_slice())
                .ok()
                .and_then(|e| e.body),
            None => Some(inbox_entry::Body::Message(message_from_row(r, 2)?)),
        };
        Ok(InboxEntry { seq, body })
    })?;
    // A package must also fit in one frame: stop early (has_more) when the next entry would
    // overflow it. One entry always fits: `fit_entry` strips one that would not.
    let mut entries = Vec::new();
    let mut bytes = 0usize;
    let mut has_more = false;
    for row in rows {
        if entries.len() == limit as usize {
            has_more = true;
            break;
        }
        let mut entry = row?;
        super::receipt_view::fill_entry(c, user_id, &mut entry.body)?;
        crate::model::hide_sender_only_entry(user_id, &mut entry.body);
        let size = fit_entry(user_id, &mut entry);
        if !entries.is_empty() && bytes + size > SYNC_BYTES {
            has_more = true;
            break;
        }
        bytes += size;
        entries.push(entry);
    }
    Ok(SyncPage {
        entries,
        has_more,
        head,
    })
}
