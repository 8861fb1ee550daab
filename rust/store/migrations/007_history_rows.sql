-- Messages stored from a cloud history page (`getMessages` REMOTE / LOCAL_REMOTE) rather than
-- from the inbox.
--
-- `messages.from_history`: 1 while the row only came from a history page (stored read, not
-- counted, not announced). A page read from the newest message can reach the server's head
-- before this device's inbox does: the first inbox copy of such a message then makes it a
-- received message (unread per its flags, mentions counted, announced) and clears the mark,
-- instead of being skipped as a duplicate.
ALTER TABLE messages ADD COLUMN from_history INTEGER NOT NULL DEFAULT 0;
