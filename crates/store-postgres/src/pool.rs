//! The connection pool (连接池): `r2d2` keeps at most [`MAX_CONNECTIONS`] connections open
//! and lends them out; a caller waits (up to [`WAIT`]) for one to come back. This module only
//! says how a connection is made (with its session settings and statement cache) and how a
//! broken one is recognised.
//!
//! `postgres::Client` runs its own single-threaded runtime, so a connection must never be used
//! or dropped on a thread that runs an async runtime: the web layer calls the store from
//! `spawn_blocking` threads, and dropping the pool hands its connections to a plain thread.

use crate::conn::StatementCache;
use crate::tls::{Connector, SslMode};
use luoshi_store::{Result, StoreError};
use postgres::{Client, Config, NoTls};
use std::time::Duration;

/// The most connections one backend opens.
pub const MAX_CONNECTIONS: usize = 8;
/// How long a caller waits for a free connection before giving up with `Busy`.
pub const WAIT: Duration = Duration::from_secs(30);
/// Lock wait limit set on each session (unless the URL already sets one): a write waiting
/// longer than this for another writer fails with `Busy` instead of hanging.
const LOCK_TIMEOUT: &str = "30s";

/// An open connection with its prepared statements.
pub(crate) struct Pooled {
    pub(crate) client: Client,
    pub(crate) cache: StatementCache,
}

/// How connections are made and checked, for `r2d2`.
pub(crate) struct Manager {
    config: Config,
    /// Plain or TLS (see `tls`), and the `sslmode` it was made for (for messages).
    connector: Connector,
    mode: SslMode,
    /// The URL with its password masked, for messages.
    shown: String,
}

impl Manager {
    fn connect(&self) -> Result<Pooled> {
        let connected = match &self.connector {
            Connector::Plain => self.config.connect(NoTls),
            Connector::Rustls(tls) => self.config.connect(tls.clone()),
        };
        let mut client =
            connected.map_err(|e| crate::tls::connect_error(e, &self.shown, self.mode))?;
        let current = client
            .query_one("SELECT current_setting('lock_timeout')", &[])
            .and_then(|r| r.try_get::<_, String>(0))
            .map_err(|e| crate::error::map_err(e, "SELECT current_setting('lock_timeout')"))?;
        if current == "0" {
            let set = format!("SET lock_timeout = '{LOCK_TIMEOUT}'");
            client
                .batch_execute(&set)
                .map_err(|e| crate::error::map_err(e, &set))?;
        }
        Ok(Pooled {
            client,
            cache: StatementCache::default(),
        })
    }
}

impl r2d2::ManageConnection for Manager {
    type Connection = Pooled;
    type Error = StoreError;

    fn connect(&self) -> Result<Pooled> {
        Manager::connect(self)
    }

    /// Not called on check-out (that would cost a round trip per request); a connection that
    /// broke is noticed by [`has_broken`](Self::has_broken) when it comes back.
    fn is_valid(&self, conn: &mut Pooled) -> Result<()> {
        conn.client
            .batch_execute("SELECT 1")
            .map_err(|e| crate::error::map_err(e, "SELECT 1"))
    }

    fn has_broken(&self, conn: &mut Pooled) -> bool {
        conn.client.is_closed()
    }
}

/// A connection on loan; goes back to the pool when dropped (or is closed if it broke).
pub(crate) type Lease = r2d2::PooledConnection<Manager>;

pub(crate) struct Pool {
    /// `Some` until dropped (see [`Drop`]).
    inner: Option<r2d2::Pool<Manager>>,
}

impl Pool {
    /// A pool for `config`. One connection is made (and closed) right away, so a wrong
    /// address or password is reported here at once (`r2d2` itself would retry until
    /// [`WAIT`] ran out).
    pub(crate) fn open(
        config: Config,
        connector: Connector,
        mode: SslMode,
        shown: String,
    ) -> Result<Pool> {
        let manager = Manager {
            config,
            connector,
            mode,
            shown,
        };
        drop(manager.connect()?);
        let inner = r2d2::Pool::builder()
            .max_size(MAX_CONNECTIONS as u32)
            .min_idle(Some(0))
            .test_on_check_out(false)
            .connection_timeout(WAIT)
            .error_handler(Box::new(r2d2::NopErrorHandler))
            .build_unchecked(manager);
        Ok(Pool { inner: Some(inner) })
    }

    /// Borrow a connection: an idle one, a new one if fewer than the maximum are open, or the
    /// next one returned.
    pub(crate) fn get(&self) -> Result<Lease> {
        let pool = self
            .inner
            .as_ref()
            .ok_or_else(|| StoreError::Backend("连接池已关闭".into()))?;
        pool.get().map_err(|e| {
            StoreError::Busy(format!(
                "{} 秒内没有空闲的数据库连接（上限 {MAX_CONNECTIONS} 个）: {e}",
                WAIT.as_secs()
            ))
        })
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        // Each client owns a runtime, which must not be dropped inside an async context.
        let pool = self.inner.take();
        let closing = std::thread::spawn(move || drop(pool));
        let _ = closing.join();
    }
}
