//! User settings (migration 8, push settings in [`super::push`]): the writer's changes and
//! the reads of the settings pages.
//!
//! Every change bumps the user's settings version and appends the entry that announces it to
//! the user's own inbox, in the same savepoint, so the version a device reads with the
//! settings and the versions the entries carry always agree. The tables are never pruned, so
//! each user's rows are capped: the blacklist at [`MAX_BLACKLIST`], the conversations with
//! settings at `ServerConfig::max_conversation_settings`.

use super::db::{params, Db, Dialect, Optional};
use super::heads::HeadCache;
use super::inbox::append_inbox;
use super::push::{apply_push_setting, read_push_settings};
use crate::model::{Push, Rejected, SYNC_BYTES};
use crate::settings::{
    SettingChange, SettingsUpdate, BLACKLIST_FULL, LEVEL_NOT_SET, MAX_BLACKLIST, SETTINGS_FULL,
};
use crate::util::now_ms;
use rcim_proto::v1::{
    inbox_entry, user_setting_changed, ChangeConversationSetting, ConversationSetting,
    ConversationSettingState, InboxEntry, QuietHours, UserSettingChanged, UserSettings,
};
use std::collections::HashMap;
use std::sync::Arc;

/// Most conversation settings in one page (a frame holds far more; this keeps a page cheap
/// to build and to apply).
pub(crate) const CONVERSATIONS_PER_PAGE: usize = 200;
/// Most blacklisted ids in one page.
pub(crate) const BLACKLIST_PER_PAGE: usize = 1000;
/// Bytes a repeated field adds to a frame beyond the element's own encoding (tag and length).
const FIELD_OVERHEAD: usize = 4;

/// The settings version of `user_id` (0 = never changed).
pub(crate) fn read_version(c: &Db, user_id: &str) -> anyhow::Result<u64> {
    let v = c
        .prepare_cached("SELECT version FROM settings_versions WHERE user_id = ?1")?
        .query_row([user_id], |r| r.get::<_, i64>(0))
        .optional()?;
    Ok(v.unwrap_or(0).max(0) as u64)
}

/// Whether `owner` blacklisted `user`.
pub(crate) fn is_blacklisted(c: &Db, owner: &str, user: &str) -> anyhow::Result<bool> {
    Ok(
        c.prepare_cached("SELECT 1 FROM blacklist WHERE user_id = ?1 AND blocked_id = ?2")?
            .query_row([owner, user], |_| Ok(()))
            .optional()?
            .is_some(),
    )
}

/// The whole blacklist of `owner`, in page order.
pub(crate) fn read_blacklist(c: &Db, owner: &str) -> anyhow::Result<Vec<String>> {
    let mut stmt = c.prepare_cached(
        "SELECT blocked_id FROM blacklist WHERE user_id = ?1 ORDER BY blocked_id",
    )?;
    let rows = stmt.query_map([owner], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// [`read_version`] for a change: on PostgreSQL the row is locked until the commit (created
/// first, so there is one to lock), so changes made by two nodes at once get versions one
/// after the other.
fn lock_version(c: &Db, user_id: &str) -> anyhow::Result<u64> {
    if c.dialect() == Dialect::Postgres {
        c.execute(
            "INSERT INTO settings_versions (user_id, version) VALUES (?1, 0) \
             ON CONFLICT DO NOTHING",
            [user_id],
        )?;
        let v: i64 = c.query_row(
            "SELECT version FROM settings_versions WHERE user_id = ?1 FOR UPDATE",
            [user_id],
            |r| r.get(0),
        )?;
        return Ok(v.max(0) as u64);
    }
    read_version(c, user_id)
}

/// Applies `update` (see the module docs); returns the entries to push.
pub(crate) fn apply_settings(
    tx: &Db,
    heads: &HeadCache,
    update: SettingsUpdate,
) -> anyhow::Result<Vec<Push>> {
    let user = update.user_id.as_str();
    let mut version = lock_version(tx, user)?;
    let mut pushes = Vec::with_capacity(update.changes.len());
    for change in update.changes {
        version += 1;
        let now = now_ms();
        let body = match change {
            SettingChange::Conversation { change, max_stored } => {
                let mut entry = apply_conversation(tx, user, change, max_stored, now, version)?;
                entry.device_id = update.device_id.clone();
                inbox_entry::Body::ConversationSetting(entry)
            }
            SettingChange::User(change) => {
                apply_user_change(tx, user, &change)?;
                inbox_entry::Body::UserSetting(UserSettingChanged {
                    change: Some(change),
                    device_id: update.device_id.clone(),
                    operation_time: now,
                    settings_version: version,
                })
            }
        };
        let event = prost::Message::encode_to_vec(&InboxEntry {
            seq: 0,
            body: Some(body.clone()),
        });
        // Later changes of this update follow the entries of earlier ones (the heads stage
        // what this command moved).
        let seq = append_inbox(tx, heads, user, 0, Some(&event), now)?;
        pushes.push(Push {
            user_id: user.to_owned(),
            seq,
            body: Arc::new(body),
        });
    }
    if !pushes.is_empty() {
        tx.prepare_cached(
            "INSERT INTO settings_versions (user_id, version) VALUES (?1, ?2) \
             ON CONFLICT(user_id) DO UPDATE SET version = excluded.version",
        )?
        .execute(params![user, version as i64])?;
    }
    Ok(pushes)
}

/// Stores a conversation's pin / level change; a conversation back to the defaults (not
/// pinned, no level) is forgotten. [`SETTINGS_FULL`] when a conversation not stored yet
/// would make more than `max_stored` rows of the user's (changing a stored one is always
/// allowed, so is going back to the defaults).
fn apply_conversation(
    tx: &Db,
    user: &str,
    c: ChangeConversationSetting,
    max_stored: usize,
    now: i64,
    version: u64,
) -> anyhow::Result<ConversationSetting> {
    let key = params![user, c.conversation_type, c.target_id, c.channel_id];
    let old = tx
        .prepare_cached(
            "SELECT top, level FROM conversation_settings WHERE user_id = ?1 \
             AND conversation_type = ?2 AND target_id = ?3 AND channel_id = ?4",
        )?
        .query_row(key, |r| Ok((r.get::<_, bool>(0)?, r.get::<_, u32>(1)?)))
        .optional()?;
    let stored = old.is_some();
    let (old_top, old_level) = old.unwrap_or((false, LEVEL_NOT_SET));
    let top = c.top.unwrap_or(old_top);
    let level = c.notification_level.unwrap_or(old_level);
    if !top && level == LEVEL_NOT_SET {
        tx.prepare_cached(
            "DELETE FROM conversation_settings WHERE user_id = ?1 AND conversation_type = ?2 \
             AND target_id = ?3 AND channel_id = ?4",
        )?
        .execute(key)?;
    } else {
        if !stored {
            let n: i64 = tx
                .prepare_cached("SELECT COUNT(*) FROM conversation_settings WHERE user_id = ?1")?
                .query_row([user], |r| r.get(0))?;
            if n as usize >= max_stored {
                return Err(Rejected::err(
                    SETTINGS_FULL,
                    format!("at most {max_stored} conversations with settings"),
                ));
            }
        }
        tx.prepare_cached(
            "INSERT INTO conversation_settings (user_id, conversation_type, target_id, \
             channel_id, top, level, operation_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
             ON CONFLICT(user_id, conversation_type, target_id, channel_id) DO UPDATE SET \
             top = excluded.top, level = excluded.level, operation_time = excluded.operation_time",
        )?
        .execute(params![
            user,
            c.conversation_type,
            c.target_id,
            c.channel_id,
            top,
            level,
            now
        ])?;
    }
    Ok(ConversationSetting {
        conversation_type: c.conversation_type,
        target_id: c.target_id,
        channel_id: c.channel_id,
        top: c.top,
        notification_level: c.notification_level,
        device_id: String::new(), // set by the caller
        operation_time: now,
        settings_version: version,
    })
}

/// Stores a user-level change. 20605 when the blacklist would exceed [`MAX_BLACKLIST`] (the
/// caller's savepoint rolls the whole update back).
fn apply_user_change(
    tx: &Db,
    user: &str,
    change: &user_setting_changed::Change,
) -> anyhow::Result<()> {
    use user_setting_changed::Change;
    match change {
        Change::PushLanguage(_) | Change::PushContentShow(_) | Change::PushReceive(_) => {
            apply_push_setting(tx, user, change)?;
        }
        Change::TypeLevel(t) if t.level == LEVEL_NOT_SET => {
            tx.prepare_cached(
                "DELETE FROM type_levels WHERE user_id = ?1 AND conversation_type = ?2",
            )?
            .execute(params![user, t.conversation_type])?;
        }
        Change::TypeLevel(t) => {
            tx.prepare_cached(
                "INSERT INTO type_levels (user_id, conversation_type, level) VALUES (?1, ?2, ?3) \
                 ON CONFLICT(user_id, conversation_type) DO UPDATE SET level = excluded.level",
            )?
            .execute(params![user, t.conversation_type, t.level])?;
        }
        Change::QuietHours(q) => {
            tx.prepare_cached(
                "INSERT INTO quiet_hours (user_id, start_time, span_minutes, level, \
                 utc_offset_minutes) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(user_id) DO UPDATE \
                 SET start_time = excluded.start_time, span_minutes = excluded.span_minutes, \
                 level = excluded.level, utc_offset_minutes = excluded.utc_offset_minutes",
            )?
            .execute(params![
                user,
                q.start_time,
                q.span_minutes,
                q.level,
                q.utc_offset_minutes
            ])?;
        }
        Change::QuietHoursRemoved(_) => {
            tx.prepare_cached("DELETE FROM quiet_hours WHERE user_id = ?1")?
                .execute([user])?;
        }
        Change::Blacklist(b) if b.blocked => {
            let added = tx
                .prepare_cached(
                    "INSERT INTO blacklist (user_id, blocked_id, created_at) \
                     VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                )?
                .execute(params![user, b.user_id, now_ms()])?;
            if added > 0 {
                let n: i64 = tx
                    .prepare_cached("SELECT COUNT(*) FROM blacklist WHERE user_id = ?1")?
                    .query_row([user], |r| r.get(0))?;
                if n as usize > MAX_BLACKLIST {
                    return Err(Rejected::err(
                        BLACKLIST_FULL,
                        format!("a blacklist holds at most {MAX_BLACKLIST} users"),
                    ));
                }
            }
        }
        Change::Blacklist(b) => {
            tx.prepare_cached("DELETE FROM blacklist WHERE user_id = ?1 AND blocked_id = ?2")?
                .execute([user, b.user_id.as_str()])?;
        }
    }
    Ok(())
}

/// A page of `user_id`'s settings (see `SettingsRequest`), read in one transaction so the
/// version and the lists agree. Pages stop before they would not fit in a frame.
pub(crate) fn read_settings(
    c: &Db,
    user_id: &str,
    conversation_offset: u32,
    blacklist_offset: u32,
) -> anyhow::Result<UserSettings> {
    let tx = c.unchecked_transaction()?;
    let version = read_version(&tx, user_id)?;
    let type_levels = {
        let mut stmt = tx.prepare_cached(
            "SELECT conversation_type, level FROM type_levels WHERE user_id = ?1",
        )?;
        let rows = stmt.query_map([user_id], |r| {
            Ok((r.get::<_, u32>(0)?, r.get::<_, u32>(1)?))
        })?;
        rows.collect::<Result<HashMap<_, _>, _>>()?
    };
    let quiet_hours = tx
        .prepare_cached(
            "SELECT start_time, span_minutes, level, utc_offset_minutes FROM quiet_hours \
             WHERE user_id = ?1",
        )?
        .query_row([user_id], |r| {
            Ok(QuietHours {
                start_time: r.get(0)?,
                span_minutes: r.get(1)?,
                level: r.get(2)?,
                utc_offset_minutes: r.get(3)?,
            })
        })
        .optional()?;
    let mut page = UserSettings {
        version,
        type_levels,
        quiet_hours,
        push: read_push_settings(&tx, user_id)?,
        ..Default::default()
    };
    // Room left for the lists, with generous room for the fixed part.
    let mut room = SYNC_BYTES.saturating_sub(prost::Message::encoded_len(&page) + 256);
    {
        let mut stmt = tx.prepare_cached(
            "SELECT conversation_type, target_id, channel_id, top, level, operation_time \
             FROM conversation_settings WHERE user_id = ?1 \
             ORDER BY conversation_type, target_id, channel_id LIMIT ?2 OFFSET ?3",
        )?;
        let rows = stmt.query_map(
            params![
                user_id,
                CONVERSATIONS_PER_PAGE as i64 + 1,
                conversation_offset
            ],
            |r| {
                Ok(ConversationSettingState {
                    conversation_type: r.get(0)?,
                    target_id: r.get(1)?,
                    channel_id: r.get(2)?,
                    top: r.get(3)?,
                    notification_level: r.get(4)?,
                    operation_time: r.get(5)?,
                })
            },
        )?;
        for row in rows {
            let state = row?;
            let size = prost::Message::encoded_len(&state) + FIELD_OVERHEAD;
            if page.conversations.len() == CONVERSATIONS_PER_PAGE || size > room {
                page.has_more = true;
                break;
            }
            room -= size;
            page.conversations.push(state);
        }
    }
    {
        let mut stmt = tx.prepare_cached(
            "SELECT blocked_id FROM blacklist WHERE user_id = ?1 ORDER BY blocked_id \
             LIMIT ?2 OFFSET ?3",
        )?;
        let rows = stmt.query_map(
            params![user_id, BLACKLIST_PER_PAGE as i64 + 1, blacklist_offset],
            |r| r.get::<_, String>(0),
        )?;
        for row in rows {
            let id = row?;
            let size = id.len() + FIELD_OVERHEAD;
            if page.blacklist.len() == BLACKLIST_PER_PAGE || size > room {
                page.has_more = true;
                break;
            }
            room -= size;
            page.blacklist.push(id);
        }
    }
    tx.finish()?;
    Ok(page)
}
