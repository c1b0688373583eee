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

/// Whether SQLite refused for a lock another connection holds.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if matches!(f.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked))
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

/// How long a connection waits for a lock (writers, and the WAL conversion below).
const BUSY_WAIT: Duration = Duration::from_secs(10);

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_WAIT).map_err(map_err)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    use_wal(conn)?;
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
        .map_err(map_err)?;
    Ok(())
}

/// Put the database file in WAL mode. WAL is a property of the file, so after the first open
/// this only reads it. Converting needs the file to itself, and SQLite answers "database is
/// locked" at once, without its busy handler, while another connection holds it (two processes
/// opening a new database together): the conversion is retried, with a growing pause, for up to
/// [`BUSY_WAIT`], and another connection having converted it meanwhile is success.
fn use_wal(conn: &Connection) -> Result<()> {
    let mode = |conn: &Connection, sql: &str| -> rusqlite::Result<String> {
        conn.query_row(sql, [], |r| r.get::<_, String>(0))
    };
    let started = std::time::Instant::now();
    let mut pause = Duration::from_millis(2);
    loop {
        let result = mode(conn, "PRAGMA journal_mode").and_then(|m| {
            if m.eq_ignore_ascii_case("wal") {
                Ok(m)
            } else {
                mode(conn, "PRAGMA journal_mode = WAL")
            }
        });
        match result {
            // A file system without WAL support keeps its mode: the database still works.
            Ok(_) => return Ok(()),
            Err(e) if is_busy(&e) && started.elapsed() < BUSY_WAIT => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(100));
            }
            Err(e) => return Err(map_err(e)),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Barrier};

    /// Many connections opening one new file at once: every open puts the file in WAL mode or
    /// finds it so, none fails with "database is locked" (SQLite runs no busy handler for the
    /// conversion).
    #[test]
    fn connections_opening_a_new_file_together_all_succeed() {
        for round in 0..5 {
            let dir = std::env::temp_dir()
                .join(format!("luoshi-sqlite-wal-{}-{round}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("temp dir");
            let path = dir.join("l.db");
            let start = Arc::new(Barrier::new(16));
            let results: Vec<Result<String>> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..16)
                    .map(|_| {
                        let (start, path) = (start.clone(), path.clone());
                        s.spawn(move || {
                            start.wait();
                            let conn = open(&path)?;
                            conn.query_row("PRAGMA journal_mode", [], |r| r.get::<_, String>(0))
                                .map_err(map_err)
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("thread"))
                    .collect()
            });
            let _ = std::fs::remove_dir_all(&dir);
            for r in results {
                assert_eq!(r.map_err(|e| e.to_string()), Ok("wal".to_string()));
            }
        }
    }
}
