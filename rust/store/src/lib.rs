//! RCIM client local store: one SQLite database per (app key, user id).
//!
//! * Numbered migrations in `migrations/NNN_name.sql`, embedded in the binary; each runs in its
//!   own transaction together with the `user_version` bump.
//! * WAL journal, one writer (the engine owns the [`Store`] on its database thread).
//! * Derived data (conversation list, unread counts, inbox cursor) is updated in the same
//!   transaction as the messages it derives from, so a crash never leaves them out of step and
//!   listing a page of conversations or messages is O(page).
//!
//! The engine talks to the database only through this crate: no SQL lives elsewhere.

mod migrations;
pub mod outbox;
mod rows;

pub use rows::{
    ConversationKey, ConversationRow, ConversationSettingUpdate, MessageRow, NewMessage, ReadMark,
    RecallUpdate, TimeOrder,
};

use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;

/// Store errors.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file could not be created.
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    /// The database was written by a newer version of RCIM.
    #[error("database schema version {found} is newer than this build supports ({supported})")]
    TooNew {
        /// Version found in the file.
        found: u32,
        /// Highest version this build knows.
        supported: u32,
    },
}

/// Result alias for store operations.
pub type Result<T> = std::result::Result<T, StoreError>;

/// Sent status values (`RCIMIWSentStatus`).
pub mod sent_status {
    /// Waiting for the server's ack.
    pub const SENDING: u8 = 0;
    /// Failed; may be resent.
    pub const FAILED: u8 = 1;
    /// Acknowledged by the server.
    pub const SENT: u8 = 2;
    /// The peer received it.
    pub const RECEIVED: u8 = 3;
    /// The peer read it (private read receipt).
    pub const READ: u8 = 4;
}

/// Received status values (`RCIMIWReceivedStatus`).
pub mod received_status {
    /// Not read yet.
    pub const UNREAD: u8 = 0;
    /// Read.
    pub const READ: u8 = 1;
}

/// Message direction values (`RCIMIWMessageDirection`).
pub mod direction {
    /// Sent by this user.
    pub const SEND: u8 = 0;
    /// Received from someone else.
    pub const RECEIVE: u8 = 1;
}

const CURSOR_KEY: &str = "inbox_cursor";

/// The local database of one user.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and runs pending migrations.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Self::init(conn)
    }

    /// An in-memory database (tests).
    pub fn open_in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Self> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrations::run(&mut conn)?;
        Ok(Self { conn })
    }

    /// The schema version after migrations.
    pub fn schema_version(&self) -> Result<u32> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Stores an outgoing message (status SENDING) and makes it its conversation's last message.
    pub fn insert_outgoing(&mut self, message: &NewMessage) -> Result<MessageRow> {
        let tx = self.conn.transaction()?;
        let id = rows::insert_message(&tx, message)?;
        rows::touch_conversation(&tx, &message.key(), id, message.sent_time, false)?;
        let row = rows::message_by_id(&tx, id)?.expect("row just inserted");
        tx.commit()?;
        Ok(row)
    }

    /// Updates the send result of message `id`. Returns the updated row.
    pub fn update_sent(
        &mut self,
        id: i64,
        status: u8,
        uid: Option<&str>,
        sent_time: Option<i64>,
    ) -> Result<Option<MessageRow>> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE messages SET sent_status = ?2, uid = COALESCE(?3, uid),
                 sent_time = COALESCE(?4, sent_time) WHERE id = ?1",
            params![id, status, uid, sent_time],
        )?;
        let row = rows::message_by_id(&tx, id)?;
        if let Some(row) = &row {
            // The server's time orders the conversation list (the device clock may be off);
            // a draft saved meanwhile keeps the conversation where the draft put it.
            tx.execute(
                "UPDATE conversations
                 SET sort_time = CASE WHEN draft <> '' THEN MAX(sort_time, ?4) ELSE ?4 END
                 WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3
                   AND last_message_id = ?5",
                params![
                    row.conversation_type,
                    row.target_id,
                    row.channel_id,
                    row.sent_time,
                    row.id
                ],
            )?;
        }
        tx.commit()?;
        Ok(row)
    }

    /// Marks every message still SENDING as FAILED (used when the engine gives up on them).
    pub fn fail_pending(&mut self) -> Result<Vec<MessageRow>> {
        let pending = self.pending_outgoing()?;
        self.conn.execute(
            "UPDATE messages SET sent_status = ?1 WHERE sent_status = ?2",
            params![sent_status::FAILED, sent_status::SENDING],
        )?;
        Ok(pending)
    }

    /// Outgoing messages still waiting for an ack, oldest first (to resend after a restart).
    pub fn pending_outgoing(&self) -> Result<Vec<MessageRow>> {
        rows::query_messages(
            &self.conn,
            "SELECT * FROM messages WHERE sent_status = 0 AND direction = 0 ORDER BY id",
            [],
        )
    }

    /// Stores a batch of messages from the server's inbox and moves the inbox cursor to `cursor`,
    /// in one transaction. Messages whose uid is already stored are skipped (a redelivery, or a
    /// message this device sent itself); a message carrying the client id of a local row
    /// completes that row (this device sent it but missed the ack). Returns the rows actually
    /// inserted, in order.
    pub fn apply_inbox(&mut self, messages: &[NewMessage], cursor: u64) -> Result<Vec<MessageRow>> {
        Ok(self.apply_inbox_entries(messages, &[], &[], &[], cursor)?.0)
    }

    /// [`Store::apply_inbox`] plus recalls and read marks, in one transaction: the messages are
    /// stored first (a recall always follows its message in the inbox), then each recall
    /// converts its message (see [`Store::recall_message`]), then the read marks and the
    /// conversation settings apply. Returns the inserted rows (as stored after the recalls) and
    /// the rows converted by a recall (recalls of unknown messages are skipped).
    pub fn apply_inbox_entries(
        &mut self,
        messages: &[NewMessage],
        recalls: &[RecallUpdate],
        marks: &[ReadMark],
        settings: &[ConversationSettingUpdate],
        cursor: u64,
    ) -> Result<(Vec<MessageRow>, Vec<MessageRow>)> {
        let tx = self.conn.transaction()?;
        let mut inserted = Vec::with_capacity(messages.len());
        for message in messages {
            // Our own message whose ack we missed: complete the local row instead.
            if let Some(client_msg_id) = &message.client_msg_id {
                let updated = tx
                    .prepare_cached(
                        "UPDATE messages SET uid = COALESCE(uid, ?2), sent_time = ?3,
                             sent_status = ?4
                         WHERE client_msg_id = ?1",
                    )?
                    .execute(params![
                        client_msg_id,
                        message.uid,
                        message.sent_time,
                        sent_status::SENT
                    ])?;
                if updated > 0 {
                    continue;
                }
            }
            if let Some(uid) = &message.uid {
                let exists: bool = tx
                    .prepare_cached("SELECT 1 FROM messages WHERE uid = ?1")?
                    .exists([uid])?;
                if exists {
                    continue;
                }
            }
            let id = rows::insert_message(&tx, message)?;
            let unread = message.direction == direction::RECEIVE
                && message.counted
                && message.received_status == received_status::UNREAD;
            rows::touch_conversation(&tx, &message.key(), id, message.sent_time, unread)?;
            inserted.push(rows::message_by_id(&tx, id)?.expect("row just inserted"));
        }
        let mut recalled = Vec::with_capacity(recalls.len());
        for recall in recalls {
            if let Some(row) = rows::recall(&tx, recall)? {
                if let Some(pos) = inserted.iter().position(|r| r.id == row.id) {
                    inserted[pos] = row.clone();
                }
                recalled.push(row);
            }
        }
        for mark in marks {
            rows::apply_read_mark(&tx, mark)?;
        }
        for setting in settings {
            rows::apply_setting(&tx, setting)?;
        }
        rows::kv_set(&tx, CURSOR_KEY, &cursor.to_string())?;
        tx.commit()?;
        Ok((inserted, recalled))
    }

    /// Turns the message with server uid `recall.uid` into a recall notification (its type,
    /// object name and content replaced; no longer searchable nor counted). A received
    /// message still unread leaves the unread count. Returns the converted row, or `None`
    /// when no such message is stored. Converting an already converted row changes nothing.
    pub fn recall_message(&mut self, recall: &RecallUpdate) -> Result<Option<MessageRow>> {
        let tx = self.conn.transaction()?;
        let row = rows::recall(&tx, recall)?;
        tx.commit()?;
        Ok(row)
    }

    /// The highest inbox sequence applied locally (0 for a new database).
    pub fn inbox_cursor(&self) -> Result<u64> {
        Ok(self
            .kv_get(CURSOR_KEY)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// Moves the inbox cursor (e.g. back, when the server's inbox was reset).
    pub fn set_inbox_cursor(&mut self, cursor: u64) -> Result<()> {
        rows::kv_set(&self.conn, CURSOR_KEY, &cursor.to_string())
    }

    /// Reads a small state value.
    pub fn kv_get(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM kv WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Writes a small state value.
    pub fn kv_set(&mut self, key: &str, value: &str) -> Result<()> {
        rows::kv_set(&self.conn, key, value)
    }

    /// The message with local id `id`.
    pub fn message(&self, id: i64) -> Result<Option<MessageRow>> {
        rows::message_by_id(&self.conn, id)
    }

    /// The message with server uid `uid`.
    pub fn message_by_uid(&self, uid: &str) -> Result<Option<MessageRow>> {
        Ok(
            rows::query_messages(&self.conn, "SELECT * FROM messages WHERE uid = ?1", [uid])?
                .into_iter()
                .next(),
        )
    }

    /// A page of a conversation's messages around `sent_time` (0 = from the newest for
    /// [`TimeOrder::Before`], from the oldest for [`TimeOrder::After`]).
    /// `Before` returns newest first; `After` returns oldest first.
    pub fn messages(
        &self,
        key: &ConversationKey,
        sent_time: i64,
        order: TimeOrder,
        count: u32,
    ) -> Result<Vec<MessageRow>> {
        let sql = match order {
            TimeOrder::Before => {
                "SELECT * FROM messages WHERE conversation_type = ?1 AND target_id = ?2
                   AND channel_id = ?3 AND (?4 <= 0 OR sent_time < ?4)
                 ORDER BY sent_time DESC, id DESC LIMIT ?5"
            }
            TimeOrder::After => {
                "SELECT * FROM messages WHERE conversation_type = ?1 AND target_id = ?2
                   AND channel_id = ?3 AND sent_time > ?4
                 ORDER BY sent_time ASC, id ASC LIMIT ?5"
            }
        };
        rows::query_messages(
            &self.conn,
            sql,
            params![
                key.conversation_type,
                key.target_id,
                key.channel_id,
                sent_time,
                count
            ],
        )
    }

    /// Number of messages stored for a conversation.
    pub fn message_count(&self, key: &ConversationKey) -> Result<u64> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM messages WHERE conversation_type = ?1 AND target_id = ?2
               AND channel_id = ?3",
            params![key.conversation_type, key.target_id, key.channel_id],
            |r| r.get(0),
        )?)
    }

    /// A page of the conversation list: pinned first, then newest first; `start_time` > 0 returns
    /// only conversations whose last activity is older than it (paging).
    pub fn conversations(
        &self,
        types: &[u32],
        channel_id: &str,
        start_time: i64,
        count: u32,
    ) -> Result<Vec<ConversationRow>> {
        let placeholders = vec!["?"; types.len()].join(",");
        let sql = format!(
            "SELECT * FROM conversations WHERE conversation_type IN ({placeholders})
               AND channel_id = ? AND (? <= 0 OR sort_time < ?)
             ORDER BY top DESC, sort_time DESC LIMIT ?"
        );
        let mut values: Vec<rusqlite::types::Value> =
            types.iter().map(|t| (*t as i64).into()).collect();
        values.push(channel_id.to_string().into());
        values.push(start_time.into());
        values.push(start_time.into());
        values.push((count as i64).into());
        rows::query_conversations(&self.conn, &sql, rusqlite::params_from_iter(values))
    }

    /// One conversation.
    pub fn conversation(&self, key: &ConversationKey) -> Result<Option<ConversationRow>> {
        Ok(rows::query_conversations(
            &self.conn,
            "SELECT * FROM conversations WHERE conversation_type = ?1 AND target_id = ?2
               AND channel_id = ?3",
            params![key.conversation_type, key.target_id, key.channel_id],
        )?
        .into_iter()
        .next())
    }

    /// Unread count of one conversation (0 when it does not exist).
    pub fn unread_count(&self, key: &ConversationKey) -> Result<u64> {
        Ok(self.conversation(key)?.map_or(0, |c| c.unread_count))
    }

    /// Sum of unread counts of all conversations with `channel_id`.
    pub fn total_unread_count(&self, channel_id: &str) -> Result<u64> {
        Ok(self.conn.query_row(
            "SELECT COALESCE(SUM(unread_count), 0) FROM conversations WHERE channel_id = ?1",
            [channel_id],
            |r| r.get(0),
        )?)
    }

    /// Marks messages sent at or before `timestamp` as read (`timestamp` <= 0: all) and
    /// recomputes the conversation's unread count. Returns false when there is no such
    /// conversation.
    pub fn clear_unread(&mut self, key: &ConversationKey, timestamp: i64) -> Result<bool> {
        let tx = self.conn.transaction()?;
        let exists = rows::clear_unread(&tx, key, timestamp)?;
        tx.commit()?;
        Ok(exists)
    }

    /// Removes a conversation from the list (its messages stay, as in IMLib).
    pub fn remove_conversation(&mut self, key: &ConversationKey) -> Result<bool> {
        let changed = self.conn.execute(
            "DELETE FROM conversations WHERE conversation_type = ?1 AND target_id = ?2
               AND channel_id = ?3",
            params![key.conversation_type, key.target_id, key.channel_id],
        )?;
        Ok(changed > 0)
    }

    /// The oldest received, unread message of a conversation that counts towards its unread
    /// count (`getFirstUnreadMessage`), or `None`.
    pub fn first_unread_message(&self, key: &ConversationKey) -> Result<Option<MessageRow>> {
        Ok(rows::query_messages(
            &self.conn,
            "SELECT * FROM messages WHERE conversation_type = ?1 AND target_id = ?2
               AND channel_id = ?3 AND direction = 1 AND received_status = 0 AND counted = 1
             ORDER BY sent_time ASC, id ASC LIMIT 1",
            params![key.conversation_type, key.target_id, key.channel_id],
        )?
        .into_iter()
        .next())
    }

    /// Sum of the unread counts of the conversations of `types` (chatrooms never count) with
    /// `channel_id`. `contain` = also count conversations whose notification level mutes them
    /// (see [`notification_level::is_muted`]).
    pub fn unread_count_by_types(
        &self,
        types: &[u32],
        channel_id: &str,
        contain: bool,
    ) -> Result<u64> {
        let placeholders = vec!["?"; types.len()].join(",");
        let sql = format!(
            "SELECT COALESCE(SUM(unread_count), 0) FROM conversations
             WHERE conversation_type IN ({placeholders}) AND conversation_type <> 3
               AND channel_id = ? AND (? OR notification_level NOT BETWEEN {} AND {})",
            notification_level::MUTED.start(),
            notification_level::MUTED.end(),
        );
        let mut values: Vec<rusqlite::types::Value> =
            types.iter().map(|t| (*t as i64).into()).collect();
        values.push(channel_id.to_string().into());
        values.push((contain as i64).into());
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(values), |r| r.get(0))?)
    }

    /// Saves the conversation's draft text (`saveDraftMessage`) and moves the conversation to
    /// `now` (ms) in the list, creating it when it has no messages yet, as IMLib does. An empty
    /// draft clears it ([`Store::clear_draft`]).
    pub fn save_draft(&mut self, key: &ConversationKey, draft: &str, now: i64) -> Result<()> {
        if draft.is_empty() {
            return self.clear_draft(key);
        }
        self.conn.execute(
            "INSERT INTO conversations (conversation_type, target_id, channel_id, sort_time, draft)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (conversation_type, target_id, channel_id) DO UPDATE SET
                 draft = excluded.draft, sort_time = MAX(sort_time, excluded.sort_time)",
            params![
                key.conversation_type,
                key.target_id,
                key.channel_id,
                now,
                draft
            ],
        )?;
        Ok(())
    }

    /// Removes the conversation's draft (`clearDraftMessage`). A conversation that only existed
    /// for its draft (no message, not pinned, no notification level, nothing unread) leaves the
    /// list again.
    pub fn clear_draft(&mut self, key: &ConversationKey) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE conversations SET draft = ''
             WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3",
            params![key.conversation_type, key.target_id, key.channel_id],
        )?;
        tx.execute(
            "DELETE FROM conversations
             WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3
               AND last_message_id IS NULL AND top = 0 AND notification_level = 0
               AND unread_count = 0 AND mentioned_count = 0",
            params![key.conversation_type, key.target_id, key.channel_id],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Pins or unpins a conversation and/or sets its notification level
    /// (`changeConversationTopStatus`, `changeConversationNotificationLevel`), creating it when
    /// it has no messages yet; one that only existed for its settings leaves the list when
    /// they are reset.
    pub fn set_conversation_setting(&mut self, update: &ConversationSettingUpdate) -> Result<()> {
        let tx = self.conn.transaction()?;
        rows::apply_setting(&tx, update)?;
        tx.commit()?;
        Ok(())
    }

    /// Whether the conversation is pinned (false when it does not exist).
    pub fn conversation_top(&self, key: &ConversationKey) -> Result<bool> {
        Ok(self.conversation(key)?.is_some_and(|c| c.top))
    }

    /// The conversation's notification level (0, ALL_MESSAGE, when it does not exist).
    pub fn conversation_notification_level(&self, key: &ConversationKey) -> Result<u32> {
        Ok(self
            .conversation(key)?
            .map_or(notification_level::ALL_MESSAGE, |c| c.notification_level))
    }

    /// The pinned conversations of `types` with `channel_id`, newest first
    /// (`getTopConversations`).
    pub fn top_conversations(
        &self,
        types: &[u32],
        channel_id: &str,
    ) -> Result<Vec<ConversationRow>> {
        self.conversations_where(types, channel_id, "top = 1")
    }

    /// The conversations of `types` with `channel_id` whose notification level mutes them
    /// ([`notification_level::is_muted`]), newest first (`getBlockedConversations`).
    pub fn blocked_conversations(
        &self,
        types: &[u32],
        channel_id: &str,
    ) -> Result<Vec<ConversationRow>> {
        let filter = format!(
            "notification_level BETWEEN {} AND {}",
            notification_level::MUTED.start(),
            notification_level::MUTED.end()
        );
        self.conversations_where(types, channel_id, &filter)
    }

    fn conversations_where(
        &self,
        types: &[u32],
        channel_id: &str,
        filter: &str,
    ) -> Result<Vec<ConversationRow>> {
        let placeholders = vec!["?"; types.len()].join(",");
        let sql = format!(
            "SELECT * FROM conversations WHERE conversation_type IN ({placeholders})
               AND channel_id = ? AND {filter} ORDER BY sort_time DESC"
        );
        let mut values: Vec<rusqlite::types::Value> =
            types.iter().map(|t| (*t as i64).into()).collect();
        values.push(channel_id.to_string().into());
        rows::query_conversations(&self.conn, &sql, rusqlite::params_from_iter(values))
    }

    /// The conversation's draft text ("" when none).
    pub fn draft(&self, key: &ConversationKey) -> Result<String> {
        Ok(self
            .conn
            .query_row(
                "SELECT draft FROM conversations
                 WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3",
                params![key.conversation_type, key.target_id, key.channel_id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_default())
    }

    /// Messages of one conversation whose text contains `keyword` (case-insensitively), newest
    /// first, sent before `start_time` (<= 0: from the newest), at most `count`.
    ///
    /// Keywords of 3 or more characters go through the trigram index (`messages_fts`); shorter
    /// ones, which a trigram index cannot answer, scan the conversation's messages newest first
    /// and stop after `count` matches. An empty keyword matches nothing.
    pub fn search_messages(
        &self,
        key: &ConversationKey,
        keyword: &str,
        start_time: i64,
        count: u32,
    ) -> Result<Vec<MessageRow>> {
        if keyword.is_empty() {
            return Ok(Vec::new());
        }
        if keyword.chars().count() >= 3 {
            // One FTS5 phrase: the trigram tokenizer matches it as a substring.
            let phrase = format!("\"{}\"", keyword.replace('"', "\"\""));
            rows::query_messages(
                &self.conn,
                "SELECT * FROM messages
                 WHERE id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?1)
                   AND conversation_type = ?2 AND target_id = ?3 AND channel_id = ?4
                   AND (?5 <= 0 OR sent_time < ?5)
                 ORDER BY sent_time DESC, id DESC LIMIT ?6",
                params![
                    phrase,
                    key.conversation_type,
                    key.target_id,
                    key.channel_id,
                    start_time,
                    count
                ],
            )
        } else {
            let pattern = format!(
                "%{}%",
                keyword
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            rows::query_messages(
                &self.conn,
                "SELECT * FROM messages
                 WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3
                   AND (?4 <= 0 OR sent_time < ?4)
                   AND search_text LIKE ?5 ESCAPE '\\'
                 ORDER BY sent_time DESC, id DESC LIMIT ?6",
                params![
                    key.conversation_type,
                    key.target_id,
                    key.channel_id,
                    start_time,
                    pattern,
                    count
                ],
            )
        }
    }
}

/// `RCIMIWPushNotificationLevel` values as they concern unread counts.
pub mod notification_level {
    use std::ops::RangeInclusive;

    /// Notify for every message (the stored default).
    pub const ALL_MESSAGE: u32 = 0;
    /// Not set.
    pub const NONE: u32 = 1;
    /// Levels that mute a conversation (do-not-disturb: MENTION, MENTION_USERS, MENTION_ALL,
    /// BLOCKED): `getUnreadCountByConversationTypes` leaves them out unless `contain` is set.
    pub const MUTED: RangeInclusive<u32> = 2..=5;

    /// Whether `level` mutes the conversation.
    pub fn is_muted(level: u32) -> bool {
        MUTED.contains(&level)
    }
}

#[cfg(test)]
mod tests;
