//! The SQLite backend (嵌入式数据库): Luoshi's default, one file, WAL, foreign keys on.
//!
//! One writer connection (write transactions start with `BEGIN IMMEDIATE`, so writers are
//! serialized and a read-modify-write never loses an update) and a bounded pool of readers
//! (`r2d2`): a reader waits for a free connection rather than opening one more, since opening
//! a connection (and parsing the schema on its first statement) costs more than a page read.

use luoshi_store::sql::{to_sqlite_placeholders, Conn, Dialect, Row, Value};
use luoshi_store::{Backend, Result, StoreError};
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("../migrations/0001_init.sql")),
    (
        "0002_login_failures",
        include_str!("../migrations/0002_login_failures.sql"),
    ),
    ("0003_cases", include_str!("../migrations/0003_cases.sql")),
    (
        "0004_supervision",
        include_str!("../migrations/0004_supervision.sql"),
    ),
    (
        "0005_proposals",
        include_str!("../migrations/0005_proposals.sql"),
    ),
    (
        "0006_login_throttle",
        include_str!("../migrations/0006_login_throttle.sql"),
    ),
    ("0007_health", include_str!("../migrations/0007_health.sql")),
    (
        "0008_drop_people",
        include_str!("../migrations/0008_drop_people.sql"),
    ),
];

/// The most reader connections open at once.
const READERS: u32 = 8;
/// How long a read waits for a free reader before giving up with `Busy`.
const READER_WAIT: Duration = Duration::from_secs(30);
/// Prepared statements kept per connection (a page runs a few dozen distinct ones).
const STATEMENT_CACHE: usize = 256;

/// SQLite database at a path (or in memory for tests).
pub struct SqliteBackend {
    writer: Mutex<Connection>,
    /// Readers of the file; `None` in memory, where the writer also reads.
    readers: Option<r2d2::Pool<Readers>>,
}

/// How reader connections are opened, for `r2d2`.
struct Readers {
    path: PathBuf,
}

impl r2d2::ManageConnection for Readers {
    type Connection = Connection;
    type Error = StoreError;

    fn connect(&self) -> Result<Connection> {
        open(&self.path)
    }

    fn is_valid(&self, conn: &mut Connection) -> Result<()> {
        conn.execute_batch("SELECT 1").map_err(map_err)
    }

    fn has_broken(&self, _: &mut Connection) -> bool {
        false
    }
}

fn map_err(e: rusqlite::Error) -> StoreError {
    match &e {
        rusqlite::Error::SqliteFailure(f, _) => match f.code {
            ErrorCode::ConstraintViolation => StoreError::Conflict(e.to_string()),
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => StoreError::Busy(e.to_string()),
            _ => StoreError::Backend(e.to_string()),
        },
        _ => StoreError::Backend(e.to_string()),
    }
}

fn open(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| StoreError::Backend(format!("无法打开数据库 {}: {e}", path.display())))?;
    configure(&conn)?;
    Ok(conn)
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(10))
        .map_err(map_err)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
    )
    .map_err(map_err)?;
    Ok(())
}

impl SqliteBackend {
    /// Open (creating if needed) the database file at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let writer = open(&path)?;
        let readers = r2d2::Pool::builder()
            .max_size(READERS)
            .min_idle(Some(0))
            .test_on_check_out(false)
            .connection_timeout(READER_WAIT)
            .error_handler(Box::new(r2d2::NopErrorHandler))
            .build_unchecked(Readers { path });
        Ok(SqliteBackend {
            writer: Mutex::new(writer),
            readers: Some(readers),
        })
    }

    /// A private in-memory database (one connection), for tests.
    pub fn in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory().map_err(map_err)?;
        configure(&conn)?;
        Ok(SqliteBackend {
            writer: Mutex::new(conn),
            readers: None,
        })
    }

    /// The one writing connection, held until the guard is dropped.
    fn writer(&self) -> Result<std::sync::MutexGuard<'_, Connection>> {
        self.writer
            .lock()
            .map_err(|_| StoreError::Backend("连接锁已损坏".into()))
    }

    /// `f` in an IMMEDIATE transaction on the writing connection (the write lock taken at the
    /// start, so two writers never deadlock upgrading), committed when it succeeds.
    fn write_tx(&self, f: &mut dyn FnMut(&rusqlite::Transaction) -> Result<()>) -> Result<()> {
        let mut w = self.writer()?;
        let tx = w
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(map_err)?;
        f(&tx)?;
        tx.commit().map_err(map_err)
    }

    fn with_reader(&self, f: &mut dyn FnMut(&mut Connection) -> Result<()>) -> Result<()> {
        let Some(readers) = &self.readers else {
            return f(&mut *self.writer()?);
        };
        let mut conn = readers.get().map_err(|e| {
            StoreError::Busy(format!(
                "{} 秒内没有空闲的数据库读连接（上限 {READERS} 个）: {e}",
                READER_WAIT.as_secs()
            ))
        })?;
        f(&mut conn)
    }
}

/// A connection or transaction seen through [`Conn`].
struct SqliteConn<'a>(&'a Connection);

fn to_sql(v: &Value) -> SqlValue {
    match v {
        Value::I64(Some(i)) => SqlValue::Integer(*i),
        Value::F64(Some(f)) => SqlValue::Real(*f),
        Value::Text(Some(s)) => SqlValue::Text(s.clone()),
        Value::Bool(Some(b)) => SqlValue::Integer(i64::from(*b)),
        Value::Bytes(Some(b)) => SqlValue::Blob(b.clone()),
        _ => SqlValue::Null,
    }
}

fn from_sql(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Text(None),
        ValueRef::Integer(i) => Value::I64(Some(i)),
        ValueRef::Real(f) => Value::F64(Some(f)),
        ValueRef::Text(t) => Value::Text(Some(String::from_utf8_lossy(t).into_owned())),
        ValueRef::Blob(b) => Value::Bytes(Some(b.to_vec())),
    }
}

impl Conn for SqliteConn<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let sql = to_sqlite_placeholders(sql);
        let mut stmt = self.0.prepare_cached(&sql).map_err(map_err)?;
        let params: Vec<SqlValue> = params.iter().map(to_sql).collect();
        let n = stmt
            .execute(rusqlite::params_from_iter(params))
            .map_err(map_err)?;
        Ok(n as u64)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let sql = to_sqlite_placeholders(sql);
        let mut stmt = self.0.prepare_cached(&sql).map_err(map_err)?;
        let names: std::sync::Arc<[String]> =
            stmt.column_names().iter().map(|n| n.to_string()).collect();
        let columns = names.len();
        let params: Vec<SqlValue> = params.iter().map(to_sql).collect();
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params))
            .map_err(map_err)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(map_err)? {
            let mut values = Vec::with_capacity(columns);
            for i in 0..columns {
                values.push(from_sql(r.get_ref(i).map_err(map_err)?));
            }
            out.push(Row::new(names.clone(), values));
        }
        Ok(out)
    }
}

impl Backend for SqliteBackend {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn migrate(&self) -> Result<()> {
        self.write_tx(&mut |tx| {
            let done: i64 = tx
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .map_err(map_err)?;
            for (i, (name, sql)) in MIGRATIONS.iter().enumerate().skip(done.max(0) as usize) {
                tx.execute_batch(sql)
                    .map_err(|e| StoreError::Migration(format!("{name}: {e}")))?;
                tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))
                    .map_err(map_err)?;
            }
            Ok(())
        })
    }

    fn transaction(&self, f: &mut dyn FnMut(&mut dyn Conn) -> Result<()>) -> Result<()> {
        self.write_tx(&mut |tx| f(&mut SqliteConn(tx)))
    }

    fn read(&self, f: &mut dyn FnMut(&mut dyn Conn) -> Result<()>) -> Result<()> {
        self.with_reader(&mut |conn| {
            let tx = conn.transaction().map_err(map_err)?;
            f(&mut SqliteConn(&tx))?;
            tx.finish().map_err(map_err)
        })
    }

    fn backup(&self, path: &Path) -> Result<()> {
        if path.exists() {
            return Err(StoreError::Conflict(format!(
                "备份目标已存在: {}",
                path.display()
            )));
        }
        let target = path.to_string_lossy().replace('\'', "''");
        self.with_reader(&mut |conn| {
            conn.execute_batch(&format!("VACUUM INTO '{target}'"))
                .map_err(map_err)
        })
    }
}
