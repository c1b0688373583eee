//! The tiny SQL surface both backends implement: typed values in, rows of values out.

use crate::{Result, StoreError};
use std::sync::Arc;

/// Which SQL engine; the few dialect-specific statements branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A typed SQL value. Nulls are typed so PostgreSQL can check them.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    I64(Option<i64>),
    F64(Option<f64>),
    Text(Option<String>),
    Bool(Option<bool>),
    /// Binary content (attachments): BLOB in SQLite, BYTEA in PostgreSQL.
    Bytes(Option<Vec<u8>>),
}

impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Value::Bytes(Some(v))
    }
}
impl From<&[u8]> for Value {
    fn from(v: &[u8]) -> Self {
        Value::Bytes(Some(v.to_vec()))
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::I64(Some(v))
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        Value::I64(v)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::F64(Some(v))
    }
}
impl From<Option<f64>> for Value {
    fn from(v: Option<f64>) -> Self {
        Value::F64(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(Some(v))
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(Some(v.to_string()))
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(Some(v))
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(Some(v.clone()))
    }
}
impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        Value::Text(v)
    }
}
impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Self {
        Value::Text(v.map(str::to_string))
    }
}
impl From<usize> for Value {
    fn from(v: usize) -> Self {
        Value::I64(Some(v as i64))
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Value::I64(Some(v as i64))
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::I64(Some(v as i64))
    }
}
impl From<Option<i32>> for Value {
    fn from(v: Option<i32>) -> Self {
        Value::I64(v.map(i64::from))
    }
}
impl From<Option<u32>> for Value {
    fn from(v: Option<u32>) -> Self {
        Value::I64(v.map(i64::from))
    }
}

/// One result row: its values and the names of its columns (shared by every row of a query).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    columns: Arc<[String]>,
    values: Vec<Value>,
}

impl Row {
    /// A row of `values` under the query's column names.
    pub fn new(columns: Arc<[String]>, values: Vec<Value>) -> Row {
        Row { columns, values }
    }

    /// The column names, in SELECT order.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The values, in SELECT order (paired with [`Row::columns`]; read a value by its name).
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// Decode the row into `T` by column name (`SELECT a, b` fills the fields `a` and `b`),
    /// so a reordered SELECT cannot silently swap fields. See [`crate::decode`].
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T> {
        crate::decode::row(self)
    }

    /// The value of the column named `name`. Rows are read by name only, never by position, so a
    /// reordered SELECT cannot hand one column's value to another field. (A row has a dozen
    /// columns at most: a scan of the names costs less than caching their positions.)
    pub fn get(&self, name: &str) -> Result<&Value> {
        self.columns
            .iter()
            .position(|c| c == name)
            .and_then(|i| self.values.get(i))
            .ok_or_else(|| {
                StoreError::Decode(format!(
                    "查询结果没有列 {name}（有: {}）",
                    self.columns.join(", ")
                ))
            })
    }
    pub fn opt_i64(&self, name: &str) -> Result<Option<i64>> {
        match self.get(name)? {
            Value::I64(v) => Ok(*v),
            Value::Bool(v) => Ok(v.map(i64::from)),
            Value::F64(None) | Value::Text(None) | Value::Bytes(None) => Ok(None),
            other => Err(StoreError::Decode(format!("列 {name} 应为整数: {other:?}"))),
        }
    }
    pub fn i64(&self, name: &str) -> Result<i64> {
        self.opt_i64(name)?
            .ok_or_else(|| StoreError::Decode(format!("列 {name} 为空")))
    }
    pub fn opt_text(&self, name: &str) -> Result<Option<String>> {
        match self.get(name)? {
            Value::Text(v) => Ok(v.clone()),
            Value::I64(None) | Value::F64(None) | Value::Bool(None) | Value::Bytes(None) => {
                Ok(None)
            }
            other => Err(StoreError::Decode(format!("列 {name} 应为文本: {other:?}"))),
        }
    }
    pub fn text(&self, name: &str) -> Result<String> {
        self.opt_text(name)?
            .ok_or_else(|| StoreError::Decode(format!("列 {name} 为空")))
    }
    pub fn bytes(&self, name: &str) -> Result<Vec<u8>> {
        match self.get(name)? {
            Value::Bytes(Some(b)) => Ok(b.clone()),
            other => Err(StoreError::Decode(format!(
                "列 {name} 应为二进制内容: {other:?}"
            ))),
        }
    }
}

/// A connection (inside a transaction or a read snapshot).
pub trait Conn {
    fn dialect(&self) -> Dialect;
    /// Execute a statement; returns the number of rows changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64>;
    /// Run a query and return all rows.
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>>;
}

impl dyn Conn + '_ {
    /// Run a query expected to return at most one row.
    pub fn query_opt(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>> {
        Ok(self.query(sql, params)?.into_iter().next())
    }
    /// Run a query expected to return exactly one row.
    pub fn query_one(&mut self, sql: &str, params: &[Value]) -> Result<Row> {
        self.query_opt(sql, params)?
            .ok_or_else(|| StoreError::Decode("查询未返回结果".into()))
    }
    /// Run a query and decode every row into `T` by column name.
    pub fn query_as<T: serde::de::DeserializeOwned>(
        &mut self,
        sql: &str,
        params: &[Value],
    ) -> Result<Vec<T>> {
        self.query(sql, params)?.iter().map(Row::decode).collect()
    }
    /// Run a query expected to return at most one row, decoded into `T` by column name.
    pub fn query_opt_as<T: serde::de::DeserializeOwned>(
        &mut self,
        sql: &str,
        params: &[Value],
    ) -> Result<Option<T>> {
        self.query_opt(sql, params)?.map(|r| r.decode()).transpose()
    }
    /// Insert a row with `RETURNING id` and return the id.
    pub fn insert(&mut self, sql: &str, params: &[Value]) -> Result<i64> {
        self.query_one(sql, params)?.i64("id")
    }
    /// Run a query whose one row has an integer column `n` (`SELECT COUNT(*) AS n …`).
    pub fn count(&mut self, sql: &str, params: &[Value]) -> Result<i64> {
        self.query_one(sql, params)?.i64("n")
    }
}

/// Translate `$1`-style placeholders to SQLite's `?1` style.
pub fn to_sqlite_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if c == '\'' {
            in_string = !in_string;
        }
        if c == '$' && !in_string && chars.peek().is_some_and(|d| d.is_ascii_digit()) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_translated_outside_string_literals() {
        assert_eq!(
            to_sqlite_placeholders("SELECT '$1' FROM t WHERE a = $1 AND b = $12"),
            "SELECT '$1' FROM t WHERE a = ?1 AND b = ?12"
        );
    }
}
