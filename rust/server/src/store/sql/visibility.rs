//! Per-user visibility: deleting messages from one's own view (`DeleteMessages`) and clearing
//! a conversation's history up to a time (`ClearHistory`). Neither touches what the other
//! participants see.

use super::db::{params, Db};
use super::heads::HeadCache;
use super::inbox::apply_event;
use super::lookup::find_message;
use crate::model::{Push, UserConversation};
use crate::util::now_ms;
use rcim_proto::v1::{inbox_entry, HistoryCleared, MessagesDeleted};

/// Hides the messages `uids` of `conv` from its user's history and turns their inbox copies
/// into tombstones (the sequence stays, sync skips it); uids that are unknown or of another
/// conversation are ignored. Appends `MessagesDeleted` (with every requested uid, once) to
/// the user's inbox.
pub(crate) fn apply_delete(
    tx: &Db,
    heads: &HeadCache,
    conv: UserConversation,
    mut uids: Vec<String>,
    device_id: String,
) -> anyhow::Result<Vec<Push>> {
    let mut seen = std::collections::HashSet::new();
    uids.retain(|u| seen.insert(u.clone()));
    let now = now_ms();
    let mut hidden = 0usize;
    for uid in &uids {
        let Some(m) = find_message(tx, uid)? else {
            continue;
        };
        if !m.is_in(
            &conv.user_id,
            conv.conversation_type,
            &conv.target_id,
            &conv.channel_id,
        ) {
            continue;
        }
        tx.prepare_cached(
            "INSERT INTO hidden_messages (user_id, msg_id, created_at) \
             VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        )?
        .execute(params![conv.user_id, m.id, now])?;
        tx.prepare_cached(
            "UPDATE inbox SET msg_id = 0 WHERE user_id = ?1 AND msg_id = ?2 AND event IS NULL",
        )?
        .execute(params![conv.user_id, m.id])?;
        hidden += 1;
    }
    tracing::debug!(user = %conv.user_id, requested = uids.len(), hidden, "messages deleted");
    let body = inbox_entry::Body::MessagesDeleted(MessagesDeleted {
        conversation_type: conv.conversation_type,
        target_id: conv.target_id,
        channel_id: conv.channel_id,
        uids,
        device_id,
    });
    apply_event(tx, heads, vec![conv.user_id], body)
}

/// Hides the messages of `conv` sent at or before `before_time` from its user's history (a
/// later clear never un-hides: the highest time is kept); appends `HistoryCleared` to the
/// user's inbox.
pub(crate) fn apply_clear(
    tx: &Db,
    heads: &HeadCache,
    conv: UserConversation,
    before_time: i64,
    device_id: String,
) -> anyhow::Result<Vec<Push>> {
    tx.prepare_cached(
        "INSERT INTO history_cleared (user_id, conv_key, before_time) VALUES (?1, ?2, ?3) \
         ON CONFLICT(user_id, conv_key) DO UPDATE SET \
         before_time = MAX(history_cleared.before_time, excluded.before_time)",
    )?
    .execute(params![conv.user_id, conv.key(), before_time])?;
    let body = inbox_entry::Body::HistoryCleared(HistoryCleared {
        conversation_type: conv.conversation_type,
        target_id: conv.target_id,
        channel_id: conv.channel_id,
        before_time,
        device_id,
    });
    apply_event(tx, heads, vec![conv.user_id], body)
}
