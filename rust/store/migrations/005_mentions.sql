-- Mentions (@-messages) and the indexes of the local features (insert, status edits, searches).
--
-- `messages.mentioned`: a received group message that @-mentions this user (everyone, or a
-- list of users naming them). A conversation's `mentioned_count` is the number of its unread
-- mentioned messages.
ALTER TABLE messages ADD COLUMN mentioned INTEGER NOT NULL DEFAULT 0;

-- The unread received messages of a conversation that count, mentioned ones grouped together:
-- recounting a conversation's unread and mentioned counts, and listing its unread mentioned
-- messages, reads only its unread rows (O(unread)), however long its history.
CREATE INDEX messages_unread
    ON messages (conversation_type, target_id, channel_id, mentioned, sent_time)
    WHERE direction = 1 AND received_status = 0 AND counted = 1;
