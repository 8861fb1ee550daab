//! The writer's mutations, each applied inside its own savepoint of the batch transaction.

use super::reads::{member_count, read_head, read_logged, read_members, read_sent, RequestKind};
use crate::model::{
    GroupOp, NewMessage, Push, RecallRequest, Rejected, RequestKey, SendOutcome, MAX_GROUP_MEMBERS,
    NOT_IN_GROUP,
};
use crate::util::now_ms;
use anyhow::anyhow;
use rcim_proto::v1::{inbox_entry, InboxEntry};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;
use std::sync::Arc;

/// Runs `apply` unless `request` was executed before: then answers its logged result and
/// changes nothing. A successful execution is logged with its result (refusals are not: a
/// resend is checked again).
pub(crate) fn once_per_request(
    tx: &Connection,
    request: Option<&RequestKey>,
    kind: RequestKind,
    apply: impl FnOnce(&Connection) -> anyhow::Result<(i64, Vec<Push>)>,
) -> anyhow::Result<(i64, Vec<Push>)> {
    let Some(key) = request else {
        return apply(tx);
    };
    if let Some((logged_kind, result)) = read_logged(tx, key)? {
        if logged_kind != kind as i64 {
            return Err(Rejected::err(
                rcim_proto::codes::PARAMETER_INVALID,
                format!("request id {} was used for another request", key.request_id),
            ));
        }
        return Ok((result, Vec::new()));
    }
    let (result, pushes) = apply(tx)?;
    tx.prepare_cached(
        "INSERT INTO request_log (user_id, request_id, kind, result, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        key.user_id,
        key.request_id,
        kind as i64,
        result,
        now_ms()
    ])?;
    Ok((result, pushes))
}

/// Key under which sent times are kept strictly increasing.
fn conversation_key(msg: &NewMessage) -> String {
    if msg.conversation_type != rcim_proto::conversation_type::PRIVATE {
        // Group-like conversations: one clock per target, whoever sends.
        return format!(
            "{}\u{1f}{}\u{1f}{}",
            msg.conversation_type, msg.to_id, msg.channel_id
        );
    }
    let (a, b) = if msg.sender_id <= msg.to_id {
        (&msg.sender_id, &msg.to_id)
    } else {
        (&msg.to_id, &msg.sender_id)
    };
    format!(
        "{}\u{1f}{a}\u{1f}{b}\u{1f}{}",
        msg.conversation_type, msg.channel_id
    )
}

/// Stores one message and its inbox entries; returns the outcome and the entries to push
/// (nothing for a duplicate). `heads` is only read: the caller applies the new heads once the
/// savepoint is released.
pub(crate) fn apply_send(
    tx: &Connection,
    heads: &HashMap<String, u64>,
    last_sent: &mut HashMap<String, i64>,
    msg: NewMessage,
) -> anyhow::Result<(SendOutcome, Vec<Push>)> {
    // Callers check first and answer with their own codes; this keeps any other path from
    // storing a message that cannot be delivered.
    if let Err(e) = msg.check_limits() {
        return Err(anyhow!("{} is longer than {}", e.field, e.max));
    }
    if msg.status {
        return Err(anyhow!("a status message is never stored"));
    }
    if !msg.client_msg_id.is_empty() {
        if let Some(original) = read_sent(tx, &msg.sender_id, &msg.client_msg_id)? {
            return Ok((original, Vec::new()));
        }
    }
    let is_group = msg.conversation_type == rcim_proto::conversation_type::GROUP;
    // Inbox owners, read inside the transaction so membership and delivery agree.
    let owners: Vec<String> = if is_group {
        let members = read_members(tx, &msg.to_id)?;
        if msg.require_member && !members.contains(&msg.sender_id) {
            return Err(Rejected::err(
                NOT_IN_GROUP,
                format!("{} is not a member of group {}", msg.sender_id, msg.to_id),
            ));
        }
        let mut owners: Vec<String> = if msg.directed.is_empty() {
            members
        } else {
            let wanted: std::collections::HashSet<&str> =
                msg.directed.iter().map(String::as_str).collect();
            members
                .into_iter()
                .filter(|m| wanted.contains(m.as_str()) || *m == msg.sender_id)
                .collect()
        };
        if !msg.include_sender {
            owners.retain(|m| *m != msg.sender_id);
        } else if !owners.contains(&msg.sender_id) {
            owners.push(msg.sender_id.clone());
        }
        owners
    } else {
        let mut owners = vec![msg.to_id.clone()];
        if msg.include_sender && msg.sender_id != msg.to_id {
            owners.push(msg.sender_id.clone());
        }
        owners
    };
    let now = now_ms();
    let key = conversation_key(&msg);
    let sent_time = match last_sent.get(&key) {
        Some(&last) if last >= now => last + 1,
        _ => now,
    };
    last_sent.insert(key, sent_time);
    let uid = crate::util::new_uid(sent_time);
    tx.prepare_cached(
        "INSERT INTO messages (uid, conversation_type, to_id, channel_id, sender_id, object_name, \
         content, sent_time, client_msg_id, persisted, counted, push_content, push_data, custom) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        uid,
        msg.conversation_type,
        msg.to_id,
        msg.channel_id,
        msg.sender_id,
        msg.object_name,
        msg.content,
        sent_time,
        msg.client_msg_id,
        msg.persisted,
        msg.counted,
        msg.push_content,
        msg.push_data,
        msg.custom,
    ])?;
    let msg_id = tx.last_insert_rowid();
    if !msg.client_msg_id.is_empty() {
        tx.prepare_cached(
            "INSERT INTO dedupe (sender_id, client_msg_id, uid, sent_time, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            msg.sender_id,
            msg.client_msg_id,
            uid,
            sent_time,
            now
        ])?;
    }
    let proto = Arc::new(inbox_entry::Body::Message(
        msg.into_wire(uid.clone(), sent_time),
    ));
    let mut pushes = Vec::with_capacity(owners.len());
    for owner in owners {
        let seq = append_inbox(tx, heads, &owner, msg_id, None, sent_time)?;
        pushes.push(Push {
            user_id: owner,
            seq,
            body: proto.clone(),
        });
    }
    let outcome = SendOutcome {
        uid,
        sent_time,
        duplicate: false,
    };
    Ok((outcome, pushes))
}

/// Appends one entry to `owner`'s inbox (a message row, or an encoded event) and moves the
/// head; returns the entry's sequence.
fn append_inbox(
    tx: &Connection,
    heads: &HashMap<String, u64>,
    owner: &str,
    msg_id: i64,
    event: Option<&[u8]>,
    created_at: i64,
) -> anyhow::Result<u64> {
    let head = match heads.get(owner) {
        Some(h) => *h,
        None => read_head(tx, owner)?,
    };
    let seq = head + 1;
    tx.prepare_cached(
        "INSERT INTO inbox (user_id, seq, msg_id, created_at, event) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![owner, seq as i64, msg_id, created_at, event])?;
    tx.prepare_cached(
        "INSERT INTO inbox_heads (user_id, head) VALUES (?1, ?2) \
         ON CONFLICT(user_id) DO UPDATE SET head = excluded.head",
    )?
    .execute(params![owner, seq as i64])?;
    Ok(seq)
}

/// Appends an event entry to the inbox of each owner (once per distinct owner).
pub(crate) fn apply_event(
    tx: &Connection,
    heads: &HashMap<String, u64>,
    mut owners: Vec<String>,
    body: inbox_entry::Body,
) -> anyhow::Result<Vec<Push>> {
    let mut seen = std::collections::HashSet::new();
    owners.retain(|o| seen.insert(o.clone()));
    let event = prost::Message::encode_to_vec(&InboxEntry {
        seq: 0,
        body: Some(body.clone()),
    });
    let body = Arc::new(body);
    let now = now_ms();
    let mut pushes = Vec::with_capacity(owners.len());
    for owner in owners {
        let seq = append_inbox(tx, heads, &owner, 0, Some(&event), now)?;
        pushes.push(Push {
            user_id: owner,
            seq,
            body: body.clone(),
        });
    }
    Ok(pushes)
}

/// Marks a message recalled and appends a `Recall` entry to the inbox of everyone who holds
/// it, and of its sender (so all the sender's devices converge). Recalling a message again
/// answers with the first recall's time and appends nothing.
pub(crate) fn apply_recall(
    tx: &Connection,
    heads: &HashMap<String, u64>,
    req: RecallRequest,
) -> anyhow::Result<(i64, Vec<Push>)> {
    use rcim_proto::codes::{RECALL_PARAMETER_INVALID, RECALL_USER_INVALID};
    use rcim_proto::conversation_type::{GROUP, PRIVATE};
    let found = tx
        .prepare_cached(
            "SELECT id, conversation_type, to_id, channel_id, sender_id, sent_time, \
             object_name, recalled_at FROM messages WHERE uid = ?1",
        )?
        .query_row([&req.uid], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, i64>(7)?,
            ))
        })
        .optional()?;
    let Some((msg_id, ctype, to_id, channel_id, sender_id, sent_time, object_name, recalled_at)) =
        found
    else {
        return Err(Rejected::err(
            RECALL_PARAMETER_INVALID,
            format!("no message {}", req.uid),
        ));
    };
    // The conversation must be the message's, as the operator sees it.
    let target_matches = match ctype {
        PRIVATE => {
            req.target_id == to_id || (req.target_id == sender_id && to_id == req.operator_id)
        }
        GROUP => req.target_id == to_id,
        _ => false,
    };
    if ctype != req.conversation_type || !target_matches || channel_id != req.channel_id {
        return Err(Rejected::err(
            RECALL_PARAMETER_INVALID,
            "the conversation does not match the message",
        ));
    }
    if sender_id != req.operator_id {
        return Err(Rejected::err(
            RECALL_USER_INVALID,
            "only the sender may recall a message",
        ));
    }
    if recalled_at != 0 {
        return Ok((recalled_at, Vec::new()));
    }
    let now = now_ms();
    tx.prepare_cached("UPDATE messages SET recalled_at = ?2 WHERE id = ?1")?
        .execute(params![msg_id, now])?;
    let mut owners: Vec<String> = tx
        .prepare_cached("SELECT DISTINCT user_id FROM inbox WHERE msg_id = ?1")?
        .query_map([msg_id], |r| r.get::<_, String>(0))?
        .collect::<Result<_, _>>()?;
    if !owners.contains(&sender_id) {
        owners.push(sender_id.clone());
    }
    let body = inbox_entry::Body::Recall(rcim_proto::v1::Recall {
        uid: req.uid,
        operator_id: req.operator_id,
        conversation_type: ctype,
        to_id,
        channel_id,
        recall_time: now,
        sender_id,
        sent_time,
        object_name,
    });
    let event = prost::Message::encode_to_vec(&InboxEntry {
        seq: 0,
        body: Some(body.clone()),
    });
    let body = Arc::new(body);
    let mut pushes = Vec::with_capacity(owners.len());
    for owner in owners {
        let seq = append_inbox(tx, heads, &owner, 0, Some(&event), now)?;
        pushes.push(Push {
            user_id: owner,
            seq,
            body: body.clone(),
        });
    }
    Ok((now, pushes))
}

pub(crate) fn apply_group(tx: &Connection, op: GroupOp) -> anyhow::Result<usize> {
    let now = now_ms();
    match op {
        GroupOp::Add {
            group_id,
            name,
            members,
        } => {
            tx.prepare_cached(
                "INSERT INTO groups (group_id, name, created_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT(group_id) DO UPDATE SET name = CASE WHEN ?2 = '' THEN name \
                 ELSE ?2 END",
            )?
            .execute(params![group_id, name, now])?;
            for m in &members {
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO group_members (group_id, user_id, joined_at) \
                     VALUES (?1, ?2, ?3)",
                )?
                .execute(params![group_id, m, now])?;
            }
            let n = member_count(tx, &group_id)?;
            if n > MAX_GROUP_MEMBERS {
                // The savepoint rolls the additions back.
                return Err(Rejected::err(
                    1002,
                    format!("a group has at most {MAX_GROUP_MEMBERS} members"),
                ));
            }
            Ok(n)
        }
        GroupOp::Quit { group_id, members } => {
            for m in &members {
                tx.prepare_cached(
                    "DELETE FROM group_members WHERE group_id = ?1 AND user_id = ?2",
                )?
                .execute(params![group_id, m])?;
            }
            let n = member_count(tx, &group_id)?;
            if n == 0 {
                tx.prepare_cached("DELETE FROM groups WHERE group_id = ?1")?
                    .execute([&group_id])?;
            }
            Ok(n)
        }
        GroupOp::Dismiss { group_id } => {
            tx.prepare_cached("DELETE FROM group_members WHERE group_id = ?1")?
                .execute([&group_id])?;
            tx.prepare_cached("DELETE FROM groups WHERE group_id = ?1")?
                .execute([&group_id])?;
            Ok(0)
        }
    }
}

pub(crate) fn apply_upsert_user(
    tx: &Connection,
    user_id: &str,
    name: Option<String>,
    portrait: Option<String>,
) -> anyhow::Result<()> {
    tx.prepare_cached(
        "INSERT INTO users (user_id, name, portrait, created_at) \
         VALUES (?1, COALESCE(?2, ''), COALESCE(?3, ''), ?4) \
         ON CONFLICT(user_id) DO UPDATE SET name = COALESCE(?2, name), \
         portrait = COALESCE(?3, portrait)",
    )?
    .execute(params![user_id, name, portrait, now_ms()])?;
    Ok(())
}

pub(crate) fn apply_expire(
    tx: &Connection,
    user_ids: &[String],
    time_ms: i64,
) -> anyhow::Result<()> {
    let now = now_ms();
    for u in user_ids {
        tx.prepare_cached(
            "INSERT INTO users (user_id, created_at, tokens_valid_after) VALUES (?1, ?2, ?3) \
             ON CONFLICT(user_id) DO UPDATE SET tokens_valid_after = ?3",
        )?
        .execute(params![u, now, time_ms])?;
    }
    Ok(())
}

pub(crate) fn apply_prune(tx: &Connection, before_ms: i64) -> anyhow::Result<()> {
    let inbox = tx.execute("DELETE FROM inbox WHERE created_at < ?1", [before_ms])?;
    let messages = tx.execute("DELETE FROM messages WHERE sent_time < ?1", [before_ms])?;
    let dedupe = tx.execute("DELETE FROM dedupe WHERE created_at < ?1", [before_ms])?;
    let requests = tx.execute("DELETE FROM request_log WHERE created_at < ?1", [before_ms])?;
    if inbox + messages + dedupe + requests > 0 {
        tracing::info!(
            inbox,
            messages,
            dedupe,
            requests,
            "pruned expired offline entries"
        );
    }
    Ok(())
}
