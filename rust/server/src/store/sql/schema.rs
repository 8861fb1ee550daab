//! The SQLite schema: connection settings and numbered migrations.
//!
//! Migration 1:
//! * `users(user_id, name, portrait, created_at, tokens_valid_after)`
//! * `messages(id, uid, ...)`: one row per message, shared by all inboxes that hold it
//! * `inbox(user_id, seq, msg_id, created_at)`: the dense per-user sequence
//! * `inbox_heads(user_id, head)`: highest sequence ever assigned (survives pruning; the
//!   writer keeps the heads in memory and writes them once per batch, see `heads.rs`)
//! * `dedupe(sender_id, client_msg_id, uid, sent_time, created_at)`: original acks for resends
//!
//! Migration 2: `groups(group_id, name, created_at)`, `group_members(group_id, user_id,
//! joined_at)`. A group message is stored once and appended to every member's inbox in the
//! same transaction, all or nothing. `joined_at` is after every message sent to the group before the join, and
//! no later than any message sent after it (`apply::join_time`).
//!
//! Migration 3: `messages.recalled_at` (0 = not recalled) and `inbox.event`: an inbox row that
//! is not a message (`msg_id` 0) carries its encoded `InboxEntry` body there (a recall).
//!
//! Migration 4: `request_log(user_id, request_id, kind, result, created_at)`: the state-changing
//! client requests already executed (other than sends, which `dedupe` covers), so a resend is
//! answered with the original result and changes nothing. Pruned with the offline retention.
//!
//! Migration 5: `messages.custom` (0/1): the message is of a custom type (`Message.custom`),
//! kept so sync forwards the flag like the live push.
//!
//! Migration 6 (cloud history, expansion, per-user visibility):
//! * `messages.conv_key` (the conversation, `model::conversation_key`) and `messages.conv_seq`
//!   (1, 2, 3, ... per conversation for history messages: persisted, not directed; 0 = not in
//!   the history, and for every row stored before this migration), indexed per conversation by
//!   sequence and by sent time; `conv_heads(conv_key, head)`: the highest sequence assigned
//!   (survives pruning).
//! * `messages.can_expand`, `messages.expansion` (JSON `{key: {v, ts}}`, see
//!   `crate::expansion`), `messages.push_options` (JSON text).
//! * `hidden_messages(user_id, msg_id, created_at)`: messages a user deleted from their view;
//!   `history_cleared(user_id, conv_key, before_time)`: a user's clear time per conversation.
//! * A user's inbox copy of a message they deleted becomes a tombstone (`msg_id` 0, no event):
//!   its sequence stays (inboxes stay dense) and sync skips it.
//!
//! Migration 7: index `inbox(user_id, created_at)` (with the key's `seq` after them), so the
//! offline compensation start of a connect ([`super::history::read_seq_before`]) is one index
//! seek instead of a backwards scan of the user's recent entries.
//!
//! Migration 8 (user settings, never pruned; see [`super::settings`]):
//! `settings_versions(user_id, version)`, `conversation_settings(user_id, conversation_type,
//! target_id, channel_id, top, level, operation_time)` (only conversations not at the
//! defaults), `type_levels(user_id, conversation_type, level)`, `quiet_hours(user_id,
//! start_time, span_minutes, level, utc_offset_minutes)`, `blacklist(user_id, blocked_id,
//! created_at)`.
//! Migration 9 (moderation and group read receipts):
//! * `sensitive_words(word, replace_word, created_at)`: `replace_word` NULL = the word blocks a
//!   message; the word is unique regardless of ASCII case (`COLLATE NOCASE`).
//! * `user_bans(user_id, until)` and `group_gags(group_id, user_id, until, created_at)`: a ban
//!   or gag ends at `until` (ms; `i64::MAX` = permanent gag); expired rows are ignored by reads
//!   and deleted by the next change.
//! * `receipt_requests(uid, sent_time, requested_at)`: the group messages whose sender asked
//!   for read receipts; `receipt_responses(uid, user_id, time)`: the first response of each
//!   member. Pruned with the cloud history (by the message's sent time).
//!
//! Migration 10 (offline push; see [`super::push`]), never pruned:
//! * `push_devices(user_id, device_id, provider, token, enabled, badge, updated_at)`: each
//!   device's registration from its last connect with a token (`provider` as on the wire);
//!   a token is unique per provider (it moves to the device that registered it last);
//!   `enabled` 0 after `Disconnect{receive_push: false}`; `badge` = pushes since the device
//!   last connected; `updated_at` = when it last connected (ms); at most `MAX_PUSH_DEVICES`
//!   rows per user.
//! * `push_settings(user_id, language, hide_content, receive_while_desktop_online)`: only
//!   users with a push setting other than the defaults ("", 0, 0).
//! * `push_templates(template_id, language, title, content, position)`: one row per language
//!   of a template, `position` keeping the order they were given in.
//!
//! Migration 11 (chatrooms; see [`super::chatroom`]):
//! * `chatrooms(room_id, name, created_at, auto_destroy, idle_minutes)`: the rooms (members
//!   and recent messages live in memory only); `idle_minutes` 0 = the server's setting.
//! * `chatroom_messages(room_id, sent_time, uid, message)`: messages persisted in a room's
//!   history, `message` the encoded `Message`; pruned by sent time (chatroom retention) and
//!   deleted with their room.
//!
//! Migration 12 (chatroom KV and moderation; see [`super::chatroom_kv`]), never pruned (a
//! destroyed room's rows are deleted with it):
//! * `chatroom_entries(room_id, key, value, owner, auto_delete, set_time)`: the KV entries of
//!   each room; `owner` is the user who set the entry last.
//! * `chatroom_restrictions(room_id, kind, user_id, until, created_at)`: per-room gags (kind
//!   1), blocks (2) and protected members (3, `until` = `i64::MAX`); expired rows are ignored
//!   by reads and deleted by the next restriction.
//!
//! Migration 13 (ultra-group channel streams; see [`super::ultragroup_stream`]):
//! * `ug_stream_heads(group_id, channel_id, conv_head, change_head, last_sent)`: each channel's
//!   counters (survive pruning, so sequences continue) and its newest sent time (sent times
//!   are strictly increasing per channel).
//! * `ug_messages(id, group_id, channel_id, uid, conv_seq, change_seq, first_seq, sender_id,
//!   sent_time, counted, directed, mention, recalled, message, expansion)`: each channel
//!   message once, `message` the encoded `Message` as it is now (without its expansion, kept
//!   as JSON with the times in `expansion`); `conv_seq` 0 for directed messages (not in the
//!   history); `first_seq` the `change_seq` it was stored with (a later one = changed since);
//!   `mention` 0 none, 1 "@all", 2 the users in `ug_mentions`. Partial indexes keep the hot
//!   reads bounded: history messages by time, mentioning messages by time, changed messages
//!   by change. Pruned by sent time (`--ultragroup-retention-days`); a deleted channel's or
//!   dismissed group's rows go with it.
//! * `ug_directed(msg_id, user_id)` and `ug_mentions(msg_id, user_id)`: the readers of a
//!   directed message and the users a message mentions, deleted with their message.
//! * `ug_user_channels(user_id, group_id, channel_id, read_sent, read_seq, read_time,
//!   cleared_before)`: a user's read position (the sent time and history head of the
//!   channel's newest message when they synced the read status, at `read_time`) and what they cleared; deleted when the user quits the
//!   group or the channel or group is deleted.
//!
//! Migration 14: the ultra-group directory (groups, members, channels, private-channel
//! members, mutes, allow lists, default levels); see [`super::ultragroup_directory`].
//!
//! Migration 15: `meta(key, value)`: the inbox epoch (`inbox_epoch`) and the number of write
//! batches ever committed (`commits`); see [`super::epoch`].
//!
//! Migration 16 (so a prune step reads only the rows it deletes; see [`super::prune`]):
//! `messages(sent_time)` split into two partial indexes, `messages_offline_sent` (`conv_seq =
//! 0`: pruned with the offline retention) and `messages_history_sent` (`conv_seq > 0`: with
//! the cloud history), instead of one index where each prune skips the other kind's rows; and
//! `history_cleared(before_time)`.

use super::db::Db;
use crate::config::StorageConfig;
use anyhow::Context as _;
use rusqlite::Connection;
use std::path::Path;

/// Database file name under the data directory.
pub(crate) const DB_FILE: &str = "rcim.sqlite3";

/// A read connection (and the base of the writer's).
pub(crate) fn open_conn(path: &Path) -> anyhow::Result<Db> {
    Ok(Db::sqlite(open_sqlite(path)?))
}

fn open_sqlite(path: &Path) -> anyhow::Result<Connection> {
    let conn = Connection::open(path).with_context(|| format!("opening {}", path.display()))?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    Ok(conn)
}

/// Turns off SQLite's memory statistics for the whole process: they take a process-wide
/// mutex around every SQLite allocation, and nothing here reads them. Returns whether it took
/// effect (not if SQLite was already initialised).
///
/// # Safety
///
/// `sqlite3_config` must not run while another thread uses SQLite: call this first in `main`,
/// before any other thread exists.
pub unsafe fn disable_sqlite_memory_statistics() -> bool {
    // SAFETY: the caller guarantees no concurrent SQLite use; MEMSTATUS takes one int, and
    // after initialisation the call changes nothing and returns SQLITE_MISUSE.
    let rc = unsafe {
        rusqlite::ffi::sqlite3_config(
            rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS,
            0 as std::os::raw::c_int,
        )
    };
    rc == rusqlite::ffi::SQLITE_OK
}

/// The writer's connection: [`open_conn`] plus the durability of commits and the WAL bounds
/// of `storage` (both only matter where commits and checkpoints happen).
pub(crate) fn open_writer(path: &Path, storage: &StorageConfig) -> anyhow::Result<Db> {
    let conn = open_sqlite(path)?;
    conn.pragma_update(None, "synchronous", storage.synchronous.pragma())?;
    conn.pragma_update(None, "wal_autocheckpoint", storage.wal_autocheckpoint_pages)?;
    let limit = i64::try_from(storage.wal_size_limit_bytes).unwrap_or(i64::MAX);
    conn.pragma_update(None, "journal_size_limit", limit)?;
    // Savepoints keep their journal in memory, and the pages a batch touches stay cached
    // instead of being read back from the file (64 MiB).
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "cache_size", -65_536)?;
    Ok(Db::sqlite(conn))
}

/// Numbered migrations; `PRAGMA user_version` records the last one applied.
const MIGRATIONS: &[&str] = &[
    // 1: users, messages, inboxes, dedupe.
    "CREATE TABLE users (
        user_id TEXT PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        portrait TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        tokens_valid_after INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        conversation_type INTEGER NOT NULL,
        to_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        sender_id TEXT NOT NULL,
        object_name TEXT NOT NULL,
        content TEXT NOT NULL,
        sent_time INTEGER NOT NULL,
        client_msg_id TEXT NOT NULL,
        persisted INTEGER NOT NULL,
        counted INTEGER NOT NULL,
        push_content TEXT NOT NULL,
        push_data TEXT NOT NULL
    );
    CREATE INDEX messages_sent_time ON messages(sent_time);
    CREATE TABLE inbox (
        user_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        msg_id INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, seq)
    ) WITHOUT ROWID;
    CREATE INDEX inbox_created_at ON inbox(created_at);
    CREATE TABLE inbox_heads (
        user_id TEXT PRIMARY KEY,
        head INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE dedupe (
        sender_id TEXT NOT NULL,
        client_msg_id TEXT NOT NULL,
        uid TEXT NOT NULL,
        sent_time INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (sender_id, client_msg_id)
    ) WITHOUT ROWID;
    CREATE INDEX dedupe_created_at ON dedupe(created_at);",
    // 2: groups and their members.
    "CREATE TABLE groups (
        group_id TEXT PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE group_members (
        group_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        joined_at INTEGER NOT NULL,
        PRIMARY KEY (group_id, user_id)
    ) WITHOUT ROWID;
    CREATE INDEX group_members_user ON group_members(user_id);",
    // 3: recalls (a recalled message and non-message inbox entries).
    "ALTER TABLE messages ADD COLUMN recalled_at INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE inbox ADD COLUMN event BLOB;
    CREATE INDEX inbox_msg ON inbox(msg_id);",
    // 4: executed client requests (idempotency by request id).
    "CREATE TABLE request_log (
        user_id TEXT NOT NULL,
        request_id TEXT NOT NULL,
        kind INTEGER NOT NULL,
        result INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, request_id)
    ) WITHOUT ROWID;
    CREATE INDEX request_log_created_at ON request_log(created_at);",
    // 5: the custom-type flag of a message.
    "ALTER TABLE messages ADD COLUMN custom INTEGER NOT NULL DEFAULT 0;",
    // 6: cloud history, expansion, push options, per-user deletion and clearing.
    "ALTER TABLE messages ADD COLUMN conv_key TEXT NOT NULL DEFAULT '';
    ALTER TABLE messages ADD COLUMN conv_seq INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE messages ADD COLUMN can_expand INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE messages ADD COLUMN expansion TEXT NOT NULL DEFAULT '';
    ALTER TABLE messages ADD COLUMN push_options TEXT NOT NULL DEFAULT '';
    CREATE INDEX messages_history_seq ON messages(conv_key, conv_seq) WHERE conv_seq > 0;
    CREATE INDEX messages_history_time ON messages(conv_key, sent_time) WHERE conv_seq > 0;
    CREATE TABLE conv_heads (
        conv_key TEXT PRIMARY KEY,
        head INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE hidden_messages (
        user_id TEXT NOT NULL,
        msg_id INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, msg_id)
    ) WITHOUT ROWID;
    CREATE INDEX hidden_messages_created_at ON hidden_messages(created_at);
    CREATE TABLE history_cleared (
        user_id TEXT NOT NULL,
        conv_key TEXT NOT NULL,
        before_time INTEGER NOT NULL,
        PRIMARY KEY (user_id, conv_key)
    ) WITHOUT ROWID;",
    // 7: the offline compensation start found by time within one user's inbox.
    "CREATE INDEX inbox_user_created ON inbox(user_id, created_at);",
    // 8: user settings.
    "CREATE TABLE settings_versions (
        user_id TEXT PRIMARY KEY,
        version INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE conversation_settings (
        user_id TEXT NOT NULL,
        conversation_type INTEGER NOT NULL,
        target_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        top INTEGER NOT NULL,
        level INTEGER NOT NULL,
        operation_time INTEGER NOT NULL,
        PRIMARY KEY (user_id, conversation_type, target_id, channel_id)
    ) WITHOUT ROWID;
    CREATE TABLE type_levels (
        user_id TEXT NOT NULL,
        conversation_type INTEGER NOT NULL,
        level INTEGER NOT NULL,
        PRIMARY KEY (user_id, conversation_type)
    ) WITHOUT ROWID;
    CREATE TABLE quiet_hours (
        user_id TEXT PRIMARY KEY,
        start_time TEXT NOT NULL,
        span_minutes INTEGER NOT NULL,
        level INTEGER NOT NULL,
        utc_offset_minutes INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE blacklist (
        user_id TEXT NOT NULL,
        blocked_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, blocked_id)
    ) WITHOUT ROWID;",
    // 9: sensitive words, user bans, group gags, group read receipts.
    "CREATE TABLE sensitive_words (
        word TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
        replace_word TEXT,
        created_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE user_bans (
        user_id TEXT PRIMARY KEY,
        until INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE group_gags (
        group_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        until INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (group_id, user_id)
    ) WITHOUT ROWID;
    CREATE TABLE receipt_requests (
        uid TEXT PRIMARY KEY,
        sent_time INTEGER NOT NULL,
        requested_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX receipt_requests_sent_time ON receipt_requests(sent_time);
    CREATE TABLE receipt_responses (
        uid TEXT NOT NULL,
        user_id TEXT NOT NULL,
        time INTEGER NOT NULL,
        PRIMARY KEY (uid, user_id)
    ) WITHOUT ROWID;",
    // 10: push devices, push settings, push templates.
    "CREATE TABLE push_devices (
        user_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        provider INTEGER NOT NULL,
        token TEXT NOT NULL,
        enabled INTEGER NOT NULL,
        badge INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, device_id)
    ) WITHOUT ROWID;
    CREATE UNIQUE INDEX push_devices_token ON push_devices(provider, token);
    CREATE TABLE push_settings (
        user_id TEXT PRIMARY KEY,
        language TEXT NOT NULL,
        hide_content INTEGER NOT NULL,
        receive_while_desktop_online INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE push_templates (
        template_id TEXT NOT NULL,
        language TEXT NOT NULL,
        title TEXT NOT NULL,
        content TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (template_id, language)
    ) WITHOUT ROWID;",
    // 11: chatrooms and their stored messages.
    "CREATE TABLE chatrooms (
        room_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        auto_destroy INTEGER NOT NULL,
        idle_minutes INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE chatroom_messages (
        room_id TEXT NOT NULL,
        sent_time INTEGER NOT NULL,
        uid TEXT NOT NULL,
        message BLOB NOT NULL,
        PRIMARY KEY (room_id, sent_time, uid)
    ) WITHOUT ROWID;
    CREATE INDEX chatroom_messages_sent_time ON chatroom_messages(sent_time);",
    // 12: chatroom KV entries and per-room moderation lists.
    "CREATE TABLE chatroom_entries (
        room_id TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        owner TEXT NOT NULL,
        auto_delete INTEGER NOT NULL,
        set_time INTEGER NOT NULL,
        PRIMARY KEY (room_id, key)
    ) WITHOUT ROWID;
    CREATE TABLE chatroom_restrictions (
        room_id TEXT NOT NULL,
        kind INTEGER NOT NULL,
        user_id TEXT NOT NULL,
        until INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (room_id, kind, user_id)
    ) WITHOUT ROWID;
    CREATE INDEX chatroom_restrictions_until ON chatroom_restrictions(until);",
    // 13: ultra-group channel streams.
    "CREATE TABLE ug_stream_heads (
        group_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        conv_head INTEGER NOT NULL,
        change_head INTEGER NOT NULL,
        last_sent INTEGER NOT NULL,
        PRIMARY KEY (group_id, channel_id)
    ) WITHOUT ROWID;
    CREATE TABLE ug_messages (
        id INTEGER PRIMARY KEY,
        group_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        uid TEXT NOT NULL,
        conv_seq INTEGER NOT NULL,
        change_seq INTEGER NOT NULL,
        first_seq INTEGER NOT NULL,
        sender_id TEXT NOT NULL,
        sent_time INTEGER NOT NULL,
        counted INTEGER NOT NULL,
        directed INTEGER NOT NULL,
        mention INTEGER NOT NULL,
        recalled INTEGER NOT NULL,
        message BLOB NOT NULL,
        expansion TEXT NOT NULL
    );
    CREATE UNIQUE INDEX ug_messages_uid ON ug_messages(uid);
    CREATE INDEX ug_messages_change ON ug_messages(group_id, channel_id, change_seq);
    CREATE INDEX ug_messages_sent ON ug_messages(group_id, channel_id, sent_time);
    CREATE INDEX ug_messages_history ON ug_messages(group_id, channel_id, sent_time)
        WHERE conv_seq > 0;
    CREATE INDEX ug_messages_mention ON ug_messages(group_id, channel_id, sent_time)
        WHERE mention > 0;
    CREATE INDEX ug_messages_changed ON ug_messages(group_id, channel_id, change_seq)
        WHERE change_seq > first_seq;
    CREATE TABLE ug_directed (
        msg_id INTEGER NOT NULL,
        user_id TEXT NOT NULL,
        PRIMARY KEY (msg_id, user_id)
    ) WITHOUT ROWID;
    CREATE TABLE ug_mentions (
        msg_id INTEGER NOT NULL,
        user_id TEXT NOT NULL,
        PRIMARY KEY (msg_id, user_id)
    ) WITHOUT ROWID;
    CREATE TABLE ug_user_channels (
        user_id TEXT NOT NULL,
        group_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        read_sent INTEGER NOT NULL,
        read_seq INTEGER NOT NULL,
        read_time INTEGER NOT NULL,
        cleared_before INTEGER NOT NULL,
        PRIMARY KEY (user_id, group_id, channel_id)
    ) WITHOUT ROWID;
    CREATE INDEX ug_user_channels_channel ON ug_user_channels(group_id, channel_id);",
    // 14: the ultra-group directory.
    super::ultragroup_directory::MIGRATION,
    // 15: the inbox epoch and the commit counter.
    super::epoch::MIGRATION,
    // 16: the prune's indexes.
    "CREATE INDEX messages_offline_sent ON messages(sent_time) WHERE conv_seq = 0;
    CREATE INDEX messages_history_sent ON messages(sent_time) WHERE conv_seq > 0;
    DROP INDEX messages_sent_time;
    CREATE INDEX history_cleared_before ON history_cleared(before_time);",
];

pub(crate) fn migrate(db: &mut Db) -> anyhow::Result<()> {
    let conn = db
        .as_sqlite_mut()
        .context("the SQLite migrations need a SQLite connection")?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate() {
        let n = i as i64 + 1;
        if n <= version {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(sql)
            .with_context(|| format!("migration {n}"))?;
        tx.pragma_update(None, "user_version", n)?;
        tx.commit()?;
        tracing::info!(migration = n, "database migrated");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcim_proto::v1::inbox_entry;

    /// The writer commits with `synchronous=FULL` (2: fsync on every commit) unless told
    /// `Normal` (1); read connections never commit, so they keep NORMAL.
    #[test]
    fn the_writer_syncs_as_configured() {
        use crate::config::Synchronous;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE);
        let synchronous = |c: &Db| -> i64 {
            c.as_sqlite()
                .unwrap()
                .pragma_query_value(None, "synchronous", |r| r.get(0))
                .unwrap()
        };
        let writer = open_writer(&path, &StorageConfig::default()).unwrap();
        assert_eq!(synchronous(&writer), 2, "FULL by default");
        let normal = StorageConfig {
            synchronous: Synchronous::Normal,
            ..StorageConfig::default()
        };
        assert_eq!(synchronous(&open_writer(&path, &normal).unwrap()), 1);
        assert_eq!(synchronous(&open_conn(&path).unwrap()), 1);
    }

    /// A database of version 5 with a message migrates; the message syncs with no history
    /// sequence, no expansion and no push options.
    #[test]
    fn migration_6_keeps_existing_rows() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = open_conn(&dir.path().join(DB_FILE)).unwrap();
        for (i, sql) in MIGRATIONS[..5].iter().enumerate() {
            conn.execute_batch(sql).unwrap();
            conn.as_sqlite()
                .unwrap()
                .pragma_update(None, "user_version", i as i64 + 1)
                .unwrap();
        }
        conn.execute_batch(
            "INSERT INTO messages (uid, conversation_type, to_id, channel_id, sender_id, \
             object_name, content, sent_time, client_msg_id, persisted, counted, push_content, \
             push_data) VALUES ('u1', 1, 'b', '', 'a', 'RC:TxtMsg', '{}', 5, 'c', 1, 1, '', '');
             INSERT INTO inbox (user_id, seq, msg_id, created_at) VALUES ('b', 1, 1, 5);
             INSERT INTO inbox_heads (user_id, head) VALUES ('b', 1);",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let version: i64 = conn
            .as_sqlite()
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
        let page = super::super::reads::read_sync(&conn, "b", 0, 0).unwrap();
        let Some(inbox_entry::Body::Message(m)) = &page.entries[0].body else {
            panic!("{page:?}")
        };
        assert_eq!((m.uid.as_str(), m.conv_seq), ("u1", 0));
        assert!(m.expansion.is_empty() && !m.can_expand && m.push_options.is_empty());
    }
}
