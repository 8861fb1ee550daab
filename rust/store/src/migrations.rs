//! Numbered schema migrations, embedded at compile time.

use crate::error::{Result, StoreError};
use rusqlite::Connection;

/// Migration scripts in order; the database's `user_version` is the number applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/001_init.sql"),
    include_str!("../migrations/002_search.sql"),
    include_str!("../migrations/003_outbox.sql"),
    include_str!("../migrations/004_search_by_user.sql"),
    include_str!("../migrations/005_mentions.sql"),
    include_str!("../migrations/006_history.sql"),
    include_str!("../migrations/007_history_rows.sql"),
    include_str!("../migrations/008_user_settings.sql"),
    include_str!("../migrations/009_group_receipts.sql"),
];

/// The schema version of a fully migrated database.
#[cfg(test)]
pub(crate) fn latest() -> u32 {
    MIGRATIONS.len() as u32
}

/// Applies every migration newer than the database's `user_version`, each in its own
/// transaction that also bumps the version.
pub(crate) fn run(conn: &mut Connection) -> Result<()> {
    let current: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let supported = MIGRATIONS.len() as u32;
    if current > supported {
        return Err(StoreError::TooNew {
            found: current,
            supported,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = index as u32 + 1;
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
        tracing::debug!(version, "applied store migration");
    }
    Ok(())
}
