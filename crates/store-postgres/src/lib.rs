//! The PostgreSQL backend (PostgreSQL 后端) of Luoshi's store, for cities that outgrow one
//! machine: selected by a `postgres://` or `postgresql://` URL.
//!
//! Built on the synchronous `postgres` crate. Each `postgres::Client` runs its own small
//! runtime, so call the store from plain threads (the web layer uses `spawn_blocking`), never
//! from a thread that is running an async runtime.
//!
//! - Writes run in one READ COMMITTED transaction that first takes a transaction-level
//!   advisory lock, so writers are serialized as the [`Backend`] contract promises (the same
//!   guarantee SQLite's `BEGIN IMMEDIATE` gives); the table locks the shared queries take
//!   (`LOCK TABLE …`) still apply.
//! - Reads run in a REPEATABLE READ READ ONLY transaction: one consistent snapshot.
//! - Migrations (`migrations/*.sql`) are recorded in `schema_migrations` and applied under an
//!   advisory lock, so two processes starting at once do not collide.
//! - Backups run `pg_dump` (see [`backup`]).
//! - TLS follows libpq's `sslmode` (`disable`, `prefer` — the default —, `require`,
//!   `verify-ca`, `verify-full`) and `sslrootcert` in the URL, with rustls (see [`tls`]).

pub mod backup;
mod conn;
pub mod error;
mod numeric;
mod pool;
pub mod tls;
pub mod url;

use conn::PgConn;
use error::map_err;
use luoshi_store::sql::{Conn, Dialect};
use luoshi_store::{Backend, Result, StoreError};
use pool::Pool;
use postgres::{Config, IsolationLevel};
use std::collections::HashSet;
use std::ffi::OsString;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

pub use pool::{MAX_CONNECTIONS, WAIT};

/// Schema migrations, applied in order and recorded by name in `schema_migrations`.
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

/// The names of the migrations this backend applies, in order.
pub fn migration_names() -> Vec<&'static str> {
    MIGRATIONS.iter().map(|(name, _)| *name).collect()
}

/// Advisory lock keys (`pg_advisory_xact_lock`): "LUOSHI" in ASCII, then a purpose number.
const MIGRATION_LOCK: i64 = 0x4C55_4F53_4849_0001;
const WRITE_LOCK: i64 = 0x4C55_4F53_4849_0002;

/// How long to wait for the server when the URL does not say (`connect_timeout`).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A PostgreSQL database reached through a small pool of connections.
pub struct PostgresBackend {
    url: String,
    pool: Pool,
    pg_dump: OsString,
}

impl std::fmt::Debug for PostgresBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PostgresBackend({})", url::masked(&self.url))
    }
}

impl PostgresBackend {
    /// Connect to the database a `postgres://` URL names. One connection is opened right
    /// away, so a wrong address or password is reported here.
    pub fn connect(database_url: &str) -> Result<Self> {
        let shown = url::masked(database_url);
        let (driver_url, tls) = tls::split(database_url)?;
        let mut config = Config::from_str(&driver_url)
            .map_err(|e| StoreError::Backend(format!("PostgreSQL 数据库地址无效 {shown}: {e}")))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        config.ssl_mode(tls.driver_mode());
        Ok(PostgresBackend {
            url: database_url.to_string(),
            pool: Pool::open(config, tls.connector()?, tls.mode, shown)?,
            pg_dump: backup::default_program(),
        })
    }

    /// Use this `pg_dump` program for backups (instead of `LUOSHI_PG_DUMP` or `PATH`).
    pub fn with_pg_dump(mut self, program: impl Into<OsString>) -> Self {
        self.pg_dump = program.into();
        self
    }
}

impl Backend for PostgresBackend {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn migrate(&self) -> Result<()> {
        const LEDGER: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (\
             name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())";
        let mut lease = self.pool.get()?;
        let conn = &mut *lease;
        let mut tx = conn.client.transaction().map_err(|e| map_err(e, "BEGIN"))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .map_err(|e| map_err(e, "SELECT pg_advisory_xact_lock"))?;
        tx.batch_execute(LEDGER).map_err(|e| map_err(e, LEDGER))?;
        let applied: HashSet<String> = tx
            .query("SELECT name FROM schema_migrations", &[])
            .map_err(|e| map_err(e, "SELECT name FROM schema_migrations"))?
            .iter()
            .map(|r| r.get(0))
            .collect();
        for (name, sql) in MIGRATIONS {
            if applied.contains(*name) {
                continue;
            }
            tx.batch_execute(sql).map_err(|e| {
                StoreError::Migration(format!("{name}: {}", error::map_err(e, name)))
            })?;
            tx.execute("INSERT INTO schema_migrations (name) VALUES ($1)", &[name])
                .map_err(|e| map_err(e, "INSERT INTO schema_migrations"))?;
        }
        tx.commit().map_err(|e| map_err(e, "COMMIT"))?;
        // Statements prepared before a schema change may describe the old tables.
        conn.cache.clear();
        Ok(())
    }

    fn transaction(&self, f: &mut dyn FnMut(&mut dyn Conn) -> Result<()>) -> Result<()> {
        let mut lease = self.pool.get()?;
        let conn = &mut *lease;
        let mut tx = conn.client.transaction().map_err(|e| map_err(e, "BEGIN"))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
            .map_err(|e| map_err(e, "SELECT pg_advisory_xact_lock"))?;
        f(&mut PgConn {
            tx: &mut tx,
            cache: &mut conn.cache,
        })?;
        tx.commit().map_err(|e| map_err(e, "COMMIT"))
    }

    fn read(&self, f: &mut dyn FnMut(&mut dyn Conn) -> Result<()>) -> Result<()> {
        let mut lease = self.pool.get()?;
        let conn = &mut *lease;
        let mut tx = conn
            .client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(|e| map_err(e, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"))?;
        f(&mut PgConn {
            tx: &mut tx,
            cache: &mut conn.cache,
        })?;
        tx.commit().map_err(|e| map_err(e, "COMMIT"))
    }

    fn backup(&self, path: &Path) -> Result<()> {
        backup::dump(&self.pg_dump, &self.url, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_malformed_url_is_refused_with_its_password_masked() {
        let e = PostgresBackend::connect("postgres://luoshi:s3cret@127.0.0.1:5432/luoshi?bogus=1")
            .unwrap_err();
        let message = e.to_string();
        assert!(message.contains("地址无效"), "{message}");
        assert!(!message.contains("s3cret"), "{message}");
    }
}
