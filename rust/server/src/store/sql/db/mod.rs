//! One SQL connection, to SQLite or to PostgreSQL, behind one small synchronous API shaped
//! like rusqlite's (`prepare_cached`, `execute`, `query_row`, `query_map`, `params!`,
//! `optional()`), so the store's rules are written once, as SQL both engines accept, and run
//! on either ([`Db`]).
//!
//! The SQL dialect is the common subset: `?N` placeholders (rewritten to `$N` for
//! PostgreSQL), `INSERT ... ON CONFLICT`, `RETURNING`, 64-bit integers, text and bytes. The
//! few places that differ ask [`Db::dialect`]. Values cross as [`Arg`] (in) and [`FromCol`]
//! (out), which convert leniently between the integer widths and booleans each engine
//! reports, so the same row code reads both.
//!
//! The API is synchronous because the store's writer is a thread of its own and reads run on
//! the blocking pool; PostgreSQL queries block on the store's own runtime, where the async
//! driver (`tokio-postgres`) runs the connections ([`postgres`]).

mod pg_tls;
mod postgres;
mod sqlite;

pub(crate) use postgres::{PgConnector, PgRuntime};

use std::cell::Cell;
use std::fmt;

/// Which engine a [`Db`] talks to, for the few statements that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

/// A query's failure.
#[derive(Debug)]
pub(crate) enum SqlError {
    /// `query_row` found no row (see [`Optional::optional`]).
    NoRows,
    Sqlite(rusqlite::Error),
    Postgres(tokio_postgres::Error),
    /// PostgreSQL refused to prepare this statement.
    Prepare(String, tokio_postgres::Error),
    /// A value could not be converted (a column of an unexpected type, an out-of-range
    /// integer).
    Convert(String),
}

/// A query's outcome.
pub(crate) type SqlResult<T> = Result<T, SqlError>;

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SqlError::NoRows => f.write_str("query returned no rows"),
            SqlError::Sqlite(e) => write!(f, "sqlite: {e}"),
            // The driver's Display is terse ("db error"); the server's message is the cause.
            SqlError::Postgres(e) => match e.as_db_error() {
                Some(db) => write!(f, "postgres: {} ({})", db.message(), db.code().code()),
                None => write!(f, "postgres: {e}"),
            },
            SqlError::Prepare(sql, e) => match e.as_db_error() {
                Some(db) => write!(
                    f,
                    "postgres: {} ({}) in: {sql}",
                    db.message(),
                    db.code().code()
                ),
                None => write!(f, "postgres: {e} in: {sql}"),
            },
            SqlError::Convert(m) => write!(f, "conversion: {m}"),
        }
    }
}

impl std::error::Error for SqlError {}

impl From<rusqlite::Error> for SqlError {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::QueryReturnedNoRows => SqlError::NoRows,
            e => SqlError::Sqlite(e),
        }
    }
}

impl From<tokio_postgres::Error> for SqlError {
    fn from(e: tokio_postgres::Error) -> Self {
        SqlError::Postgres(e)
    }
}

impl SqlError {
    /// A conversion failure with this message.
    pub(crate) fn convert(m: impl Into<String>) -> Self {
        SqlError::Convert(m.into())
    }

    /// Whether `e` lost a race with another node's transaction that is decided by now: a
    /// unique key its commit took first, a deadlock, a serialization failure (not a lock
    /// wait that timed out: that transaction may still hold the lock).
    pub(crate) fn is_lost_race(e: &anyhow::Error) -> bool {
        use tokio_postgres::error::SqlState;
        has_state(
            e,
            &[
                SqlState::UNIQUE_VIOLATION,
                SqlState::T_R_DEADLOCK_DETECTED,
                SqlState::T_R_SERIALIZATION_FAILURE,
            ],
        )
    }

    /// Whether `e` is a conflict with another node's transaction that trying again may
    /// resolve: a lost race ([`Self::is_lost_race`]) or a lock wait that timed out.
    pub(crate) fn is_conflict(e: &anyhow::Error) -> bool {
        use tokio_postgres::error::SqlState;
        Self::is_lost_race(e) || has_state(e, &[SqlState::LOCK_NOT_AVAILABLE])
    }
}

/// Whether a PostgreSQL error in `e`'s chain has one of `states`.
fn has_state(e: &anyhow::Error, states: &[tokio_postgres::error::SqlState]) -> bool {
    e.chain()
        .any(|cause| match cause.downcast_ref::<SqlError>() {
            Some(SqlError::Postgres(pg)) => pg.code().is_some_and(|c| states.contains(c)),
            _ => false,
        })
}

/// `query_row(...).optional()`: no row is `None`, like rusqlite's `OptionalExtension`.
pub(crate) trait Optional<T> {
    fn optional(self) -> SqlResult<Option<T>>;
}

impl<T> Optional<T> for SqlResult<T> {
    fn optional(self) -> SqlResult<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(SqlError::NoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A parameter value as both engines bind it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Arg<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// A Rust value usable as a parameter.
pub(crate) trait ToArg {
    fn to_arg(&self) -> Arg<'_>;
}

macro_rules! int_arg {
    ($($t:ty),*) => {$(
        impl ToArg for $t {
            fn to_arg(&self) -> Arg<'_> {
                // Values above i64::MAX do not occur (sequences, times, counts); saturate
                // rather than wrap if one ever did.
                Arg::Int(i64::try_from(*self).unwrap_or(i64::MAX))
            }
        }
    )*};
}
int_arg!(i64, i32, i16, u8, u16, u32, u64, usize);

impl ToArg for bool {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Int(i64::from(*self))
    }
}
impl ToArg for f64 {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Real(*self)
    }
}
impl ToArg for str {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Text(self)
    }
}
impl ToArg for String {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Text(self)
    }
}
impl ToArg for [u8] {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Blob(self)
    }
}
impl ToArg for Vec<u8> {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Blob(self)
    }
}
impl<T: ToArg + ?Sized> ToArg for &T {
    fn to_arg(&self) -> Arg<'_> {
        (**self).to_arg()
    }
}
impl<T: ToArg> ToArg for Option<T> {
    fn to_arg(&self) -> Arg<'_> {
        match self {
            Some(v) => v.to_arg(),
            None => Arg::Null,
        }
    }
}
impl ToArg for Arg<'_> {
    fn to_arg(&self) -> Arg<'_> {
        *self
    }
}

/// A statement's parameters: `params![a, b]`, an array `[a, b]` of one type, `[]`, a
/// slice of [`ToArg`] values, or `named_params!{":a": a, ...}`.
pub(crate) trait Params {
    /// The values in placeholder order; `names` are the statement's named parameters in the
    /// order they were numbered (empty for a positional statement).
    fn args(&self, names: &[String]) -> SqlResult<Vec<Arg<'_>>>;
}

impl Params for [&dyn ToArg; 0] {
    fn args(&self, _: &[String]) -> SqlResult<Vec<Arg<'_>>> {
        Ok(Vec::new())
    }
}

impl<T: ToArg> Params for &[T] {
    fn args(&self, _: &[String]) -> SqlResult<Vec<Arg<'_>>> {
        Ok(self.iter().map(ToArg::to_arg).collect())
    }
}

impl<T: ToArg> Params for Vec<T> {
    fn args(&self, _: &[String]) -> SqlResult<Vec<Arg<'_>>> {
        Ok(self.iter().map(ToArg::to_arg).collect())
    }
}

macro_rules! array_params {
    ($($n:literal)*) => {$(
        impl<T: ToArg> Params for [T; $n] {
            fn args(&self, _: &[String]) -> SqlResult<Vec<Arg<'_>>> {
                Ok(self.iter().map(ToArg::to_arg).collect())
            }
        }
    )*};
}
array_params!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);

impl Params for &[(&str, &dyn ToArg)] {
    fn args(&self, names: &[String]) -> SqlResult<Vec<Arg<'_>>> {
        names
            .iter()
            .map(|n| {
                self.iter()
                    .find(|(k, _)| k.strip_prefix(':') == Some(n.as_str()))
                    .map(|(_, v)| v.to_arg())
                    .ok_or_else(|| SqlError::convert(format!("no value for :{n}")))
            })
            .collect()
    }
}

/// `named_params!{":a": a, ...}`: values for a statement's `:name` placeholders.
macro_rules! named_params {
    ($($k:literal : $v:expr),+ $(,)?) => {
        &[$(($k, &$v as &dyn $crate::store::sql::db::ToArg)),+]
            as &[(&str, &dyn $crate::store::sql::db::ToArg)]
    };
}
pub(crate) use named_params;

/// Numbers a statement's `:name` placeholders as `?1`, `?2`, ... in order of first
/// appearance (outside quoted text); returns the statement and the names in that order.
pub(crate) fn number_named(sql: &str) -> (std::borrow::Cow<'_, str>, Vec<String>) {
    if !sql.contains(':') {
        return (sql.into(), Vec::new());
    }
    let mut out = String::with_capacity(sql.len());
    let mut names: Vec<String> = Vec::new();
    let mut quoted = false;
    let mut prev = ' ';
    let mut chars = sql.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch == '\'' {
            quoted = !quoted;
        }
        let starts_name = ch == ':'
            && !quoted
            && prev != ':'
            && !prev.is_ascii_alphanumeric()
            && chars.peek().is_some_and(|c| c.is_ascii_alphabetic());
        if !starts_name {
            out.push(ch);
            prev = ch;
            continue;
        }
        let mut name = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_ascii_alphanumeric() || c == '_' {
                name.push(c);
                chars.next();
            } else {
                break;
            }
        }
        let n = match names.iter().position(|x| *x == name) {
            Some(i) => i + 1,
            None => {
                names.push(name);
                names.len()
            }
        };
        out.push('?');
        out.push_str(&n.to_string());
        prev = '0';
    }
    (out.into(), names)
}

/// `params![a, b, ...]`: parameters of different types, like rusqlite's macro.
macro_rules! params {
    () => {
        &[] as &[&dyn $crate::store::sql::db::ToArg]
    };
    ($($p:expr),+ $(,)?) => {
        &[$(&$p as &dyn $crate::store::sql::db::ToArg),+] as &[&dyn $crate::store::sql::db::ToArg]
    };
}
pub(crate) use params;

/// A column value as both engines report it.
#[derive(Debug)]
pub(crate) enum Value<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// A Rust value readable from a column.
pub(crate) trait FromCol: Sized {
    fn from_col(v: Value<'_>) -> SqlResult<Self>;
}

fn mismatch<T>(want: &str, got: &Value<'_>) -> SqlResult<T> {
    let kind = match got {
        Value::Null => "NULL",
        Value::Int(_) => "an integer",
        Value::Real(_) => "a real",
        Value::Text(_) => "text",
        Value::Blob(_) => "bytes",
    };
    Err(SqlError::convert(format!("expected {want}, found {kind}")))
}

macro_rules! int_col {
    ($($t:ty),*) => {$(
        impl FromCol for $t {
            fn from_col(v: Value<'_>) -> SqlResult<Self> {
                match v {
                    Value::Int(i) => <$t>::try_from(i).map_err(|_| {
                        SqlError::convert(format!("{i} out of range for {}", stringify!($t)))
                    }),
                    other => mismatch("an integer", &other),
                }
            }
        }
    )*};
}
int_col!(i64, i32, i16, u8, u16, u32, u64, usize);

impl FromCol for bool {
    fn from_col(v: Value<'_>) -> SqlResult<Self> {
        match v {
            Value::Int(i) => Ok(i != 0),
            other => mismatch("a boolean", &other),
        }
    }
}
impl FromCol for f64 {
    fn from_col(v: Value<'_>) -> SqlResult<Self> {
        match v {
            Value::Real(f) => Ok(f),
            Value::Int(i) => Ok(i as f64),
            other => mismatch("a real", &other),
        }
    }
}
impl FromCol for String {
    fn from_col(v: Value<'_>) -> SqlResult<Self> {
        match v {
            Value::Text(s) => Ok(s.to_owned()),
            other => mismatch("text", &other),
        }
    }
}
impl FromCol for Vec<u8> {
    fn from_col(v: Value<'_>) -> SqlResult<Self> {
        match v {
            Value::Blob(b) => Ok(b.to_vec()),
            Value::Text(s) => Ok(s.as_bytes().to_vec()),
            other => mismatch("bytes", &other),
        }
    }
}
impl<T: FromCol> FromCol for Option<T> {
    fn from_col(v: Value<'_>) -> SqlResult<Self> {
        match v {
            Value::Null => Ok(None),
            v => T::from_col(v).map(Some),
        }
    }
}

/// A column position (only `usize`, so an integer literal infers it).
pub(crate) trait ColIndex {
    fn index(self) -> usize;
}

impl ColIndex for usize {
    fn index(self) -> usize {
        self
    }
}

/// A result row, as handed to the closures of `query_row` and `query_map`.
pub(crate) struct Row<'a>(RowRef<'a>);

enum RowRef<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Postgres(&'a tokio_postgres::Row),
}

impl Row<'_> {
    /// Column `idx` (from 0) as a `T`.
    pub(crate) fn get<I: ColIndex, T: FromCol>(&self, idx: I) -> SqlResult<T> {
        let idx = idx.index();
        match &self.0 {
            RowRef::Sqlite(r) => sqlite::column(r, idx, T::from_col),
            RowRef::Postgres(r) => postgres::column(r, idx, T::from_col),
        }
    }
}

/// An open connection; see the module docs.
pub(crate) struct Db {
    engine: Engine,
}

enum Engine {
    Sqlite(rusqlite::Connection),
    Postgres(postgres::PgConn),
}

/// A prepared statement of a [`Db`].
pub(crate) struct Stmt<'a> {
    inner: StmtRef<'a>,
    /// The `:name` placeholders, in their numbering order.
    names: Vec<String>,
}

enum StmtRef<'a> {
    SqliteCached(rusqlite::CachedStatement<'a>),
    Sqlite(rusqlite::Statement<'a>),
    Postgres(&'a postgres::PgConn, postgres::PgStatement),
}

impl Db {
    /// Wraps an open SQLite connection.
    pub(crate) fn sqlite(conn: rusqlite::Connection) -> Self {
        Self {
            engine: Engine::Sqlite(conn),
        }
    }

    /// Wraps an open PostgreSQL connection.
    pub(crate) fn postgres(conn: postgres::PgConn) -> Self {
        Self {
            engine: Engine::Postgres(conn),
        }
    }

    /// The engine's dialect.
    pub(crate) fn dialect(&self) -> Dialect {
        match self.engine {
            Engine::Sqlite(_) => Dialect::Sqlite,
            Engine::Postgres(_) => Dialect::Postgres,
        }
    }

    /// The SQLite connection, for what only SQLite has (pragmas, checkpoints).
    pub(crate) fn as_sqlite(&self) -> Option<&rusqlite::Connection> {
        match &self.engine {
            Engine::Sqlite(c) => Some(c),
            Engine::Postgres(_) => None,
        }
    }

    /// The SQLite connection, mutably (migrations).
    pub(crate) fn as_sqlite_mut(&mut self) -> Option<&mut rusqlite::Connection> {
        match &mut self.engine {
            Engine::Sqlite(c) => Some(c),
            Engine::Postgres(_) => None,
        }
    }

    /// Prepares `sql`, reusing the statement when it was prepared before on this connection.
    pub(crate) fn prepare_cached(&self, sql: &str) -> SqlResult<Stmt<'_>> {
        let (sql, names) = number_named(sql);
        let inner = match &self.engine {
            Engine::Sqlite(c) => StmtRef::SqliteCached(c.prepare_cached(&sql)?),
            Engine::Postgres(c) => StmtRef::Postgres(c, c.prepare(&sql)?),
        };
        Ok(Stmt { inner, names })
    }

    /// Prepares `sql` once (SQL built at run time, which would only crowd SQLite's statement
    /// cache; a PostgreSQL connection keeps every statement it prepared).
    pub(crate) fn prepare(&self, sql: &str) -> SqlResult<Stmt<'_>> {
        let (sql, names) = number_named(sql);
        let inner = match &self.engine {
            Engine::Sqlite(c) => StmtRef::Sqlite(c.prepare(&sql)?),
            Engine::Postgres(c) => StmtRef::Postgres(c, c.prepare(&sql)?),
        };
        Ok(Stmt { inner, names })
    }

    /// Runs one statement; the number of rows it changed.
    pub(crate) fn execute<P: Params>(&self, sql: &str, p: P) -> SqlResult<usize> {
        self.prepare_cached(sql)?.execute(p)
    }

    /// The first row of a query, through `f` ([`SqlError::NoRows`] without one).
    pub(crate) fn query_row<T, P, F>(&self, sql: &str, p: P, f: F) -> SqlResult<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> SqlResult<T>,
    {
        self.prepare_cached(sql)?.query_row(p, f)
    }

    /// Runs statements without parameters, separated by `;` (schema, transaction control).
    pub(crate) fn execute_batch(&self, sql: &str) -> SqlResult<()> {
        match &self.engine {
            Engine::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Engine::Postgres(c) => c.batch(sql),
        }
    }

    /// Whether a transaction is open and can still commit what ran in it (false after the
    /// engine rolled it back by itself, after a failed statement left a PostgreSQL block
    /// aborted, or when the connection is lost).
    pub(crate) fn in_transaction(&self) -> bool {
        match &self.engine {
            Engine::Sqlite(c) => !c.is_autocommit(),
            Engine::Postgres(c) => c.in_transaction(),
        }
    }

    /// Whether a transaction block is open, usable or not: it must be ended with `ROLLBACK`
    /// (or `ROLLBACK TO` a savepoint) before anything else runs.
    pub(crate) fn has_open_block(&self) -> bool {
        match &self.engine {
            Engine::Sqlite(c) => !c.is_autocommit(),
            Engine::Postgres(c) => c.has_open_block(),
        }
    }

    /// A counter that moves whenever a statement may have written (SQLite: rows changed
    /// since the connection opened; PostgreSQL: statements other than `SELECT` run, and
    /// failed statements, which abort the block).
    pub(crate) fn total_changes(&self) -> u64 {
        match &self.engine {
            Engine::Sqlite(c) => c.total_changes(),
            Engine::Postgres(c) => c.writes(),
        }
    }

    /// Opens the connection again if it was lost (PostgreSQL restarted, a network cut); a
    /// SQLite connection is never lost.
    pub(crate) fn ensure_open(&mut self) -> SqlResult<()> {
        match &mut self.engine {
            Engine::Sqlite(_) => Ok(()),
            Engine::Postgres(c) => c.ensure_open(),
        }
    }
}

/// A transaction for a consistent read of several statements; rolled back when dropped
/// unless committed. Derefs to its [`Db`].
pub(crate) struct ReadTx<'a> {
    db: &'a Db,
    open: bool,
}

impl Db {
    /// Begins a read transaction (a snapshot: PostgreSQL's `REPEATABLE READ`).
    pub(crate) fn unchecked_transaction(&self) -> SqlResult<ReadTx<'_>> {
        self.execute_batch(match self.dialect() {
            Dialect::Sqlite => "BEGIN",
            Dialect::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ",
        })?;
        Ok(ReadTx {
            db: self,
            open: true,
        })
    }
}

impl ReadTx<'_> {
    /// Commits the transaction.
    pub(crate) fn commit(mut self) -> SqlResult<()> {
        self.open = false;
        self.db.execute_batch("COMMIT")
    }

    /// Ends the transaction (a read: committing and rolling back are the same).
    pub(crate) fn finish(self) -> SqlResult<()> {
        self.commit()
    }
}

impl std::ops::Deref for ReadTx<'_> {
    type Target = Db;
    fn deref(&self) -> &Db {
        self.db
    }
}

impl Drop for ReadTx<'_> {
    fn drop(&mut self) {
        if self.open && self.db.has_open_block() {
            if let Err(e) = self.db.execute_batch("ROLLBACK") {
                tracing::warn!(error = %e, "ending a read transaction");
            }
        }
    }
}

impl Stmt<'_> {
    /// Runs the statement; the number of rows it changed.
    pub(crate) fn execute<P: Params>(&mut self, p: P) -> SqlResult<usize> {
        let args = p.args(&self.names)?;
        match &mut self.inner {
            StmtRef::SqliteCached(s) => Ok(s.execute(rusqlite::params_from_iter(args.iter()))?),
            StmtRef::Sqlite(s) => Ok(s.execute(rusqlite::params_from_iter(args.iter()))?),
            StmtRef::Postgres(c, s) => c.execute(s, &args),
        }
    }

    /// The first row, through `f` ([`SqlError::NoRows`] without one).
    pub(crate) fn query_row<T, P, F>(&mut self, p: P, f: F) -> SqlResult<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> SqlResult<T>,
    {
        let args = p.args(&self.names)?;
        match &mut self.inner {
            StmtRef::SqliteCached(s) => sqlite::first_row(s, &args, f),
            StmtRef::Sqlite(s) => sqlite::first_row(s, &args, f),
            StmtRef::Postgres(c, s) => {
                let rows = c.query(s, &args)?;
                match rows.first() {
                    Some(r) => f(&Row(RowRef::Postgres(r))),
                    None => Err(SqlError::NoRows),
                }
            }
        }
    }

    /// Every row through `f`, in order (read eagerly: callers collect them anyway).
    pub(crate) fn query_map<T, P, F>(
        &mut self,
        p: P,
        mut f: F,
    ) -> SqlResult<std::vec::IntoIter<SqlResult<T>>>
    where
        P: Params,
        F: FnMut(&Row<'_>) -> SqlResult<T>,
    {
        let args = p.args(&self.names)?;
        let out: Vec<SqlResult<T>> = match &mut self.inner {
            StmtRef::SqliteCached(s) => sqlite::all_rows(s, &args, &mut f)?,
            StmtRef::Sqlite(s) => sqlite::all_rows(s, &args, &mut f)?,
            StmtRef::Postgres(c, s) => c
                .query(s, &args)?
                .iter()
                .map(|r| f(&Row(RowRef::Postgres(r))))
                .collect(),
        };
        Ok(out.into_iter())
    }
}

/// Counts statements that may write, for [`Db::total_changes`] on engines without a change
/// counter.
#[derive(Default)]
pub(crate) struct WriteCounter(Cell<u64>);

impl WriteCounter {
    /// Counts `sql` if it is not a plain read.
    pub(crate) fn note(&self, sql_is_read: bool) {
        if !sql_is_read {
            self.0.set(self.0.get() + 1);
        }
    }

    pub(crate) fn get(&self) -> u64 {
        self.0.get()
    }
}

#[cfg(test)]
mod tests {
    use super::number_named;

    #[test]
    fn named_placeholders_are_numbered_by_first_appearance() {
        let (sql, names) = number_named("SELECT ':x' FROM t WHERE a = :g AND b = :u OR c = :g");
        assert_eq!(sql, "SELECT ':x' FROM t WHERE a = ?1 AND b = ?2 OR c = ?1");
        assert_eq!(names, ["g", "u"]);
    }
}
