//! Chatroom moderation set by the Server API: gagged members (23408 on send), blocked users
//! (kicked and refused on join with 23409, R196) and protected members (never auto-kicked,
//! R195).
