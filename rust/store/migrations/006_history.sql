-- Cloud history: the server's sequence of each message and the ranges held locally.
--
-- `messages.conv_seq`: the message's position in its conversation's cloud history
-- (`Message.conv_seq` on the wire); 0 = unknown (stored before this migration) or local only.
ALTER TABLE messages ADD COLUMN conv_seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX messages_by_conv_seq
    ON messages (conversation_type, target_id, channel_id, conv_seq) WHERE conv_seq > 0;

-- Intervals of history sequences [lo_seq, hi_seq] this store holds completely (or deleted on
-- purpose), with the sent times of their ends. Disjoint and never adjacent per conversation:
-- overlapping or adjacent ranges are merged when one is added. A range with lo_seq <= 1
-- reaches the start of the conversation. `getMessages` with LOCAL_REMOTE answers from the
-- store when one range covers the page, and asks the server otherwise.
CREATE TABLE history_ranges (
    conversation_type INTEGER NOT NULL,
    target_id TEXT NOT NULL,
    channel_id TEXT NOT NULL DEFAULT '',
    lo_seq INTEGER NOT NULL,
    hi_seq INTEGER NOT NULL,
    lo_time INTEGER NOT NULL,
    hi_time INTEGER NOT NULL,
    PRIMARY KEY (conversation_type, target_id, channel_id, lo_seq)
);
