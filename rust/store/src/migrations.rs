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
    include_str!("../migrations/010_conversation_level_not_set.sql"),
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

#[cfg(test)]
mod tests {
    use crate::test_support::*;

    #[test]
    fn conversation_levels_at_the_old_default_become_not_set() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("im.db");
        {
            // A database of schema 9, with conversations at the old default 0 and muted.
            let mut conn = rusqlite::Connection::open(&path).unwrap();
            let tx = conn.transaction().unwrap();
            for sql in &super::MIGRATIONS[..9] {
                tx.execute_batch(sql).unwrap();
            }
            tx.execute_batch(
                "INSERT INTO conversations (conversation_type, target_id, sort_time, top)
                     VALUES (1, 'bob', 10, 1);
                 INSERT INTO conversations
                     (conversation_type, target_id, sort_time, notification_level)
                     VALUES (2, 'g1', 20, 5);
                 INSERT INTO kv (key, value) VALUES ('settings_version', '7');",
            )
            .unwrap();
            tx.pragma_update(None, "user_version", 9).unwrap();
            tx.commit().unwrap();
        }
        let mut s = Store::open(&path).unwrap();
        assert_eq!(
            s.conversation_notification_level(&key("bob")).unwrap(),
            notification_level::NONE
        );
        assert!(s.conversation_top(&key("bob")).unwrap());
        let g1 = ConversationKey::new(2, "g1", "");
        assert_eq!(s.conversation_notification_level(&g1).unwrap(), 5);
        // The next login reads the settings again (they tell an explicit ALL_MESSAGE apart).
        assert_eq!(s.settings_version().unwrap(), 0);
        // Rows created from now on default to not set too.
        s.save_draft(&key("carol"), "hi", 30).unwrap();
        assert_eq!(
            s.conversation_notification_level(&key("carol")).unwrap(),
            notification_level::NONE
        );
        assert_eq!(s.conversations(&[1, 2], "", 0, 10).unwrap().len(), 3);
    }
}
