//! Writes to the ultra-group channel streams (migration 13): new messages, their changes
//! (modify, recall, expansion), read positions and clears, and the retention prune. No inbox
//! entries: a channel's stream is kept once and members read it.

use super::apply::once_per_request;
use super::db::{params, Db, Dialect, Optional, SqlResult};
use super::inbox::record_dedupe;
use super::reads::{read_sent, RequestKind};
use super::recall::RECALL_NOTIFICATION;
use crate::expansion::Stored;
use crate::model::{Rejected, RequestKey, SendOutcome};
use crate::service::ultragroup::mentions::mentions;
use crate::store::ultragroup_stream_records::{
    UgAppend, UgChange, UgChangeKind, UgWrite, UgWritten,
};
use crate::util::new_uid;
use rcim_proto::codes::{EXPANSION_SIZE_LIMIT_EXCEED, INVALID_MESSAGE_UID, MESSAGE_CANT_EXPAND};
use rcim_proto::v1::Message;

/// A channel's counters and newest sent time.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ChannelHeads {
    pub conv_head: u64,
    pub change_head: u64,
    pub last_sent: i64,
}

/// The counters of channel (`group_id`, `channel_id`); zeros for a channel without messages.
pub(crate) fn read_heads(c: &Db, group_id: &str, channel_id: &str) -> anyhow::Result<ChannelHeads> {
    let heads = c
        .prepare_cached(
            "SELECT conv_head, change_head, last_sent FROM ug_stream_heads \
             WHERE group_id = ?1 AND channel_id = ?2",
        )?
        .query_row(params![group_id, channel_id], heads_of)
        .optional()?;
    Ok(heads.unwrap_or_default())
}

fn heads_of(r: &super::db::Row<'_>) -> SqlResult<ChannelHeads> {
    Ok(ChannelHeads {
        conv_head: r.get::<_, i64>(0)?.max(0) as u64,
        change_head: r.get::<_, i64>(1)?.max(0) as u64,
        last_sent: r.get(2)?,
    })
}

/// [`read_heads`] for a write that moves them. On PostgreSQL other nodes write the same
/// channel: the row is read under a lock held until the commit (created first, so there is a
/// row to lock), so two nodes never hand out the same sequence.
fn lock_heads(c: &Db, group_id: &str, channel_id: &str) -> anyhow::Result<ChannelHeads> {
    if c.dialect() == Dialect::Sqlite {
        return read_heads(c, group_id, channel_id);
    }
    c.execute(
        "INSERT INTO ug_stream_heads (group_id, channel_id, conv_head, change_head, last_sent) \
         VALUES (?1, ?2, 0, 0, 0) ON CONFLICT DO NOTHING",
        params![group_id, channel_id],
    )?;
    let heads = c.query_row(
        "SELECT conv_head, change_head, last_sent FROM ug_stream_heads \
         WHERE group_id = ?1 AND channel_id = ?2 FOR UPDATE",
        params![group_id, channel_id],
        heads_of,
    )?;
    Ok(heads)
}

fn write_heads(c: &Db, group_id: &str, channel_id: &str, h: ChannelHeads) -> anyhow::Result<()> {
    c.prepare_cached(
        "INSERT INTO ug_stream_heads (group_id, channel_id, conv_head, change_head, last_sent) \
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (group_id, channel_id) DO UPDATE SET \
         conv_head = excluded.conv_head, change_head = excluded.change_head, \
         last_sent = excluded.last_sent",
    )?
    .execute(params![
        group_id,
        channel_id,
        h.conv_head as i64,
        h.change_head as i64,
        h.last_sent
    ])?;
    Ok(())
}

/// Applies `op` once per `request` (see [`once_per_request`]): a repeat answers
/// `Changed{message: None}` with the logged time (a recall's).
pub(crate) fn apply_ug_once(
    c: &Db,
    op: UgWrite,
    request: Option<&RequestKey>,
    now: i64,
) -> anyhow::Result<UgWritten> {
    let kind = match &op {
        UgWrite::Change(UgChange {
            kind: UgChangeKind::Recall { .. },
            ..
        }) => RequestKind::Recall,
        _ => RequestKind::Event,
    };
    let mut written = None;
    let (time, _) = once_per_request(c, request, kind, |c| {
        let w = apply_ug_write(c, op, now)?;
        let time = match &w {
            UgWritten::Changed { time, .. } => *time,
            _ => 0,
        };
        written = Some(w);
        Ok((time, Vec::new()))
    })?;
    Ok(written.unwrap_or(UgWritten::Changed {
        message: None,
        time,
        readers: Vec::new(),
    }))
}

/// Applies one write at `now` (ms). Refusals are [`Rejected`] errors.
pub(crate) fn apply_ug_write(c: &Db, op: UgWrite, now: i64) -> anyhow::Result<UgWritten> {
    match op {
        UgWrite::Append(a) => append(c, *a, now),
        UgWrite::Change(change) => apply_change(c, change, now),
        UgWrite::Read {
            user_id,
            group_id,
            channel_id,
            time,
        } => {
            let heads = read_heads(c, &group_id, &channel_id)?;
            c.prepare_cached(
                "INSERT INTO ug_user_channels (user_id, group_id, channel_id, read_sent, \
                 read_seq, read_time, cleared_before) VALUES (?1, ?2, ?3, ?4, ?6, ?5, 0) \
                 ON CONFLICT (user_id, group_id, channel_id) DO UPDATE SET \
                 read_sent = MAX(ug_user_channels.read_sent, excluded.read_sent), \
                 read_seq = MAX(ug_user_channels.read_seq, excluded.read_seq), read_time = excluded.read_time",
            )?
            .execute(params![
                user_id,
                group_id,
                channel_id,
                heads.last_sent,
                time,
                heads.conv_head as i64
            ])?;
            Ok(UgWritten::Done)
        }
        UgWrite::Clear {
            user_id,
            group_id,
            channel_id,
            before_time,
        } => {
            // 0 = everything sent so far (sent times may run ahead of the clock).
            let before_time = if before_time == 0 {
                now.max(read_heads(c, &group_id, &channel_id)?.last_sent)
            } else {
                before_time
            };
            c.prepare_cached(
                "INSERT INTO ug_user_channels (user_id, group_id, channel_id, read_sent, \
                 read_seq, read_time, cleared_before) VALUES (?1, ?2, ?3, 0, 0, 0, ?4) \
                 ON CONFLICT (user_id, group_id, channel_id) DO UPDATE SET \
                 cleared_before = MAX(ug_user_channels.cleared_before, excluded.cleared_before)",
            )?
            .execute(params![user_id, group_id, channel_id, before_time])?;
            Ok(UgWritten::Done)
        }
    }
}

/// Stores a new message (or answers a resend with the original outcome).
fn append(c: &Db, a: UgAppend, now: i64) -> anyhow::Result<UgWritten> {
    let msg = a.msg;
    if !msg.client_msg_id.is_empty() {
        if let Some(outcome) = read_sent(c, &msg.sender_id, &msg.client_msg_id)? {
            return Ok(UgWritten::Appended {
                outcome,
                message: None,
            });
        }
    }
    let (group_id, channel_id) = (msg.to_id.clone(), msg.channel_id.clone());
    let mut heads = lock_heads(c, &group_id, &channel_id)?;
    // Strictly increasing per channel: read positions and pages are by sent time.
    let sent_time = now.max(heads.last_sent + 1);
    let directed = !msg.directed.is_empty();
    let in_history = msg.persisted && !directed;
    if in_history {
        heads.conv_head += 1;
    }
    heads.change_head += 1;
    heads.last_sent = sent_time;
    let conv_seq = if in_history { heads.conv_head } else { 0 };
    let uid = new_uid(sent_time);
    record_dedupe(c, &msg, &uid, sent_time, now)?;
    let expansion = Stored::initial(&msg.expansion, sent_time);
    let readers = msg.directed.clone();
    let (sender, counted) = (msg.sender_id.clone(), msg.counted);
    let mut wire = msg.into_wire(uid.clone(), sent_time, conv_seq);
    wire.change_seq = heads.change_head;
    wire.mentions_all = a.mentions_all;
    let mention = mention_kind(a.mentions_all, &a.mentioned);
    let full_expansion = std::mem::take(&mut wire.expansion);
    let id: i64 = c
        .prepare_cached(
            "INSERT INTO ug_messages (group_id, channel_id, uid, conv_seq, change_seq, first_seq, \
         sender_id, sent_time, counted, directed, mention, recalled, message, expansion) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7, ?8, ?9, ?10, 0, ?11, ?12) RETURNING id",
        )?
        .query_row(
            params![
                group_id,
                channel_id,
                uid,
                conv_seq as i64,
                heads.change_head as i64,
                sender,
                sent_time,
                counted,
                directed,
                mention,
                prost::Message::encode_to_vec(&wire),
                expansion.to_json(),
            ],
            |r| r.get(0),
        )?;
    for user in &readers {
        c.prepare_cached(
            "INSERT INTO ug_directed (msg_id, user_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        )?
        .execute(params![id, user])?;
    }
    if mention == MENTION_USERS {
        insert_mentions(c, id, &a.mentioned)?;
    }
    write_heads(c, &group_id, &channel_id, heads)?;
    wire.expansion = full_expansion;
    Ok(UgWritten::Appended {
        outcome: SendOutcome {
            uid,
            sent_time,
            conv_seq,
            duplicate: false,
        },
        message: Some(Box::new(wire)),
    })
}

/// `ug_messages.mention`: "@all".
const MENTION_ALL: i64 = 1;
/// `ug_messages.mention`: the users in `ug_mentions`.
const MENTION_USERS: i64 = 2;

/// The `mention` column of a message mentioning `mentioned` (or all).
fn mention_kind(all: bool, mentioned: &[String]) -> i64 {
    if all {
        MENTION_ALL
    } else if mentioned.is_empty() {
        0
    } else {
        MENTION_USERS
    }
}

fn insert_mentions(c: &Db, id: i64, users: &[String]) -> anyhow::Result<()> {
    for user in users {
        c.prepare_cached(
            "INSERT INTO ug_mentions (msg_id, user_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        )?
        .execute(params![id, user])?;
    }
    Ok(())
}

/// Whether `user` may see directed message `id` (as a reader; its sender is checked apart).
fn is_directed_to(c: &Db, id: i64, user: &str) -> anyhow::Result<bool> {
    Ok(
        c.prepare_cached("SELECT 1 FROM ug_directed WHERE msg_id = ?1 AND user_id = ?2")?
            .query_row(params![id, user], |_| Ok(()))
            .optional()?
            .is_some(),
    )
}

/// A stored channel message.
struct Row {
    id: i64,
    sender_id: String,
    recalled: bool,
    directed: bool,
    message: Message,
    expansion: Stored,
}

fn find(c: &Db, group_id: &str, channel_id: &str, uid: &str) -> anyhow::Result<Option<Row>> {
    let row = c
        .prepare_cached(
            "SELECT id, sender_id, recalled, message, expansion, directed FROM ug_messages \
             WHERE uid = ?1 AND group_id = ?2 AND channel_id = ?3",
        )?
        .query_row(params![uid, group_id, channel_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, Vec<u8>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, bool>(5)?,
            ))
        })
        .optional()?;
    let Some((id, sender_id, recalled, blob, expansion, directed)) = row else {
        return Ok(None);
    };
    let message = <Message as prost::Message>::decode(blob.as_slice())?;
    Ok(Some(Row {
        id,
        sender_id,
        recalled,
        directed,
        message,
        expansion: Stored::parse(&expansion),
    }))
}

fn unknown(uid: &str) -> anyhow::Error {
    Rejected::err(
        INVALID_MESSAGE_UID,
        format!("no message {uid} you may change"),
    )
}

/// Applies a modify, recall or expansion change; the message gets the channel's next
/// `change_seq`.
fn apply_change(c: &Db, ch: UgChange, now: i64) -> anyhow::Result<UgWritten> {
    let Some(mut row) = find(c, &ch.group_id, &ch.channel_id, &ch.uid)? else {
        return Err(unknown(&ch.uid));
    };
    let is_sender = row.sender_id == ch.operator_id;
    // Mentions of a modified content, stored with the change (None: unchanged).
    let mut new_mentions = None;
    match ch.kind {
        UgChangeKind::Modify {
            object_name,
            content,
        } => {
            if !is_sender || row.recalled || row.message.object_name != object_name {
                return Err(unknown(&ch.uid));
            }
            new_mentions = Some(mentions(&content));
            row.message.content = content;
            row.message.modified = true;
        }
        UgChangeKind::Recall {
            delete_remote,
            is_admin,
        } => {
            if !is_sender && !is_admin {
                return Err(unknown(&ch.uid));
            }
            if row.recalled {
                // The first recall's time; nothing changes.
                let time = recall_time(&row.message).unwrap_or(now);
                return Ok(UgWritten::Changed {
                    message: None,
                    time,
                    readers: Vec::new(),
                });
            }
            let m = &mut row.message;
            m.content = serde_json::json!({
                "operatorId": ch.operator_id,
                "recallTime": m.sent_time,
                "recallActionTime": now,
                "originalObjectName": m.object_name,
                "isAdmin": is_admin,
                "isDelete": delete_remote,
            })
            .to_string();
            m.object_name = RECALL_NOTIFICATION.to_owned();
            m.can_expand = false;
            m.push_content.clear();
            m.push_data.clear();
            m.push_options.clear();
            row.expansion = Stored::default();
            row.recalled = true;
        }
        UgChangeKind::Expansion { set, remove } => {
            // A directed message is changed only by those who see it.
            if row.directed && !is_sender && !is_directed_to(c, row.id, &ch.operator_id)? {
                return Err(unknown(&ch.uid));
            }
            if !row.message.can_expand || row.recalled {
                return Err(Rejected::err(
                    MESSAGE_CANT_EXPAND,
                    "the message was sent without expansion",
                ));
            }
            row.expansion
                .apply(&set, &remove, now)
                .map_err(|e| Rejected::err(EXPANSION_SIZE_LIMIT_EXCEED, e.0))?;
        }
    }
    let mut heads = lock_heads(c, &ch.group_id, &ch.channel_id)?;
    heads.change_head += 1;
    write_heads(c, &ch.group_id, &ch.channel_id, heads)?;
    row.message.change_seq = heads.change_head;
    row.message.expansion.clear();
    c.prepare_cached(
        "UPDATE ug_messages SET change_seq = ?2, recalled = ?3, message = ?4, expansion = ?5 \
         WHERE id = ?1",
    )?
    .execute(params![
        row.id,
        heads.change_head as i64,
        row.recalled,
        prost::Message::encode_to_vec(&row.message),
        row.expansion.to_json()
    ])?;
    if row.recalled || new_mentions.is_some() {
        c.prepare_cached("DELETE FROM ug_mentions WHERE msg_id = ?1")?
            .execute([row.id])?;
    }
    if let Some((all, users)) = &new_mentions {
        let kind = mention_kind(*all, users);
        c.prepare_cached("UPDATE ug_messages SET mention = ?2 WHERE id = ?1")?
            .execute(params![row.id, kind])?;
        if kind == MENTION_USERS {
            insert_mentions(c, row.id, users)?;
        }
    }
    row.message.expansion = row.expansion.to_wire();
    let readers = if row.directed {
        let mut stmt = c.prepare_cached("SELECT user_id FROM ug_directed WHERE msg_id = ?1")?;
        let rows = stmt.query_map([row.id], |r| r.get::<_, String>(0))?;
        let mut readers: Vec<String> = rows.collect::<Result<_, _>>()?;
        readers.push(row.sender_id.clone());
        readers
    } else {
        Vec::new()
    };
    Ok(UgWritten::Changed {
        message: Some(Box::new(row.message)),
        time: now,
        readers,
    })
}

/// The `recallActionTime` of a recall notification.
fn recall_time(m: &Message) -> Option<i64> {
    let v: serde_json::Value = serde_json::from_str(&m.content).ok()?;
    v.get("recallActionTime")?.as_i64()
}
