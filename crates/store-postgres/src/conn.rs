//! One connection seen through the store's [`Conn`] trait (连接适配): typed values in, typed
//! values out.
//!
//! Parameters are declared with the types of the [`Value`]s bound to them (`BIGINT`,
//! `DOUBLE PRECISION`, `TEXT`, `BOOLEAN`), so a typed NULL keeps its type and an explicit cast
//! in the statement (`$1::tsquery`) converts from text. Columns are read back by their
//! declared type. Prepared statements are cached per connection.

use crate::error::map_err;
use crate::numeric::numeric_value;
use luoshi_store::sql::{Conn, Dialect, Row, Value};
use luoshi_store::{Result, StoreError};
use postgres::types::{ToSql, Type};
use postgres::{Statement, Transaction};
use std::collections::HashMap;

/// How many distinct statements a connection keeps prepared before starting over.
const CACHE_LIMIT: usize = 512;

/// Prepared statements of one connection, by SQL text and parameter types.
#[derive(Default)]
pub(crate) struct StatementCache {
    by_sql: HashMap<String, Vec<(Vec<Type>, Statement)>>,
    len: usize,
}

impl StatementCache {
    fn get(&self, sql: &str, types: &[Type]) -> Option<Statement> {
        self.by_sql
            .get(sql)?
            .iter()
            .find(|(t, _)| t.as_slice() == types)
            .map(|(_, s)| s.clone())
    }

    fn put(&mut self, sql: &str, types: Vec<Type>, statement: Statement) {
        if self.len >= CACHE_LIMIT {
            self.clear();
        }
        self.by_sql
            .entry(sql.to_string())
            .or_default()
            .push((types, statement));
        self.len += 1;
    }

    /// Forget every prepared statement (after a schema change).
    pub(crate) fn clear(&mut self) {
        self.by_sql.clear();
        self.len = 0;
    }
}

/// The SQL type a value is bound as.
fn param_type(v: &Value) -> Type {
    match v {
        Value::I64(_) => Type::INT8,
        Value::F64(_) => Type::FLOAT8,
        Value::Text(_) => Type::TEXT,
        Value::Bool(_) => Type::BOOL,
        Value::Bytes(_) => Type::BYTEA,
    }
}

/// A value as the driver binds it; NULLs keep their Rust type.
fn param(v: &Value) -> Box<dyn ToSql + Sync> {
    match v {
        Value::I64(x) => Box::new(*x),
        Value::F64(x) => Box::new(*x),
        Value::Text(x) => Box::new(x.clone()),
        Value::Bool(x) => Box::new(*x),
        Value::Bytes(x) => Box::new(x.clone()),
    }
}

/// Read column `i` of a row by its declared type.
fn column_value(row: &postgres::Row, i: usize) -> Result<Value> {
    let column = &row.columns()[i];
    let ty = column.type_();
    let fail = |e: postgres::Error| {
        StoreError::Decode(format!("第{i}列（{}，{}）: {e}", column.name(), ty.name()))
    };
    let value = if *ty == Type::INT8 {
        Value::I64(row.try_get(i).map_err(fail)?)
    } else if *ty == Type::INT4 {
        Value::I64(
            row.try_get::<_, Option<i32>>(i)
                .map_err(fail)?
                .map(i64::from),
        )
    } else if *ty == Type::INT2 {
        Value::I64(
            row.try_get::<_, Option<i16>>(i)
                .map_err(fail)?
                .map(i64::from),
        )
    } else if *ty == Type::OID {
        Value::I64(
            row.try_get::<_, Option<u32>>(i)
                .map_err(fail)?
                .map(i64::from),
        )
    } else if *ty == Type::FLOAT8 {
        Value::F64(row.try_get(i).map_err(fail)?)
    } else if *ty == Type::FLOAT4 {
        Value::F64(
            row.try_get::<_, Option<f32>>(i)
                .map_err(fail)?
                .map(f64::from),
        )
    } else if *ty == Type::BOOL {
        Value::Bool(row.try_get(i).map_err(fail)?)
    } else if *ty == Type::BYTEA {
        Value::Bytes(row.try_get(i).map_err(fail)?)
    } else if *ty == Type::NUMERIC {
        match row
            .try_get::<_, Option<rust_decimal::Decimal>>(i)
            .map_err(fail)?
        {
            None => Value::I64(None),
            Some(n) => numeric_value(n),
        }
    } else if [
        Type::TEXT,
        Type::VARCHAR,
        Type::BPCHAR,
        Type::NAME,
        Type::UNKNOWN,
    ]
    .contains(ty)
    {
        Value::Text(row.try_get(i).map_err(fail)?)
    } else {
        return Err(StoreError::Decode(format!(
            "第{i}列（{}）的类型 {} 不受支持：请在查询中转换为 BIGINT、DOUBLE PRECISION、TEXT 或 BOOLEAN",
            column.name(),
            ty.name()
        )));
    };
    Ok(value)
}

/// A transaction of a pooled connection, seen through [`Conn`].
pub(crate) struct PgConn<'t, 'c> {
    pub(crate) tx: &'t mut Transaction<'c>,
    pub(crate) cache: &'t mut StatementCache,
}

impl PgConn<'_, '_> {
    fn prepared(&mut self, sql: &str, params: &[Value]) -> Result<Statement> {
        let types: Vec<Type> = params.iter().map(param_type).collect();
        if let Some(s) = self.cache.get(sql, &types) {
            return Ok(s);
        }
        let statement = self
            .tx
            .prepare_typed(sql, &types)
            .map_err(|e| map_err(e, sql))?;
        self.cache.put(sql, types, statement.clone());
        Ok(statement)
    }
}

impl Conn for PgConn<'_, '_> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let statement = self.prepared(sql, params)?;
        let bound: Vec<Box<dyn ToSql + Sync>> = params.iter().map(param).collect();
        let refs: Vec<&(dyn ToSql + Sync)> = bound.iter().map(|b| b.as_ref()).collect();
        self.tx
            .execute(&statement, &refs)
            .map_err(|e| map_err(e, sql))
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let statement = self.prepared(sql, params)?;
        let bound: Vec<Box<dyn ToSql + Sync>> = params.iter().map(param).collect();
        let refs: Vec<&(dyn ToSql + Sync)> = bound.iter().map(|b| b.as_ref()).collect();
        let rows = self
            .tx
            .query(&statement, &refs)
            .map_err(|e| map_err(e, sql))?;
        let names: std::sync::Arc<[String]> = statement
            .columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect();
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| column_value(r, i))
                    .collect::<Result<Vec<_>>>()
                    .map(|values| Row::new(names.clone(), values))
            })
            .collect()
    }
}
