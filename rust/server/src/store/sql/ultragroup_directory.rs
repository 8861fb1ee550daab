//! The ultra-group directory tables (migration 14; never pruned, a dismissed group's rows go
//! with it, and so do the streams of a dismissed group or deleted channel, and a quitting
//! member's read positions):
//! * `ug_groups(group_id, name, created_at, default_level, muted)`;
//! * `ug_members(group_id, user_id, joined_at)`, indexed by user;
//! * `ug_group_channels(group_id, channel_id, private, created_at, default_level, muted)`;
//! * `ug_channel_users(group_id, channel_id, kind, user_id)`: private-channel members (kind
//!   1), mutes (2) and allow lists (3); `channel_id` "" = the whole group (kinds 2 and 3).

use super::db::{params, Db};
use super::ultragroup_prune::{delete_ug_streams, forget_ug_member};
use crate::store::{
    UgChannelRecord, UgDirectorySnapshot, UgDirectoryWrite, UgGroupRecord, UgListKind, UgListRow,
};

/// Migration 14: the directory tables.
pub(super) const MIGRATION: &str = "CREATE TABLE ug_groups (
        group_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        default_level INTEGER NOT NULL,
        muted INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE ug_members (
        group_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        joined_at INTEGER NOT NULL,
        PRIMARY KEY (group_id, user_id)
    ) WITHOUT ROWID;
    CREATE INDEX ug_members_user ON ug_members(user_id);
    CREATE TABLE ug_group_channels (
        group_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        private INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        default_level INTEGER NOT NULL,
        muted INTEGER NOT NULL,
        PRIMARY KEY (group_id, channel_id)
    ) WITHOUT ROWID;
    CREATE TABLE ug_channel_users (
        group_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        kind INTEGER NOT NULL,
        user_id TEXT NOT NULL,
        PRIMARY KEY (group_id, channel_id, kind, user_id)
    ) WITHOUT ROWID;";

fn insert_channel(c: &Db, ch: &UgChannelRecord) -> super::db::SqlResult<usize> {
    c.prepare_cached(
        "INSERT INTO ug_group_channels (group_id, channel_id, private, created_at, \
         default_level, muted) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
    )?
    .execute(params![
        ch.group_id,
        ch.channel_id,
        ch.private,
        ch.created_at,
        ch.default_level,
        ch.muted
    ])
}

/// Adds `user` to `group` joined at `at`, or at the group's newest sent time when a burst ran
/// the streams' sent times ahead of the clock (sent times are `max(now, last + 1)`): unread
/// counts start after the join time, so a message sent before the join must not look newer
/// than it. One millisecond back from `at`, so a message sent in the join's millisecond counts
/// as unread rather than vanish.
fn insert_member(c: &Db, group: &str, user: &str, at: i64) -> super::db::SqlResult<usize> {
    c.prepare_cached(
        "INSERT INTO ug_members (group_id, user_id, joined_at) VALUES (?1, ?2, \
         MAX(CAST(?3 AS BIGINT) - 1, COALESCE((SELECT MAX(last_sent) FROM ug_stream_heads WHERE group_id = ?1), 0))) ON CONFLICT DO NOTHING",
    )?
    .execute(params![group, user, at])
}

/// Applies one directory change.
pub(crate) fn apply_ug_directory_write(c: &Db, op: UgDirectoryWrite) -> anyhow::Result<()> {
    match op {
        UgDirectoryWrite::CreateGroup {
            group,
            default_channel,
            creator,
        } => {
            c.prepare_cached(
                "INSERT INTO ug_groups (group_id, name, created_at, default_level, \
                 muted) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
            )?
            .execute(params![
                group.group_id,
                group.name,
                group.created_at,
                group.default_level,
                group.muted
            ])?;
            insert_channel(c, &default_channel)?;
            insert_member(c, &group.group_id, &creator, group.created_at)?;
        }
        UgDirectoryWrite::DeleteGroup(group) => {
            for table in [
                "ug_groups",
                "ug_members",
                "ug_group_channels",
                "ug_channel_users",
            ] {
                c.prepare_cached(&format!("DELETE FROM {table} WHERE group_id = ?1"))?
                    .execute([&group])?;
            }
            delete_ug_streams(c, &group, None)?;
        }
        UgDirectoryWrite::Rename { group_id, name } => {
            c.prepare_cached("UPDATE ug_groups SET name = ?2 WHERE group_id = ?1")?
                .execute(params![group_id, name])?;
        }
        UgDirectoryWrite::Join {
            group_id,
            users,
            joined_at,
        } => {
            for u in &users {
                insert_member(c, &group_id, u, joined_at)?;
            }
        }
        UgDirectoryWrite::Quit { group_id, users } => {
            for u in &users {
                c.prepare_cached("DELETE FROM ug_members WHERE group_id = ?1 AND user_id = ?2")?
                    .execute(params![group_id, u])?;
                c.prepare_cached(
                    "DELETE FROM ug_channel_users WHERE group_id = ?1 AND user_id = ?2",
                )?
                .execute(params![group_id, u])?;
                forget_ug_member(c, &group_id, u)?;
            }
        }
        UgDirectoryWrite::CreateChannel(ch) => {
            insert_channel(c, &ch)?;
        }
        UgDirectoryWrite::DeleteChannel {
            group_id,
            channel_id,
        } => {
            for table in ["ug_group_channels", "ug_channel_users"] {
                c.prepare_cached(&format!(
                    "DELETE FROM {table} WHERE group_id = ?1 AND channel_id = ?2"
                ))?
                .execute(params![group_id, channel_id])?;
            }
            delete_ug_streams(c, &group_id, Some(&channel_id))?;
        }
        UgDirectoryWrite::SetChannelPrivate {
            group_id,
            channel_id,
            private,
        } => {
            c.prepare_cached(
                "UPDATE ug_group_channels SET private = ?3 WHERE group_id = ?1 AND channel_id = ?2",
            )?
            .execute(params![group_id, channel_id, private])?;
        }
        UgDirectoryWrite::List {
            group_id,
            channel_id,
            kind,
            users,
            add,
        } => {
            let sql = if add {
                "INSERT INTO ug_channel_users (group_id, channel_id, kind, user_id) \
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING"
            } else {
                "DELETE FROM ug_channel_users WHERE group_id = ?1 AND channel_id = ?2 \
                 AND kind = ?3 AND user_id = ?4"
            };
            let mut stmt = c.prepare_cached(sql)?;
            for u in &users {
                stmt.execute(params![group_id, channel_id, kind as i64, u])?;
            }
        }
        UgDirectoryWrite::SetMuted {
            group_id,
            channel_id,
            muted,
        } => {
            if channel_id.is_empty() {
                c.prepare_cached("UPDATE ug_groups SET muted = ?2 WHERE group_id = ?1")?
                    .execute(params![group_id, muted])?;
            } else {
                c.prepare_cached(
                    "UPDATE ug_group_channels SET muted = ?3 WHERE group_id = ?1 AND channel_id = ?2",
                )?
                .execute(params![group_id, channel_id, muted])?;
            }
        }
        UgDirectoryWrite::SetDefaultLevel {
            group_id,
            channel_id,
            level,
        } => {
            if channel_id.is_empty() {
                c.prepare_cached("UPDATE ug_groups SET default_level = ?2 WHERE group_id = ?1")?
                    .execute(params![group_id, level])?;
            } else {
                c.prepare_cached(
                    "UPDATE ug_group_channels SET default_level = ?3 \
                     WHERE group_id = ?1 AND channel_id = ?2",
                )?
                .execute(params![group_id, channel_id, level])?;
            }
        }
    }
    Ok(())
}

/// Every row of the directory, in the orders [`UgDirectorySnapshot`] documents.
pub(crate) fn read_ug_directory(c: &Db) -> anyhow::Result<UgDirectorySnapshot> {
    let groups = c
        .prepare(
            "SELECT group_id, name, created_at, default_level, muted FROM ug_groups \
             ORDER BY group_id",
        )?
        .query_map([], |r| {
            Ok(UgGroupRecord {
                group_id: r.get(0)?,
                name: r.get(1)?,
                created_at: r.get(2)?,
                default_level: r.get(3)?,
                muted: r.get(4)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let members = c
        .prepare("SELECT group_id, user_id, joined_at FROM ug_members ORDER BY group_id, user_id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let channels = c
        .prepare(
            "SELECT group_id, channel_id, private, created_at, default_level, muted \
             FROM ug_group_channels ORDER BY group_id, channel_id",
        )?
        .query_map([], |r| {
            Ok(UgChannelRecord {
                group_id: r.get(0)?,
                channel_id: r.get(1)?,
                private: r.get(2)?,
                created_at: r.get(3)?,
                default_level: r.get(4)?,
                muted: r.get(5)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut lists = Vec::new();
    let mut stmt = c.prepare(
        "SELECT group_id, channel_id, kind, user_id FROM ug_channel_users \
         ORDER BY group_id, channel_id, kind, user_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    for row in rows {
        let (group_id, channel_id, kind, user_id) = row?;
        match UgListKind::from_i64(kind) {
            Some(kind) => lists.push(UgListRow {
                group_id,
                channel_id,
                kind,
                user_id,
            }),
            None => tracing::warn!(kind, "skipping an ultra-group list row of unknown kind"),
        }
    }
    Ok(UgDirectorySnapshot {
        groups,
        members,
        channels,
        lists,
    })
}
