//! Expansion updates: the stored expansion changes and an `ExpansionChange` entry goes to
//! every participant's inbox (a directed group message's: its recipients and sender only).

use super::db::{params, Db};
use super::heads::HeadCache;
use super::inbox::apply_event;
use super::lookup::{audience_outside_history, find_message, find_message_for_update};
use super::reads::{is_member, read_members};
use crate::expansion::Stored;
use crate::model::{ExpansionUpdate, Push, Rejected};
use crate::util::now_ms;
use rcim_proto::codes::{
    EXPANSION_SIZE_LIMIT_EXCEED, INVALID_MESSAGE_UID, MESSAGE_CANT_EXPAND, NOT_IN_GROUP,
};
use rcim_proto::conversation_type::{GROUP, PRIVATE};
use rcim_proto::v1::{inbox_entry, ExpansionChange};

/// Applies `u` (whose keys and values the caller checked) to its message. Refusals: 34203
/// unknown message or a conversation the operator is not in, 34008 a message sent without
/// expansion, 22406 a group non-member (34203 a member a directed message did not reach),
/// 34010 the per-message caps.
pub(crate) fn apply_expansion(
    tx: &Db,
    heads: &HeadCache,
    u: ExpansionUpdate,
) -> anyhow::Result<Vec<Push>> {
    let found = find_message_for_update(tx, &u.uid)?.filter(|m| {
        m.is_in(
            &u.operator_id,
            u.conversation_type,
            &u.target_id,
            &u.channel_id,
        )
    });
    let Some(m) = found else {
        return Err(Rejected::err(
            INVALID_MESSAGE_UID,
            format!("no message {} in this conversation", u.uid),
        ));
    };
    if !m.can_expand || !matches!(m.conversation_type, PRIVATE | GROUP) {
        return Err(Rejected::err(
            MESSAGE_CANT_EXPAND,
            "the message was sent without expansion",
        ));
    }
    let mut owners = if m.conversation_type == GROUP {
        if !is_member(tx, &m.to_id, &u.operator_id)? {
            return Err(Rejected::err(
                NOT_IN_GROUP,
                format!("{} is not a member of group {}", u.operator_id, m.to_id),
            ));
        }
        // A directed message: only those it reached see and make its changes.
        match audience_outside_history(tx, &m)? {
            Some(audience) if !audience.contains(&u.operator_id) => {
                return Err(Rejected::err(
                    INVALID_MESSAGE_UID,
                    format!("no message {} in this conversation", u.uid),
                ));
            }
            Some(audience) => audience,
            None => read_members(tx, &m.to_id)?,
        }
    } else {
        vec![m.sender_id.clone(), m.to_id.clone()]
    };
    if !u.sync_operator {
        owners.retain(|o| *o != u.operator_id);
    }
    let now = now_ms();
    let mut expansion = Stored::parse(&m.expansion);
    expansion
        .apply(&u.set, &u.remove, now)
        .map_err(|e| Rejected::err(EXPANSION_SIZE_LIMIT_EXCEED, e.0))?;
    tx.prepare_cached("UPDATE messages SET expansion = ?2 WHERE id = ?1")?
        .execute(params![m.id, expansion.to_json()])?;
    let body = inbox_entry::Body::ExpansionChange(ExpansionChange {
        uid: u.uid,
        conversation_type: m.conversation_type,
        to_id: m.to_id,
        channel_id: m.channel_id,
        sender_id: m.sender_id,
        operator_id: u.operator_id,
        operator_device_id: u.operator_device_id,
        set: u.set,
        remove: u.remove,
        expansion: expansion.to_wire(),
        time: now,
    });
    apply_event(tx, heads, owners, body)
}

/// The stored expansion of message `uid` (`None` for an unknown message).
pub(crate) fn read_expansion(c: &Db, uid: &str) -> anyhow::Result<Option<Stored>> {
    Ok(find_message(c, uid)?.map(|m| Stored::parse(&m.expansion)))
}
