//! The PostgreSQL schema: numbered migrations (`migrations_postgres/NNNN_*.sql`), recorded in
//! `schema_migrations`. Nodes starting together migrate one at a time: each takes a
//! transaction-level advisory lock first, so the second one finds the work done.
//!
//! Migration 1 is the SQLite schema as of its migration 16 (see [`super::schema`] for what
//! each table holds); later changes are new numbered files, applied in order.

use super::db::Db;
use anyhow::Context as _;

/// The migrations, in order; the version of each is its position from 1.
const MIGRATIONS: &[&str] = &[include_str!("migrations_postgres/0001_schema.sql")];

/// Key of the advisory lock that serialises migrations across nodes (any constant).
const MIGRATION_LOCK: i64 = 0x7263_696d_5f6d_6967; // "rcim_mig"

/// Brings the database's schema up to date. Blocking.
pub(crate) fn migrate(db: &Db) -> anyhow::Result<()> {
    db.execute_batch("BEGIN")?;
    let applied = (|| -> anyhow::Result<()> {
        // First the lock, so nodes starting together on an empty database take turns even
        // at creating the bookkeeping table.
        db.query_row(
            "SELECT pg_advisory_xact_lock(?1)::TEXT",
            [MIGRATION_LOCK],
            |_| Ok(()),
        )?;
        db.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version BIGINT PRIMARY KEY,
                applied_at BIGINT NOT NULL
            )",
        )
        .context("creating schema_migrations")?;
        let version: i64 = db.query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            [],
            |r| r.get(0),
        )?;
        for (i, sql) in MIGRATIONS.iter().enumerate() {
            let n = i as i64 + 1;
            if n <= version {
                continue;
            }
            db.execute_batch(sql)
                .with_context(|| format!("PostgreSQL migration {n}"))?;
            db.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
                [n, crate::util::now_ms()],
            )?;
            tracing::info!(migration = n, "PostgreSQL database migrated");
        }
        Ok(())
    })();
    match applied {
        Ok(()) => Ok(db.execute_batch("COMMIT")?),
        Err(e) => {
            let _ = db.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}
