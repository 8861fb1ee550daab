-- Local full-text search (searchMessages).
--
-- `messages.search_text` is the searchable text of a message, extracted by the store when it
-- inserts the message (text messages: their text; NULL for messages with nothing to search).
-- `messages_fts` indexes it with the trigram tokenizer, so any substring of 3 or more characters
-- (CJK included) is found through the index, case-insensitively. Shorter keywords are matched by
-- a scan of one conversation (see Store::search_messages). The index is an external-content
-- table over `messages`: the triggers below keep it in step with every insert, update and delete.
ALTER TABLE messages ADD COLUMN search_text TEXT;

-- Messages stored before this migration: text messages ("RC:TxtMsg" with {"content": "..."}).
UPDATE messages SET search_text = json_extract(content, '$.content')
WHERE object_name = 'RC:TxtMsg' AND json_valid(content)
  AND json_type(content, '$.content') = 'text';

CREATE VIRTUAL TABLE messages_fts USING fts5(
    search_text,
    content = 'messages',
    content_rowid = 'id',
    tokenize = 'trigram'
);

-- Every message row has an entry (NULL text = no tokens), as FTS5's integrity check expects of
-- an external-content table.
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
BEGIN
    INSERT INTO messages_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, search_text)
    VALUES ('delete', old.id, old.search_text);
END;

CREATE TRIGGER messages_fts_update AFTER UPDATE OF search_text ON messages
BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, search_text)
    VALUES ('delete', old.id, old.search_text);
    INSERT INTO messages_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
