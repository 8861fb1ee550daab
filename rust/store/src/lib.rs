//! RCIM client local store: one SQLite database per (app key, user id).
//!
//! * Numbered migrations in `migrations/NNN_name.sql`, embedded in the binary; each runs in its
//!   own transaction together with the `user_version` bump.
//! * WAL journal, one writer (the engine owns the [`Store`] on its database thread).
//! * Derived data (conversation list, unread counts, inbox cursor) is updated in the same
//!   transaction as the messages it derives from, so a crash never leaves them out of step and
//!   listing a page of conversations or messages is O(page).
//!
//! The engine talks to the database only through this crate: no SQL lives elsewhere.
//!
//! One [`Store`] type; its methods are spread over one file per area, each with its tests:
//! `messages`, `inbox` (what the server delivers, and the inbox cursor), `conversations`,
//! `unread`, `drafts`, `settings` (pin, notification level), `search`, `outbox` (operations
//! waiting for the server's answer), `media` (media messages' upload stages, local paths),
//! `edits` (messages inserted by the app, status changes), `mentions` (unread messages that
//! @-mention the user), `group_receipts` (group read receipt state), `history` (cloud
//! history sequences and the ranges held), `deletion` (deleting and clearing messages),
//! `user_settings` (type levels, quiet hours, blacklist and the settings version), `chatroom`
//! (chatroom messages: no conversation, deleted on leave), `ultragroup` (channel cursors,
//! stream messages and their changes, capped unread counts). Row types
//! and the SQL
//! helpers the areas share are in `rows`; the schema is in `migrations/`.

mod chatroom;
mod conversations;
mod deletion;
mod drafts;
mod edits;
mod error;
mod group_receipts;
mod history;
mod inbox;
mod media;
mod mentions;
mod messages;
mod migrations;
pub mod outbox;
mod rows;
mod search;
mod settings;
mod store;
#[cfg(test)]
mod test_support;
mod ultragroup;
mod unread;
mod user_settings;
mod values;

pub use error::{Result, StoreError};
pub use group_receipts::GroupReceipt;
pub use history::{HistoryPageRows, HistoryRange};
pub use rows::{
    ConversationKey, ConversationRow, ConversationSettingUpdate, MessageRow, NewMessage, ReadMark,
    RecallUpdate, TimeOrder,
};
pub use store::Store;
pub use ultragroup::MAX_UNREAD as MAX_ULTRAGROUP_UNREAD;
pub use user_settings::{QuietHoursRow, SettingsSnapshot, UserSettingUpdate};
pub use values::{conversation_type, direction, notification_level, received_status, sent_status};
