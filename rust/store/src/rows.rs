//! Row types and the SQL helpers shared by [`crate::Store`]'s methods.

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Params, Row};

/// Identifies a conversation. Serialises as the API names it: `type`, `targetId`, `channelId`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationKey {
    /// `RCIMIWConversationType` number.
    #[serde(rename = "type")]
    pub conversation_type: u32,
    /// Peer user, group, chatroom or ultra group id.
    pub target_id: String,
    /// Ultra-group channel ("" for none).
    pub channel_id: String,
}

impl ConversationKey {
    /// A key from its parts (`channel_id` "" for none).
    pub fn new(conversation_type: u32, target_id: &str, channel_id: &str) -> Self {
        Self {
            conversation_type,
            target_id: target_id.to_string(),
            channel_id: channel_id.to_string(),
        }
    }
}

/// Direction of paging in [`crate::Store::messages`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeOrder {
    /// Older than the reference time, newest first.
    Before,
    /// Newer than the reference time, oldest first.
    After,
}

/// A message to insert.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewMessage {
    /// `RCIMIWConversationType` number.
    pub conversation_type: u32,
    /// Conversation id from this user's point of view.
    pub target_id: String,
    /// Ultra-group channel ("" for none).
    pub channel_id: String,
    /// `RCIMIWMessageType` number.
    pub message_type: u32,
    /// RongCloud object name, e.g. `RC:TxtMsg`.
    pub object_name: String,
    /// JSON content of the object.
    pub content: String,
    /// Server uid, when known.
    pub uid: Option<String>,
    /// Client-generated id used by the server to dedupe resends.
    pub client_msg_id: Option<String>,
    /// Sender user id.
    pub sender_id: String,
    /// `RCIMIWMessageDirection` number.
    pub direction: u8,
    /// `RCIMIWSentStatus` number.
    pub sent_status: u8,
    /// `RCIMIWReceivedStatus` number.
    pub received_status: u8,
    /// Send time (ms): local clock until the server's ack replaces it.
    pub sent_time: i64,
    /// Receive time (ms).
    pub received_time: i64,
    /// Counts towards the unread count.
    pub counted: bool,
    /// Message fields not carried in `content` (JSON object), e.g. push options.
    pub extra_json: Option<String>,
    /// Position in the conversation's cloud history (`Message.conv_seq`); 0 = unknown or
    /// local only.
    pub conv_seq: u64,
    /// A received group message that @-mentions this user (counts towards the conversation's
    /// `mentioned_count` while unread).
    pub mentioned: bool,
    /// Group read receipt state as JSON (see [`crate::GroupReceipt`]); `None`: none asked.
    pub group_receipt: Option<String>,
}

impl NewMessage {
    /// The conversation this message belongs to.
    pub fn key(&self) -> ConversationKey {
        ConversationKey {
            conversation_type: self.conversation_type,
            target_id: self.target_id.clone(),
            channel_id: self.channel_id.clone(),
        }
    }
}

/// A stored message.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageRow {
    /// Local id (`messageId`).
    pub id: i64,
    /// `RCIMIWConversationType` number.
    pub conversation_type: u32,
    /// Conversation id.
    pub target_id: String,
    /// Ultra-group channel ("" for none).
    pub channel_id: String,
    /// `RCIMIWMessageType` number.
    pub message_type: u32,
    /// RongCloud object name.
    pub object_name: String,
    /// JSON content.
    pub content: String,
    /// Server uid once sent.
    pub uid: Option<String>,
    /// Client-generated id.
    pub client_msg_id: Option<String>,
    /// Sender user id.
    pub sender_id: String,
    /// `RCIMIWMessageDirection` number.
    pub direction: u8,
    /// `RCIMIWSentStatus` number.
    pub sent_status: u8,
    /// `RCIMIWReceivedStatus` number.
    pub received_status: u8,
    /// Send time (ms).
    pub sent_time: i64,
    /// Receive time (ms).
    pub received_time: i64,
    /// Counts towards unread.
    pub counted: bool,
    /// Extra fields (JSON object).
    pub extra_json: Option<String>,
    /// Position in the conversation's cloud history; 0 = unknown or local only.
    pub conv_seq: u64,
    /// @-mentions this user.
    pub mentioned: bool,
    /// Group read receipt state as JSON (see [`crate::GroupReceipt`]); `None`: none asked.
    pub group_receipt: Option<String>,
}

impl MessageRow {
    /// The conversation this message belongs to.
    pub fn key(&self) -> ConversationKey {
        ConversationKey {
            conversation_type: self.conversation_type,
            target_id: self.target_id.clone(),
            channel_id: self.channel_id.clone(),
        }
    }
}

/// A conversation list entry.
#[derive(Debug, Clone, PartialEq)]
pub struct ConversationRow {
    /// Which conversation.
    pub key: ConversationKey,
    /// Its newest message.
    pub last_message: Option<MessageRow>,
    /// Ordering time (ms) of the newest activity.
    pub sort_time: i64,
    /// Unread messages.
    pub unread_count: u64,
    /// Unread messages mentioning this user.
    pub mentioned_count: u64,
    /// Pinned.
    pub top: bool,
    /// Draft text.
    pub draft: String,
    /// `RCIMIWPushNotificationLevel` number.
    pub notification_level: u32,
}

fn message_from_row(r: &Row<'_>) -> rusqlite::Result<MessageRow> {
    Ok(MessageRow {
        id: r.get("id")?,
        conversation_type: r.get("conversation_type")?,
        target_id: r.get("target_id")?,
        channel_id: r.get("channel_id")?,
        message_type: r.get("message_type")?,
        object_name: r.get("object_name")?,
        content: r.get("content")?,
        uid: r.get("uid")?,
        client_msg_id: r.get("client_msg_id")?,
        sender_id: r.get("sender_id")?,
        direction: r.get("direction")?,
        sent_status: r.get("sent_status")?,
        received_status: r.get("received_status")?,
        sent_time: r.get("sent_time")?,
        received_time: r.get("received_time")?,
        counted: r.get("counted")?,
        extra_json: r.get("extra_json")?,
        conv_seq: r.get::<_, i64>("conv_seq")?.max(0) as u64,
        mentioned: r.get("mentioned")?,
        group_receipt: r.get("group_receipt")?,
    })
}

pub(crate) fn query_messages<P: Params>(
    conn: &Connection,
    sql: &str,
    params: P,
) -> Result<Vec<MessageRow>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, message_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn message_by_id(conn: &Connection, id: i64) -> Result<Option<MessageRow>> {
    Ok(conn
        .prepare_cached("SELECT * FROM messages WHERE id = ?1")?
        .query_row([id], message_from_row)
        .optional()?)
}

pub(crate) fn query_conversations<P: Params>(
    conn: &Connection,
    sql: &str,
    params: P,
) -> Result<Vec<ConversationRow>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt
        .query_map(params, |r| {
            Ok((
                ConversationKey {
                    conversation_type: r.get("conversation_type")?,
                    target_id: r.get("target_id")?,
                    channel_id: r.get("channel_id")?,
                },
                r.get::<_, Option<i64>>("last_message_id")?,
                r.get("sort_time")?,
                r.get("unread_count")?,
                r.get("mentioned_count")?,
                r.get("top")?,
                r.get("draft")?,
                r.get("notification_level")?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(
            |(key, last, sort_time, unread_count, mentioned_count, top, draft, level)| {
                Ok(ConversationRow {
                    key,
                    last_message: match last {
                        Some(id) => message_by_id(conn, id)?,
                        None => None,
                    },
                    sort_time,
                    unread_count,
                    mentioned_count,
                    top,
                    draft,
                    notification_level: level,
                })
            },
        )
        .collect()
}

/// Object name of text messages (their `content` is `{"content": "<text>", ...}`).
const TEXT_OBJECT_NAME: &str = "RC:TxtMsg";

/// The text `searchMessages` looks in: a text message's text; `None` for messages with nothing
/// to search (indexed by the `messages_fts` triggers of migration 002).
pub(crate) fn search_text(object_name: &str, content: &str) -> Option<String> {
    match object_name {
        TEXT_OBJECT_NAME => serde_json::from_str::<serde_json::Value>(content)
            .ok()?
            .get("content")?
            .as_str()
            .map(str::to_string),
        _ => None,
    }
}

pub(crate) fn insert_message(conn: &Connection, m: &NewMessage) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO messages (conversation_type, target_id, channel_id, message_type,
             object_name, content, uid, client_msg_id, sender_id, direction, sent_status,
             received_status, sent_time, received_time, counted, extra_json, search_text,
             conv_seq, mentioned, group_receipt)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
             ?18, ?19, ?20)",
    )?
    .execute(params![
        m.conversation_type,
        m.target_id,
        m.channel_id,
        m.message_type,
        m.object_name,
        m.content,
        m.uid,
        m.client_msg_id,
        m.sender_id,
        m.direction,
        m.sent_status,
        m.received_status,
        m.sent_time,
        m.received_time,
        m.counted,
        m.extra_json,
        search_text(&m.object_name, &m.content),
        seq_value(m.conv_seq),
        m.mentioned,
        m.group_receipt,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Whether a message row counts towards its conversation's unread count.
pub(crate) fn is_unread(m: &NewMessage) -> bool {
    m.direction == crate::values::direction::RECEIVE
        && m.counted
        && m.received_status == crate::values::received_status::UNREAD
}

/// Stores a received (or locally inserted) message: its row, its conversation's newest message
/// and, when it is unread, the conversation's unread and mentioned counts. Returns its id.
pub(crate) fn store_message(conn: &Connection, m: &NewMessage) -> Result<i64> {
    let id = insert_message(conn, m)?;
    account_new_message(conn, m, id)?;
    Ok(id)
}

/// Makes the just inserted message `id` count in its conversation: newest message, unread
/// and mentioned counts.
pub(crate) fn account_new_message(conn: &Connection, m: &NewMessage, id: i64) -> Result<()> {
    let unread = is_unread(m);
    touch_conversation(conn, &m.key(), id, m.sent_time, unread)?;
    if unread && m.mentioned {
        conn.prepare_cached(
            "UPDATE conversations SET mentioned_count = mentioned_count + 1
             WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3",
        )?
        .execute(params![m.conversation_type, m.target_id, m.channel_id])?;
    }
    Ok(())
}

/// Recomputes a conversation's unread count and mentioned count (`mentioned_count`: unread
/// messages that @-mention this user) from its messages. Reads only its unread rows (index
/// `messages_unread` of migration 005). Every change of received statuses, counted flags or
/// deletions of messages calls it for the conversations it touched.
pub(crate) fn recount_unread(conn: &Connection, key: &ConversationKey) -> Result<()> {
    conn.prepare_cached(
        "UPDATE conversations SET
             unread_count = (SELECT COUNT(*) FROM messages m
                 WHERE m.conversation_type = ?1 AND m.target_id = ?2 AND m.channel_id = ?3
                   AND m.direction = 1 AND m.received_status = 0 AND m.counted = 1),
             mentioned_count = (SELECT COUNT(*) FROM messages m
                 WHERE m.conversation_type = ?1 AND m.target_id = ?2 AND m.channel_id = ?3
                   AND m.mentioned = 1
                   AND m.direction = 1 AND m.received_status = 0 AND m.counted = 1)
         WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3",
    )?
    .execute(params![
        key.conversation_type,
        key.target_id,
        key.channel_id
    ])?;
    Ok(())
}

/// Makes `message_id` the conversation's newest message (creating the conversation), and
/// counts it as unread when asked. The newest message is decided by the messages' sent times,
/// not by `sort_time` (a saved draft moves `sort_time` to the time it was saved).
pub(crate) fn touch_conversation(
    conn: &Connection,
    key: &ConversationKey,
    message_id: i64,
    sent_time: i64,
    unread: bool,
) -> Result<()> {
    // Chatrooms have no conversation (R186): their messages stay out of the list and counts.
    if key.conversation_type == crate::values::conversation_type::CHATROOM {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO conversations (conversation_type, target_id, channel_id, last_message_id,
             sort_time, unread_count)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (conversation_type, target_id, channel_id) DO UPDATE SET
             last_message_id = CASE WHEN last_message_id IS NULL
                   OR excluded.sort_time >= COALESCE((SELECT m.sent_time FROM messages m
                        WHERE m.id = conversations.last_message_id), 0)
                 THEN excluded.last_message_id ELSE last_message_id END,
             sort_time = MAX(sort_time, excluded.sort_time),
             unread_count = unread_count + excluded.unread_count",
    )?
    .execute(params![
        key.conversation_type,
        key.target_id,
        key.channel_id,
        message_id,
        sent_time,
        unread as i64
    ])?;
    Ok(())
}

/// Recomputes what a conversation derives from its messages after some of them left it
/// (deleted, cleared): its unread and mentioned counts
/// and its last message (the newest remaining one, or none). Its place in the list
/// (`sort_time`) stays.
pub(crate) fn recount_conversation(tx: &Connection, key: &ConversationKey) -> Result<()> {
    tx.prepare_cached(
        "UPDATE conversations SET
             last_message_id = (SELECT m.id FROM messages m
                 WHERE m.conversation_type = ?1 AND m.target_id = ?2 AND m.channel_id = ?3
                 ORDER BY m.sent_time DESC, m.id DESC LIMIT 1)
         WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3",
    )?
    .execute(params![
        key.conversation_type,
        key.target_id,
        key.channel_id
    ])?;
    recount_unread(tx, key)
}

/// A history sequence as SQLite stores it (sequences beyond `i64::MAX` are clamped).
pub(crate) fn seq_value(seq: u64) -> i64 {
    i64::try_from(seq).unwrap_or(i64::MAX)
}

pub(crate) fn conversation_exists(conn: &Connection, key: &ConversationKey) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM conversations WHERE conversation_type = ?1 AND target_id = ?2
               AND channel_id = ?3",
        )?
        .exists(params![
            key.conversation_type,
            key.target_id,
            key.channel_id
        ])?)
}

pub(crate) fn kv_set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO kv (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute([key, value])?;
    Ok(())
}

/// A recall to apply to a stored message (see [`crate::Store::recall_message`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecallUpdate {
    /// Server uid of the recalled message.
    pub uid: String,
    /// `RCIMIWMessageType` of the notification (RECALL).
    pub message_type: u32,
    /// Object name of the notification (`RC:RcNtf`).
    pub object_name: String,
    /// JSON content of the notification.
    pub content: String,
    /// Keep the recalled content in the notification (`originalMessageContent`): recalls
    /// made by this user. Recalls by anyone else drop it (R115).
    pub keep_original: bool,
}

/// Key of a recall notification's content that keeps the recalled message's content
/// (RongCloud's `RC:RcNtf`), so the recalled message can still be shown.
const RECALL_ORIGINAL_CONTENT_KEY: &str = "originalMessageContent";

/// `notification` (a JSON object) with the recalled message's `original` content added under
/// [`RECALL_ORIGINAL_CONTENT_KEY`], unless it has one.
fn with_original(notification: &str, original: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(notification) {
        Ok(serde_json::Value::Object(mut body))
            if !body.contains_key(RECALL_ORIGINAL_CONTENT_KEY) =>
        {
            let original = serde_json::from_str(original)
                .unwrap_or_else(|_| serde_json::Value::String(original.to_string()));
            body.insert(RECALL_ORIGINAL_CONTENT_KEY.into(), original);
            serde_json::Value::Object(body).to_string()
        }
        _ => notification.to_string(),
    }
}

/// Converts the stored message `recall.uid` into its recall notification, keeping the
/// recalled content in it only when `recall.keep_original`.
pub(crate) fn recall(conn: &Connection, recall: &RecallUpdate) -> Result<Option<MessageRow>> {
    let Some(row) = query_messages(conn, "SELECT * FROM messages WHERE uid = ?1", [&recall.uid])?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    if row.object_name == recall.object_name {
        return Ok(Some(row));
    }
    conn.prepare_cached(
        "UPDATE messages SET message_type = ?2, object_name = ?3, content = ?4,
             search_text = NULL, counted = 0, received_status = ?5
         WHERE id = ?1",
    )?
    .execute(params![
        row.id,
        recall.message_type,
        recall.object_name,
        if recall.keep_original {
            with_original(&recall.content, &row.content)
        } else {
            recall.content.clone()
        },
        crate::values::received_status::READ
    ])?;
    // A recalled message that was unread (and perhaps mentioned this user) no longer counts.
    recount_unread(conn, &row.key())?;
    message_by_id(conn, row.id)
}

/// Marks received messages of `key` sent at or before `timestamp` as read (`timestamp` <= 0:
/// all) and recomputes the conversation's unread count. False when there is no such
/// conversation.
pub(crate) fn clear_unread(tx: &Connection, key: &ConversationKey, timestamp: i64) -> Result<bool> {
    let exists = conversation_exists(tx, key)?;
    if exists {
        tx.execute(
            "UPDATE messages SET received_status = ?5
             WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3
               AND direction = 1 AND received_status = 0 AND (?4 <= 0 OR sent_time <= ?4)",
            params![
                key.conversation_type,
                key.target_id,
                key.channel_id,
                timestamp,
                crate::values::received_status::READ
            ],
        )?;
        recount_unread(tx, key)?;
    }
    Ok(exists)
}

/// A read mark from a private read receipt (see [`crate::Store::apply_inbox_entries`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadMark {
    /// The private conversation, from this user's point of view.
    pub key: ConversationKey,
    /// Sent time of the last message read.
    pub timestamp: i64,
    /// True: the peer read this user's messages (they become READ, sent status 4). False: this
    /// user read the conversation on another device (its unread messages become read).
    pub by_peer: bool,
}

pub(crate) fn apply_read_mark(tx: &Connection, mark: &ReadMark) -> Result<()> {
    let key = &mark.key;
    if mark.by_peer {
        tx.prepare_cached(
            "UPDATE messages SET sent_status = ?5
             WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3
               AND direction = 0 AND sent_status IN (?6, ?7) AND sent_time <= ?4",
        )?
        .execute(params![
            key.conversation_type,
            key.target_id,
            key.channel_id,
            mark.timestamp,
            crate::values::sent_status::READ,
            crate::values::sent_status::SENT,
            crate::values::sent_status::RECEIVED
        ])?;
    } else if mark.timestamp > 0 {
        clear_unread(tx, key, mark.timestamp)?;
    }
    Ok(())
}

/// A conversation setting change (top, notification level) made on this or another device of
/// the user (see [`crate::Store::set_conversation_setting`]). `None` fields stay as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationSettingUpdate {
    /// The conversation.
    pub key: ConversationKey,
    /// Pinned (`top`) or not.
    pub top: Option<bool>,
    /// `RCIMIWPushNotificationLevel`.
    pub notification_level: Option<u32>,
    /// When it changed (ms): the sort time of a conversation this creates.
    pub time: i64,
}

pub(crate) fn apply_setting(tx: &Connection, u: &ConversationSettingUpdate) -> Result<()> {
    let key = &u.key;
    tx.prepare_cached(
        "INSERT INTO conversations
             (conversation_type, target_id, channel_id, sort_time, top, notification_level)
         VALUES (?1, ?2, ?3, ?4, COALESCE(?5, 0), COALESCE(?6, 1))
         ON CONFLICT (conversation_type, target_id, channel_id) DO UPDATE SET
             top = COALESCE(?5, top), notification_level = COALESCE(?6, notification_level)",
    )?
    .execute(params![
        key.conversation_type,
        key.target_id,
        key.channel_id,
        u.time,
        u.top,
        u.notification_level
    ])?;
    // A conversation that only existed for its settings leaves the list once they are reset
    // (unpinned, level NONE: not set; ALL_MESSAGE is a setting).
    tx.prepare_cached(
        "DELETE FROM conversations
         WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3
           AND last_message_id IS NULL AND top = 0 AND notification_level = 1 AND draft = ''
           AND unread_count = 0 AND mentioned_count = 0",
    )?
    .execute(params![
        key.conversation_type,
        key.target_id,
        key.channel_id
    ])?;
    Ok(())
}
