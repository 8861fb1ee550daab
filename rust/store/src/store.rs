//! [`Store`]: the local database of one user, its opening and migrations, and small state values
//! (`kv`). The methods of each area are in the area's file (messages, conversations, ...).

use crate::error::Result;
use crate::migrations;
use crate::rows;
use rusqlite::{Connection, OptionalExtension};
use std::path::Path;

/// Rows written (SQLite's `total_changes`) after which an idle store checkpoints its WAL.
const CHECKPOINT_AFTER_CHANGES: u64 = 256;

/// WAL size in pages at which SQLite checkpoints inside a commit (32 MiB of 4 KiB pages): only
/// reached when the store is never idle long enough for [`Store::checkpoint_if_due`].
const BACKSTOP_CHECKPOINT_PAGES: u32 = 8192;

/// The local database of one user.
pub struct Store {
    pub(crate) conn: Connection,
    /// `total_changes` at the last idle checkpoint.
    checkpointed_at: u64,
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
        // Checkpoints run when the store is idle (`checkpoint_if_due`), not inside the commit
        // that fills the WAL: that commit is often a send waiting to go on the wire, and a
        // checkpoint syncs the disk twice. SQLite's own checkpoint stays as a backstop, much
        // later, so the WAL stays bounded when the store is never idle.
        conn.pragma_update(None, "wal_autocheckpoint", BACKSTOP_CHECKPOINT_PAGES)?;
        Self::init(conn)
    }

    /// Runs a (passive) WAL checkpoint if enough was written since the last one; call it when
    /// no work waits. Returns whether it ran.
    pub fn checkpoint_if_due(&mut self) -> Result<bool> {
        let changes = self.conn.total_changes();
        if changes.saturating_sub(self.checkpointed_at) < CHECKPOINT_AFTER_CHANGES {
            return Ok(false);
        }
        self.checkpointed_at = changes;
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(true)
    }

    /// An in-memory database (tests).
    pub fn open_in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Self> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrations::run(&mut conn)?;
        Ok(Self {
            conn,
            checkpointed_at: 0,
        })
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
        assert_eq!(s.schema_version().unwrap(), 5);
        assert_eq!(s.pending_outgoing().unwrap().len(), 1);
        assert_eq!(s.kv_get("device_id").unwrap().as_deref(), Some("d1"));
    }

    /// (frames in the WAL, frames copied into the database) after a passive checkpoint.
    fn wal_frames(s: &Store) -> (i64, i64) {
        s.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                Ok((r.get(1)?, r.get(2)?))
            })
            .unwrap()
    }

    #[test]
    fn commits_leave_the_checkpoint_to_an_idle_store() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("im.db")).unwrap();
        // The migrations' writes.
        s.checkpoint_if_due().unwrap();
        assert!(!s.checkpoint_if_due().unwrap(), "nothing written since");
        // More than SQLite's default of 1000 pages: no commit checkpoints on its own.
        for i in 0..300 {
            s.insert_outgoing(&msg("bob", None, direction::SEND, i))
                .unwrap();
        }
        let wal = std::fs::metadata(dir.path().join("im.db-wal"))
            .unwrap()
            .len();
        assert!(wal > 1000 * 4096, "{wal} bytes in the WAL");
        assert!(s.checkpoint_if_due().unwrap());
        let (log, copied) = wal_frames(&s);
        assert_eq!(log, copied, "the idle checkpoint copied every frame");
        assert!(!s.checkpoint_if_due().unwrap(), "not due again right away");
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
