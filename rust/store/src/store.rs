//! [`Store`]: the local database of one user, its opening and migrations, and small state values
//! (`kv`). The methods of each area are in the area's file (messages, conversations, ...).

use crate::error::Result;
use crate::migrations;
use crate::rows;
use rusqlite::{Connection, OptionalExtension};
use std::path::Path;

/// The local database of one user.
pub struct Store {
    pub(crate) conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and runs pending migrations.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Self::init(conn)
    }

    /// An in-memory database (tests).
    pub fn open_in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Self> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrations::run(&mut conn)?;
        Ok(Self { conn })
    }

    /// The schema version after migrations.
    pub fn schema_version(&self) -> Result<u32> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Reads a small state value.
    pub fn kv_get(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM kv WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Writes a small state value.
    pub fn kv_set(&mut self, key: &str, value: &str) -> Result<()> {
        rows::kv_set(&self.conn, key, value)
    }

    /// Runs `f` as one transaction: everything it writes is committed together, or nothing is
    /// when it fails. The store's own multi-statement writes are savepoints, so they nest.
    pub fn atomically<T>(&mut self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        self.conn.execute_batch("SAVEPOINT atomically")?;
        match f(self) {
            Ok(value) => {
                self.conn.execute_batch("RELEASE atomically")?;
                Ok(value)
            }
            Err(e) => {
                if let Err(rollback) = self
                    .conn
                    .execute_batch("ROLLBACK TO atomically; RELEASE atomically")
                {
                    tracing::error!(error = %rollback, "cannot roll back");
                }
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;

    #[test]
    fn reopening_a_file_keeps_data_and_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("u").join("im.db");
        {
            let mut s = Store::open(&path).unwrap();
            s.insert_outgoing(&msg("bob", None, direction::SEND, 1))
                .unwrap();
            s.kv_set("device_id", "d1").unwrap();
        }
        let s = Store::open(&path).unwrap();
        assert_eq!(s.schema_version().unwrap(), 4);
        assert_eq!(s.pending_outgoing().unwrap().len(), 1);
        assert_eq!(s.kv_get("device_id").unwrap().as_deref(), Some("d1"));
    }

    #[test]
    fn atomically_commits_all_or_nothing_around_nested_writes() {
        let mut s = Store::open_in_memory().unwrap();
        // A failure after a nested multi-statement write leaves nothing behind.
        let failed: crate::error::Result<()> = s.atomically(|s| {
            s.insert_outgoing(&msg("bob", None, direction::SEND, 1))?;
            s.kv_set("k", "v")?;
            Err(crate::error::StoreError::Io(std::io::Error::other("stop")))
        });
        assert!(failed.is_err());
        assert!(s.pending_outgoing().unwrap().is_empty());
        assert_eq!(s.kv_get("k").unwrap(), None);
        assert!(s.conversation(&key("bob")).unwrap().is_none());
        // Success commits every write.
        s.atomically(|s| {
            s.insert_outgoing(&msg("bob", None, direction::SEND, 2))?;
            s.kv_set("k", "v")
        })
        .unwrap();
        assert_eq!(s.pending_outgoing().unwrap().len(), 1);
        assert_eq!(s.kv_get("k").unwrap().as_deref(), Some("v"));
    }
}
