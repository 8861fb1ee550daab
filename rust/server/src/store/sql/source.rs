//! Where the store's connections come from: the SQLite file or a PostgreSQL database.

#[cfg(test)]
use super::db::PgRuntime;
use super::db::{Db, PgConnector};
use super::schema;
use std::path::PathBuf;

/// Where the store's connections come from.
#[derive(Clone)]
pub(super) enum Source {
    /// The database file of the embedded store.
    Sqlite(PathBuf),
    /// A PostgreSQL database, possibly shared with other nodes.
    Postgres(PgConnector),
}

impl Source {
    /// A new read connection (blocking).
    pub(super) fn connect(&self) -> anyhow::Result<Db> {
        match self {
            Source::Sqlite(path) => schema::open_conn(path),
            Source::Postgres(pg) => Ok(Db::postgres(pg.connect()?)),
        }
    }
}

/// A URL of the test PostgreSQL server (`RCIM_TEST_POSTGRES_URL`) whose `search_path` is a
/// schema of its own for `dir` (created if needed), so tests never see each other's tables.
#[cfg(test)]
pub(crate) fn test_postgres_url(dir: &std::path::Path) -> String {
    use std::hash::{Hash as _, Hasher as _};
    let base = std::env::var("RCIM_TEST_POSTGRES_URL").expect(
        "RCIM_TEST_POSTGRES_URL is not set: run `bash scripts/services.sh start` and \
         `eval \"$(bash scripts/services.sh env)\"` first (npm test does both)",
    );
    let mut h = std::collections::hash_map::DefaultHasher::new();
    dir.hash(&mut h);
    let schema = format!("t{:016x}", h.finish());
    let rt = PgRuntime::new().expect("runtime");
    let admin = PgConnector::new(&base, rt)
        .expect("the test PostgreSQL URL")
        .connect()
        .expect("connect to the test PostgreSQL");
    Db::postgres(admin)
        .execute_batch(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
        .expect("create the test schema");
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-c%20search_path%3D{schema}")
}

/// `url` without its password, for messages.
pub(super) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}
