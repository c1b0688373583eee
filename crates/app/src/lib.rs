//! Services (业务服务): everything Luoshi does, behind one [`App`]. Takes a [`Store`]; every
//! write goes through here and records its audit entry in the same transaction. No HTTP.

pub mod access;
pub mod accounts;
pub mod audit;
pub mod bench;
pub mod cache;
pub mod cases;
pub mod checkpoint;
pub mod completeness;
pub mod demo;
pub mod health;
pub mod import;
pub mod memory;
pub mod privacy;
pub mod procedures;
pub mod proposals;
pub mod supervision;
pub(crate) mod uploads;
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
    /// China's working-day calendar every clock is computed with.
    pub calendar: luoshi_calendar::Calendar,
    /// The business clock: real time, or a simulated date (the demo, tests).
    pub clock: cases::BusinessClock,
    /// How notifications leave the building (SMTP, webhooks); none configured by default.
    pub delivery: cases::outbox::DeliveryConfig,
    /// Read models reused until their data changes.
    pub cache: cache::ViewCache,
}

/// How an [`App`] is set up beyond its store.
#[derive(Default)]
pub struct Options {
    pub registry: Option<luoshi_gazette::registry::Registry>,
    pub calendar: Option<luoshi_calendar::Calendar>,
    /// Run the business clock as if today were this date (demo and tests).
    pub today: Option<chrono::NaiveDate>,
    pub delivery: cases::outbox::DeliveryConfig,
}

impl App {
    /// An app over a store, with the bundled (Zhengzhou) unit registry.
    pub fn new(store: Store) -> Arc<App> {
        Self::configure(store, Options::default())
    }

    /// An app over a store with another city's unit registry.
    pub fn with_registry(store: Store, registry: luoshi_gazette::registry::Registry) -> Arc<App> {
        Self::configure(
            store,
            Options {
                registry: Some(registry),
                ..Options::default()
            },
        )
    }

    /// An app with every option.
    pub fn configure(store: Store, options: Options) -> Arc<App> {
        let calendar = options.calendar.unwrap_or_else(|| {
            luoshi_calendar::bundled().expect("the bundled calendar is validated by its tests")
        });
        Arc::new(App {
            store,
            registry: options
                .registry
                .unwrap_or_else(luoshi_gazette::registry::Registry::bundled),
            calendar,
            clock: cases::BusinessClock::new(options.today),
            delivery: options.delivery,
            cache: cache::ViewCache::default(),
        })
    }

    /// The business time now (RFC 3339, UTC, seconds): real time, or shifted to the simulated
    /// date. Case actions, reports, clocks and the outbox use it.
    pub fn now(&self) -> String {
        self.clock.now()
    }

    /// Today's civil date in Asia/Shanghai on the business clock.
    pub fn today(&self) -> chrono::NaiveDate {
        self.clock.today()
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
