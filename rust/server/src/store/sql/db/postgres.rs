//! The PostgreSQL side of [`super::Db`], on the async driver `tokio-postgres`.
//!
//! The store's code is synchronous (one writer thread, reads on the blocking pool), so each
//! query blocks on a small runtime the store owns ([`PgRuntime`]), where the connections'
//! I/O runs. It never depends on the caller's runtime, so a store works the same under the
//! server's multi-threaded runtime and a test's single-threaded one.
//!
//! Statements are written in the common dialect (`?N` placeholders) and rewritten once, when
//! first prepared on a connection ([`translate`]).

use super::{Arg, SqlError, SqlResult, Value, WriteCounter};
use bytes::BytesMut;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::error::Error as StdError;
use std::sync::Arc;
use tokio_postgres::types::{IsNull, ToSql, Type};
use tokio_postgres::{Client, NoTls, Statement};

/// The runtime the store's PostgreSQL connections run on (one worker thread: the work is
/// waiting on sockets).
pub(crate) struct PgRuntime(Option<tokio::runtime::Runtime>);

impl PgRuntime {
    pub(crate) fn new() -> anyhow::Result<Arc<Self>> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("rcim-pg")
            .enable_all()
            .build()?;
        Ok(Arc::new(Self(Some(rt))))
    }

    fn rt(&self) -> &tokio::runtime::Runtime {
        self.0.as_ref().expect("runtime present until drop")
    }

    /// Waits for a request of a client of this runtime, blocking the calling thread. A
    /// client's requests only talk to its connection task through channels (the socket is
    /// the runtime's), so this works from any thread, even one inside another runtime (the
    /// store is opened from async code in tests).
    pub(crate) fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        futures::executor::block_on(f)
    }

    /// Runs `f`, which needs the runtime's I/O (opening a socket), on the runtime and waits
    /// for it, blocking the calling thread.
    fn run<F>(&self, f: F) -> anyhow::Result<F::Output>
    where
        F: std::future::Future + Send + 'static,
        F::Output: Send + 'static,
    {
        Ok(futures::executor::block_on(self.rt().spawn(f))?)
    }
}

impl Drop for PgRuntime {
    fn drop(&mut self) {
        // The last handle may go in async code (a store dropped in a task), where a blocking
        // shutdown would panic.
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

/// Opens connections to one database.
#[derive(Clone)]
pub(crate) struct PgConnector {
    url: String,
    /// Set by `sslmode=require` (see [`super::pg_tls`]).
    tls: Option<tokio_postgres_rustls::MakeRustlsConnect>,
    rt: Arc<PgRuntime>,
}

impl PgConnector {
    /// Connections to `url` (`postgres://user@host:port/db`, TLS with `sslmode=require`)
    /// running on `rt`.
    pub(crate) fn new(url: &str, rt: Arc<PgRuntime>) -> anyhow::Result<Self> {
        let target = super::pg_tls::target(url)?;
        Ok(Self {
            url: target.url,
            tls: target.tls,
            rt,
        })
    }

    /// A new connection (blocking).
    pub(crate) fn connect(&self) -> SqlResult<PgConn> {
        let client = self.open_client()?;
        Ok(PgConn {
            connector: self.clone(),
            client,
            stmts: RefCell::default(),
            in_tx: Cell::new(false),
            aborted: Cell::new(false),
            writes: WriteCounter::default(),
        })
    }

    fn open_client(&self) -> SqlResult<Client> {
        let (url, tls) = (self.url.clone(), self.tls.clone());
        let connected = self
            .rt
            .run(async move {
                // The connection task does the socket I/O for the client's requests.
                let client = match tls {
                    Some(tls) => {
                        let (client, connection) = tokio_postgres::connect(&url, tls).await?;
                        tokio::spawn(drive(connection));
                        client
                    }
                    None => {
                        let (client, connection) = tokio_postgres::connect(&url, NoTls).await?;
                        tokio::spawn(drive(connection));
                        client
                    }
                };
                client.batch_execute(SESSION_SETTINGS).await?;
                Ok::<_, tokio_postgres::Error>(client)
            })
            .map_err(|e| SqlError::convert(format!("connecting: {e}")))?;
        // The driver's message alone hides why (an untrusted certificate, a refused login).
        connected.map_err(|e| {
            if e.code().is_some() {
                return SqlError::from(e);
            }
            let mut why = e.to_string();
            let mut cause = StdError::source(&e);
            while let Some(c) = cause {
                why.push_str(": ");
                why.push_str(&c.to_string());
                cause = c.source();
            }
            SqlError::convert(format!("connecting: {why}"))
        })
    }
}

/// Runs a connection's I/O until it ends.
async fn drive<F: std::future::Future<Output = Result<(), tokio_postgres::Error>>>(connection: F) {
    if let Err(e) = connection.await {
        tracing::warn!(error = %e, "PostgreSQL connection ended");
    }
}

/// Bounds on waiting, set on every connection: a node that froze while holding row locks
/// must not stall the other nodes' writers for ever (its open transaction is ended after
/// 30 s idle), and a statement that waits on a lock gives up after 10 s (the command fails
/// and its client retries) instead of queueing every writer behind it.
const SESSION_SETTINGS: &str = "SET lock_timeout = '10s'; SET statement_timeout = '60s'; \
    SET idle_in_transaction_session_timeout = '30s'";

/// One PostgreSQL connection with its prepared statements.
pub(crate) struct PgConn {
    connector: PgConnector,
    client: Client,
    /// Prepared statements by their text in the common dialect, and whether each only reads.
    stmts: RefCell<HashMap<String, (Statement, bool)>>,
    /// Whether a transaction block is open (tracked from the control statements run).
    in_tx: Cell<bool>,
    /// Whether a statement failed in the open block: PostgreSQL then refuses every statement
    /// until `ROLLBACK` or `ROLLBACK TO` a savepoint, and a `COMMIT` rolls back silently.
    aborted: Cell<bool>,
    writes: WriteCounter,
}

impl PgConn {
    /// Prepares `sql` (common dialect), once per connection.
    pub(super) fn prepare(&self, sql: &str) -> SqlResult<PgStatement> {
        if let Some((s, reads)) = self.stmts.borrow().get(sql) {
            return Ok(PgStatement(s.clone(), *reads));
        }
        let translated = translate(sql);
        let stmt = self
            .connector
            .rt
            .block_on(self.client.prepare(&translated))
            .map_err(|e| SqlError::Prepare(translated.clone(), e))?;
        let head = sql.trim_start().get(..6).unwrap_or_default();
        let reads = head.eq_ignore_ascii_case("SELECT");
        self.stmts
            .borrow_mut()
            .insert(sql.to_owned(), (stmt.clone(), reads));
        Ok(PgStatement(stmt, reads))
    }

    pub(super) fn execute(&self, stmt: &PgStatement, args: &[Arg<'_>]) -> SqlResult<usize> {
        let params: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a as _).collect();
        let n = self.followed(stmt.1, self.client.execute(&stmt.0, &params))?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    pub(super) fn query(
        &self,
        stmt: &PgStatement,
        args: &[Arg<'_>],
    ) -> SqlResult<Vec<tokio_postgres::Row>> {
        let params: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a as _).collect();
        self.followed(stmt.1, self.client.query(&stmt.0, &params))
    }

    /// Waits for a statement and follows what it did to the transaction: a write (or a
    /// failure, after which the block is aborted) moves the change counter, so a command
    /// that failed on the server is never taken for one refused before writing.
    fn followed<T>(
        &self,
        reads: bool,
        f: impl std::future::Future<Output = Result<T, tokio_postgres::Error>>,
    ) -> SqlResult<T> {
        let result = self.connector.rt.block_on(f);
        match &result {
            Ok(_) => self.writes.note(reads),
            Err(_) => {
                self.writes.note(false);
                if self.in_tx.get() {
                    self.aborted.set(true);
                }
            }
        }
        Ok(result?)
    }

    /// Runs `sql` (no parameters; several statements) and follows transaction control.
    pub(super) fn batch(&self, sql: &str) -> SqlResult<()> {
        let result = self.connector.rt.block_on(self.client.batch_execute(sql));
        if result.is_ok() {
            for part in sql.split(';') {
                let word = part.trim().to_ascii_uppercase();
                if word.starts_with("BEGIN") || word.starts_with("START TRANSACTION") {
                    self.in_tx.set(true);
                    self.aborted.set(false);
                } else if word.starts_with("ROLLBACK TO") {
                    self.aborted.set(false);
                } else if word == "COMMIT" || word == "ROLLBACK" || word == "END" {
                    self.in_tx.set(false);
                    self.aborted.set(false);
                }
            }
        } else if sql.trim().eq_ignore_ascii_case("COMMIT") {
            // A failed commit ends the block.
            self.in_tx.set(false);
            self.aborted.set(false);
        } else if self.in_tx.get() {
            self.aborted.set(true);
        }
        self.writes.note(false);
        Ok(result?)
    }

    /// Whether the open block can still commit what ran in it.
    pub(super) fn in_transaction(&self) -> bool {
        self.in_tx.get() && !self.aborted.get() && !self.client.is_closed()
    }

    /// Whether a block is open, even an aborted one (it must be rolled back).
    pub(super) fn has_open_block(&self) -> bool {
        self.in_tx.get() && !self.client.is_closed()
    }

    pub(super) fn writes(&self) -> u64 {
        self.writes.get()
    }

    /// Reconnects when the connection was lost; prepared statements go with it.
    pub(super) fn ensure_open(&mut self) -> SqlResult<()> {
        if !self.client.is_closed() {
            return Ok(());
        }
        tracing::warn!("PostgreSQL connection lost; reconnecting");
        self.client = self.connector.open_client()?;
        self.stmts.get_mut().clear();
        self.in_tx.set(false);
        self.aborted.set(false);
        Ok(())
    }
}

/// A prepared statement and whether it only reads.
pub(crate) struct PgStatement(Statement, bool);

/// Rewrites the common dialect for PostgreSQL: `?N` placeholders become `$N` (outside quoted
/// text), and SQLite's index hints (`INDEXED BY name`) go: PostgreSQL's planner picks the
/// index itself.
pub(super) fn translate(sql: &str) -> String {
    let sql = strip_index_hints(sql);
    let mut out = String::with_capacity(sql.len() + 8);
    let mut quoted = false;
    let mut chars = sql.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\'' => {
                quoted = !quoted;
                out.push(ch);
            }
            '?' if !quoted && chars.peek().is_some_and(char::is_ascii_digit) => out.push('$'),
            _ => out.push(ch),
        }
    }
    out
}

/// `sql` without its `INDEXED BY name` clauses.
fn strip_index_hints(sql: &str) -> std::borrow::Cow<'_, str> {
    const HINT: &str = "INDEXED BY ";
    if !sql.contains(HINT) {
        return sql.into();
    }
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(i) = rest.find(HINT) {
        out.push_str(&rest[..i]);
        let after = &rest[i + HINT.len()..];
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    out.into()
}

/// Column `idx` of `r` through `conv`, converting the integer widths and booleans
/// PostgreSQL reports (a literal is `int4`, a comparison is `bool`) to what SQLite would.
pub(super) fn column<T>(
    r: &tokio_postgres::Row,
    idx: usize,
    conv: impl FnOnce(Value<'_>) -> SqlResult<T>,
) -> SqlResult<T> {
    let ty = r
        .columns()
        .get(idx)
        .ok_or_else(|| SqlError::convert(format!("no column {idx}")))?
        .type_()
        .clone();
    let v = match ty {
        Type::INT8 => r.try_get::<_, Option<i64>>(idx)?.map(Value::Int),
        Type::INT4 => r
            .try_get::<_, Option<i32>>(idx)?
            .map(|i| Value::Int(i.into())),
        Type::INT2 => r
            .try_get::<_, Option<i16>>(idx)?
            .map(|i| Value::Int(i.into())),
        Type::BOOL => r
            .try_get::<_, Option<bool>>(idx)?
            .map(|b| Value::Int(b.into())),
        Type::FLOAT8 => r.try_get::<_, Option<f64>>(idx)?.map(Value::Real),
        Type::FLOAT4 => r
            .try_get::<_, Option<f32>>(idx)?
            .map(|f| Value::Real(f.into())),
        Type::BYTEA => r.try_get::<_, Option<&[u8]>>(idx)?.map(Value::Blob),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
            r.try_get::<_, Option<&str>>(idx)?.map(Value::Text)
        }
        other => {
            return Err(SqlError::convert(format!(
                "column {idx} has the unsupported type {other} (cast it in the query)"
            )))
        }
    };
    conv(v.unwrap_or(Value::Null))
}

impl ToSql for Arg<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        match *self {
            Arg::Null => Ok(IsNull::Yes),
            Arg::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(i)?.to_sql(ty, out),
                Type::BOOL => (i != 0).to_sql(ty, out),
                Type::FLOAT8 => (i as f64).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR | Type::UNKNOWN => {
                    i.to_string().as_str().to_sql(&Type::TEXT, out)
                }
                ref other => Err(format!("an integer for a parameter of type {other}").into()),
            },
            Arg::Real(f) => match *ty {
                Type::FLOAT8 => f.to_sql(ty, out),
                Type::FLOAT4 => (f as f32).to_sql(ty, out),
                ref other => Err(format!("a real for a parameter of type {other}").into()),
            },
            // The binary format of `json` (and of text types) is the UTF-8 text itself.
            Arg::Text(s) => match *ty {
                Type::BYTEA => s.as_bytes().to_sql(ty, out),
                Type::INT8 | Type::INT4 | Type::INT2 => {
                    Err(format!("text for a parameter of type {ty}").into())
                }
                _ => s.to_sql(&Type::TEXT, out),
            },
            Arg::Blob(b) => match *ty {
                Type::BYTEA => b.to_sql(ty, out),
                ref other => Err(format!("bytes for a parameter of type {other}").into()),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    tokio_postgres::types::to_sql_checked!();
}

#[cfg(test)]
mod tests {
    use super::translate;

    #[test]
    fn placeholders_become_dollars_outside_quotes() {
        assert_eq!(
            translate("SELECT '?1', x FROM t WHERE a = ?1 AND b = ?12"),
            "SELECT '?1', x FROM t WHERE a = $1 AND b = $12"
        );
        assert_eq!(
            translate("SELECT a FROM t m INDEXED BY t_idx WHERE m.x = ?1"),
            "SELECT a FROM t m  WHERE m.x = $1"
        );
    }
}
