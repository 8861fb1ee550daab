-- User-level settings kept by the server and mirrored here (the applied settings version is in
-- `kv`): notification level per conversation type, the one quiet-hours window, the blacklist.

CREATE TABLE type_notification_levels (
    conversation_type INTEGER PRIMARY KEY,
    level INTEGER NOT NULL
);

-- At most one row (id 1): the server keeps one window per user.
CREATE TABLE quiet_hours (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    start_time TEXT NOT NULL,
    span_minutes INTEGER NOT NULL,
    level INTEGER NOT NULL,
    utc_offset_minutes INTEGER NOT NULL
);

CREATE TABLE blacklist (
    user_id TEXT PRIMARY KEY
);

-- The conversation list in list order with a total tie-break (pinned first, newest first, then
-- by key), so a page can resume exactly after the last conversation of the previous one.
DROP INDEX conversations_by_time;
CREATE INDEX conversations_by_list
    ON conversations (top DESC, sort_time DESC, conversation_type, target_id, channel_id);
