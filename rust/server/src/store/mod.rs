//! Storage behind the [`ServerStore`] trait ([`contract`]): the embedded SQLite
//! implementation ([`sqlite`]) and the conformance suite every implementation passes
//! ([`conformance`], tests only).

mod chatroom_records;
#[cfg(test)]
pub(crate) mod conformance;
mod contract;
mod sqlite;
pub use sqlite::disable_sqlite_memory_statistics;
mod ultragroup_records;
pub(crate) mod ultragroup_stream_records;

pub(crate) use chatroom_records::{ChatroomHistoryQuery, ChatroomWrite, RoomRecord};
pub(crate) use contract::{commit_feed, CommitFeed, PendingSend, ServerStore};
pub(crate) use sqlite::SqliteStore;
pub(crate) use ultragroup_records::{
    UgChannelRecord, UgDirectorySnapshot, UgDirectoryWrite, UgGroupRecord, UgListKind, UgListRow,
};
