//! The storage suite (存储测试): every test runs on SQLite (a fresh temporary file) always, and
//! also on PostgreSQL when `TEST_DATABASE_URL` is set (each test in a fresh database it creates
//! and drops). Start a throwaway server with `scripts/pg-test-server.sh`:
//!
//! ```text
//! export TEST_DATABASE_URL="$(bash scripts/pg-test-server.sh | tail -n 1)"
//! cargo test -p luoshi-app --test storage_suite
//! ```

use luoshi_app::demo::{system_viewer, SEED_NAME, SEED_TEXT};
use luoshi_app::import::ImportSummary;
use luoshi_app::{App, Viewer};
use luoshi_domain::{ErrorKind, Role, User};
use luoshi_store::{Backend, Conn, Counts, Dialect, StoreError};
use std::collections::BTreeSet;
use std::sync::{Arc, Barrier};

mod common;
use common::*;

// ---------------------------------------------------------------------------------------------
// Schema

#[test]
fn migrating_twice_changes_nothing() {
    on_each_backend(|db| {
        let app = db.open();
        assert_eq!(
            app.counts().unwrap(),
            Counts::default(),
            "a fresh database is empty"
        );
        app.store.migrate().expect("second migration");
        assert_eq!(app.counts().unwrap(), Counts::default());
        import_seed(&app);
        let before = app.counts().unwrap();
        assert_eq!(before, expected_seed_counts());
        app.store.migrate().expect("migration after an import");
        drop(app);
        let reopened = db.open();
        assert_eq!(
            reopened.counts().unwrap(),
            before,
            "reopening migrates again and keeps the data"
        );
        if db.dialect == Dialect::Postgres {
            assert_eq!(
                raw_count(&reopened, "SELECT COUNT(*) FROM schema_migrations"),
                luoshi_store_postgres::migration_names().len() as i64,
                "every migration recorded once: {:?}",
                luoshi_store_postgres::migration_names()
            );
        }
    });
}

#[test]
fn two_processes_migrating_at_once_both_succeed() {
    on_each_backend(|db| {
        let start = Arc::new(Barrier::new(2));
        let opened: Vec<Result<Counts, String>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..2)
                .map(|_| {
                    let start = start.clone();
                    s.spawn(move || {
                        start.wait();
                        let store = luoshi_app::connect(&db.url).map_err(|e| format!("{e:?}"))?;
                        App::new(store).counts().map_err(|e| format!("{e:?}"))
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread"))
                .collect()
        });
        for r in opened {
            assert_eq!(r, Ok(Counts::default()));
        }
    });
}

// ---------------------------------------------------------------------------------------------
// Import

#[test]
fn importing_the_seed_stores_what_the_parser_reports_and_again_changes_nothing() {
    let expected = expected_seed_counts();
    assert!(
        expected.documents >= 17 && expected.tasks > 146,
        "parser output: {expected:?}"
    );
    on_each_backend(|db| {
        let app = db.open();
        let first = import_seed(&app);
        assert!(!first.already_imported);
        assert_eq!(first.documents as i64, expected.documents);
        assert_eq!(first.clauses as i64, expected.clauses);
        assert_eq!((first.tasks + first.actions) as i64, expected.tasks);
        let counts = app.counts().unwrap();
        assert_eq!(counts, expected);
        let audit_before = app.audit_log(&admin(), 10_000).unwrap();
        assert_eq!(audit_before.len() as i64, expected.audit_entries);

        let again = import_seed(&app);
        assert!(again.already_imported, "{again:?}");
        assert_eq!(again.documents, 0);
        assert_eq!(
            app.counts().unwrap(),
            expected,
            "a second import changes nothing"
        );
        assert_eq!(
            app.audit_log(&admin(), 10_000).unwrap(),
            audit_before,
            "and writes no audit entry"
        );

        // The same documents in a different file (another hash) are recognized by 文号.
        let copy = format!("{SEED_TEXT}\n\n");
        let third = import(&app, "copy.txt", &copy).expect("import of a copy");
        assert_eq!(third.documents, 0);
        assert_eq!(third.skipped.len() as i64, expected.documents);
        assert_eq!(app.counts().unwrap(), expected);
        assert_eq!(app.audit_log(&admin(), 10_000).unwrap(), audit_before);
    });
}

#[test]
fn a_text_that_is_not_a_gazette_is_refused_and_changes_nothing() {
    on_each_backend(|db| {
        let app = db.open();
        let not_gazette = "会议纪要\n今天天气很好，大家讨论了午饭吃什么。\n散会。\n";
        let e = import(&app, "notes.txt", not_gazette).unwrap_err();
        assert_eq!(e.code, "E_NOT_GAZETTE", "{e:?}");
        assert_eq!(e.kind, ErrorKind::BadInput);
        assert_eq!(app.counts().unwrap(), Counts::default());

        import_seed(&app);
        let before = app.counts().unwrap();
        assert_eq!(before, expected_seed_counts());
        assert_eq!(
            import(&app, "empty.txt", "").unwrap_err().code,
            "E_NOT_GAZETTE"
        );
        assert_eq!(app.counts().unwrap(), before);
    });
}

/// Make inserting one document (in the middle of the issue) fail with a unique violation.
fn fail_inserting(app: &App, dialect: Dialect, doc_no: &str) {
    let doc_no = doc_no.replace('\'', "''");
    match dialect {
        Dialect::Sqlite => {
            raw_execute(
                app,
                &format!(
                    "CREATE TRIGGER fail_mid_import BEFORE INSERT ON documents \
                     WHEN NEW.doc_no = '{doc_no}' \
                     BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: documents.doc_no'); END"
                ),
            )
            .unwrap();
        }
        Dialect::Postgres => {
            raw_execute(
                app,
                &format!(
                    "CREATE FUNCTION fail_mid_import() RETURNS trigger LANGUAGE plpgsql AS $$ \
                     BEGIN IF NEW.doc_no = '{doc_no}' THEN \
                     RAISE EXCEPTION 'duplicate document' USING ERRCODE = 'unique_violation'; \
                     END IF; RETURN NEW; END $$"
                ),
            )
            .unwrap();
            raw_execute(
                app,
                "CREATE TRIGGER fail_mid_import BEFORE INSERT ON documents \
                 FOR EACH ROW EXECUTE FUNCTION fail_mid_import()",
            )
            .unwrap();
        }
    }
}

#[test]
fn a_failure_in_the_middle_of_an_import_rolls_everything_back() {
    let issue = luoshi_gazette::parse_with(SEED_TEXT, &registry());
    let middle = &issue.documents[issue.documents.len() / 2];
    assert!(issue.documents.len() / 2 > 0);
    on_each_backend(|db| {
        let app = db.open();
        let mut progress = Vec::new();
        fail_inserting(&app, db.dialect, &middle.doc_no);
        let e = app
            .import_issue(
                &system_viewer(),
                SEED_NAME,
                SEED_TEXT,
                &registry(),
                &mut |done, _| progress.push(done),
            )
            .unwrap_err();
        assert_eq!(e.code, "E_CONFLICT", "{e:?}");
        assert!(
            !progress.is_empty(),
            "documents before {} were written first",
            middle.doc_no
        );
        assert_eq!(
            app.counts().unwrap(),
            Counts::default(),
            "nothing of the import is left"
        );
        assert_eq!(raw_count(&app, "SELECT COUNT(*) FROM task_owners"), 0);
        assert_eq!(raw_count(&app, "SELECT COUNT(*) FROM unit_groups"), 0);

        raw_execute(
            &app,
            match db.dialect {
                Dialect::Sqlite => "DROP TRIGGER fail_mid_import",
                Dialect::Postgres => "DROP TRIGGER fail_mid_import ON documents",
            },
        )
        .unwrap();
        import_seed(&app);
        assert!(
            raw_count(&app, "SELECT COUNT(*) FROM task_owners") > 0,
            "the import writes task owners, so the zero above means they were rolled back"
        );
        assert_eq!(
            app.counts().unwrap(),
            expected_seed_counts(),
            "the retried import is complete"
        );
        assert!(app.verify_audit().unwrap().broken.is_none());
    });
}

#[test]
fn two_imports_at_once_do_not_duplicate() {
    let expected = expected_seed_counts();
    on_each_backend(|db| {
        // Two connections, as two processes would have.
        let apps = [db.open(), db.open()];
        let texts = [SEED_TEXT.to_string(), format!("{SEED_TEXT}\n")];
        let start = Barrier::new(2);
        let results: Vec<ImportSummary> = std::thread::scope(|s| {
            let handles: Vec<_> = apps
                .iter()
                .zip(&texts)
                .map(|(app, text)| {
                    let start = &start;
                    s.spawn(move || {
                        start.wait();
                        import(app, "concurrent.txt", text)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread").expect("both imports finish"))
                .collect()
        });
        let stored: usize = results.iter().map(|r| r.documents).sum();
        assert_eq!(stored as i64, expected.documents, "{results:?}");
        assert!(
            results
                .iter()
                .any(|r| r.skipped.len() as i64 == expected.documents),
            "the later import skipped every document: {results:?}"
        );
        assert_eq!(apps[0].counts().unwrap(), expected);
        assert_eq!(
            raw_count(
                &apps[1],
                "SELECT COUNT(*) FROM (SELECT doc_no FROM documents GROUP BY doc_no HAVING COUNT(*) > 1) d"
            ),
            0
        );
        let verification = apps[1].verify_audit().unwrap();
        assert!(verification.broken.is_none(), "{verification:?}");
        assert_eq!(verification.entries, expected.audit_entries);
    });
}

// ---------------------------------------------------------------------------------------------
// Accounts

#[test]
fn users_sessions_and_login_throttling() {
    on_each_backend(|db| {
        let app = db.open();
        let user = app
            .add_user(
                "system",
                new_user("duchashi", vec![Role::Supervision], None),
            )
            .expect("add user");
        assert!(user.id > 0);
        let e = app
            .add_user("system", new_user("duchashi", vec![Role::Admin], None))
            .unwrap_err();
        assert_eq!(e.code, "E_USER_EXISTS");
        assert_eq!(app.counts().unwrap().users, 1);
        let e = app
            .add_user(
                "system",
                new_user("ghost", vec![Role::UnitStaff], Some("no-such-unit")),
            )
            .unwrap_err();
        assert_eq!(e.code, "E_UNIT_UNKNOWN");

        // Login, session, logout.
        let (token, session) = app
            .login("duchashi", "correct horse battery")
            .expect("login");
        assert_eq!(session.user.username, "duchashi");
        let live = app.session(&token).unwrap().expect("live session");
        assert_eq!(live.user.id, user.id);
        assert_eq!(live.csrf_token, session.csrf_token);
        assert!(app.session("not-a-token").unwrap().is_none());
        app.logout(&token, &session.user).unwrap();
        assert!(app.session(&token).unwrap().is_none(), "logged out");

        // Wrong password, then throttling after five failures, even for the right password.
        let e = app.login("duchashi", "wrong password").unwrap_err();
        assert_eq!(e.code, "E_LOGIN_FAILED");
        for _ in 1..luoshi_app::accounts::MAX_FAILURES {
            assert_eq!(
                app.login("duchashi", "wrong password").unwrap_err().code,
                "E_LOGIN_FAILED"
            );
        }
        let e = app.login("duchashi", "correct horse battery").unwrap_err();
        assert_eq!(e.code, "E_RATE_LIMITED");
        assert_eq!(e.kind, ErrorKind::RateLimited);

        // A disabled user cannot log in and loses their sessions.
        app.add_user("system", new_user("jianyi", vec![Role::Proposals], None))
            .unwrap();
        let (token, _) = app.login("jianyi", "correct horse battery").unwrap();
        let disabled = app.disable_user("system", "jianyi").unwrap();
        assert!(disabled.disabled);
        assert!(
            app.session(&token).unwrap().is_none(),
            "sessions end when disabled"
        );
        assert_eq!(
            app.login("jianyi", "correct horse battery")
                .unwrap_err()
                .code,
            "E_LOGIN_FAILED"
        );
        let listed: Vec<User> = app.list_users(&admin()).unwrap();
        assert_eq!(listed.iter().filter(|u| u.disabled).count(), 1);

        // A new password works, the old one does not.
        app.add_user("system", new_user("daibiao", vec![Role::Deputy], None))
            .unwrap();
        app.set_password("system", "daibiao", "a brand new password")
            .unwrap();
        assert_eq!(
            app.login("daibiao", "correct horse battery")
                .unwrap_err()
                .code,
            "E_LOGIN_FAILED"
        );
        app.login("daibiao", "a brand new password")
            .expect("new password");
    });
}

// ---------------------------------------------------------------------------------------------
// Audit

#[test]
fn every_write_appends_a_chained_entry_and_tampering_is_found() {
    on_each_backend(|db| {
        let app = db.open();
        import_seed(&app);
        let after_import = app.counts().unwrap().audit_entries;
        app.add_user(
            "system",
            new_user("weijianwei", vec![Role::Supervision], None),
        )
        .unwrap();
        app.login("weijianwei", "correct horse battery").unwrap();
        app.disable_user("system", "weijianwei").unwrap();
        let entries = app.audit_log(&admin(), 10_000).unwrap();
        assert_eq!(entries.len() as i64, after_import + 3);
        let actions: Vec<&str> = entries
            .iter()
            .take(3)
            .map(|e| e.draft.action.as_str())
            .collect();
        assert_eq!(actions, ["user.disable", "session.login", "user.add"]);
        let mut oldest_first = entries.clone();
        oldest_first.reverse();
        for (i, pair) in oldest_first.windows(2).enumerate() {
            assert_eq!(pair[1].seq, pair[0].seq + 1, "entry {i}");
            assert_eq!(
                pair[1].prev_hash, pair[0].hash,
                "entry {i} is chained to the one before"
            );
        }
        let clean = app.verify_audit().unwrap();
        assert_eq!(clean.broken, None);
        assert_eq!(clean.entries, after_import + 3);

        // The table refuses edits and deletions while its triggers are in place.
        let e =
            raw_execute(&app, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 3").unwrap_err();
        assert!(e.to_string().contains("append-only"), "{e}");
        assert!(raw_execute(&app, "DELETE FROM audit_log WHERE seq = 3").is_err());
        assert_eq!(app.verify_audit().unwrap().broken, None);

        // Someone with database access drops the trigger and edits entry 3.
        raw_execute(
            &app,
            match db.dialect {
                Dialect::Sqlite => "DROP TRIGGER audit_log_no_update",
                Dialect::Postgres => "DROP TRIGGER audit_log_no_update ON audit_log",
            },
        )
        .unwrap();
        assert_eq!(
            raw_execute(&app, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 3").unwrap(),
            1
        );
        let broken = app.verify_audit().unwrap();
        let link = broken.broken.expect("the edit is found");
        assert_eq!(link.seq, 3, "{link:?}");
        assert_eq!(broken.entries, 2, "entries before the first broken one");
    });
}

// ---------------------------------------------------------------------------------------------
// Access

#[test]
fn unit_staff_see_only_their_units_tasks() {
    on_each_backend(|db| {
        let app = db.open();
        import_seed(&app);
        let doc_id = document_id(&app, "郑政办〔2020〕29号");
        let everything = app.document(&admin(), doc_id).unwrap();
        assert_eq!(everything.tasks.len(), everything.tasks_total);
        // The unit owning the most tasks of 29号, and a task it does not own.
        let mut per_unit: std::collections::BTreeMap<String, usize> = Default::default();
        for t in &everything.tasks {
            let units: BTreeSet<&String> =
                t.owners.iter().filter_map(|o| o.unit_id.as_ref()).collect();
            for u in units {
                *per_unit.entry(u.clone()).or_default() += 1;
            }
        }
        let (unit, owned) = per_unit
            .iter()
            .max_by_key(|(_, n)| **n)
            .expect("29号 has owner units");
        assert!(
            *owned > 0 && *owned < everything.tasks_total,
            "{unit} owns {owned}"
        );
        let owns = |t: &luoshi_store::TaskRow| {
            t.owners
                .iter()
                .any(|o| o.unit_id.as_deref() == Some(unit.as_str()))
        };
        let foreign = everything
            .tasks
            .iter()
            .find(|t| !owns(t))
            .expect("a task of other units");
        let own = everything
            .tasks
            .iter()
            .find(|t| owns(t))
            .expect("a task of the unit");

        let user = app
            .add_user(
                "system",
                new_user("chengban", vec![Role::UnitStaff], Some(unit)),
            )
            .unwrap();
        let staff = Viewer::User(user);

        let view = app.document(&staff, doc_id).unwrap();
        assert_eq!(view.tasks_total, everything.tasks_total);
        assert_eq!(view.tasks.len(), *owned);
        assert!(view.tasks.iter().all(owns));
        assert!(
            view.unresolved.is_empty(),
            "unresolved text is for the city-wide offices"
        );

        assert_eq!(app.task(&staff, own.id).unwrap().id, own.id);
        let e = app.task(&staff, foreign.id).unwrap_err();
        assert_eq!((e.kind, e.code), (ErrorKind::Forbidden, "E_FORBIDDEN"));
        assert_eq!(
            app.task(&Viewer::Public, own.id).unwrap_err().kind,
            ErrorKind::Unauthenticated
        );

        let mine = app.unit(&staff, unit).unwrap();
        let tasks = mine.tasks.expect("a unit's staff see their unit's work");
        assert!(tasks.len() >= *owned);
        assert!(tasks.iter().all(owns));
        let other_unit = foreign
            .owners
            .iter()
            .filter_map(|o| o.unit_id.clone())
            .find(|u| u != unit)
            .expect("the foreign task has an owner unit");
        let theirs = app.unit(&staff, &other_unit).unwrap();
        assert!(theirs.tasks.is_none(), "another unit's work is hidden");
        assert!(app.unit(&admin(), &other_unit).unwrap().tasks.is_some());
    });
}

// ---------------------------------------------------------------------------------------------
// Search

/// What a search must find, by brute force over every clause: the clauses whose indexed grams
/// contain all of the query's grams.
fn brute_force_search(app: &App, query: &str) -> BTreeSet<(String, i64)> {
    let wanted = luoshi_store::search::query_grams(query);
    let mut out = BTreeSet::new();
    for d in app.documents(&admin(), None).unwrap() {
        for k in app.document(&admin(), d.id).unwrap().clauses {
            let grams = luoshi_store::search::index_grams(&format!("{} {}", k.heading, k.text));
            if !wanted.is_empty() && wanted.is_subset(&grams) {
                out.insert((d.doc_no.clone(), k.ord));
            }
        }
    }
    out
}

#[test]
fn search_finds_chinese_text() {
    on_each_backend(|db| {
        let app = db.open();
        import_seed(&app);
        let hits = app.search(&Viewer::Public, "疫情防控").unwrap();
        assert!(
            hits.iter().any(|h| h.doc_no == "郑政办〔2020〕29号"),
            "疫情防控 finds clauses of 29号: {hits:?}"
        );
        for (query, occurs) in [
            ("疫情防控", true),
            ("营商环境", true),
            ("地质灾害", true),
            ("青年人才", true),
            ("棚户区", true),
            ("量子计算机", false),
            ("' OR 1=1 --", false),
        ] {
            let found: BTreeSet<(String, i64)> = app
                .search(&Viewer::Public, query)
                .unwrap()
                .into_iter()
                .map(|h| (h.doc_no, h.clause_ord))
                .collect();
            let expected = brute_force_search(&app, query);
            assert_eq!(
                !expected.is_empty(),
                occurs,
                "{query} occurs in the gazette: {occurs}"
            );
            if expected.len() <= 50 {
                assert_eq!(found, expected, "{query}");
            } else {
                assert_eq!(found.len(), 50, "{query}");
                assert!(found.is_subset(&expected), "{query}");
            }
        }
        let two = app.search(&Viewer::Public, "郑州").unwrap();
        assert!(!two.is_empty(), "a two-character query works");
        assert!(two.iter().all(|h| h.snippet.contains("郑州")), "{two:?}");
        let one = app.search(&Viewer::Public, "郑").unwrap();
        assert!(!one.is_empty(), "a one-character query works");
        assert!(app.search(&Viewer::Public, "").unwrap().is_empty());
        assert!(app.search(&Viewer::Public, "  ，。").unwrap().is_empty());
        let e = app.search(&Viewer::Public, &"疫".repeat(201)).unwrap_err();
        assert_eq!(e.code, "E_QUERY_TOO_LONG");
    });
}

// ---------------------------------------------------------------------------------------------
// Backup

fn program_available(name: &str) -> bool {
    std::process::Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn backup_makes_a_copy_that_opens_with_the_same_counts() {
    on_each_backend(|db| {
        let app = db.open();
        import_seed(&app);
        app.add_user("system", new_user("admin", vec![Role::Admin], None))
            .unwrap();
        let counts = app.counts().unwrap();
        let (path, _keep) = db.scratch("backup.db");
        match db.dialect {
            Dialect::Sqlite => {
                app.store.backup(&path).expect("backup");
                let copy = App::new(luoshi_app::connect(&path.to_string_lossy()).unwrap());
                assert_eq!(copy.counts().unwrap(), counts);
                assert!(copy.verify_audit().unwrap().broken.is_none());
            }
            Dialect::Postgres => {
                if !program_available("pg_dump") || !program_available("pg_restore") {
                    println!("pg_dump/pg_restore 不在 PATH 中：跳过 PostgreSQL 备份的还原检查");
                    return;
                }
                app.store.backup(&path).expect("pg_dump backup");
                let (admin_url, _) = db.pg.as_ref().expect("a PostgreSQL test database");
                let restored = TestDb::postgres(admin_url);
                let status = std::process::Command::new("pg_restore")
                    .arg("--no-owner")
                    .arg(format!("--dbname={}", restored.url))
                    .arg(&path)
                    .status()
                    .expect("run pg_restore");
                assert!(status.success(), "pg_restore: {status}");
                let copy = restored.open();
                assert_eq!(copy.counts().unwrap(), counts);
                assert!(copy.verify_audit().unwrap().broken.is_none());
                assert!(!copy.search(&Viewer::Public, "疫情防控").unwrap().is_empty());
            }
        }
        // An existing file is never overwritten.
        let size = std::fs::metadata(&path).unwrap().len();
        assert!(app.store.backup(&path).is_err());
        assert_eq!(std::fs::metadata(&path).unwrap().len(), size);
    });
}

#[test]
fn a_postgres_backup_without_pg_dump_is_a_clear_error() {
    let Some(db) = postgres_only() else {
        return;
    };
    let backend = luoshi_store_postgres::PostgresBackend::connect(&db.url)
        .expect("connect")
        .with_pg_dump("/nonexistent/pg_dump");
    let store = luoshi_store::Store::new(Box::new(backend));
    store.migrate().unwrap();
    let (path, _keep) = db.scratch("backup.dump");
    let result = store.backup(&path);
    let message = result.expect_err("no pg_dump, no backup").to_string();
    assert!(message.contains("未找到 pg_dump"), "{message}");
    assert!(!path.exists(), "nothing is left behind");

    // A pg_dump that fails leaves no file, partial or whole, behind.
    let failing = luoshi_store_postgres::PostgresBackend::connect(&db.url)
        .expect("connect")
        .with_pg_dump("false");
    let message = failing
        .backup(&path)
        .expect_err("a failed dump")
        .to_string();
    assert!(message.contains("pg_dump 备份失败"), "{message}");
    let dir = path.parent().expect("a directory");
    assert_eq!(
        std::fs::read_dir(dir).unwrap().count(),
        0,
        "no partial file"
    );
}

// ---------------------------------------------------------------------------------------------
// Both backends agree

#[test]
fn both_backends_store_and_return_the_same_content() {
    let dbs = databases();
    if dbs.len() < 2 {
        return;
    }
    let snapshots: Vec<Vec<String>> = dbs
        .iter()
        .map(|db| {
            let app = db.open();
            import_seed(&app);
            let mut out = vec![format!("{:?}", app.counts().unwrap())];
            for d in app.documents(&admin(), None).unwrap() {
                let view = app.document(&admin(), d.id).unwrap();
                out.push(serde_json::to_string(&view).unwrap());
                for t in &view.tasks {
                    out.push(serde_json::to_string(&app.task(&admin(), t.id).unwrap()).unwrap());
                }
            }
            for u in app.units(&admin()).unwrap() {
                out.push(serde_json::to_string(&u).unwrap());
                out.push(serde_json::to_string(&app.unit(&admin(), &u.unit.id).unwrap()).unwrap());
            }
            out.push(serde_json::to_string(&app.groups(&admin()).unwrap()).unwrap());
            out.push(format!("{:?}", app.leaders(&admin()).unwrap()));
            out
        })
        .collect();
    assert_eq!(snapshots[0].len(), snapshots[1].len());
    for (a, b) in snapshots[0].iter().zip(&snapshots[1]) {
        assert_eq!(a, b, "SQLite and PostgreSQL disagree");
    }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL connection handling

#[test]
fn a_postgres_url_that_cannot_be_reached_is_a_clear_error_without_the_password() {
    let e = luoshi_app::connect("postgres://luoshi:s3cret@127.0.0.1:1/luoshi?connect_timeout=5")
        .unwrap_err();
    assert!(e.message.contains("无法连接 PostgreSQL 数据库"), "{e:?}");
    assert!(
        !e.message.contains("s3cret"),
        "the password is masked: {e:?}"
    );
    let e = luoshi_app::connect("postgres://127.0.0.1:5432/luoshi?no_such_setting=1").unwrap_err();
    assert!(e.message.contains("PostgreSQL 数据库地址无效"), "{e:?}");
}

#[test]
fn a_postgres_writer_that_waits_too_long_for_the_lock_is_told_to_retry() {
    let Some(db) = postgres_only() else {
        return;
    };
    let holder = db.open();
    let separator = if db.url.contains('?') { '&' } else { '?' };
    let impatient = App::new(
        luoshi_app::connect(&format!(
            "{}{separator}options=-c%20lock_timeout%3D300",
            db.url
        ))
        .expect("connect with a short lock timeout"),
    );
    let holding = Barrier::new(2);
    let done = Barrier::new(2);
    std::thread::scope(|s| {
        s.spawn(|| {
            holder
                .store
                .write(|_c: &mut dyn Conn| {
                    holding.wait();
                    done.wait();
                    Ok::<_, StoreError>(())
                })
                .expect("the first writer commits");
        });
        holding.wait();
        let e = impatient
            .add_user("system", new_user("wartet", vec![Role::Deputy], None))
            .unwrap_err();
        done.wait();
        assert_eq!(e.code, "E_BUSY", "{e:?}");
    });
    // Once the first writer is done, the write goes through.
    impatient
        .add_user("system", new_user("wartet", vec![Role::Deputy], None))
        .expect("retry after the lock is free");
    assert_eq!(holder.counts().unwrap().users, 1);
}

#[test]
fn postgres_values_round_trip_with_their_types() {
    use luoshi_store::{Row, Value};
    let Some(db) = postgres_only() else {
        return;
    };
    let app = db.open();
    // Bound parameters of every type, null and not: they come back as they went.
    let sent = vec![
        Value::I64(Some(i64::MAX)),
        Value::I64(None),
        Value::F64(Some(0.1)),
        Value::F64(None),
        Value::Text(Some("郑政办〔2020〕29号 '引号'".into())),
        Value::Text(None),
        Value::Bool(Some(true)),
        Value::Bool(None),
    ];
    let row: Row = app
        .store
        .read(|c: &mut dyn Conn| {
            c.query_one(
                "SELECT $1, $2, $3, $4, $5, $6, $7, $8, \
                 2::int2, 4::int4, 1.5::float4, 'v'::varchar, \
                 (SELECT SUM(x) FROM (VALUES (9007199254740993::bigint), (1::bigint)) t(x)), \
                 12.50::numeric, NULL::numeric, COUNT(*) FROM (SELECT 1) one",
                &sent,
            )
        })
        .unwrap();
    let (echoed, typed) = row.values().split_at(sent.len());
    assert_eq!(echoed, &sent[..]);
    assert_eq!(
        typed.to_vec(),
        vec![
            Value::I64(Some(2)),
            Value::I64(Some(4)),
            Value::F64(Some(1.5)),
            Value::Text(Some("v".into())),
            Value::I64(Some(9_007_199_254_740_994)),
            Value::Text(Some("12.50".into())),
            Value::I64(None),
            Value::I64(Some(1)),
        ]
    );
    // A type the store does not read is a clear error, not a panic.
    let e = app
        .store
        .read(|c: &mut dyn Conn| c.query("SELECT now()", &[]))
        .unwrap_err();
    assert!(e.to_string().contains("不受支持"), "{e}");
}

/// Rows are read by column name (按列名解码): the same rows selected in another column order
/// decode to the same values, and a kind or role the code does not know is refused with an error
/// naming it instead of being read as something else.
#[test]
fn rows_are_decoded_by_name_and_unknown_kinds_and_roles_are_refused() {
    use luoshi_store::gazette as gdb;
    use luoshi_store::{users, DocumentRow, OwnerRole, OwnerRow};
    on_each_backend(|db| {
        let app = db.open();
        import_seed(&app);
        let doc_id = app
            .store
            .read(|c: &mut dyn Conn| gdb::document_id_by_no(c, "郑政办〔2020〕29号"))
            .unwrap()
            .expect("29号 is in the seed");
        let tasks = app
            .store
            .read(|c: &mut dyn Conn| gdb::list_tasks(c, doc_id))
            .unwrap();
        // A task whose owners have a leader and a unit whose id differs from the name written,
        // so that a swapped column would show.
        let task = tasks
            .iter()
            .find(|t| {
                t.owners.iter().any(|o| o.role == OwnerRole::Leader)
                    && t.owners
                        .iter()
                        .any(|o| o.role == OwnerRole::Lead && o.unit_id.as_deref() != Some(&o.name))
            })
            .expect("29号 has tasks with a 责任领导 and a resolved 牵头单位");
        let reordered: Vec<OwnerRow> = app
            .store
            .read(|c: &mut dyn Conn| {
                c.query_as(
                    "SELECT resolved, open, via_group, unit_id, group_id, name, role \
                     FROM task_owners WHERE task_id = $1 ORDER BY id",
                    &[task.id.into()],
                )
            })
            .unwrap();
        assert_eq!(reordered, task.owners, "{}", db.label());
        let document = app
            .store
            .read(|c: &mut dyn Conn| gdb::get_document(c, doc_id))
            .unwrap()
            .unwrap();
        let reversed: DocumentRow = app
            .store
            .read(|c: &mut dyn Conn| {
                c.query_opt_as(
                    "SELECT last_line, first_line, attachments, recipients, kind, title, date, \
                     issuer, doc_no, issue_id, id FROM documents WHERE id = $1",
                    &[doc_id.into()],
                )
            })
            .unwrap()
            .unwrap();
        assert_eq!(reversed, document);
        assert_eq!(document.doc_no, "郑政办〔2020〕29号");

        // An owner role nobody knows.
        raw_execute(
            &app,
            &format!(
                "UPDATE task_owners SET role = 'boss' WHERE task_id = {} AND role = 'lead'",
                task.id
            ),
        )
        .unwrap();
        let e = app
            .store
            .read(|c: &mut dyn Conn| gdb::get_task(c, task.id))
            .unwrap_err();
        assert!(matches!(e, StoreError::Decode(_)), "{e:?}");
        assert!(
            e.to_string().contains("boss") && e.to_string().contains("role"),
            "{e}"
        );
        // A task kind nobody knows.
        let other = tasks.iter().find(|t| t.id != task.id).unwrap();
        raw_execute(
            &app,
            &format!("UPDATE tasks SET kind = 'project' WHERE id = {}", other.id),
        )
        .unwrap();
        let e = app
            .store
            .read(|c: &mut dyn Conn| gdb::get_task(c, other.id))
            .unwrap_err();
        assert!(e.to_string().contains("project"), "{e}");

        // A user's roles: known names are read, an unknown one is an error, not dropped.
        let user = User {
            id: 0,
            username: "zhangsan".into(),
            display_name: "张三".into(),
            unit_id: None,
            roles: vec![Role::Supervision, Role::Leader],
            disabled: false,
            leader_name: Some("王新伟".into()),
        };
        app.store
            .write(|c: &mut dyn Conn| users::insert_user(c, &user, "hash", "2020-06-01T00:00:00Z"))
            .unwrap();
        let stored = app
            .store
            .read(|c: &mut dyn Conn| users::by_username(c, "zhangsan"))
            .unwrap()
            .unwrap();
        assert_eq!(stored.user.roles, user.roles);
        assert_eq!(stored.user.leader_name, user.leader_name);
        assert_eq!(stored.password_hash, "hash");
        raw_execute(
            &app,
            "UPDATE users SET roles = 'supervision,superuser' WHERE username = 'zhangsan'",
        )
        .unwrap();
        let e = app
            .store
            .read(|c: &mut dyn Conn| users::by_username(c, "zhangsan"))
            .unwrap_err();
        assert!(e.to_string().contains("superuser"), "{e}");
    });
}

/// Every table and column of one backend's schema, as `table.column`.
fn schema_columns(app: &App, dialect: Dialect) -> BTreeSet<String> {
    let sql = match dialect {
        Dialect::Sqlite => {
            "SELECT m.name || '.' || p.name AS col FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'clause_fts%'"
        }
        Dialect::Postgres => {
            "SELECT (table_name || '.' || column_name)::text AS col FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name <> 'schema_migrations'"
        }
    };
    app.store
        .read(|c: &mut dyn Conn| {
            c.query(sql, &[])?
                .iter()
                .map(|r| r.text("col"))
                .collect::<Result<BTreeSet<_>, _>>()
        })
        .unwrap()
}

#[test]
fn both_schemas_have_the_same_tables_and_columns() {
    let dbs = databases();
    if dbs.len() < 2 {
        return;
    }
    let sqlite = schema_columns(&dbs[0].open(), Dialect::Sqlite);
    let mut postgres = schema_columns(&dbs[1].open(), Dialect::Postgres);
    assert!(
        postgres.remove("clauses.search"),
        "PostgreSQL keeps search grams on clauses"
    );
    assert!(
        sqlite.contains("documents.doc_no") && sqlite.len() > 100,
        "{sqlite:?}"
    );
    assert_eq!(sqlite, postgres);
}

// ---------------------------------------------------------------------------------------------
// Use from an async web server

#[test]
fn the_store_works_from_spawn_blocking_and_can_be_dropped_inside_a_runtime() {
    on_each_backend(|db| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .expect("runtime");
        let app = db.open();
        import_seed(&app);
        let expected = app.counts().unwrap();
        let counts = runtime.block_on(async {
            let handles: Vec<_> = (0..4)
                .map(|_| {
                    let app = app.clone();
                    tokio::task::spawn_blocking(move || app.counts())
                })
                .collect();
            let mut out = Vec::new();
            for h in handles {
                out.push(h.await.expect("blocking task").expect("counts"));
            }
            out
        });
        assert!(counts.iter().all(|c| *c == expected));
        // The web server drops the application inside its runtime when it stops.
        runtime.block_on(async move { drop(app) });
    });
}
