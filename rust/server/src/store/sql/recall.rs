//! Recalls (R112–R115): the stored message is replaced by its recall notification, so no
//! history page or inbox sync can return the original content afterwards.

use super::db::{params, Db};
use super::heads::HeadCache;
use super::inbox::apply_event;
use super::lookup::{find_message_for_update, StoredMessage};
use super::reads::{is_member, read_members};
use crate::model::{Push, RecallRequest, Rejected};
use crate::util::now_ms;
use rcim_proto::conversation_type::{GROUP, PRIVATE};
use rcim_proto::v1::inbox_entry;
use std::collections::HashSet;

/// Object name of the notification that replaces a recalled message.
pub(crate) const RECALL_NOTIFICATION: &str = "RC:RcNtf";

/// Recalls a message: replaces it by its recall notification (object name
/// [`RECALL_NOTIFICATION`], content `{operatorId, recallTime, recallActionTime,
/// originalObjectName, isAdmin, isDelete}`, no expansion, no push text) and appends a `Recall`
/// entry to the inbox of everyone who may have it on a device (see [`recall_recipients`]). Recalling a message again answers with the first recall's time and appends
/// nothing. Refusals: 25101 unknown message or a conversation the operator is not in, 25107 a
/// non-sender when only the sender may recall, 22406 a group non-member (other than the
/// sender).
pub(crate) fn apply_recall(
    tx: &Db,
    heads: &HeadCache,
    req: RecallRequest,
) -> anyhow::Result<(i64, Vec<Push>)> {
    use rcim_proto::codes::{NOT_IN_GROUP, RECALL_PARAMETER_INVALID, RECALL_USER_INVALID};
    let Some(m) = find_message_for_update(tx, &req.uid)? else {
        return Err(Rejected::err(
            RECALL_PARAMETER_INVALID,
            format!("no message {}", req.uid),
        ));
    };
    if !m.is_in(
        &req.operator_id,
        req.conversation_type,
        &req.target_id,
        &req.channel_id,
    ) {
        return Err(Rejected::err(
            RECALL_PARAMETER_INVALID,
            "the conversation does not match the message",
        ));
    }
    if m.sender_id != req.operator_id {
        if req.only_sender {
            return Err(Rejected::err(
                RECALL_USER_INVALID,
                "only the sender may recall a message",
            ));
        }
        if m.conversation_type == rcim_proto::conversation_type::GROUP
            && !is_member(tx, &m.to_id, &req.operator_id)?
        {
            return Err(Rejected::err(
                NOT_IN_GROUP,
                format!("{} is not a member of group {}", req.operator_id, m.to_id),
            ));
        }
    }
    if m.recalled_at != 0 {
        return Ok((m.recalled_at, Vec::new()));
    }
    let now = now_ms();
    let notification = serde_json::json!({
        "operatorId": req.operator_id,
        "recallTime": m.sent_time,
        "recallActionTime": now,
        "originalObjectName": m.object_name,
        "isAdmin": false,
        "isDelete": false,
    })
    .to_string();
    tx.prepare_cached(
        "UPDATE messages SET recalled_at = ?2, object_name = ?3, content = ?4, expansion = '', \
         can_expand = 0, push_content = '', push_data = '', push_options = '' WHERE id = ?1",
    )?
    .execute(params![m.id, now, RECALL_NOTIFICATION, notification])?;
    let owners = recall_recipients(tx, &m)?;
    tracing::debug!(uid = %req.uid, recipients = owners.len(), "message recalled");
    let body = inbox_entry::Body::Recall(rcim_proto::v1::Recall {
        uid: req.uid,
        operator_id: req.operator_id,
        conversation_type: m.conversation_type,
        to_id: m.to_id,
        channel_id: m.channel_id,
        recall_time: now,
        sender_id: m.sender_id,
        sent_time: m.sent_time,
        object_name: m.object_name,
    });
    let pushes = apply_event(tx, heads, owners, body)?;
    Ok((now, pushes))
}

/// Who gets the `Recall` entry of `m`: its sender (so all their devices converge), everyone
/// still holding an inbox copy, and, for a cloud history message, the conversation's
/// participants (private: the two users; group: the current members, as expansion changes).
/// A history message outlives its inbox copies (pruned after the offline retention), and the
/// devices that synced it keep it: without the participants, recalling an older message
/// would reach the sender only. A message outside the history (directed, not persisted) is
/// pruned with its inbox copies, so its holders are exactly who received it, and a directed
/// message's recall does not reach members it was not addressed to. Deduplicated, sender
/// first.
fn recall_recipients(tx: &Db, m: &StoredMessage) -> anyhow::Result<Vec<String>> {
    let mut owners = vec![m.sender_id.clone()];
    if m.conversation_type == PRIVATE {
        owners.push(m.to_id.clone());
    } else if m.conversation_type == GROUP && m.conv_seq > 0 {
        owners.extend(read_members(tx, &m.to_id)?);
    }
    let holders = tx
        .prepare_cached("SELECT DISTINCT user_id FROM inbox WHERE msg_id = ?1")?
        .query_map([m.id], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    owners.extend(holders);
    let mut seen = HashSet::new();
    owners.retain(|o| seen.insert(o.clone()));
    Ok(owners)
}
