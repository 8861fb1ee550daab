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

/// Which database holds the server's state.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum StoreBackend {
    /// The embedded SQLite database in the data directory (the default). One node.
    #[default]
    SqliteInDataDir,
    /// The embedded SQLite database in this directory.
    Sqlite(std::path::PathBuf),
    /// A PostgreSQL database (`postgres://user:password@host:port/db`), which several nodes
    /// may share.
    Postgres(String),
}

impl std::fmt::Debug for StoreBackend {
    // The URL may carry a password: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreBackend::SqliteInDataDir => f.write_str("SqliteInDataDir"),
            StoreBackend::Sqlite(p) => f.debug_tuple("Sqlite").field(p).finish(),
            StoreBackend::Postgres(_) => f.write_str("Postgres(..)"),
        }
    }
}

impl std::str::FromStr for StoreBackend {
    type Err = String;

    /// `sqlite:PATH` (a directory) or `postgres://...` / `postgresql://...`.
    fn from_str(s: &str) -> Result<Self, String> {
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            Ok(StoreBackend::Postgres(s.to_owned()))
        } else if let Some(path) = s.strip_prefix("sqlite:") {
            if path.is_empty() {
                return Err("sqlite: needs a directory, e.g. sqlite:/var/lib/rcim".into());
            }
            Ok(StoreBackend::Sqlite(path.into()))
        } else {
            Err(format!(
                "unknown store {s:?}: expected sqlite:DIR or postgres://user@host:port/db"
            ))
        }
    }
}

/// Which database holds the state, and the durability and maintenance of the embedded one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageConfig {
    /// Where the state lives (default: SQLite in the data directory).
    pub backend: StoreBackend,
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
            backend: StoreBackend::default(),
            synchronous: Synchronous::Full,
            wal_autocheckpoint_pages: 4_000,
            wal_size_limit_bytes: 64 * 1024 * 1024,
            prune_batch_rows: 2_000,
            new_inbox_epoch: false,
        }
    }
}
