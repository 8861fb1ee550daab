//! How a group message's read-receipt state looks to one user (`Message.receipt`), filled
//! into what sync and history pages return. Reads only: the writes are in `receipts`.

use super::db::{Db, Optional};
use crate::model::SYNC_BYTES;
use rcim_proto::conversation_type::GROUP;
use rcim_proto::v1::{inbox_entry, GroupReceipt, Message};

/// Whether the sender of message `uid` asked for read receipts.
pub(crate) fn is_requested(c: &Db, uid: &str) -> anyhow::Result<bool> {
    Ok(
        c.prepare_cached("SELECT 1 FROM receipt_requests WHERE uid = ?1")?
            .query_row([uid], |_| Ok(()))
            .optional()?
            .is_some(),
    )
}

/// Sets `m.receipt` as `viewer` sees it once the sender asked for receipts: the sender sees
/// who responded and when (as many as fit in a frame with the message), another member
/// whether they responded.
pub(crate) fn fill(c: &Db, viewer: &str, m: &mut Message) -> anyhow::Result<()> {
    if m.conversation_type != GROUP || !is_requested(c, &m.uid)? {
        return Ok(());
    }
    let mut receipt = GroupReceipt {
        requested: true,
        ..Default::default()
    };
    if m.sender_id == viewer {
        // Bounded so the message still fits in a frame (a large message in a group of
        // thousands): the earliest responses are kept.
        let mut budget = SYNC_BYTES.saturating_sub(prost::Message::encoded_len(m) + 1024);
        let mut stmt = c.prepare_cached(
            "SELECT user_id, time FROM receipt_responses WHERE uid = ?1 ORDER BY time, user_id",
        )?;
        let rows = stmt.query_map([&m.uid], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        for row in rows {
            let (user, time) = row?;
            // A map entry: key and value tags and lengths, the id, a varint time.
            let cost = user.len() + 16;
            if cost > budget {
                break;
            }
            budget -= cost;
            receipt.responses.insert(user, time);
        }
    } else {
        receipt.responded = c
            .prepare_cached("SELECT 1 FROM receipt_responses WHERE uid = ?1 AND user_id = ?2")?
            .query_row([&m.uid, viewer], |_| Ok(()))
            .optional()?
            .is_some();
    }
    m.receipt = Some(receipt);
    Ok(())
}

/// [`fill`] for the message of an inbox entry, if it has one.
pub(crate) fn fill_entry(
    c: &Db,
    viewer: &str,
    body: &mut Option<inbox_entry::Body>,
) -> anyhow::Result<()> {
    match body {
        Some(inbox_entry::Body::Message(m)) => fill(c, viewer, m),
        _ => Ok(()),
    }
}
