//! Group read receipts (migration 9): a sender asks the members of a group for receipts of
//! one of their messages, members respond, and every view of the message (sync, history)
//! carries its state ([`fill`]).

use super::db::{params, Db};
use super::heads::HeadCache;
use super::inbox::apply_event;
use super::lookup::{audience_outside_history, find_message, StoredMessage};
use super::reads::{is_member, read_members};
use crate::model::{Push, ReceiptAnswer, ReceiptAsk, Rejected, NOT_IN_GROUP};
use rcim_proto::codes::INVALID_MESSAGE_UID;
use rcim_proto::conversation_type::GROUP;
use rcim_proto::v1::{inbox_entry, ReceiptRequested, ReceiptResponded};
use std::collections::{HashMap, HashSet};

fn not_a_member(user: &str, group: &str) -> anyhow::Error {
    Rejected::err(
        NOT_IN_GROUP,
        format!("{user} is not a member of group {group}"),
    )
}

/// The message `uid` if it is a message of `group_id` / `channel_id`.
fn group_message(
    c: &Db,
    uid: &str,
    group_id: &str,
    channel_id: &str,
) -> anyhow::Result<Option<StoredMessage>> {
    Ok(find_message(c, uid)?.filter(|m| {
        m.conversation_type == GROUP && m.to_id == group_id && m.channel_id == channel_id
    }))
}

/// Marks the message as asking for receipts and appends `ReceiptRequested` to every
/// member's inbox (the sender's too; for a directed message, only its recipients' and the
/// sender's, see [`audience_outside_history`]). 22406: the requester is not a member; 34203: not a
/// message of this group sent by the requester. Asking again appends nothing.
pub(crate) fn apply_receipt_request(
    tx: &Db,
    heads: &HeadCache,
    ask: ReceiptAsk,
    now: i64,
) -> anyhow::Result<Vec<Push>> {
    if !is_member(tx, &ask.group_id, &ask.requester)? {
        return Err(not_a_member(&ask.requester, &ask.group_id));
    }
    let Some(m) = group_message(tx, &ask.uid, &ask.group_id, &ask.channel_id)?
        .filter(|m| m.sender_id == ask.requester)
    else {
        return Err(Rejected::err(
            INVALID_MESSAGE_UID,
            format!(
                "{} is not a message of {} in this group",
                ask.uid, ask.requester
            ),
        ));
    };
    if super::receipt_view::is_requested(tx, &ask.uid)? {
        return Ok(Vec::new());
    }
    // A request through another node may have come first (on PostgreSQL this waits for its
    // commit): then this one asks nothing more.
    let inserted = tx
        .prepare_cached(
            "INSERT INTO receipt_requests (uid, sent_time, requested_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT DO NOTHING",
        )?
        .execute(params![ask.uid, m.sent_time, now])?;
    if inserted == 0 {
        return Ok(Vec::new());
    }
    // A directed message asks only those it reached.
    let owners = match audience_outside_history(tx, &m)? {
        Some(audience) => audience,
        None => {
            let mut owners = read_members(tx, &ask.group_id)?;
            owners.push(ask.requester.clone());
            owners
        }
    };
    let body = inbox_entry::Body::ReceiptRequested(ReceiptRequested {
        group_id: ask.group_id,
        channel_id: ask.channel_id,
        uid: ask.uid,
        sender_id: ask.requester,
        device_id: ask.device_id,
        time: now,
    });
    apply_event(tx, heads, owners, body)
}

/// Records the reader's first response to each message that asks for receipts (others are
/// skipped: unknown, or directed and not received by the reader, of another group, the
/// reader's own, not asking). For each new response
/// the inboxes of the sender and of the reader get a `ReceiptResponded` holding just that
/// response. 22406: the reader is not a member.
pub(crate) fn apply_receipt_response(
    tx: &Db,
    heads: &HeadCache,
    answer: ReceiptAnswer,
    now: i64,
) -> anyhow::Result<Vec<Push>> {
    if !is_member(tx, &answer.group_id, &answer.reader)? {
        return Err(not_a_member(&answer.reader, &answer.group_id));
    }
    let mut pushes = Vec::new();
    let mut seen = HashSet::new();
    for uid in &answer.uids {
        if !seen.insert(uid.as_str()) {
            continue;
        }
        let Some(m) = group_message(tx, uid, &answer.group_id, &answer.channel_id)? else {
            continue;
        };
        if m.sender_id == answer.reader || !super::receipt_view::is_requested(tx, uid)? {
            continue;
        }
        // A directed message the reader did not receive is unknown to them.
        if audience_outside_history(tx, &m)?.is_some_and(|a| !a.contains(&answer.reader)) {
            continue;
        }
        let added = tx
            .prepare_cached(
                "INSERT INTO receipt_responses (uid, user_id, time) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            )?
            .execute(params![uid, answer.reader, now])?;
        if added == 0 {
            continue;
        }
        // Only this response: the sender's devices merge it into what they know (history
        // pages carry the whole set). Every response so far would make a group of n members
        // cost O(n²) entries over one message, and the late ones outgrow a sync package.
        let body = inbox_entry::Body::ReceiptResponded(ReceiptResponded {
            group_id: answer.group_id.clone(),
            channel_id: answer.channel_id.clone(),
            uid: uid.clone(),
            reader_id: answer.reader.clone(),
            responses: HashMap::from([(answer.reader.clone(), now)]),
            device_id: answer.device_id.clone(),
            time: now,
        });
        let owners = vec![m.sender_id.clone(), answer.reader.clone()];
        pushes.extend(apply_event(tx, heads, owners, body)?);
    }
    Ok(pushes)
}
