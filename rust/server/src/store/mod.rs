//! Storage behind the [`ServerStore`] trait ([`contract`]): the SQL implementation
//! ([`sql`]), embedded SQLite by default or PostgreSQL shared by several nodes, and the
//! conformance suite every implementation passes ([`conformance`], tests only).

mod chatroom_records;
#[cfg(test)]
pub(crate) mod conformance;
mod contract;
mod sql;
pub use sql::disable_sqlite_memory_statistics;
mod ultragroup_records;
pub(crate) mod ultragroup_stream_records;

pub(crate) use chatroom_records::{ChatroomHistoryQuery, ChatroomWrite, RoomRecord};
pub(crate) use contract::{commit_feed, CommitFeed, PendingSend, ServerStore};
pub(crate) use sql::SqlStore;
pub(crate) use ultragroup_records::{
    UgChannelRecord, UgDirectorySnapshot, UgDirectoryWrite, UgGroupRecord, UgListKind, UgListRow,
};
