//! The inbox epoch: the identity of the inbox sequence space, sent in `ConnectAck.inbox_epoch`.
//!
//! Sequences are dense per user and reused if the database goes back in time (restored from
//! a backup, copied back, or commits lost by a power cut under `synchronous=NORMAL`): a device
//! whose cursor is past the restored head would skip every new entry up to its cursor. So the
//! server keeps an epoch and changes it whenever the database may have gone back; a device
//! that sees another epoch than the one it stored forgets its cursor and resynchronises.
//!
//! How going back is detected: the database counts its committed write batches (`meta`
//! `commits`, bumped in every batch's transaction) and after each commit the writer records
//! `epoch commits` in a small file beside it, [`HIGHWATER_FILE`] (overwritten in place, not
//! fsynced: it only has to be ahead of a database file that is older than it). At start:
//! * the file names another epoch, or more commits than the database holds: the database is
//!   older than the last run's → a new epoch;
//! * no file but a database that committed before: nothing can vouch for it (restored into a
//!   new directory) → a new epoch;
//! * `--new-inbox-epoch`: a new epoch (a backup restored together with its file).
//!
//! Under `synchronous=FULL` a commit is on disk before the file is written, so a power cut
//! never makes the file ahead of the database by itself; under NORMAL it may, and then the
//! epoch changes, which is what the lost commits require.

use super::db::{Db, Optional};
use crate::config::StorageConfig;
use anyhow::Context as _;
use std::fs::File;
use std::io::Write as _;
use std::os::unix::fs::FileExt as _;
use std::path::Path;

/// The high-water file beside the database.
pub(crate) const HIGHWATER_FILE: &str = "rcim.highwater";

/// Migration 15.
pub(crate) const MIGRATION: &str = "CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;";

/// What the database and its high-water file say at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EpochState {
    /// The epoch to send (never 0).
    pub epoch: u64,
    /// Write batches committed so far.
    pub commits: u64,
}

fn meta(c: &Db, key: &str) -> anyhow::Result<Option<u64>> {
    let v: Option<i64> = c
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?;
    Ok(v.map(|v| v as u64))
}

fn set_meta(c: &Db, key: &str, value: u64) -> anyhow::Result<()> {
    c.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(super::db::params![key, value as i64])?;
    Ok(())
}

/// Stores the commit counter `commits` in the running transaction (one row update per batch).
pub(crate) fn count_commit(c: &Db, commits: u64) -> anyhow::Result<()> {
    set_meta(c, "commits", commits)
}

/// Reads `epoch commits` from the high-water file (`None`: missing or unreadable).
fn read_highwater(path: &Path) -> Option<(u64, u64)> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut parts = text.split_whitespace();
    let epoch = parts.next()?.parse().ok()?;
    let commits = parts.next()?.parse().ok()?;
    Some((epoch, commits))
}

/// A fresh epoch (random, never 0).
fn new_epoch() -> u64 {
    loop {
        let e = rand::random::<u64>() >> 1; // stays positive as SQLite's signed integer
        if e != 0 {
            return e;
        }
    }
}

/// The epoch of a database shared by several nodes (PostgreSQL): the first node to start
/// creates it and the others read it. A high-water file cannot vouch for a database no node
/// owns, so going back in time there (a backup restored) is the operator's to declare with
/// `--new-inbox-epoch`, on one node's start. Blocking.
pub(crate) fn settle_shared(c: &Db, storage: &StorageConfig) -> anyhow::Result<u64> {
    if storage.new_inbox_epoch {
        let e = new_epoch();
        set_meta(c, "inbox_epoch", e)?;
        tracing::warn!(
            epoch = e,
            "new inbox epoch asked for: devices resynchronise"
        );
        return Ok(e);
    }
    c.execute(
        "INSERT INTO meta (key, value) VALUES ('inbox_epoch', ?1) ON CONFLICT DO NOTHING",
        [new_epoch()],
    )?;
    meta(c, "inbox_epoch")?.context("the inbox epoch is missing")
}

/// Decides the epoch at start (see the module doc) and stores it. Blocking.
pub(crate) fn settle(
    c: &Db,
    data_dir: &Path,
    storage: &StorageConfig,
) -> anyhow::Result<EpochState> {
    let stored = meta(c, "inbox_epoch")?;
    let commits = meta(c, "commits")?.unwrap_or(0);
    let mark = read_highwater(&data_dir.join(HIGHWATER_FILE));
    let reason = match (stored, mark) {
        (None, _) => Some("no epoch yet"),
        _ if storage.new_inbox_epoch => Some("asked for by --new-inbox-epoch"),
        (Some(e), Some((mark_epoch, mark_commits)))
            if e != mark_epoch || mark_commits > commits =>
        {
            Some("the database is older than its high-water file")
        }
        (Some(_), None) if commits > 0 => Some("a used database without its high-water file"),
        _ => None,
    };
    let epoch = match (reason, stored) {
        (None, Some(e)) => e,
        (reason, _) => {
            let e = new_epoch();
            set_meta(c, "inbox_epoch", e)?;
            if stored.is_some() {
                tracing::warn!(
                    epoch = e,
                    commits,
                    high_water = ?mark,
                    reason = reason.unwrap_or_default(),
                    "the database may have gone back in time: new inbox epoch, devices resynchronise"
                );
            } else {
                tracing::info!(epoch = e, "inbox epoch created");
            }
            e
        }
    };
    let state = EpochState { epoch, commits };
    let mut mark = HighWater::open(data_dir)?;
    mark.record(state.epoch, state.commits)?;
    mark.file
        .sync_all()
        .context("syncing the high-water file")?;
    Ok(state)
}

/// The open high-water file, rewritten in place after each commit.
pub(crate) struct HighWater {
    file: File,
}

impl HighWater {
    /// Opens (creating) the file under `data_dir`.
    pub(crate) fn open(data_dir: &Path) -> anyhow::Result<Self> {
        let path = data_dir.join(HIGHWATER_FILE);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .with_context(|| format!("opening {}", path.display()))?;
        Ok(Self { file })
    }

    /// Records `epoch commits` (fixed width, so an in-place write replaces the whole text).
    pub(crate) fn record(&mut self, epoch: u64, commits: u64) -> std::io::Result<()> {
        let mut line = [0u8; 42];
        let mut w = &mut line[..];
        writeln!(w, "{epoch:020} {commits:020}")?;
        self.file.write_all_at(&line, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::super::schema::{migrate, open_conn, DB_FILE};
    use super::*;

    fn open(dir: &Path) -> Db {
        let mut c = open_conn(&dir.join(DB_FILE)).unwrap();
        migrate(&mut c).unwrap();
        c
    }

    #[test]
    fn the_epoch_changes_only_when_the_database_went_back() {
        let dir = tempfile::tempdir().unwrap();
        let storage = StorageConfig::default();
        let c = open(dir.path());
        let first = settle(&c, dir.path(), &storage).unwrap();
        assert_ne!(first.epoch, 0);
        assert_eq!(first.commits, 0);
        // A restart of the same database keeps it.
        assert_eq!(settle(&c, dir.path(), &storage).unwrap(), first);
        // Commits recorded in both: still the same.
        count_commit(&c, 5).unwrap();
        HighWater::open(dir.path())
            .unwrap()
            .record(first.epoch, 5)
            .unwrap();
        let again = settle(&c, dir.path(), &storage).unwrap();
        assert_eq!((again.epoch, again.commits), (first.epoch, 5));
        // The file saw more commits than the database holds: restored from an older copy.
        HighWater::open(dir.path())
            .unwrap()
            .record(first.epoch, 9)
            .unwrap();
        let restored = settle(&c, dir.path(), &storage).unwrap();
        assert_ne!(restored.epoch, first.epoch);
        assert_eq!(settle(&c, dir.path(), &storage).unwrap(), restored);
        // A used database in a directory without the file: a new epoch.
        std::fs::remove_file(dir.path().join(HIGHWATER_FILE)).unwrap();
        let moved = settle(&c, dir.path(), &storage).unwrap();
        assert_ne!(moved.epoch, restored.epoch);
        // Asked for explicitly.
        let forced = StorageConfig {
            new_inbox_epoch: true,
            ..StorageConfig::default()
        };
        let fresh = settle(&c, dir.path(), &forced).unwrap();
        assert_ne!(fresh.epoch, moved.epoch);
        assert_eq!(settle(&c, dir.path(), &storage).unwrap().epoch, fresh.epoch);
    }
}
