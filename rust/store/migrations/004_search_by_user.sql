-- searchMessagesByUserId: the messages one user sent in one conversation, newest first. With
-- the sender between the conversation and the time, a page is read straight off the index
-- (O(page)), however many messages the others sent.
CREATE INDEX messages_by_conversation_sender_time
    ON messages (conversation_type, target_id, channel_id, sender_id, sent_time, id);
