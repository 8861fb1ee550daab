//! Chatroom KV entries (R202–R209): at most 100 keys per room, keys of `[A-Za-z0-9+=_-]` up to
//! 128 characters, values up to 4096 characters, at most 100 operations per second per room,
//! `delete_when_left` entries removed when their setter leaves, all destroyed with the room.
