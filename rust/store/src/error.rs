//! Store errors.

/// Store errors.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file could not be created.
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    /// The database was written by a newer version of RCIM.
    #[error("database schema version {found} is newer than this build supports ({supported})")]
    TooNew {
        /// Version found in the file.
        found: u32,
        /// Highest version this build knows.
        supported: u32,
    },
}

/// Result alias for store operations.
pub type Result<T> = std::result::Result<T, StoreError>;
