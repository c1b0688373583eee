//! Services (业务服务): everything Luoshi does, behind one [`App`]. Takes a [`Store`]; every
//! write goes through here and records its audit entry in the same transaction. No HTTP.

pub mod access;
pub mod accounts;
pub mod audit;
pub mod completeness;
pub mod demo;
pub mod import;
pub mod views;

use luoshi_domain::Error;
use luoshi_store::Store;
use std::sync::Arc;

pub use access::{Permission, Viewer};
pub use luoshi_domain::Result;

/// The application: a store and the unit registry imports resolve against.
pub struct App {
    pub store: Store,
    /// The unit registry imports resolve owner names against.
    pub registry: luoshi_gazette::registry::Registry,
}

impl App {
    /// An app over a store, with the bundled (Zhengzhou) unit registry.
    pub fn new(store: Store) -> Arc<App> {
        Self::with_registry(store, luoshi_gazette::registry::Registry::bundled())
    }

    /// An app over a store with another city's unit registry.
    pub fn with_registry(store: Store, registry: luoshi_gazette::registry::Registry) -> Arc<App> {
        Arc::new(App { store, registry })
    }
}

/// Open the store a database URL names and bring its schema up to date.
///
/// `postgres://…` or `postgresql://…` selects PostgreSQL; `sqlite://PATH`, `sqlite:PATH` or a
/// plain path selects SQLite (the default, `luoshi.db` in the working directory).
pub fn connect(url: &str) -> Result<Store> {
    let backend: Box<dyn luoshi_store::Backend> =
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            connect_postgres(url)?
        } else {
            let path = url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
                .unwrap_or(url);
            if path.is_empty() {
                return Err(Error::bad_input("E_DB_URL", "数据库地址为空"));
            }
            Box::new(luoshi_store_sqlite::SqliteBackend::open(path)?)
        };
    let store = Store::new(backend);
    store.migrate()?;
    Ok(store)
}

/// PostgreSQL (`luoshi-store-postgres`): one connection is opened here, so a wrong address or
/// password is reported at start-up.
fn connect_postgres(url: &str) -> Result<Box<dyn luoshi_store::Backend>> {
    let backend = luoshi_store_postgres::PostgresBackend::connect(url)?;
    Ok(Box::new(backend))
}

/// Current time, RFC 3339 UTC with seconds, the format every stored timestamp uses.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
