//! Storage durability: what an acknowledgement guarantees and how the files stay bounded.

/// When a commit reaches the disk (SQLite's `synchronous` in WAL mode).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Synchronous {
    /// Every commit is fsynced before its senders are answered: an acknowledged message
    /// survives a power cut. Group commit shares one fsync between all the commands of a
    /// batch, so throughput stays.
    #[default]
    Full,
    /// The WAL is fsynced only at checkpoints: a power cut (not a process crash) may lose the
    /// last acknowledged commits. The inbox epoch then changes at the next start, so devices
    /// resynchronise instead of skipping (see [`crate::store`]).
    Normal,
}

impl Synchronous {
    /// The value of `PRAGMA synchronous`.
    pub(crate) fn pragma(self) -> &'static str {
        match self {
            Synchronous::Full => "FULL",
            Synchronous::Normal => "NORMAL",
        }
    }
}

/// Durability and maintenance of the embedded database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageConfig {
    /// When a commit is durable (default [`Synchronous::Full`]).
    pub synchronous: Synchronous,
    /// WAL pages after which a commit checkpoints the WAL into the database
    /// (`wal_autocheckpoint`; default 4,000 pages, about 16 MiB; 0 = never, tests only).
    pub wal_autocheckpoint_pages: u32,
    /// Size the WAL file is truncated back to after a checkpoint (`journal_size_limit`;
    /// default 64 MiB), so one burst does not keep a large file for ever.
    pub wal_size_limit_bytes: u64,
    /// Rows each retention prune step deletes per table (default 2,000): a prune is many
    /// small steps interleaved with the other writes, never one long transaction.
    pub prune_batch_rows: u32,
    /// Start a new inbox epoch at this start whatever the database says (after restoring a
    /// backup together with its `rcim.highwater` file, or any other rollback the server
    /// cannot see). Default false.
    pub new_inbox_epoch: bool,
}

impl Default for StorageConfig {
    fn default() -> Self {
        Self {
            synchronous: Synchronous::Full,
            wal_autocheckpoint_pages: 4_000,
            wal_size_limit_bytes: 64 * 1024 * 1024,
            prune_batch_rows: 2_000,
            new_inbox_epoch: false,
        }
    }
}
