//! Storage (存储): the seam between Luoshi's services and its databases.
//!
//! A backend (`luoshi-store-sqlite`, `luoshi-store-postgres`) implements [`Backend`]: it owns
//! connections, transactions, migrations, backups and full-text search indexing. Everything
//! else — the queries themselves — is written once here, against the small [`Conn`] trait, so
//! both backends run the very same statements (placeholders are written `$1`, `$2`, …; the
//! SQLite backend maps them to `?1`, `?2`, …). No business logic lives here: services in
//! `luoshi-app` decide, the store only keeps.

pub mod audit;
pub mod cases;
pub mod decode;
pub mod gazette;
pub mod health;
pub mod outbox;
pub mod proposals;
pub mod rows;
pub mod search;
pub mod sessions;
pub mod sql;
pub mod supervision;
pub mod units;
pub mod users;

pub use rows::*;
pub use sql::{Conn, Dialect, Row, Value};

use std::fmt;

/// A storage failure. `Conflict` is a constraint violation or a lost race; `Busy` a lock
/// timeout; everything else is `Backend`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("数据冲突: {0}")]
    Conflict(String),
    #[error("数据库繁忙: {0}")]
    Busy(String),
    #[error("数据库错误: {0}")]
    Backend(String),
    #[error("数据库迁移失败: {0}")]
    Migration(String),
    #[error("数据格式错误: {0}")]
    Decode(String),
    /// A setting (e.g. of the database URL) that cannot work, with its stable code.
    #[error("{message}")]
    Setting { code: &'static str, message: String },
    /// The database cannot be reached for a stated reason (e.g. its certificate does not
    /// verify), with its stable code.
    #[error("{message}")]
    Unavailable { code: &'static str, message: String },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl From<StoreError> for luoshi_domain::Error {
    fn from(e: StoreError) -> Self {
        use luoshi_domain::{Error, ErrorKind};
        match e {
            StoreError::Conflict(m) => Error::new(ErrorKind::Conflict, "E_CONFLICT", m),
            StoreError::Busy(m) => Error::new(
                ErrorKind::Conflict,
                "E_BUSY",
                format!("数据库繁忙，请稍后重试: {m}"),
            ),
            StoreError::Setting { code, message } => Error::bad_input(code, message),
            StoreError::Unavailable { code, message } => {
                Error::new(ErrorKind::Internal, code, message)
            }
            other => Error::internal(other),
        }
    }
}

/// What a database engine provides. Object-safe, so the backend is chosen at run time from
/// the database URL.
pub trait Backend: Send + Sync {
    /// `sqlite` or `postgres`.
    fn dialect(&self) -> Dialect;
    /// Apply pending migrations (idempotent).
    fn migrate(&self) -> Result<()>;
    /// Run `f` in one transaction; commit when it returns Ok, roll back otherwise.
    /// Writers are serialized, so a read-modify-write inside `f` never loses an update.
    fn transaction(&self, f: &mut dyn FnMut(&mut dyn Conn) -> Result<()>) -> Result<()>;
    /// Run `f` on a connection for reading (a consistent snapshot).
    fn read(&self, f: &mut dyn FnMut(&mut dyn Conn) -> Result<()>) -> Result<()>;
    /// Write an online, consistent copy of the database to `path`.
    fn backup(&self, path: &std::path::Path) -> Result<()>;
}

/// The store: a backend plus typed helpers for running closures in it.
pub struct Store {
    backend: Box<dyn Backend>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Store({:?})", self.backend.dialect())
    }
}

impl Store {
    pub fn new(backend: Box<dyn Backend>) -> Self {
        Store { backend }
    }

    pub fn dialect(&self) -> Dialect {
        self.backend.dialect()
    }

    pub fn migrate(&self) -> Result<()> {
        self.backend.migrate()
    }

    pub fn backup(&self, path: &std::path::Path) -> Result<()> {
        self.backend.backup(path)
    }

    /// Run `f` in one write transaction and return its value.
    pub fn write<T, E>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        run_once(|g| self.backend.transaction(g), f)
    }

    /// Run `f` on a read connection and return its value.
    pub fn read<T, E>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        run_once(|g| self.backend.read(g), f)
    }
}

/// Adapt a typed `FnOnce` with its own error type to the backend's object-safe callback.
/// An error of the closure aborts the transaction and is returned as it was.
fn run_once<T, E: From<StoreError>>(
    runner: impl FnOnce(&mut dyn FnMut(&mut dyn Conn) -> Result<()>) -> Result<()>,
    f: impl FnOnce(&mut dyn Conn) -> Result<T, E>,
) -> Result<T, E> {
    let mut f = Some(f);
    let mut outcome: Option<Result<T, E>> = None;
    let ran = runner(&mut |conn| {
        let Some(f) = f.take() else {
            return Err(StoreError::Backend("事务回调被重复调用".into()));
        };
        let r = f(conn);
        let failed = r.is_err();
        outcome = Some(r);
        if failed {
            Err(StoreError::Backend("rollback".into()))
        } else {
            Ok(())
        }
    });
    match (ran, outcome) {
        (_, Some(Err(e))) => Err(e),
        (Err(e), _) => Err(e.into()),
        (Ok(()), Some(Ok(v))) => Ok(v),
        (Ok(()), None) => Err(StoreError::Backend("事务未执行".into()).into()),
    }
}
