//! A small bounded connection pool (连接池): idle connections in a `Mutex<Vec<_>>`, at most
//! [`MAX_CONNECTIONS`] open at once; a caller waits (up to [`WAIT`]) for one to come back.
//!
//! `postgres::Client` runs its own single-threaded runtime, so a connection must never be used
//! or dropped on a thread that runs an async runtime: the web layer calls the store from
//! `spawn_blocking` threads, and dropping the pool hands its connections to a plain thread.

use crate::conn::StatementCache;
use luoshi_store::{Result, StoreError};
use postgres::{Client, Config, NoTls};
use std::ops::{Deref, DerefMut};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

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

#[derive(Default)]
struct State {
    idle: Vec<Pooled>,
    open: usize,
}

pub(crate) struct Pool {
    config: Config,
    /// The URL with its password masked, for messages.
    shown: String,
    state: Mutex<State>,
    returned: Condvar,
}

/// A connection on loan; goes back to the pool when dropped (or is closed if it broke).
pub(crate) struct Lease<'p> {
    pool: &'p Pool,
    conn: Option<Pooled>,
}

impl Deref for Lease<'_> {
    type Target = Pooled;
    fn deref(&self) -> &Pooled {
        self.conn
            .as_ref()
            .expect("a lease holds its connection until dropped")
    }
}

impl DerefMut for Lease<'_> {
    fn deref_mut(&mut self) -> &mut Pooled {
        self.conn
            .as_mut()
            .expect("a lease holds its connection until dropped")
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else { return };
        let mut state = self.pool.lock();
        if conn.client.is_closed() {
            state.open = state.open.saturating_sub(1);
        } else {
            state.idle.push(conn);
        }
        drop(state);
        self.pool.returned.notify_one();
    }
}

impl Pool {
    pub(crate) fn new(config: Config, shown: String) -> Pool {
        Pool {
            config,
            shown,
            state: Mutex::new(State::default()),
            returned: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves only a Vec and a counter behind: still usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn connect(&self) -> Result<Pooled> {
        let mut client = self.config.connect(NoTls).map_err(|e| {
            StoreError::Backend(format!("无法连接 PostgreSQL 数据库 {}: {e}", self.shown))
        })?;
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

    /// Borrow a connection: an idle one, a new one if fewer than the maximum are open, or the
    /// next one returned.
    pub(crate) fn get(&self) -> Result<Lease<'_>> {
        let deadline = Instant::now() + WAIT;
        let mut state = self.lock();
        loop {
            while let Some(conn) = state.idle.pop() {
                if conn.client.is_closed() {
                    state.open = state.open.saturating_sub(1);
                    continue;
                }
                return Ok(Lease {
                    pool: self,
                    conn: Some(conn),
                });
            }
            if state.open < MAX_CONNECTIONS {
                state.open += 1;
                drop(state);
                return match self.connect() {
                    Ok(conn) => Ok(Lease {
                        pool: self,
                        conn: Some(conn),
                    }),
                    Err(e) => {
                        self.lock().open -= 1;
                        self.returned.notify_one();
                        Err(e)
                    }
                };
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(StoreError::Busy(format!(
                    "{} 秒内没有空闲的数据库连接（上限 {MAX_CONNECTIONS} 个）",
                    WAIT.as_secs()
                )));
            }
            state = self
                .returned
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        let idle = std::mem::take(&mut self.lock().idle);
        // Each client owns a runtime, which must not be dropped inside an async context.
        let closing = std::thread::spawn(move || drop(idle));
        let _ = closing.join();
    }
}
