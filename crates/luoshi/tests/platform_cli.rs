//! End-to-end tests of the platform commands, run as a user would: the real binary on a
//! real SQLite file.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const SEED: &str = include_str!("../../../data/gazette/zhengzhou-2020-gazette.txt");

fn luoshi() -> Command {
    Command::new(env!("CARGO_BIN_EXE_luoshi"))
}

fn run(args: &[&str], db: &Path) -> Output {
    luoshi()
        .args(args)
        .arg("--db")
        .arg(db)
        .env_remove("LUOSHI_PASSWORD")
        .stdin(Stdio::null())
        .output()
        .expect("run luoshi")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

struct Tmp(PathBuf);
impl Tmp {
    fn new(name: &str) -> Tmp {
        let dir = std::env::temp_dir().join(format!("luoshi-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Tmp(dir)
    }
    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}
impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What `luoshi audit verify` says of a database: every write adds an entry, so an unchanged
/// answer means nothing was written.
fn audit_entries(db: &Path) -> String {
    stdout(&run(&["audit", "verify"], db))
}

#[test]
fn importing_the_seed_twice_changes_nothing_the_second_time() {
    let tmp = Tmp::new("import");
    let db = tmp.path("l.db");
    let seed = tmp.path("seed.txt");
    std::fs::write(&seed, SEED).unwrap();

    let first = run(&["import", seed.to_str().unwrap()], &db);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first).contains("导入完成：公文 17"),
        "{}",
        stdout(&first)
    );
    // Standard error is a pipe here: progress as plain lines (first, each tenth, last), no bar
    // redrawn with carriage returns.
    let progress = stderr(&first);
    assert!(!progress.contains('\r'), "{progress:?}");
    assert!(
        progress.starts_with("导入中 1/17\n") && progress.contains("导入中 17/17\n"),
        "{progress:?}"
    );
    assert!(progress.lines().count() <= 12, "{progress:?}");
    let audit_after_first = audit_entries(&db);

    let second = run(&["import", seed.to_str().unwrap()], &db);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(stdout(&second).contains("已导入过"), "{}", stdout(&second));
    assert_eq!(
        audit_entries(&db),
        audit_after_first,
        "a repeated import must not write"
    );
}

#[test]
fn a_text_that_is_not_a_gazette_is_refused_and_changes_nothing() {
    let tmp = Tmp::new("notgazette");
    let db = tmp.path("l.db");
    let file = tmp.path("novel.txt");
    std::fs::write(&file, "从前有座山，山里有座庙。\n庙里有个老和尚。\n").unwrap();
    let out = run(&["import", file.to_str().unwrap()], &db);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("E_NOT_GAZETTE"), "{}", stderr(&out));
    assert!(audit_entries(&db).contains("0 条记录"));
}

#[test]
fn a_file_that_is_not_utf8_is_refused_with_its_byte_offset() {
    let tmp = Tmp::new("utf8");
    let db = tmp.path("l.db");
    let file = tmp.path("gbk.txt");
    let mut bytes = "郑州市人民政府".as_bytes().to_vec();
    bytes.extend([0xB9, 0xAB, 0xB1, 0xA8]);
    std::fs::write(&file, &bytes).unwrap();
    let out = run(&["import", file.to_str().unwrap()], &db);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("E_UTF8") && stderr(&out).contains("第 21 字节"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn accounts_are_managed_and_every_change_is_audited() {
    let tmp = Tmp::new("users");
    let db = tmp.path("l.db");
    let add = |name: &str, roles: &str, pw: &str| {
        luoshi()
            .args([
                "user",
                "add",
                name,
                "--roles",
                roles,
                "--password",
                pw,
                "--db",
            ])
            .arg(&db)
            .output()
            .unwrap()
    };
    let ok = add("duchashi", "supervision", "correct horse");
    assert!(ok.status.success(), "{}", stderr(&ok));
    let dup = add("duchashi", "supervision", "correct horse");
    assert_eq!(dup.status.code(), Some(2));
    assert!(stderr(&dup).contains("E_USER_EXISTS"));
    let weak = add("other", "supervision", "short");
    assert!(stderr(&weak).contains("E_PASSWORD_WEAK"));
    let unknown_role = add("other", "emperor", "long enough");
    assert!(stderr(&unknown_role).contains("E_ROLE_UNKNOWN"));
    let staff_without_unit = add("staff", "unit_staff", "long enough");
    assert!(stderr(&staff_without_unit).contains("E_UNIT_REQUIRED"));

    let mut passwd = luoshi()
        .args(["user", "passwd", "duchashi", "--db"])
        .arg(&db)
        .env_remove("LUOSHI_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    passwd
        .stdin
        .take()
        .unwrap()
        .write_all(b"another long one\n")
        .unwrap();
    assert!(passwd.wait().unwrap().success());

    let disable = run(&["user", "disable", "duchashi"], &db);
    assert!(disable.status.success());
    let list = stdout(&run(&["user", "list"], &db));
    assert!(
        list.contains("duchashi") && list.contains("已停用"),
        "{list}"
    );
    assert!(
        audit_entries(&db).contains("3 条记录"),
        "{}",
        audit_entries(&db)
    );
}

#[test]
fn audit_verify_reports_the_first_edited_entry() {
    let tmp = Tmp::new("audit");
    let db = tmp.path("l.db");
    add_admins(&db, &["a1", "a2", "a3"]);
    assert!(run(&["audit", "verify"], &db).status.success());
    // Edit entry 2 by hand, as an intruder with file access would (dropping the guard first).
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'intruder' WHERE seq = 2;",
    )
    .unwrap();
    drop(conn);
    let out = run(&["audit", "verify"], &db);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("第 2 条"), "{}", stdout(&out));
}

fn add_admins(db: &Path, names: &[&str]) {
    for name in names {
        let out = luoshi()
            .args([
                "user",
                "add",
                name,
                "--roles",
                "admin",
                "--password",
                "long enough",
                "--db",
            ])
            .arg(db)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
}

/// Delete the newest `n` audit entries, as an intruder with file access would.
fn cut_audit_tail(db: &Path, n: i64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch("DROP TRIGGER audit_log_no_delete;")
        .unwrap();
    let deleted = conn
        .execute(
            "DELETE FROM audit_log WHERE seq > (SELECT MAX(seq) FROM audit_log) - ?1",
            [n],
        )
        .unwrap();
    assert_eq!(deleted as i64, n);
}

#[test]
fn a_checkpoint_notices_that_the_newest_entries_were_deleted() {
    let tmp = Tmp::new("checkpoint");
    let db = tmp.path("l.db");
    let cp = tmp.path("head.json");
    add_admins(&db, &["a1", "a2", "a3", "a4"]);
    let out = run(&["audit", "checkpoint", "--out", cp.to_str().unwrap()], &db);
    assert!(out.status.success(), "{}", stderr(&out));
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cp).unwrap()).unwrap();
    assert_eq!(written["seq"], 4, "{written}");
    let verify = ["audit", "verify", "--checkpoint", cp.to_str().unwrap()];
    let out = run(&verify, &db);
    assert!(out.status.success(), "{}", stdout(&out));

    // Later entries are fine: the chain still reaches the checkpoint.
    add_admins(&db, &["a5"]);
    assert!(run(&verify, &db).status.success());

    cut_audit_tail(&db, 3);
    // The chain alone is still whole: this is what goes unnoticed without a checkpoint.
    assert!(run(&["audit", "verify"], &db).status.success());
    let out = run(&verify, &db);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("记录到第 4 条") && stdout(&out).contains("只剩到第 2 条"),
        "{}",
        stdout(&out)
    );
    // A new checkpoint over the cut chain is refused and the old one is kept.
    let out = run(&["audit", "checkpoint", "--out", cp.to_str().unwrap()], &db);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("E_AUDIT_CUT"), "{}", stderr(&out));
    let kept: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cp).unwrap()).unwrap();
    assert_eq!(kept, written);
}

#[test]
fn a_signed_checkpoint_is_checked_against_the_operators_public_key() {
    let tmp = Tmp::new("signed");
    let db = tmp.path("l.db");
    let key = tmp.path("audit.key");
    let cp = tmp.path("head.json");
    let out = luoshi()
        .args(["audit", "keygen"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let public = stdout(&out)
        .lines()
        .find_map(|l| l.strip_prefix("验证公钥："))
        .expect("the public key is printed")
        .trim()
        .to_string();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the secret key is private: {mode:o}");
    }
    // A second keygen never overwrites a key.
    assert!(!luoshi()
        .args(["audit", "keygen"])
        .arg(&key)
        .output()
        .unwrap()
        .status
        .success());

    add_admins(&db, &["a1", "a2"]);
    let out = run(
        &[
            "audit",
            "checkpoint",
            "--out",
            cp.to_str().unwrap(),
            "--audit-key",
            key.to_str().unwrap(),
        ],
        &db,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let verify = |public: &str| {
        run(
            &[
                "audit",
                "verify",
                "--checkpoint",
                cp.to_str().unwrap(),
                "--public-key",
                public,
            ],
            &db,
        )
    };
    assert!(verify(&public).status.success());

    // A forged checkpoint (moved back to entry 1, as after a cut) fails its signature.
    let mut forged: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cp).unwrap()).unwrap();
    forged["seq"] = 1.into();
    std::fs::write(&cp, forged.to_string()).unwrap();
    let out = verify(&public);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("E_CHECKPOINT_SIGNATURE"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn serve_writes_checkpoints_periodically() {
    let tmp = Tmp::new("serve-cp");
    let db = tmp.path("l.db");
    let cp = tmp.path("head.json");
    add_admins(&db, &["a1", "a2"]);
    let mut server = luoshi()
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--checkpoint-interval",
            "1",
        ])
        .arg("--audit-checkpoint")
        .arg(&cp)
        .arg("--db")
        .arg(&db)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let head = |path: &Path| -> Option<serde_json::Value> {
        serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
    };
    let wait_for_seq = |seq: i64| {
        for _ in 0..200 {
            if head(&cp).is_some_and(|h| h["seq"] == seq) {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        false
    };
    let first = wait_for_seq(2);
    // A write while serving reaches the next periodic checkpoint.
    add_admins(&db, &["a3"]);
    let second = wait_for_seq(3);
    let _ = server.kill();
    let _ = server.wait();
    assert!(first, "no checkpoint at start: {:?}", head(&cp));
    assert!(second, "no later checkpoint: {:?}", head(&cp));
}

#[test]
fn backup_writes_a_consistent_copy_that_opens() {
    let tmp = Tmp::new("backup");
    let db = tmp.path("l.db");
    let seed = tmp.path("seed.txt");
    std::fs::write(&seed, SEED).unwrap();
    assert!(run(&["import", seed.to_str().unwrap()], &db)
        .status
        .success());
    let copy = tmp.path("copy.db");
    let out = run(&["backup", copy.to_str().unwrap()], &db);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(audit_entries(&copy), audit_entries(&db));
    let again = run(&["backup", copy.to_str().unwrap()], &db);
    assert_eq!(
        again.status.code(),
        Some(2),
        "an existing target is never overwritten"
    );
}

/// The seed with every 文号's year changed, so its 17 documents are new to the database.
fn renumbered_seed(year: u32) -> String {
    SEED.replace("〔2020〕", &format!("〔{year}〕"))
}

#[test]
fn killing_an_import_midway_leaves_the_database_as_it_was() {
    let tmp = Tmp::new("kill");
    let db = tmp.path("l.db");
    let big = tmp.path("big.txt");
    let text: String = (3000..3040)
        .map(renumbered_seed)
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&big, text).unwrap();
    let before = audit_entries(&db);

    let mut child = luoshi()
        .args(["import", big.to_str().unwrap(), "--db"])
        .arg(&db)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the import reports its first stored document, then kill it hard.
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        match err.read(&mut byte) {
            Ok(1) => {
                seen.push(byte[0]);
                if String::from_utf8_lossy(&seen).contains("导入中 1/") {
                    break;
                }
            }
            _ => panic!(
                "import ended before it could be interrupted: {}",
                String::from_utf8_lossy(&seen)
            ),
        }
    }
    child.kill().unwrap();
    let _ = child.wait();
    let _ = err.fill_buf();

    assert_eq!(
        audit_entries(&db),
        before,
        "nothing of the interrupted import may remain"
    );
    // And the database still works: the same import now completes.
    let out = run(&["import", big.to_str().unwrap()], &db);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_truncated_issue_is_refused_and_changes_nothing() {
    let tmp = Tmp::new("truncated");
    let db = tmp.path("l.db");
    let file = tmp.path("cut.txt");
    // The seed cut in the middle of 郑政文〔2020〕63号's list of 140 people.
    let cut = SEED.find("刘淑霞").expect("a name of the list");
    std::fs::write(&file, &SEED[..cut]).unwrap();
    let out = run(&["import", file.to_str().unwrap()], &db);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("E_TRUNCATED") && stderr(&out).contains("140"),
        "{}",
        stderr(&out)
    );
    assert!(audit_entries(&db).contains("0 条记录"));
}
