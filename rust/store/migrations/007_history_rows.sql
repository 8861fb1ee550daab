-- Messages stored from a cloud history page (`getMessages` REMOTE / LOCAL_REMOTE) rather than
-- from the inbox.
--
-- `messages.from_history`: 1 while the row only came from a history page (stored read, not
-- counted, not announced). A page read from the newest message can reach the server's head
-- before this device's inbox does: the first inbox copy of such a message then makes it a
-- received message (unread per its flags, mentions counted, announced) and clears the mark,
-- instead of being skipped as a duplicate.
ALTER TABLE messages ADD COLUMN from_history INTEGER NOT NULL DEFAULT 0;

-- `history_ranges.live`: 1 when the range holds a message this device received through its
-- inbox (or the send result of its own send): the conversation's newer messages then reach
-- this device through the inbox, so the highest range reaches "up to now". Ranges of fetched
-- pages only are not live (a new device starts at the inbox head: a page read from the
-- oldest message can be the highest range while far below the server's newest). Ranges held
-- before this migration count as not live: the newest page is fetched once more.
ALTER TABLE history_ranges ADD COLUMN live INTEGER NOT NULL DEFAULT 0;
