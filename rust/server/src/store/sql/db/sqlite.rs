//! The SQLite side of [`super::Db`]: binding [`Arg`]s and reading [`Value`]s through rusqlite.

use super::{Arg, Row, RowRef, SqlError, SqlResult, Value};
use rusqlite::types::{ToSqlOutput, ValueRef};

impl rusqlite::ToSql for Arg<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match *self {
            Arg::Null => ValueRef::Null,
            Arg::Int(i) => ValueRef::Integer(i),
            Arg::Real(f) => ValueRef::Real(f),
            Arg::Text(s) => ValueRef::Text(s.as_bytes()),
            Arg::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

/// Column `idx` of `r` through `conv`.
pub(super) fn column<T>(
    r: &rusqlite::Row<'_>,
    idx: usize,
    conv: impl FnOnce(Value<'_>) -> SqlResult<T>,
) -> SqlResult<T> {
    let v = match r.get_ref(idx)? {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(
            std::str::from_utf8(t).map_err(|e| SqlError::convert(format!("text: {e}")))?,
        ),
        ValueRef::Blob(b) => Value::Blob(b),
    };
    conv(v)
}

/// The first row of `stmt` through `f`.
pub(super) fn first_row<T>(
    stmt: &mut rusqlite::Statement<'_>,
    args: &[Arg<'_>],
    f: impl FnOnce(&Row<'_>) -> SqlResult<T>,
) -> SqlResult<T> {
    let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
    match rows.next()? {
        Some(r) => f(&Row(RowRef::Sqlite(r))),
        None => Err(SqlError::NoRows),
    }
}

/// Every row of `stmt` through `f`.
pub(super) fn all_rows<T>(
    stmt: &mut rusqlite::Statement<'_>,
    args: &[Arg<'_>],
    f: &mut impl FnMut(&Row<'_>) -> SqlResult<T>,
) -> SqlResult<Vec<SqlResult<T>>> {
    let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(f(&Row(RowRef::Sqlite(r))));
    }
    Ok(out)
}
