//! Finding a stored message by uid and checking it belongs to the conversation a request
//! names (recalls, expansion updates, deletions).

use super::db::{Db, Dialect, Optional};
use rcim_proto::conversation_type::{GROUP, PRIVATE};

/// The fields of a stored message the operations on it need.
#[derive(Debug, Clone)]
pub(crate) struct StoredMessage {
    pub id: i64,
    pub conversation_type: u32,
    pub to_id: String,
    pub channel_id: String,
    pub sender_id: String,
    pub sent_time: i64,
    pub object_name: String,
    pub recalled_at: i64,
    pub can_expand: bool,
    pub expansion: String,
    /// Place in the conversation's cloud history (0: not in it, so it is pruned with the
    /// inbox copies).
    pub conv_seq: u64,
}

impl StoredMessage {
    /// Whether this message is in the conversation `(conversation_type, target_id,
    /// channel_id)` as `user` sees it: private, `user` is one of the two users and
    /// `target_id` the other; group, `target_id` is the group.
    pub(crate) fn is_in(
        &self,
        user: &str,
        conversation_type: u32,
        target_id: &str,
        channel_id: &str,
    ) -> bool {
        if self.conversation_type != conversation_type || self.channel_id != channel_id {
            return false;
        }
        match conversation_type {
            PRIVATE => {
                (self.sender_id == user && self.to_id == target_id)
                    || (self.to_id == user && self.sender_id == target_id)
            }
            GROUP => self.to_id == target_id,
            _ => false,
        }
    }
}

/// The message `uid`, if stored.
pub(crate) fn find_message(c: &Db, uid: &str) -> anyhow::Result<Option<StoredMessage>> {
    find(c, uid, FIND)
}

/// [`find_message`] for a write that changes the message (recall, expansion): on
/// PostgreSQL the row is locked until the commit, so a change made by another node at the
/// same time waits for this one instead of overwriting it.
pub(crate) fn find_message_for_update(c: &Db, uid: &str) -> anyhow::Result<Option<StoredMessage>> {
    match c.dialect() {
        Dialect::Sqlite => find(c, uid, FIND),
        Dialect::Postgres => find(c, uid, FIND_FOR_UPDATE),
    }
}

const FIND: &str = "SELECT id, conversation_type, to_id, channel_id, sender_id, sent_time, \
    object_name, recalled_at, can_expand, expansion, conv_seq FROM messages WHERE uid = ?1";
const FIND_FOR_UPDATE: &str = "SELECT id, conversation_type, to_id, channel_id, sender_id, \
    sent_time, object_name, recalled_at, can_expand, expansion, conv_seq FROM messages \
    WHERE uid = ?1 FOR UPDATE";

fn find(c: &Db, uid: &str, sql: &str) -> anyhow::Result<Option<StoredMessage>> {
    Ok(c.prepare_cached(sql)?
        .query_row([uid], |r| {
            Ok(StoredMessage {
                id: r.get(0)?,
                conversation_type: r.get(1)?,
                to_id: r.get(2)?,
                channel_id: r.get(3)?,
                sender_id: r.get(4)?,
                sent_time: r.get(5)?,
                object_name: r.get(6)?,
                recalled_at: r.get(7)?,
                can_expand: r.get(8)?,
                expansion: r.get(9)?,
                conv_seq: r.get::<_, i64>(10)?.max(0) as u64,
            })
        })
        .optional()?)
}

/// Who may see and act on group message `m` when it is outside its conversation's history
/// (`conv_seq` 0: directed, or not persisted): its sender and the users whose inbox holds
/// it, exactly who received it (such a message is pruned with its inbox copies). `None` for
/// a history message and a private one, whose participants are the conversation's. A
/// directed message's receipts and expansion changes must not reach, nor be made by, the
/// members it was not addressed to: to them it is an unknown message.
pub(crate) fn audience_outside_history(
    c: &Db,
    m: &StoredMessage,
) -> anyhow::Result<Option<Vec<String>>> {
    if m.conversation_type != GROUP || m.conv_seq > 0 {
        return Ok(None);
    }
    let mut audience = vec![m.sender_id.clone()];
    let holders = c
        .prepare_cached("SELECT DISTINCT user_id FROM inbox WHERE msg_id = ?1")?
        .query_map([m.id], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    audience.extend(holders.into_iter().filter(|h| *h != m.sender_id));
    Ok(Some(audience))
}
