//! Appending to users' inboxes: the one place that appends (its head moves through
//! `heads.rs`), used by every
//! mutation that leaves an entry (sends, events, settings, moderation, receipts); and the
//! dedupe record every answered send leaves.

use super::db::{params, Db};
use super::heads::HeadCache;
use crate::model::{NewMessage, Push};
use crate::util::now_ms;
use rcim_proto::v1::{inbox_entry, InboxEntry};
use std::sync::Arc;

/// Appends one entry to `owner`'s inbox (a message row, or an encoded event) and moves the
/// head (in `heads`: the writer stores it with the batch); returns the entry's sequence.
pub(crate) fn append_inbox(
    tx: &Db,
    heads: &HeadCache,
    owner: &str,
    msg_id: i64,
    event: Option<&[u8]>,
    created_at: i64,
) -> anyhow::Result<u64> {
    let seq = heads.advance(tx, owner)?;
    tx.prepare_cached(
        "INSERT INTO inbox (user_id, seq, msg_id, created_at, event) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![owner, seq as i64, msg_id, created_at, event])?;
    Ok(seq)
}

/// Appends an event entry to the inbox of each owner (once per distinct owner).
pub(crate) fn apply_event(
    tx: &Db,
    heads: &HeadCache,
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

/// Remembers that `msg` (from its sender, under its client message id) was answered `uid`
/// at `sent_time`, so a resend gets the same answer; nothing for a send without a client id.
pub(crate) fn record_dedupe(
    tx: &Db,
    msg: &NewMessage,
    uid: &str,
    sent_time: i64,
    now: i64,
) -> anyhow::Result<()> {
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
    Ok(())
}
