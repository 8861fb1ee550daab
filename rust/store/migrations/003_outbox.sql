-- Persisted request queue (outbox): every operation that changes server state is written here
-- first, with its request id, and removed when the server's answer has been applied. A row
-- survives reconnects and app restarts, so the operation is put on the wire again until it is
-- answered (the server executes a request id at most once).
--
-- `request` is the encoded protobuf `Request` of the operation. Sends leave it empty and point
-- at their message row instead (`message_id`): their request is rebuilt from the row, whose
-- client id is the request id.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id TEXT NOT NULL UNIQUE,
    request BLOB NOT NULL DEFAULT x'',
    message_id INTEGER REFERENCES messages(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);

-- Messages stored as SENDING by an older version were resent from the messages table: queue
-- them here instead.
INSERT INTO outbox (request_id, message_id, created_at)
SELECT client_msg_id, id, sent_time FROM messages
WHERE sent_status = 0 AND direction = 0 AND client_msg_id IS NOT NULL
ORDER BY id;

-- Without a client id such a message cannot be sent idempotently (nor queued): it failed, and
-- the app may send it again.
UPDATE messages SET sent_status = 1
WHERE sent_status = 0 AND direction = 0 AND client_msg_id IS NULL;
