-- Messages of every conversation, one row per locally stored message.
CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_type INTEGER NOT NULL,
    target_id TEXT NOT NULL,
    channel_id TEXT NOT NULL DEFAULT '',
    message_type INTEGER NOT NULL,
    object_name TEXT NOT NULL,
    content TEXT NOT NULL,
    uid TEXT UNIQUE,
    client_msg_id TEXT UNIQUE,
    sender_id TEXT NOT NULL,
    direction INTEGER NOT NULL,
    sent_status INTEGER NOT NULL,
    received_status INTEGER NOT NULL,
    sent_time INTEGER NOT NULL,
    received_time INTEGER NOT NULL,
    counted INTEGER NOT NULL DEFAULT 1,
    extra_json TEXT
);
CREATE INDEX messages_by_conversation_time
    ON messages (conversation_type, target_id, channel_id, sent_time, id);
CREATE INDEX messages_pending ON messages (sent_status) WHERE sent_status = 0;

-- One row per conversation; derived data kept up to date in the same transaction as messages,
-- so listing conversations is O(page), not O(history).
CREATE TABLE conversations (
    conversation_type INTEGER NOT NULL,
    target_id TEXT NOT NULL,
    channel_id TEXT NOT NULL DEFAULT '',
    last_message_id INTEGER,
    sort_time INTEGER NOT NULL,
    unread_count INTEGER NOT NULL DEFAULT 0,
    mentioned_count INTEGER NOT NULL DEFAULT 0,
    top INTEGER NOT NULL DEFAULT 0,
    draft TEXT NOT NULL DEFAULT '',
    notification_level INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_type, target_id, channel_id)
);
CREATE INDEX conversations_by_time ON conversations (top DESC, sort_time DESC);

-- Small key/value state: inbox cursor, device id.
CREATE TABLE kv (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
