//! The writer's mutations, each applied inside the batch transaction in a savepoint of its own
//! or, for consecutive sends, a shared one (see `writer.rs`).

use super::db::{params, Db, Dialect};
use super::heads::Heads;
use super::inbox::{append_inbox, record_dedupe};
use super::reads::{member_count, read_logged, read_members_joined, read_sent, RequestKind};
use super::settings::is_blacklisted;
use crate::model::{
    conversation_key, GroupOp, NewMessage, Push, Rejected, RequestKey, SendOutcome,
    MAX_GROUP_MEMBERS, NOT_IN_GROUP,
};
use crate::util::now_ms;
use anyhow::anyhow;
use rcim_proto::v1::inbox_entry;
use std::collections::HashMap;
use std::sync::Arc;

/// Runs `apply` unless `request` was executed before: then answers its logged result and
/// changes nothing. A successful execution is logged with its result (refusals are not: a
/// resend is checked again).
pub(crate) fn once_per_request(
    tx: &Db,
    request: Option<&RequestKey>,
    kind: RequestKind,
    apply: impl FnOnce(&Db) -> anyhow::Result<(i64, Vec<Push>)>,
) -> anyhow::Result<(i64, Vec<Push>)> {
    let Some(key) = request else {
        return apply(tx);
    };
    if tx.dialect() == Dialect::Postgres {
        // The same request may reach two nodes (a client retrying through another one):
        // claiming its row first makes the second wait for the first's commit, then find it.
        let claimed = tx.execute(
            "INSERT INTO request_log (user_id, request_id, kind, result, created_at) \
             VALUES (?1, ?2, ?3, 0, ?4) ON CONFLICT DO NOTHING",
            params![key.user_id, key.request_id, kind as i64, now_ms()],
        )?;
        if claimed == 1 {
            let (result, pushes) = apply(tx)?;
            tx.execute(
                "UPDATE request_log SET result = ?3 WHERE user_id = ?1 AND request_id = ?2",
                params![key.user_id, key.request_id, result],
            )?;
            return Ok((result, pushes));
        }
    }
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

/// Stores one message and its inbox entries; returns the outcome and the entries to push
/// (nothing for a duplicate). The heads it moves are staged in `heads` (see
/// [`super::heads`]). A refusal (a duplicate, the blacklist, membership, a gag, a limit) is
/// decided before anything is written.
pub(crate) fn apply_send(
    tx: &Db,
    heads: &Heads,
    last_sent: &mut HashMap<String, i64>,
    msg: NewMessage,
) -> anyhow::Result<(SendOutcome, Vec<Push>)> {
    // Callers check first and answer with their own codes; this keeps any other path from
    // storing a message that cannot be delivered.
    if let Err(e) = msg.check_limits() {
        return Err(anyhow!("{} is longer than {}", e.field, e.max));
    }
    if let Err(e) = crate::expansion::check_initial(&msg.expansion) {
        return Err(anyhow!("expansion: {}", e.0));
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
    // Read in the transaction, so a blacklist change and a send are ordered.
    if msg.check_blacklist && !is_group && is_blacklisted(tx, &msg.to_id, &msg.sender_id)? {
        return Err(Rejected::err(
            rcim_proto::codes::REJECTED_BY_BLACKLIST,
            format!("{} blacklisted {}", msg.to_id, msg.sender_id),
        ));
    }
    // Inbox owners, read inside the transaction so membership and delivery agree.
    // A group message is sent no earlier than the latest join (see [`join_time`]).
    let mut not_before = i64::MIN;
    let owners: Vec<String> = if is_group {
        let (members, last_join) = read_members_joined(tx, &msg.to_id)?;
        not_before = last_join;
        if msg.require_member && !members.contains(&msg.sender_id) {
            return Err(Rejected::err(
                NOT_IN_GROUP,
                format!("{} is not a member of group {}", msg.sender_id, msg.to_id),
            ));
        }
        if msg.require_member {
            // Client sends only: the Server API publishes whatever a gag says.
            super::moderation::check_gag(tx, &msg.to_id, &msg.sender_id, now_ms())?;
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
    let key = conversation_key(
        msg.conversation_type,
        &msg.sender_id,
        &msg.to_id,
        &msg.channel_id,
    );
    // The cloud history holds persisted messages meant for the whole conversation.
    let in_history = msg.persisted && msg.directed.is_empty();
    // On PostgreSQL other nodes send in this conversation too: its head is locked first, and
    // the clock continues from the stored times, so sequence and time orders agree.
    let (mut locked_seq, mut stored_after) = (None, i64::MIN);
    if in_history && !msg.blocked && tx.dialect() == Dialect::Postgres {
        locked_seq = Some(heads.history.advance(tx, &key)?);
        if let Some(last) = last_history_time(tx, &key)? {
            stored_after = last.saturating_add(1);
        }
    }
    let sent_time = match last_sent.get(&key) {
        Some(&last) if last >= now => last + 1,
        _ => now,
    }
    .max(not_before)
    .max(stored_after);
    last_sent.insert(key.clone(), sent_time);
    let uid = crate::util::new_uid(sent_time);
    if msg.blocked {
        return super::moderation::apply_blocked(tx, &heads.inbox, &msg, uid, sent_time, now);
    }
    let conv_seq = match locked_seq {
        Some(seq) => seq,
        None if in_history => heads.history.advance(tx, &key)?,
        None => 0,
    };
    let expansion = crate::expansion::Stored::initial(&msg.expansion, sent_time).to_json();
    let msg_id: i64 = tx.prepare_cached(
        "INSERT INTO messages (uid, conversation_type, to_id, channel_id, sender_id, object_name, \
         content, sent_time, client_msg_id, persisted, counted, push_content, push_data, custom, \
         conv_key, conv_seq, can_expand, expansion, push_options) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, \
         ?19) RETURNING id",
    )?
    .query_row(params![
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
        key,
        conv_seq as i64,
        msg.can_expand,
        expansion,
        msg.push_options,
    ], |r| r.get::<_, i64>(0))?;
    record_dedupe(tx, &msg, &uid, sent_time, now)?;
    let proto = Arc::new(inbox_entry::Body::Message(msg.into_wire(
        uid.clone(),
        sent_time,
        conv_seq,
    )));
    let mut pushes = Vec::with_capacity(owners.len());
    for owner in owners {
        let seq = append_inbox(tx, &heads.inbox, &owner, msg_id, None, sent_time)?;
        pushes.push(Push {
            user_id: owner,
            seq,
            body: proto.clone(),
        });
    }
    let outcome = SendOutcome {
        uid,
        sent_time,
        conv_seq,
        duplicate: false,
    };
    Ok((outcome, pushes))
}

/// The latest sent time of the history messages of `group_id` (any channel), if any: one seek
/// of the `conv_heads` key range of the group (a row per channel with a history), then one
/// seek of index `messages_history_time` per channel.
/// The newest sent time of the history of conversation `key`.
fn last_history_time(c: &Db, key: &str) -> anyhow::Result<Option<i64>> {
    Ok(c.query_row(
        "SELECT MAX(sent_time) FROM messages WHERE conv_key = ?1 AND conv_seq > 0",
        [key],
        |r| r.get(0),
    )?)
}

pub(crate) const GROUP_LAST_SENT: &str = "SELECT MAX((SELECT m.sent_time FROM messages m \
     WHERE m.conv_key = h.conv_key AND m.conv_seq > 0 ORDER BY m.sent_time DESC LIMIT 1)) \
     FROM conv_heads h WHERE h.conv_key >= ?1 AND h.conv_key < ?2";

/// The `joined_at` of a member joining `group_id` now: `max(now, last + 1)` where `last` is
/// the latest sent time of the group's history messages. Sent times are kept strictly
/// increasing per conversation, so a burst runs them ahead of the wall clock; a join stamped
/// with the wall clock alone would show the new member the end of a burst sent before they
/// joined. Read from the stored messages (in this transaction, so sends earlier in the batch
/// count), not the writer's conversation clocks: those may have been trimmed or lost in a
/// restart, and the group's channels are separate clocks. The other half is in
/// [`apply_send`]: a group message is sent no earlier than the latest join of its members, so
/// whatever is sent after a join is visible to the new member whatever the clock of its
/// channel says.
fn join_time(tx: &Db, group_id: &str, now: i64) -> anyhow::Result<i64> {
    let (lo, hi) = group_key_range(group_id);
    let last: Option<i64> = tx
        .prepare_cached(GROUP_LAST_SENT)?
        .query_row(params![lo, hi], |r| r.get(0))?;
    Ok(match last {
        Some(last) => now.max(last.saturating_add(1)),
        None => now,
    })
}

/// The range of conversation keys of `group_id` (every channel): `lo <= key < hi`.
fn group_key_range(group_id: &str) -> (String, String) {
    // `3<US>group<US>channel`: the prefix ends with the separator; `hi` replaces it with the
    // next character, so the keys of every channel of this group fall in between.
    let lo = conversation_key(rcim_proto::conversation_type::GROUP, "", group_id, "");
    let mut hi = lo.clone();
    hi.pop();
    hi.push(char::from(0x20));
    (lo, hi)
}

pub(crate) fn apply_group(tx: &Db, op: GroupOp) -> anyhow::Result<usize> {
    let now = now_ms();
    match op {
        GroupOp::Add {
            group_id,
            name,
            members,
        } => {
            // A member already in the group keeps their join time (the insert is ignored); a
            // new or returning one (after a quit) joins after every message sent so far.
            let joined = join_time(tx, &group_id, now)?;
            tx.prepare_cached(
                "INSERT INTO groups (group_id, name, created_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT(group_id) DO UPDATE SET name = CASE WHEN ?2 = '' THEN groups.name \
                 ELSE ?2 END",
            )?
            .execute(params![group_id, name, now])?;
            for m in &members {
                tx.prepare_cached(
                    "INSERT INTO group_members (group_id, user_id, joined_at) \
                     VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                )?
                .execute(params![group_id, m, joined])?;
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
    tx: &Db,
    user_id: &str,
    name: Option<String>,
    portrait: Option<String>,
) -> anyhow::Result<()> {
    tx.prepare_cached(
        "INSERT INTO users (user_id, name, portrait, created_at) \
         VALUES (?1, COALESCE(?2, ''), COALESCE(?3, ''), ?4) \
         ON CONFLICT(user_id) DO UPDATE SET name = COALESCE(?2, users.name), \
         portrait = COALESCE(?3, users.portrait)",
    )?
    .execute(params![user_id, name, portrait, now_ms()])?;
    Ok(())
}

pub(crate) fn apply_expire(tx: &Db, user_ids: &[String], time_ms: i64) -> anyhow::Result<()> {
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
