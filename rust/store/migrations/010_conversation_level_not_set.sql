-- A conversation's notification level "not set" is NONE (1), as on the server: ALL_MESSAGE (0)
-- is a choice of its own (it overrides a muting level of the conversation's type). SQLite
-- cannot change a column default, so the table is rebuilt with default 1. Rows at the old
-- default 0 become 1: locally an ALL_MESSAGE set explicitly before this version cannot be told
-- from "never set". The server can: the applied settings version is forgotten, so the next
-- login reads the user's settings again and restores such levels.
CREATE TABLE conversations_v10 (
    conversation_type INTEGER NOT NULL,
    target_id TEXT NOT NULL,
    channel_id TEXT NOT NULL DEFAULT '',
    last_message_id INTEGER,
    sort_time INTEGER NOT NULL,
    unread_count INTEGER NOT NULL DEFAULT 0,
    mentioned_count INTEGER NOT NULL DEFAULT 0,
    top INTEGER NOT NULL DEFAULT 0,
    draft TEXT NOT NULL DEFAULT '',
    notification_level INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (conversation_type, target_id, channel_id)
);
INSERT INTO conversations_v10
    SELECT conversation_type, target_id, channel_id, last_message_id, sort_time, unread_count,
           mentioned_count, top, draft,
           CASE notification_level WHEN 0 THEN 1 ELSE notification_level END
    FROM conversations;
DROP TABLE conversations;
ALTER TABLE conversations_v10 RENAME TO conversations;
CREATE INDEX conversations_by_list
    ON conversations (top DESC, sort_time DESC, conversation_type, target_id, channel_id);

DELETE FROM kv WHERE key = 'settings_version';

-- Conversation pages no longer remember where the last one ended.
DELETE FROM kv WHERE key = 'conversation_page_end';
