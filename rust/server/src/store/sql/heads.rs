//! The heads the writer moves: each user's inbox head (`inbox_heads`) and each conversation's
//! history head (`conv_heads`). The writer keeps them in memory and writes each moved head
//! once per batch instead of one upsert per inbox entry or message (a private message moves
//! three heads, and those upserts were a third of its statements): before the commit, and
//! before any command other than a send, since those may read the tables with SQL (a join
//! reads the history heads).
//!
//! A command sees the heads through [`HeadCache::advance`], which stages what it moves; the
//! writer applies the staged heads when the command's writes are kept and drops them when they
//! are rolled back. A run of sends applied together records what it replaced, to put it back
//! if the run is rolled back after all. A command that appends twice to one inbox gets
//! consecutive sequences (the second append sees the first one's staged head).
//!
//! On PostgreSQL several nodes write: the cache lives for one batch only, and a head is read
//! under a row lock the batch holds until its commit (see [`HeadTable::lock_sql`]).

use super::db::{params, Db, Dialect, Optional};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// Which table a [`HeadCache`] mirrors.
#[derive(Clone, Copy)]
pub(crate) enum HeadTable {
    /// `inbox_heads(user_id, head)`.
    Inbox,
    /// `conv_heads(conv_key, head)`.
    History,
}

impl HeadTable {
    fn read_sql(self) -> &'static str {
        match self {
            HeadTable::Inbox => "SELECT head FROM inbox_heads WHERE user_id = ?1",
            HeadTable::History => "SELECT head FROM conv_heads WHERE conv_key = ?1",
        }
    }

    /// PostgreSQL, where other nodes write too: the head is read under a row lock held
    /// until the commit, so two nodes never hand out the same sequence (the row is created
    /// first, so there is a row to lock; a node creating it at the same time waits).
    fn lock_sql(self) -> [&'static str; 2] {
        match self {
            HeadTable::Inbox => [
                "INSERT INTO inbox_heads (user_id, head) VALUES (?1, 0) ON CONFLICT DO NOTHING",
                "SELECT head FROM inbox_heads WHERE user_id = ?1 FOR UPDATE",
            ],
            HeadTable::History => [
                "INSERT INTO conv_heads (conv_key, head) VALUES (?1, 0) ON CONFLICT DO NOTHING",
                "SELECT head FROM conv_heads WHERE conv_key = ?1 FOR UPDATE",
            ],
        }
    }

    fn write_sql(self) -> &'static str {
        match self {
            HeadTable::Inbox => {
                "INSERT INTO inbox_heads (user_id, head) VALUES (?1, ?2) \
                 ON CONFLICT(user_id) DO UPDATE SET head = excluded.head"
            }
            HeadTable::History => {
                "INSERT INTO conv_heads (conv_key, head) VALUES (?1, ?2) \
                 ON CONFLICT(conv_key) DO UPDATE SET head = excluded.head"
            }
        }
    }
}

/// What [`HeadCache::apply_staged`] replaced, to put it back if a run of commands is rolled
/// back after all (`None`: the key was not cached).
pub(crate) type HeadUndo = Vec<(String, Option<u64>)>;

/// The heads of one table as the writer sees them (see the module docs).
pub(crate) struct HeadCache {
    table: HeadTable,
    /// Authoritative while present; a miss reads the table.
    cache: HashMap<String, u64>,
    /// Moved by the running command, not yet kept.
    staged: RefCell<HashMap<String, u64>>,
    /// Kept but not yet written to the table.
    dirty: HashSet<String>,
    /// Moved in the running batch (forgotten if its commit fails).
    batch: HashSet<String>,
    /// The cache is cleared after a commit when it holds more keys than this.
    max: usize,
}

impl HeadCache {
    pub(crate) fn new(table: HeadTable, max: usize) -> Self {
        Self {
            table,
            cache: HashMap::new(),
            staged: RefCell::default(),
            dirty: HashSet::new(),
            batch: HashSet::new(),
            max,
        }
    }

    /// Moves the head of `key` one step and returns the new head (staged: see
    /// [`Self::apply_staged`]).
    pub(crate) fn advance(&self, c: &Db, key: &str) -> anyhow::Result<u64> {
        let staged = self.staged.borrow().get(key).copied();
        let head = match staged.or_else(|| self.cache.get(key).copied()) {
            Some(head) => head,
            None => self.read(c, key)?,
        };
        let next = head + 1;
        self.staged.borrow_mut().insert(key.to_owned(), next);
        Ok(next)
    }

    /// The stored head of `key` (0 for none).
    fn read(&self, c: &Db, key: &str) -> anyhow::Result<u64> {
        let sql = match c.dialect() {
            Dialect::Sqlite => self.table.read_sql(),
            Dialect::Postgres => {
                let [create, lock] = self.table.lock_sql();
                c.execute(create, [key])?;
                lock
            }
        };
        let head = c
            .prepare_cached(sql)?
            .query_row([key], |r| r.get::<_, i64>(0))
            .optional()?;
        Ok(head.unwrap_or(0).max(0) as u64)
    }

    /// Keeps what the running command moved; records what it replaced in `undo` if given.
    pub(crate) fn apply_staged(&mut self, mut undo: Option<&mut HeadUndo>) {
        for (key, head) in self.staged.get_mut().drain() {
            let before = self.cache.insert(key.clone(), head);
            if let Some(undo) = undo.as_deref_mut() {
                undo.push((key.clone(), before));
            }
            self.batch.insert(key.clone());
            self.dirty.insert(key);
        }
    }

    /// Forgets what the running command moved (its writes were rolled back).
    pub(crate) fn drop_staged(&mut self) {
        self.staged.get_mut().clear();
    }

    /// Puts back what [`Self::apply_staged`] replaced (newest first). The keys stay dirty:
    /// writing a head put back is harmless, and a key no longer cached is skipped.
    pub(crate) fn restore(&mut self, undo: HeadUndo) {
        for (key, before) in undo.into_iter().rev() {
            match before {
                Some(head) => self.cache.insert(key, head),
                None => self.cache.remove(&key),
            };
        }
    }

    /// Writes the heads kept since the last flush.
    pub(crate) fn flush(&mut self, c: &Db) -> anyhow::Result<()> {
        if self.dirty.is_empty() {
            return Ok(());
        }
        let mut stmt = c.prepare_cached(self.table.write_sql())?;
        for key in self.dirty.drain() {
            if let Some(head) = self.cache.get(&key) {
                stmt.execute(params![key, *head as i64])?;
            }
        }
        Ok(())
    }

    /// The batch's commit failed: what it moved is not stored, so it is read again on the
    /// next use.
    pub(crate) fn forget_batch(&mut self) {
        self.staged.get_mut().clear();
        self.dirty.clear();
        for key in self.batch.drain() {
            self.cache.remove(&key);
        }
    }

    /// The batch is committed (every head it moved is stored): keeps the cache bounded.
    pub(crate) fn end_batch(&mut self) {
        self.batch.clear();
        if self.cache.len() > self.max {
            self.cache.clear();
        }
    }

    /// Heads cached.
    pub(crate) fn len(&self) -> usize {
        self.cache.len()
    }
}

/// What [`Heads::apply_staged`] replaced in each table.
#[derive(Default)]
pub(crate) struct HeadsUndo {
    inbox: HeadUndo,
    history: HeadUndo,
}

/// Both kinds of heads, as a send needs them.
pub(crate) struct Heads {
    pub(crate) inbox: HeadCache,
    pub(crate) history: HeadCache,
}

impl Heads {
    pub(crate) fn new(max_inbox: usize, max_history: usize) -> Self {
        Self {
            inbox: HeadCache::new(HeadTable::Inbox, max_inbox),
            history: HeadCache::new(HeadTable::History, max_history),
        }
    }

    pub(crate) fn apply_staged(&mut self, undo: Option<&mut HeadsUndo>) {
        match undo {
            Some(undo) => {
                self.inbox.apply_staged(Some(&mut undo.inbox));
                self.history.apply_staged(Some(&mut undo.history));
            }
            None => {
                self.inbox.apply_staged(None);
                self.history.apply_staged(None);
            }
        }
    }

    pub(crate) fn restore(&mut self, undo: HeadsUndo) {
        self.inbox.restore(undo.inbox);
        self.history.restore(undo.history);
    }

    pub(crate) fn drop_staged(&mut self) {
        self.inbox.drop_staged();
        self.history.drop_staged();
    }

    pub(crate) fn flush(&mut self, c: &Db) -> anyhow::Result<()> {
        self.inbox.flush(c)?;
        self.history.flush(c)
    }

    pub(crate) fn forget_batch(&mut self) {
        self.inbox.forget_batch();
        self.history.forget_batch();
    }

    pub(crate) fn end_batch(&mut self) {
        self.inbox.end_batch();
        self.history.end_batch();
    }

    /// Heads cached, of both kinds.
    pub(crate) fn len(&self) -> usize {
        self.inbox.len() + self.history.len()
    }
}

#[cfg(test)]
mod tests {
    use super::super::schema::{migrate, open_conn, DB_FILE};
    use super::*;

    fn stored(c: &Db, user: &str) -> Option<i64> {
        c.query_row(
            "SELECT head FROM inbox_heads WHERE user_id = ?1",
            [user],
            |r| r.get(0),
        )
        .optional()
        .unwrap()
    }

    /// Staged heads follow each other within a command, vanish when it is rolled back, are
    /// written once by a flush, and are read back from the table after a failed batch.
    #[test]
    fn heads_are_staged_kept_flushed_and_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = open_conn(&dir.path().join(DB_FILE)).unwrap();
        migrate(&mut c).unwrap();
        c.execute(
            "INSERT INTO inbox_heads (user_id, head) VALUES ('u', 5)",
            [],
        )
        .unwrap();
        let mut heads = HeadCache::new(HeadTable::Inbox, 10);
        assert_eq!(heads.advance(&c, "u").unwrap(), 6);
        assert_eq!(heads.advance(&c, "u").unwrap(), 7);
        heads.drop_staged();
        assert_eq!(heads.advance(&c, "u").unwrap(), 6, "a rolled-back command");
        heads.apply_staged(None);
        assert_eq!(heads.advance(&c, "v").unwrap(), 1);
        heads.apply_staged(None);
        assert_eq!(
            stored(&c, "u"),
            Some(5),
            "nothing is written before the flush"
        );
        heads.flush(&c).unwrap();
        assert_eq!((stored(&c, "u"), stored(&c, "v")), (Some(6), Some(1)));
        heads.end_batch();
        // A later batch fails: its heads are read again from the table.
        assert_eq!(heads.advance(&c, "u").unwrap(), 7);
        heads.apply_staged(None);
        heads.forget_batch();
        assert_eq!(heads.len(), 1);
        assert_eq!(heads.advance(&c, "u").unwrap(), 7);
        heads.drop_staged();
        // Undo puts back what a kept command replaced.
        let mut undo = HeadUndo::new();
        assert_eq!(heads.advance(&c, "v").unwrap(), 2);
        assert_eq!(heads.advance(&c, "w").unwrap(), 1);
        heads.apply_staged(Some(&mut undo));
        heads.restore(undo);
        assert_eq!(heads.advance(&c, "v").unwrap(), 2);
        assert_eq!(heads.advance(&c, "w").unwrap(), 1);
    }
}
