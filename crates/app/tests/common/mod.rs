//! Shared test setup (测试公共部分): fresh databases on each backend (SQLite always, PostgreSQL
//! when `TEST_DATABASE_URL` is set) and small helpers, used by every suite of this crate.
#![allow(dead_code)]

use luoshi_app::demo::{system_viewer, SEED_NAME, SEED_TEXT};
use luoshi_app::import::ImportSummary;
use luoshi_app::{accounts::NewUser, App, Viewer};
use luoshi_domain::Role;
use luoshi_gazette::registry::Registry;
use luoshi_store::{Conn, Counts, Dialect, StoreError};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

// ---------------------------------------------------------------------------------------------
// Test databases

/// A fresh, empty database on one backend; removed when dropped.
pub struct TestDb {
    pub dialect: Dialect,
    pub url: String,
    /// SQLite: the directory holding the file.
    pub dir: Option<tempfile::TempDir>,
    /// PostgreSQL: the server's admin URL and the database created for this test.
    pub pg: Option<(String, String)>,
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = dir.path().join("luoshi.db").to_string_lossy().into_owned();
        TestDb {
            dialect: Dialect::Sqlite,
            url,
            dir: Some(dir),
            pg: None,
        }
    }

    pub fn postgres(admin_url: &str) -> TestDb {
        let name = fresh_database_name();
        pg_admin(admin_url, &format!("CREATE DATABASE {name}"));
        TestDb {
            dialect: Dialect::Postgres,
            url: with_database(admin_url, &name),
            dir: None,
            pg: Some((admin_url.to_string(), name)),
        }
    }

    pub fn label(&self) -> &'static str {
        match self.dialect {
            Dialect::Sqlite => "SQLite",
            Dialect::Postgres => "PostgreSQL",
        }
    }

    /// Open (and migrate) the database as the application does.
    pub fn open(&self) -> Arc<App> {
        App::new(
            luoshi_app::connect(&self.url)
                .unwrap_or_else(|e| panic!("connect {}: {e:?}", self.url)),
        )
    }

    /// Another fresh, empty database on the same backend (and server).
    pub fn another(&self) -> TestDb {
        match &self.pg {
            Some((admin, _)) => TestDb::postgres(admin),
            None => TestDb::sqlite(),
        }
    }

    /// Every row a query returns, as values (for comparing two databases' contents).
    pub fn rows(app: &App, sql: &str) -> Vec<Vec<luoshi_store::Value>> {
        app.store
            .read(|c: &mut dyn Conn| c.query(sql, &[]))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .into_iter()
            .map(|r| r.values().to_vec())
            .collect()
    }

    /// A path for a file next to the test (SQLite) or in a new temporary directory.
    pub fn scratch(&self, name: &str) -> (PathBuf, Option<tempfile::TempDir>) {
        match &self.dir {
            Some(d) => (d.path().join(name), None),
            None => {
                let d = tempfile::tempdir().expect("temporary directory");
                (d.path().join(name), Some(d))
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.pg {
            pg_admin(
                admin,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            );
        }
    }
}

pub fn fresh_database_name() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "luoshi_test_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    )
}

/// Run one administrative statement on the server (creating or dropping a test database).
/// Concurrent CREATE DATABASE can briefly collide on the template; retry a few times.
pub fn pg_admin(admin_url: &str, sql: &str) {
    let mut last = None;
    for attempt in 0..5 {
        match postgres::Client::connect(admin_url, postgres::NoTls)
            .and_then(|mut c| c.batch_execute(sql))
        {
            Ok(()) => return,
            Err(e) => last = Some(e),
        }
        std::thread::sleep(std::time::Duration::from_millis(200 * (attempt + 1)));
    }
    panic!("{sql} on {admin_url}: {last:?}");
}

/// The same server URL with another database name.
pub fn with_database(url: &str, name: &str) -> String {
    let authority_start = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[authority_start..];
    let authority_end = rest
        .find(['/', '?'])
        .map_or(url.len(), |i| authority_start + i);
    let query = url[authority_end..]
        .find('?')
        .map(|i| &url[authority_end + i..])
        .unwrap_or("");
    format!("{}/{name}{query}", &url[..authority_end])
}

/// Fresh databases for one test: SQLite always, PostgreSQL when `TEST_DATABASE_URL` is set
/// (required when `LUOSHI_REQUIRE_POSTGRES` is set, as in CI).
pub fn databases() -> Vec<TestDb> {
    let mut dbs = vec![TestDb::sqlite()];
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => dbs.push(TestDb::postgres(url.trim())),
        // CI sets LUOSHI_REQUIRE_POSTGRES: there a missing URL must fail the suite, not pass
        // it on SQLite alone.
        _ if std::env::var_os("LUOSHI_REQUIRE_POSTGRES").is_some() => panic!(
            "LUOSHI_REQUIRE_POSTGRES 已设置但 TEST_DATABASE_URL 未设置：PostgreSQL 部分不能跳过"
        ),
        _ => println!("TEST_DATABASE_URL 未设置：跳过 PostgreSQL 部分，只在 SQLite 上运行"),
    }
    dbs
}

/// The PostgreSQL database of [`databases`] for a test about PostgreSQL alone (None when it is
/// skipped; with `LUOSHI_REQUIRE_POSTGRES` set it is never skipped).
pub fn postgres_only() -> Option<TestDb> {
    databases()
        .into_iter()
        .find(|d| d.dialect == Dialect::Postgres)
}

/// Run a test body on every backend.
pub fn on_each_backend(test: impl Fn(&TestDb)) {
    for db in databases() {
        println!("== {}", db.label());
        test(&db);
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers

pub fn registry() -> Registry {
    Registry::bundled()
}

pub fn import(app: &App, name: &str, text: &str) -> luoshi_app::Result<ImportSummary> {
    app.import_issue(&system_viewer(), name, text, &registry(), &mut |_, _| {})
}

pub fn import_seed(app: &App) -> ImportSummary {
    import(app, SEED_NAME, SEED_TEXT).expect("importing the bundled gazette issue")
}

/// The counts the parser itself reports for the seed.
pub fn expected_seed_counts() -> Counts {
    let registry = registry();
    let issue = luoshi_gazette::parse_with(SEED_TEXT, &registry);
    let docs = &issue.documents;
    let sum =
        |f: &dyn Fn(&luoshi_gazette::Document) -> usize| docs.iter().map(f).sum::<usize>() as i64;
    Counts {
        issues: 1,
        documents: docs.len() as i64,
        clauses: sum(&|d| d.outline.len()),
        tasks: sum(&|d| d.tasks.len() + d.actions.len()),
        units: registry.units().len() as i64,
        indicators: sum(&|d| d.indicators.len()),
        targets: sum(&|d| d.targets.len()),
        rosters: sum(&|d| d.rosters.len()),
        commendations: sum(&|d| d.commendations.len()),
        unresolved: sum(&|d| d.unresolved.len()),
        users: 0,
        // One entry per document and one for the unit registry.
        audit_entries: docs.len() as i64 + 1,
    }
}

pub fn raw_execute(app: &App, sql: &str) -> Result<u64, StoreError> {
    app.store.write(|c: &mut dyn Conn| c.execute(sql, &[]))
}

/// The one integer a one-column query returns (`SELECT COUNT(*) FROM …`).
pub fn raw_count(app: &App, sql: &str) -> i64 {
    app.store
        .read(|c: &mut dyn Conn| {
            let row = c.query_one(sql, &[])?;
            assert_eq!(row.columns().len(), 1, "{sql}: one column expected");
            row.i64(&row.columns()[0])
        })
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

pub fn admin() -> Viewer {
    system_viewer()
}

pub fn new_user(username: &str, roles: Vec<Role>, unit: Option<&str>) -> NewUser {
    NewUser {
        username: username.into(),
        display_name: format!("测试 {username}"),
        password: "correct horse battery".into(),
        unit_id: unit.map(str::to_string),
        roles,
        leader_name: None,
    }
}

pub fn document_id(app: &App, doc_no: &str) -> i64 {
    app.documents(&admin(), None)
        .expect("documents")
        .into_iter()
        .find(|d| d.doc_no == doc_no)
        .unwrap_or_else(|| panic!("{doc_no} not imported"))
        .id
}

/// Add a test account (see [`new_user`]) as the system does at setup: the viewer it logs in as.
pub fn user(app: &App, name: &str, roles: Vec<Role>, unit: Option<&str>) -> Viewer {
    Viewer::User(
        app.add_user("system", new_user(name, roles, unit))
            .expect("add user"),
    )
}
